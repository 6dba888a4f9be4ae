//! Every naming rule of the code generators, in one place.
//!
//! Inference names its definitions, the emitters name types, modules and properties, and all
//! of them must agree: a name inference picks must come out of the emitters unchanged, or two
//! names that inference kept apart could meet again. So there is one function per kind of
//! name, and inference and both emitters call the same ones.
//!
//! ```
//! use schema_ident::{module_name, pascal_case, typescript_property_key};
//!
//! assert_eq!(pascal_case("billing_address"), "BillingAddress");
//! assert_eq!(pascal_case("Scheduled Event"), "ScheduledEvent");
//! assert_eq!(module_name("aws.events"), "aws_events");
//! assert_eq!(typescript_property_key("detail-type"), "\"detail-type\"");
//! ```

use std::collections::BTreeSet;

use heck::ToSnakeCase;

/// Names that would shadow a prelude type in Rust or a global in TypeScript, which emitters
/// would have to escape; a type of that name gets a `Type` suffix instead.
const RESERVED: &[&str] = &[
    "Array", "Box", "Date", "Error", "Map", "Number", "Object", "Option", "Promise", "Record", "Result",
    "Self", "Set", "String", "Symbol", "Vec",
];

/// A type name: PascalCase, ASCII only. Words split at every character that is not an ASCII
/// letter or digit; an all-caps word is capitalised (`URL` becomes `Url` alone, but `fromURL`
/// keeps its spelling as `FromURL`), and so is an all-caps result (`a.b.c` becomes `Abc`). Never empty, never starts with a digit, never a name in
/// [`RESERVED`]. Applying it to its own output changes nothing.
pub fn pascal_case(text: &str) -> String {
    let mut out = variant_name(text);
    if is_reserved(&out) {
        out.push_str("Type");
    }
    out
}

/// An enum variant's name: [`pascal_case`] without the `Type` suffix for reserved names, which
/// only types need (`Reading::Number` shadows nothing).
pub fn variant_name(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    // Words are ASCII letters and digits only, so they are cut and cased byte by byte.
    for word in text.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        let all_caps = word.len() > 1 && !word.bytes().any(|b| b.is_ascii_lowercase());
        let (first, rest) = word.split_at(1);
        let start = out.len();
        out.push_str(first);
        out[start..].make_ascii_uppercase();
        let rest_start = out.len();
        out.push_str(rest);
        if all_caps {
            out[rest_start..].make_ascii_lowercase();
        }
    }
    // Single letters can join into an all-caps name (`a.b.c` gives `ABC`), which the rule
    // above would change on a second pass; capitalise it now, so the result is a fixed point.
    if out.len() > 1 && !out.bytes().any(|b| b.is_ascii_lowercase()) {
        out[1..].make_ascii_lowercase();
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "Type");
    }
    out
}

/// Whether `name` would shadow a Rust prelude type or a TypeScript global.
pub fn is_reserved(name: &str) -> bool {
    RESERVED.contains(&name)
}

/// A module name (Rust module, TypeScript file): snake_case, never starting with a digit.
/// `aws.events` becomes `aws_events`.
pub fn module_name(text: &str) -> String {
    let name = text.to_snake_case();
    if name.starts_with(|c: char| c.is_ascii_digit()) { format!("m_{name}") } else { name }
}

/// Words Rust reserves: a field or module of that name needs another spelling.
const RUST_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop",
    "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "self", "static",
    "struct", "super", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual",
    "where", "while", "yield",
];

/// A Rust field name: snake_case, never starting with a digit, a keyword with a trailing
/// underscore (`type_`), as typify spells them.
pub fn field_name(text: &str) -> String {
    let mut name = text.to_snake_case();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'x');
    }
    if RUST_KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// A TypeScript property key: bare when it is an identifier, else a quoted string literal.
pub fn typescript_property_key(name: &str) -> String {
    let mut chars = name.chars();
    let identifier = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if identifier { name.to_owned() } else { typescript_string(name) }
}

/// A TypeScript string literal of `text` (JSON string escapes are valid TypeScript; U+2028
/// and U+2029, valid in JSON strings, are escaped for older JavaScript).
pub fn typescript_string(text: &str) -> String {
    serde_json::to_string(text)
        .expect("a string serialises")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// `base`, or `base2`, `base3`, ... whichever is not in `taken` first; marks it taken. How
/// the emitters keep apart names that would otherwise meet (hoisted types, union variants,
/// enum variants).
pub fn unique_name(base: &str, taken: &mut BTreeSet<String>) -> String {
    let name = std::iter::once(base.to_owned())
        .chain((2..).map(|n| format!("{base}{n}")))
        .find(|name| !taken.contains(name))
        .expect("some suffix is free");
    taken.insert(name.clone());
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_names_number_from_two_and_mark_what_they_return() {
        let mut taken = BTreeSet::from(["Line".to_owned(), "Line3".to_owned()]);
        assert_eq!(unique_name("Address", &mut taken), "Address");
        assert_eq!(unique_name("Line", &mut taken), "Line2");
        assert_eq!(unique_name("Line", &mut taken), "Line4");
        assert!(taken.contains("Address") && taken.contains("Line2") && taken.contains("Line4"));
    }

    #[test]
    fn type_names_are_pascal_case_ascii_and_never_empty() {
        assert_eq!(pascal_case("billing_address"), "BillingAddress");
        assert_eq!(pascal_case("github-events"), "GithubEvents");
        assert_eq!(pascal_case("fromURL"), "FromURL");
        assert_eq!(pascal_case("URL"), "Url");
        assert_eq!(pascal_case("detail-type"), "DetailType");
        assert_eq!(pascal_case("Scheduled Event"), "ScheduledEvent");
        assert_eq!(pascal_case("foo-bar_baz"), "FooBarBaz");
        assert_eq!(pascal_case(""), "Type");
        assert_eq!(pascal_case("💩"), "Type");
        assert_eq!(pascal_case("1st place"), "Type1stPlace");
        assert_eq!(pascal_case("self"), "SelfType");
        assert_eq!(pascal_case("Ünïcode"), "NCode");
    }

    #[test]
    fn variant_names_are_cased_as_char_by_char_casing_does() {
        fn char_by_char(text: &str) -> String {
            let mut out = String::new();
            for word in text.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
                let all_caps = word.len() > 1 && !word.bytes().any(|b| b.is_ascii_lowercase());
                let mut chars = word.chars();
                if let Some(first) = chars.next() {
                    out.push(first.to_ascii_uppercase());
                    if all_caps {
                        out.extend(chars.map(|c| c.to_ascii_lowercase()));
                    } else {
                        out.extend(chars);
                    }
                }
            }
            if out.len() > 1 && !out.bytes().any(|b| b.is_ascii_lowercase()) {
                out[1..].make_ascii_lowercase();
            }
            if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
                out.insert_str(0, "Type");
            }
            out
        }
        let pieces = ["a", "B", "url", "URL", "x1", "9", "é", "💩", "_", "-", " ", "..", "ünï", "ID", "iD"];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let text = format!("{a}{b}{c}");
                    assert_eq!(variant_name(&text), char_by_char(&text), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn type_names_are_stable_under_repetition() {
        for text in
            ["billing_address", "fromURL", "EC2 Instance State-change Notification", "1st", "box", "a.b.c"]
        {
            let once = pascal_case(text);
            assert_eq!(pascal_case(&once), once, "{text}");
        }
    }

    #[test]
    fn module_names_are_snake_case_and_start_with_a_letter() {
        assert_eq!(module_name("aws.events"), "aws_events");
        assert_eq!(module_name("trading"), "trading");
        assert_eq!(module_name("3rd-party"), "m_3rd_party");
    }

    #[test]
    fn field_names_are_snake_case_and_never_keywords() {
        assert_eq!(field_name("holderName"), "holder_name");
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("1stPlace"), "x1st_place");
    }

    #[test]
    fn typescript_keys_are_bare_only_when_identifiers() {
        assert_eq!(typescript_property_key("note"), "note");
        assert_eq!(typescript_property_key("$ref"), "$ref");
        assert_eq!(typescript_property_key("x-request-id"), "\"x-request-id\"");
        assert_eq!(typescript_property_key("1stPlace"), "\"1stPlace\"");
        assert_eq!(typescript_property_key("a\"b\u{2028}"), "\"a\\\"b\\u2028\"");
    }
}
