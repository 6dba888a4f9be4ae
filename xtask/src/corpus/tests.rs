//! The corpus check's Rust step on planted failures: a module that does not compile fails
//! alone, whether it is split into units or compiled whole, and passes are kept by content.

use std::fs;
use std::path::{Path, PathBuf};

use super::rust::run_rust_with;
use super::tools::{header, namespace};
use super::{Case, Mode, Module, add_module, namespace_of, validate};
use crate::infer::TypeInput;

/// Three one-file modules over `dir`: `Good`, `BrokenUnit` and `BrokenWhole`.
fn modules(dir: &Path) -> (Vec<Module>, Vec<Case>) {
    let (mut modules, mut cases) = (Vec::new(), Vec::new());
    for (name, text) in
        [("Good", r#"{"id": 1}"#), ("BrokenUnit", r#"{"a": "x"}"#), ("BrokenWhole", r#"{"b": true}"#)]
    {
        let file = dir.join(format!("{name}.json"));
        fs::write(&file, text).unwrap();
        let input = TypeInput { name: name.to_owned(), files: vec![file.clone()] };
        add_module(
            &mut modules,
            &mut cases,
            format!("f{}", name.to_lowercase()),
            file,
            Mode::File,
            vec![input],
        );
    }
    for case in &mut cases {
        validate(case, &modules[case.module]);
    }
    for module in &mut modules {
        module.namespace = namespace_of(module);
    }
    (modules, cases)
}

/// The emitters' code, with a type naming one that does not exist planted in `BrokenUnit`
/// (which still splits into units) and in `BrokenWhole` after a `use` (which a split cannot
/// prove safe, so the module is compiled whole).
fn planted(module: &Module) -> Result<String, String> {
    let namespace = namespace(module)?;
    let code = schema_emit::rust::emit_module(namespace, &header()).map_err(|e| format!("{e:?}"))?.code;
    Ok(match namespace.roots[0].as_str() {
        "BrokenUnit" => format!("{code}\npub struct Planted(pub NoSuchType);\n"),
        "BrokenWhole" => format!("use std::fmt;\n{code}\npub struct Planted(pub NoSuchType);\n"),
        _ => code,
    })
}

/// The test's own scratch folder under `target/`, emptied (its binaries keep one name from
/// run to run in the shared build folder).
fn scratch(root: &Path) -> PathBuf {
    let scratch = root.join("target/corpus-check/planted-failures");
    let _ = fs::remove_dir_all(&scratch);
    scratch
}

fn verdict(cases: &[Case], index: usize) -> &Result<(), String> {
    cases[index].results[4].as_ref().expect("the Rust check gave a verdict")
}

#[test]
fn a_module_that_does_not_compile_fails_alone_and_passes_are_kept() {
    let root = crate::workspace::root();
    let corpus = tempfile::tempdir().unwrap();
    let (modules, mut cases) = modules(corpus.path());
    let scratch = scratch(&root);
    run_rust_with(&root, &scratch, &modules, &mut cases, true, planted).unwrap();
    assert_eq!(verdict(&cases, 0), &Ok(()), "the module that compiles keeps its own verdict");
    for broken in [1, 2] {
        let error = verdict(&cases, broken).as_ref().expect_err("a planted error fails its module");
        assert!(error.contains("NoSuchType"), "the verdict quotes rustc's error: {error}");
    }
    assert!(
        scratch.join("rust/src/m").join(format!("{}.rs", modules[2].id)).exists(),
        "a module with a `use` is compiled whole"
    );

    // Again, in a fresh scratch folder: the pass is read from the cache, the failures are
    // checked again (and fail again).
    let (modules, mut cases) = self::modules(corpus.path());
    let scratch = self::scratch(&root);
    let only_good = |module: &Module| match namespace(module)?.roots[0].as_str() {
        "Good" => planted(module),
        _ => Err("left out of this run".to_owned()),
    };
    run_rust_with(&root, &scratch, &modules, &mut cases, true, only_good).unwrap();
    assert_eq!(verdict(&cases, 0), &Ok(()));
    assert!(!scratch.join("rust/src/bin").exists(), "nothing was built: the pass came from the cache");
}
