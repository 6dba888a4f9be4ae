//! Which top-level types the inputs describe, and which sample files each has.
//!
//! Inputs are read as quicktype reads them: a file is one type (named from its stem in
//! PascalCase); in a directory, each `*.json` file is one type and each subdirectory is one
//! type whose samples are the `*.json` files under it (a folder of folders is a module of
//! types). With a name, every input is a sample of that one type. `-`, or no input at all,
//! is standard input. Two inputs that would give the same type name are an error, never
//! merged.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use schema_ident::pascal_case;

/// The input that means standard input.
pub const STDIN: &str = "-";

/// The type name of standard input when no name is given (quicktype's).
pub const STDIN_TYPE: &str = "TopLevel";

/// One top-level type to infer: its name and its sample files, in sorted order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeInput {
    /// PascalCase type name.
    pub name: String,
    /// Sample files ([`STDIN`] for standard input).
    pub files: Vec<PathBuf>,
}

/// The top-level types `inputs` describe (see the module docs), sorted by name.
pub fn plan(inputs: &[PathBuf], name: Option<&str>) -> Result<Vec<TypeInput>> {
    if inputs.is_empty() {
        let name = pascal_case(name.unwrap_or(STDIN_TYPE));
        return Ok(vec![TypeInput { name, files: vec![PathBuf::from(STDIN)] }]);
    }
    if let Some(name) = name {
        let mut files = Vec::new();
        for input in inputs {
            if input.is_dir() {
                files.extend(json_files_under(input)?);
            } else {
                files.push(input.clone());
            }
        }
        if files.is_empty() {
            bail!("no *.json files in {}", display_list(inputs));
        }
        return Ok(vec![TypeInput { name: pascal_case(name), files }]);
    }
    let mut types: Vec<(TypeInput, PathBuf)> = Vec::new();
    for input in inputs {
        if input == Path::new(STDIN) {
            types.push((TypeInput { name: STDIN_TYPE.into(), files: vec![input.clone()] }, input.clone()));
        } else if input.is_dir() {
            let mut found = 0;
            for (entry, is_dir) in sorted_entries(input)? {
                if is_dir {
                    let files = json_files_under(&entry)?;
                    if !files.is_empty() {
                        types.push((TypeInput { name: name_of(&entry, true), files }, entry));
                        found += 1;
                    }
                } else if is_json(&entry) {
                    let name = name_of(&entry, false);
                    types.push((TypeInput { name, files: vec![entry.clone()] }, entry));
                    found += 1;
                }
            }
            if found == 0 {
                bail!("no *.json files or subdirectories with them in {}", input.display());
            }
        } else if input.exists() {
            types.push((TypeInput { name: type_name(input), files: vec![input.clone()] }, input.clone()));
        } else {
            bail!("{}: no such file or directory", input.display());
        }
    }
    types.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    for pair in types.windows(2) {
        if pair[0].0.name == pair[1].0.name {
            bail!(
                "{} and {} would both be the type {}; distinct types are never merged: rename one, \
                 or pass --name to make all inputs samples of one type",
                pair[0].1.display(),
                pair[1].1.display(),
                pair[0].0.name
            );
        }
    }
    Ok(types.into_iter().map(|(t, _)| t).collect())
}

fn type_name(path: &Path) -> String {
    name_of(path, path.is_dir())
}

/// The type a file (its stem) or directory (its name) stands for.
fn name_of(path: &Path, is_dir: bool) -> String {
    let stem = if is_dir { path.file_name() } else { path.file_stem() };
    pascal_case(&stem.map(|s| s.to_string_lossy().into_owned()).unwrap_or_default())
}

fn is_json(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "json")
}

// A folder of folders is read with one directory read per folder and the file types the
// reads give (no `stat` per entry but for symbolic links), which is most of planning's time
// on a large corpus. On any error the reads are done again through `crate::workspace`,
// whose messages name the problem.

/// The entries directly in `dir`, sorted, each with whether it is a directory (a symbolic
/// link followed, as `Path::is_dir` does).
fn sorted_entries(dir: &Path) -> Result<Vec<(PathBuf, bool)>> {
    let read = || -> std::io::Result<Vec<(PathBuf, bool)>> {
        let mut entries = Vec::new();
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            let path = entry.path();
            let is_dir = if kind.is_symlink() { path.is_dir() } else { kind.is_dir() };
            entries.push((path, is_dir));
        }
        entries.sort_by(|a, b| a.0.file_name().cmp(&b.0.file_name()));
        Ok(entries)
    };
    if let Ok(entries) = read() {
        return Ok(entries);
    }
    let entries = crate::workspace::walk(dir, 1).map_err(|e| anyhow::anyhow!("{e}"))?;
    let with_kind = |path: PathBuf| {
        let is_dir = path.is_dir();
        (path, is_dir)
    };
    Ok(entries.into_iter().map(walkdir::DirEntry::into_path).map(with_kind).collect())
}

/// Every `*.json` file under `dir`, recursively (symbolic links inside not followed), sorted
/// by path.
fn json_files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    fn read(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() {
                read(&entry.path(), files)?;
            } else if kind.is_file() {
                let path = entry.path();
                if is_json(&path) {
                    files.push(path);
                }
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    if read(dir, &mut files).is_ok() {
        files.sort();
        return Ok(files);
    }
    crate::workspace::files_with_extension(dir, "json", usize::MAX).map_err(|e| anyhow::anyhow!("{e}"))
}

fn display_list(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn write(dir: &Path, path: &str, text: &str) {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    #[test]
    fn a_directory_gives_one_type_per_file_and_per_subdirectory() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "scheduled-event.json", "{}");
        write(dir.path(), "readme.md", "not json");
        write(dir.path(), "order_placed/a.json", "{}");
        write(dir.path(), "order_placed/b.json", "{}");
        let types = plan(&[dir.path().to_path_buf()], None).unwrap();
        let summary: Vec<_> = types.iter().map(|t| (t.name.as_str(), t.files.len())).collect();
        assert_eq!(summary, [("OrderPlaced", 2), ("ScheduledEvent", 1)]);
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_folder_is_a_type_and_a_linked_file_inside_a_type_is_not_a_sample() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "real/a.json", "{}");
        write(dir.path(), "real/nested/b.json", "{}");
        std::os::unix::fs::symlink(dir.path().join("real"), dir.path().join("linked")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("real/a.json"), dir.path().join("real/c.json")).unwrap();
        let types = plan(&[dir.path().to_path_buf()], None).unwrap();
        let summary: Vec<(&str, Vec<String>)> = types
            .iter()
            .map(|t| {
                let files = t.files.iter().map(|f| f.strip_prefix(dir.path()).unwrap().display().to_string());
                (t.name.as_str(), files.collect())
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("Linked", vec!["linked/a.json".to_owned(), "linked/nested/b.json".to_owned()]),
                ("Real", vec!["real/a.json".to_owned(), "real/nested/b.json".to_owned()]),
            ]
        );
    }

    #[test]
    fn name_makes_every_file_a_sample_of_one_type() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.json", "{}");
        write(dir.path(), "sub/b.json", "{}");
        let types = plan(&[dir.path().to_path_buf()], Some("my event")).unwrap();
        assert_eq!(types.len(), 1);
        assert_eq!(types[0].name, "MyEvent");
        assert_eq!(types[0].files.len(), 2);
    }

    #[test]
    fn no_input_is_standard_input_named_top_level_as_quicktype_does() {
        assert_eq!(
            plan(&[], None).unwrap(),
            [TypeInput { name: "TopLevel".into(), files: vec![STDIN.into()] }]
        );
        assert_eq!(plan(&[], Some("order")).unwrap()[0].name, "Order");
    }

    #[test]
    fn two_inputs_with_one_type_name_are_an_error_not_a_merge() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "x/event.json", "{}");
        write(dir.path(), "y/event.json", "{}");
        let error =
            plan(&[dir.path().join("x/event.json"), dir.path().join("y/event.json")], None).unwrap_err();
        assert!(error.to_string().contains("would both be the type Event"), "{error}");
    }
}
