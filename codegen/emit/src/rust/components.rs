//! A module's types split into independent parts, emitted on separate cores and merged.
//!
//! typify is single-threaded, but types that do not refer to each other (through any chain
//! of `$ref`s) are independent: typify converts each from its own definitions, and writes
//! its output in one order, by type name (each type's definition, then its `impl`s). So the
//! connected components of the `$ref` graph are shared out among the cores, each part goes
//! through typify and the post-passes on its own, and the parts' items are merged back by
//! type name.
//!
//! The merge only ever reproduces what one typify run writes; where a part's output does
//! not have the expected shape (items before the first type, types out of order, one name
//! defined in two parts, modules that differ), [`merge`] declines and the caller emits the
//! module in one piece. The post-passes read the whole module's schemas (field orders, catch-all
//! maps), never another part's code, and a chain of types never crosses parts.

use std::collections::BTreeMap;

use serde_json::Value;

use super::postpass::{Formatted, Printed};

/// A part smaller than this share of the module's schemas is not worth a thread.
const SMALLEST_SHARE: f64 = 0.15;

/// The names of the types in each part, for `workers` cores; `None` when the module does not
/// split into parts worth emitting separately.
pub fn parts(types: &BTreeMap<String, Value>, workers: usize) -> Option<Vec<Vec<&str>>> {
    if workers < 2 || types.len() < 2 {
        return None;
    }
    let names: Vec<&str> = types.keys().map(String::as_str).collect();
    let index: BTreeMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let mut root: Vec<usize> = (0..names.len()).collect();
    let mut weight = vec![0usize; names.len()];
    for (at, schema) in types.values().enumerate() {
        let mut targets = Vec::new();
        weight[at] = walk(schema, &mut targets);
        for target in targets {
            // A `$ref` to no definition fails typify in any part: the whole module reports it.
            let &other = target.strip_prefix("#/definitions/").and_then(|name| index.get(name))?;
            let (a, b) = (find(&mut root, at), find(&mut root, other));
            root[a.max(b)] = a.min(b);
        }
    }
    // Components, by their first type; then shared out, largest first, to the lightest part.
    let mut components: BTreeMap<usize, (usize, Vec<&str>)> = BTreeMap::new();
    for (at, name) in names.iter().enumerate() {
        let component = components.entry(find(&mut root, at)).or_default();
        component.0 += weight[at];
        component.1.push(name);
    }
    let mut components: Vec<(usize, Vec<&str>)> = components.into_values().collect();
    components.sort_by_key(|component| std::cmp::Reverse(component.0));
    let total: usize = components.iter().map(|c| c.0).sum();
    let mut parts: Vec<(usize, Vec<&str>)> = vec![(0, Vec::new()); workers.min(components.len())];
    for (component_weight, members) in components {
        let lightest = parts.iter_mut().min_by_key(|part| part.0).expect("at least one part");
        lightest.0 += component_weight;
        lightest.1.extend(members);
    }
    let smallest = parts.iter().map(|part| part.0).min().unwrap_or(0);
    if parts.len() < 2 || (smallest as f64) < SMALLEST_SHARE * total as f64 {
        return None;
    }
    Some(parts.into_iter().map(|(_, members)| members).collect())
}

/// How many values `schema` holds (a cost estimate), collecting every `$ref` string in it
/// (data too: a part may be larger than needed, never too small).
fn walk<'a>(schema: &'a Value, targets: &mut Vec<&'a str>) -> usize {
    match schema {
        Value::Object(object) => {
            let mut count = 1;
            for (key, value) in object {
                if let ("$ref", Value::String(target)) = (key.as_str(), value) {
                    targets.push(target);
                }
                count += walk(value, targets);
            }
            count
        }
        Value::Array(list) => 1 + list.iter().map(|item| walk(item, targets)).sum::<usize>(),
        _ => 1,
    }
}

fn find(root: &mut [usize], mut at: usize) -> usize {
    while root[at] != at {
        root[at] = root[root[at]];
        at = root[at];
    }
    at
}

/// The items of every part in the order one typify run writes them (by type name, each
/// type's `impl`s after it, then the modules), with the parts' counts summed; `None` when a
/// part's output is not of the expected shape.
pub fn merge(parts: Vec<Formatted>) -> Option<Formatted> {
    let mut types: Vec<(String, Vec<Printed>)> = Vec::new();
    let mut modules: Option<Vec<String>> = None;
    let (mut rewritten, mut chain) = (0, 0);
    for part in parts {
        rewritten += part.rewritten;
        chain = chain.max(part.chain);
        let first = types.len();
        let mut own_modules = Vec::new();
        for item in part.items {
            match (&item.defines, item.is_mod) {
                (_, true) => own_modules.push(item.text),
                // A type after the modules, or an `impl` before any type: not typify's order.
                _ if !own_modules.is_empty() => return None,
                (Some(name), false) => {
                    if types.len() > first && types.last().is_some_and(|(last, _)| last >= name) {
                        return None;
                    }
                    types.push((name.clone(), vec![item]));
                }
                (None, false) => types[first..].last_mut()?.1.push(item),
            }
        }
        match &modules {
            Some(modules) if *modules != own_modules => return None,
            Some(_) => {}
            None => modules = Some(own_modules),
        }
    }
    types.sort_by(|a, b| a.0.cmp(&b.0));
    if types.windows(2).any(|pair| pair[0].0 == pair[1].0) {
        return None;
    }
    let mut items: Vec<Printed> = types.into_iter().flat_map(|(_, items)| items).collect();
    let modules = modules.unwrap_or_default().into_iter();
    items.extend(modules.map(|text| Printed { defines: None, is_mod: true, text }));
    Some(Formatted { items, rewritten, chain })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn printed(defines: Option<&str>, is_mod: bool, text: &str) -> Printed {
        Printed { defines: defines.map(str::to_owned), is_mod, text: text.to_owned() }
    }

    fn formatted(items: Vec<Printed>) -> Formatted {
        Formatted { items, rewritten: 0, chain: 0 }
    }

    #[test]
    fn types_that_refer_to_each_other_stay_in_one_part() {
        let types: BTreeMap<String, Value> = [
            ("A", json!({"properties": {"b": {"$ref": "#/definitions/B"}, "x": {"type": "string"}}})),
            ("B", json!({"properties": {"y": {"type": "string"}, "z": {"type": "integer"}}})),
            ("C", json!({"properties": {"d": {"$ref": "#/definitions/D"}, "x": {"type": "string"}}})),
            ("D", json!({"properties": {"y": {"type": "string"}, "z": {"type": "integer"}}})),
        ]
        .into_iter()
        .map(|(name, schema)| (name.to_owned(), schema))
        .collect();
        let mut parts = parts(&types, 2).expect("two independent halves");
        parts.sort();
        assert_eq!(parts, [vec!["A", "B"], vec!["C", "D"]]);
        assert_eq!(super::parts(&types, 1), None);
    }

    #[test]
    fn a_ref_to_no_definition_keeps_the_module_whole() {
        let types: BTreeMap<String, Value> = [
            ("A".to_owned(), json!({"$ref": "#/definitions/Missing"})),
            ("B".to_owned(), json!({"type": "string"})),
        ]
        .into_iter()
        .collect();
        assert_eq!(parts(&types, 2), None);
    }

    #[test]
    fn parts_merge_by_type_name_with_one_copy_of_the_modules() {
        let one = formatted(vec![
            printed(Some("A"), false, "a"),
            printed(None, false, "impl a"),
            printed(Some("C"), false, "c"),
            printed(None, true, "mod error"),
        ]);
        let two = formatted(vec![printed(Some("B"), false, "b"), printed(None, true, "mod error")]);
        let merged = merge(vec![one, two]).expect("mergeable");
        let texts: Vec<&str> = merged.items.iter().map(|item| item.text.as_str()).collect();
        assert_eq!(texts, ["a", "impl a", "b", "c", "mod error"]);
    }

    #[test]
    fn parts_of_an_unexpected_shape_are_not_merged() {
        let unordered = || formatted(vec![printed(Some("B"), false, "b"), printed(Some("A"), false, "a")]);
        assert!(merge(vec![unordered()]).is_none());
        let orphan_impl = formatted(vec![printed(None, false, "impl x")]);
        assert!(merge(vec![orphan_impl]).is_none());
        let twice = || formatted(vec![printed(Some("A"), false, "a")]);
        assert!(merge(vec![twice(), twice()]).is_none());
        let modules = |text: &str| formatted(vec![printed(None, true, text)]);
        assert!(merge(vec![modules("mod error"), modules("mod defaults")]).is_none());
    }
}
