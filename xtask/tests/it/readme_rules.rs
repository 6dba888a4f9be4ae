//! The README's table of compatibility rules is the engine's own table, so the two cannot
//! drift. `UPDATE_README=1 cargo test -p xtask --test it readme_rules` rewrites it.

// Links every contract crate, so the registry sees every event.
use contracts_all as _;
const START: &str = "<!-- rules: generated from schema_compat::rules_markdown() -->\n";
const END: &str = "<!-- end of rules -->";

#[test]
fn the_readme_rules_table_is_the_engines() {
    let path = xtask::workspace::root().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let start = readme.find(START).expect("README.md has the rules markers") + START.len();
    let end = start + readme[start..].find(END).expect("README.md has the end marker");
    let table = schema_compat::rules_markdown();
    if std::env::var_os("UPDATE_README").is_some() {
        std::fs::write(&path, format!("{}{table}{}", &readme[..start], &readme[end..])).unwrap();
        return;
    }
    assert_eq!(
        &readme[start..end],
        table,
        "the rules table in README.md is stale: run `UPDATE_README=1 cargo test -p xtask --test it readme_rules`"
    );
}
