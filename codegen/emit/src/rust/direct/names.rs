//! Identifiers exactly as typify makes them from JSON names (`typify_impl::util::sanitize`,
//! which is private): heck's case conversion of the name with every character that cannot
//! continue an identifier turned into a separator, `x` before a leading character that cannot
//! start one, and `_` after a keyword.

use heck::{ToPascalCase, ToSnakeCase};
use unicode_ident::{is_xid_continue, is_xid_start};

/// Which case an identifier takes.
#[derive(Clone, Copy)]
pub enum Case {
    /// Types and variants.
    Pascal,
    /// Fields.
    Snake,
}

/// typify's identifier for `input`.
pub fn sanitize(input: &str, case: Case) -> String {
    if let Case::Snake = case
        && is_plain_snake(input)
    {
        // What heck gives back unchanged, the common case: spared its allocations.
        return if typify_impl::accept_as_ident(input) { input.to_owned() } else { format!("{input}_") };
    }
    let to_case = |text: &str| match case {
        Case::Pascal => text.to_pascal_case(),
        Case::Snake => text.to_snake_case(),
    };
    let out = match input {
        "+1" => "plus1".to_owned(),
        "-1" => "minus1".to_owned(),
        _ => to_case(&input.replace('\'', "").replace(|c| !is_xid_continue(c), "-")),
    };
    let out = match out.chars().next() {
        None => to_case("x"),
        Some(c) if is_xid_start(c) => out,
        Some(_) => format!("{}{out}", to_case("x")),
    };
    if typify_impl::accept_as_ident(&out) { out } else { format!("{out}_") }
}

/// Lowercase ASCII words of letters and digits, the first starting with a letter, joined by
/// single underscores: a name heck's snake case leaves as it is.
fn is_plain_snake(input: &str) -> bool {
    input.starts_with(|c: char| c.is_ascii_lowercase())
        && input.split('_').all(|word| {
            !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_recased_and_made_identifiers_as_typify_does() {
        assert_eq!(sanitize("type", Case::Snake), "type_");
        assert_eq!(sanitize("org.opencontainers.image.url", Case::Snake), "org_opencontainers_image_url");
        assert_eq!(sanitize("1a", Case::Snake), "x1a");
        assert_eq!(sanitize("", Case::Pascal), "X");
        assert_eq!(sanitize("+1", Case::Pascal), "plus1", "typify keeps its special case lowercase");
        assert_eq!(sanitize("https://api.github.com/x{/y}", Case::Pascal), "HttpsApiGithubComXY");
    }

    #[test]
    fn plain_snake_names_are_what_heck_makes_of_them() {
        for name in ["id", "html_url", "a1", "a_1", "v2_beta3", "x_2_y", "self", "type", "fn", "abc_def_ghi"]
        {
            assert!(is_plain_snake(name), "{name}");
            let through_heck = heck::ToSnakeCase::to_snake_case(name);
            assert_eq!(through_heck, name, "heck keeps {name}");
        }
        for name in ["_id", "id_", "a__b", "A", "aB", "1a", "", "ünï", "a-b"] {
            assert!(!is_plain_snake(name), "{name}");
        }
    }
}
