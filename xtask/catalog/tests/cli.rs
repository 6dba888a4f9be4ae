//! The `xtask-catalog` binary, as `cargo xtask catalog` runs it: a site from the workspace's
//! schemas, or an error naming what is missing. (Building this test also builds the binary
//! in CI's build step, beside everything else, rather than alone in the catalog step.)

use std::process::Command;

fn catalog() -> Command {
    Command::new(env!("CARGO_BIN_EXE_xtask-catalog"))
}

#[test]
fn the_binary_writes_the_site_and_says_where() {
    let out = tempfile::tempdir().unwrap();
    let output = catalog().arg("--out").arg(out.path()).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    let index = out.path().join("index.html");
    assert!(
        stdout.starts_with("catalog: ") && stdout.contains(&format!("open {}", index.display())),
        "{stdout}"
    );
    for file in ["index.html", "style.css", "search.js"] {
        assert!(out.path().join(file).is_file(), "{file} was not written");
    }
    assert!(out.path().join("events").read_dir().unwrap().next().is_some(), "no event page");
}

#[test]
fn a_root_without_schemas_fails_naming_the_file_and_the_fix() {
    let root = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let output = catalog().arg("--root").arg(root.path()).arg("--out").arg(out.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    let missing = root.path().join("schemas/catalog.json");
    assert!(stderr.contains(&format!("could not read {}", missing.display())), "{stderr}");
    assert!(stderr.contains("run `cargo xtask schemas` first"), "{stderr}");
    assert!(!out.path().join("index.html").exists(), "a page was written for a failed catalog");
}
