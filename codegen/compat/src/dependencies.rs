//! Dependencies between properties: draft-07's `dependencies` (a value is a list of names
//! that must be present when the key is, or a schema the whole object must then match), and
//! the draft 2019-09 spellings that split the two forms, `dependentRequired` and
//! `dependentSchemas`, read here as the same thing.
//!
//! A list is a set of extra `required` names: more names tighten (new consumers reject old
//! events without them), fewer loosen. A schema dependency is compared like any subschema,
//! at the same event value (it applies to the object itself).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::error::Error;
use crate::findings::{Findings, Place};
use crate::view::View;
use crate::walk::Walker;
use crate::{Kind, pointer};

/// What one object schema's dependencies say, by the property that triggers them.
#[derive(Default)]
struct Dependencies<'a> {
    /// Property lists: key → (pointer, names required with it).
    lists: BTreeMap<&'a str, (String, BTreeSet<&'a str>)>,
    /// Schema dependencies: key → (pointer, schema).
    schemas: BTreeMap<&'a str, (String, &'a Value)>,
}

impl<'a> Dependencies<'a> {
    fn of(view: &View<'a>) -> Result<Dependencies<'a>, Error> {
        let mut out = Dependencies::default();
        for keyword in ["dependencies", "dependentRequired", "dependentSchemas"] {
            let Some(value) = view.map.get(keyword) else { continue };
            let base = pointer::push(&view.ptr, keyword);
            let refuse =
                |at: String, problem: String| Error::Keyword { side: view.side, at, keyword, problem };
            let Value::Object(entries) = value else {
                return Err(refuse(base, "must be an object mapping property names to dependencies".into()));
            };
            for (name, dependency) in entries {
                let at = pointer::push(&base, name);
                match (keyword, dependency) {
                    ("dependencies" | "dependentRequired", Value::Array(names)) => {
                        let mut set = BTreeSet::new();
                        for required in names {
                            let Some(required) = required.as_str() else {
                                return Err(refuse(
                                    at,
                                    format!("lists {required}, not a property name; write names as strings"),
                                ));
                            };
                            set.insert(required);
                        }
                        let entry = out.lists.entry(name).or_insert_with(|| (at, BTreeSet::new()));
                        entry.1.extend(set);
                    }
                    ("dependencies" | "dependentSchemas", Value::Object(_) | Value::Bool(_)) => {
                        if out.schemas.insert(name, (at.clone(), dependency)).is_some() {
                            return Err(refuse(
                                at,
                                format!(
                                    "gives `{name}` a second dependent schema (it has one under `dependencies` too); \
                                     merge them into one with `allOf`"
                                ),
                            ));
                        }
                    }
                    _ => {
                        let expected = match keyword {
                            "dependentRequired" => "a list of property names",
                            "dependentSchemas" => "a schema",
                            _ => "a list of property names or a schema",
                        };
                        return Err(refuse(at, format!("for `{name}` must be {expected}")));
                    }
                }
            }
        }
        Ok(out)
    }
}

/// Compares the dependencies of two object schemas.
pub(crate) fn compare<'a>(w: &mut Walker<'a>, o: &View<'a>, n: &View<'a>, at: &Place) -> Result<(), Error> {
    let (old, new) = (Dependencies::of(o)?, Dependencies::of(n)?);
    let names: BTreeSet<&str> = old.lists.keys().chain(new.lists.keys()).copied().collect();
    for name in names {
        lists(&mut w.findings, name, old.lists.get(name), new.lists.get(name), at);
    }
    let names: BTreeSet<&str> = old.schemas.keys().chain(new.schemas.keys()).copied().collect();
    for name in names {
        match (old.schemas.get(name), new.schemas.get(name)) {
            (Some((old_ptr, old)), Some((new_ptr, new))) => {
                w.compare(old, old_ptr.clone(), new, new_ptr.clone(), &at.instance)?
            }
            (old, new) => {
                let field = at.field();
                let (kind, ptr, reason) = match (old, new) {
                    (None, Some((ptr, _))) => (
                        Kind::DependencySchemaAdded,
                        ptr,
                        format!(
                            "{field} must now match a schema whenever `{name}` is present: new consumers reject old \
                             events that do not"
                        ),
                    ),
                    (Some((ptr, _)), _) => (
                        Kind::DependencySchemaRemoved,
                        ptr,
                        format!(
                            "{field} no longer has to match a schema when `{name}` is present: old consumers reject \
                             new events that do not"
                        ),
                    ),
                    (None, None) => unreachable!("names come from the two maps"),
                };
                let (old_text, new_text) =
                    (old.map(|_| "a schema".to_owned()), new.map(|_| "a schema".to_owned()));
                w.findings.report(kind, &at.at(dependency_path(at, ptr)), old_text, new_text, reason);
            }
        }
    }
    Ok(())
}

/// Where a dependency is reported: its place in the new schema, spelled as the schema that
/// has it spells it (`/dependencies/a` or `/dependentRequired/a`), under the new object.
fn dependency_path(at: &Place, ptr: &str) -> String {
    let keyword_and_name: Vec<&str> = ptr.rsplitn(3, '/').collect();
    match keyword_and_name.as_slice() {
        [name, keyword, _] => pointer::push(&pointer::push(&at.path, keyword), &pointer::unescape(name)),
        _ => at.path.clone(),
    }
}

type List<'l, 'a> = Option<&'l (String, BTreeSet<&'a str>)>;

fn lists(f: &mut Findings, name: &str, old: List<'_, '_>, new: List<'_, '_>, at: &Place) {
    let field = at.field();
    let show =
        |list: List<'_, '_>| list.map(|(_, names)| names.iter().copied().collect::<Vec<_>>().join(", "));
    let (kind, ptr, reason) = match (old, new) {
        (None, None) => return,
        (Some(a), Some(b)) if a.1 == b.1 => return,
        (None, Some((ptr, names))) => (
            Kind::DependencyArrayAdded,
            ptr,
            format!(
                "when {field} has `{name}` it must now also have {}: new consumers reject old events without them",
                quoted(names)
            ),
        ),
        (Some((ptr, names)), None) => (
            Kind::DependencyArrayRemoved,
            ptr,
            format!(
                "when {field} has `{name}` it no longer needs {}: old consumers reject new events without them",
                quoted(names)
            ),
        ),
        (Some((_, a)), Some((ptr, b))) if b.is_superset(a) => (
            Kind::DependencyArrayExtended,
            ptr,
            format!(
                "when {field} has `{name}` it must now also have {}: new consumers reject old events without them",
                quoted(&b.difference(a).copied().collect())
            ),
        ),
        (Some((_, a)), Some((ptr, b))) if a.is_superset(b) => (
            Kind::DependencyArrayNarrowed,
            ptr,
            format!(
                "when {field} has `{name}` it no longer needs {}: old consumers reject new events without them",
                quoted(&a.difference(b).copied().collect())
            ),
        ),
        (Some(_), Some((ptr, _))) => (
            Kind::DependencyArrayChanged,
            ptr,
            format!(
                "when {field} has `{name}` it needs other properties than before: each side's consumers reject \
                 events of the other that lack what they require"
            ),
        ),
    };
    f.report(kind, &at.at(dependency_path(at, ptr)), show(old), show(new), reason);
}

fn quoted(names: &BTreeSet<&str>) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}
