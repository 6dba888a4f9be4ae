//! The Rust emitter's direct printer against typify, on JSON no one wrote by hand: random
//! samples (a fixed seed) of random shapes, inferred as `cargo xtask infer` infers them, must
//! give byte-identical Rust through both, or the same refusal.

use schema_emit::{Origin, SchemaItem, rust};
use schema_infer::{Hints, Inferrer};
use serde_json::{Map, Value, json};

/// splitmix64: a tiny deterministic generator; the test needs no statistical quality.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Keys that stress naming: keywords, case and separator clashes, leading digits, symbols,
/// non-ASCII, JavaScript's prototype members, and one long enough to break a line.
const KEYS: [&str; 32] = [
    "id",
    "name",
    "type",
    "Type",
    "type_",
    "URL",
    "url",
    "self",
    "Self",
    "1st",
    "123",
    "a-b",
    "a_b",
    "",
    "ünï",
    "日本",
    "🙂",
    "+1",
    "-1",
    "camelCase",
    "snake_case",
    "HTTPServer",
    "value",
    "items",
    "ref",
    "null",
    "x y",
    "$schema",
    "__proto__",
    "constructor",
    "a.b.c",
    "a_field_name_long_enough_to_break_a_generic_line",
];

/// String values: a few repeat (enums), some clash as identifiers (`Open` and `open`), some
/// are long (broken match arms), some escape.
const STRINGS: [&str; 11] = [
    "open",
    "closed",
    "Open",
    "in-progress",
    "in_progress",
    "tab\there \"quoted\" \\ back",
    "https://api.example.com/users/{id}/events{/privacy}",
    "a value long enough that a match arm holding it cannot stay on one line of ninety",
    "2026-12-07T05:28:01Z",
    "nul\u{0}7 and \u{301} combining",
    "",
];

/// The shape samples of one type share, so that fields come and go and change kind.
enum Template {
    Object(Vec<(String, Template)>),
    Array(Box<Template>),
    Scalar(usize),
    Either(Vec<Template>),
    /// An object keyed by data (ids), which inference makes a map.
    Map(Box<Template>),
}

fn template(random: &mut Random, depth: usize) -> Template {
    if depth >= 4 {
        return Template::Scalar(random.below(5));
    }
    match random.below(12) {
        0 => Template::Scalar(random.below(5)),
        10 => Template::Object(Vec::new()),
        11 => Template::Map(Box::new(template(random, depth + 1))),
        1 if depth > 0 => {
            Template::Either((0..2 + random.below(2)).map(|_| template(random, depth + 1)).collect())
        }
        1 => Template::Scalar(random.below(5)),
        2..=3 => Template::Array(Box::new(template(random, depth + 1))),
        _ => {
            let count = 1 + random.below(6);
            let mut keys: Vec<String> =
                (0..count).map(|_| KEYS[random.below(KEYS.len())].to_owned()).collect();
            keys.sort();
            keys.dedup();
            Template::Object(keys.into_iter().map(|key| (key, template(random, depth + 1))).collect())
        }
    }
}

fn sample(template: &Template, random: &mut Random) -> Value {
    match template {
        Template::Scalar(kind) => match kind {
            0 => json!(random.below(1000) as i64 - 500),
            1 if random.chance(20) => json!(random.below(10) as f64),
            1 => json!(random.below(1000) as f64 / 7.0),
            2 => json!(random.chance(50)),
            3 => json!(STRINGS[random.below(STRINGS.len())]),
            _ => Value::Null,
        },
        Template::Array(item) => Value::Array((0..random.below(4)).map(|_| sample(item, random)).collect()),
        Template::Either(branches) => sample(&branches[random.below(branches.len())], random),
        Template::Map(values) => {
            let entries = 2 + random.below(4);
            let map: Map<String, Value> = (0..entries)
                .map(|_| (format!("{}", 100_000 + random.below(900_000)), sample(values, random)))
                .collect();
            Value::Object(map)
        }
        Template::Object(fields) => {
            let mut object = Map::new();
            for (key, field) in fields {
                if random.chance(80) {
                    let value = if random.chance(10) { Value::Null } else { sample(field, random) };
                    object.insert(key.clone(), value);
                }
            }
            Value::Object(object)
        }
    }
}

/// One module of 1-3 types, each inferred from 1-4 samples of its own template.
fn module(random: &mut Random) -> Vec<SchemaItem> {
    (0..1 + random.below(3))
        .map(|at| {
            let shape = template(random, 0);
            let name = format!("Type{at}");
            let mut inferrer = Inferrer::new(&name, Hints::default());
            for _ in 0..1 + random.below(4) {
                inferrer.add_value(&sample(&shape, random));
            }
            let schema = inferrer.finish().expect("inference accepts any JSON").schema;
            SchemaItem { label: name.clone(), name, schema, origin: Origin::Inferred }
        })
        .collect()
}

/// `DIFFERENTIAL_ROUNDS` and `DIFFERENTIAL_SEED` run a longer or another campaign than CI's.
fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|value| value.parse().ok()).unwrap_or(default)
}

#[test]
fn the_direct_printer_writes_what_typify_writes_for_random_samples() {
    let mut random = Random(setting("DIFFERENTIAL_SEED", 20_261_207));
    let rounds = setting("DIFFERENTIAL_ROUNDS", 200);
    let mut compared = 0;
    for round in 0..rounds {
        let items = module(&mut random);
        let Ok(namespace) = schema_emit::namespace_of("types", items) else { continue };
        let direct = rust::emit_module(&namespace, "");
        let typify = rust::emit_module_via_typify(&namespace, "");
        match (direct, typify) {
            (Ok(direct), Ok(typify)) => {
                assert_eq!(direct.code, typify.code, "round {round}: {:#?}", namespace.types);
                compared += 1;
            }
            (direct, typify) => assert_eq!(
                format!("{:?}", direct.map(|m| m.code)),
                format!("{:?}", typify.map(|m| m.code)),
                "round {round}"
            ),
        }
    }
    assert!(compared * 4 >= rounds * 3, "only {compared} of {rounds} modules gave code");
}
