//! JSON Pointers (RFC 6901): building them segment by segment and resolving local `$ref`s.

use serde_json::Value;

/// `base` with one more segment, escaped (`~` as `~0`, `/` as `~1`).
pub(crate) fn push(base: &str, segment: &str) -> String {
    let mut out = String::with_capacity(base.len() + segment.len() + 1);
    out.push_str(base);
    out.push('/');
    for c in segment.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

/// The value a local reference (`#`, `#/definitions/Money`) points at, with its pointer.
/// `None` when the reference is local but leads nowhere.
pub(crate) fn resolve<'a>(root: &'a Value, reference: &str) -> Option<(&'a Value, String)> {
    let fragment = reference.strip_prefix('#')?;
    let pointer = percent_decode(fragment);
    if pointer.is_empty() {
        return Some((root, String::new()));
    }
    root.pointer(&pointer).map(|value| (value, pointer))
}

/// Undoes URI percent-encoding in a fragment (`%25` is `%`); other text passes unchanged.
fn percent_decode(fragment: &str) -> String {
    if !fragment.contains('%') {
        return fragment.to_owned();
    }
    let bytes = fragment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The last segment of a pointer, unescaped: the definition name of `#/definitions/Money`.
pub(crate) fn last_segment(pointer: &str) -> String {
    pointer.rsplit('/').next().unwrap_or_default().replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn segments_are_escaped() {
        assert_eq!(push("/properties", "a/b~c"), "/properties/a~1b~0c");
    }

    #[test]
    fn local_references_resolve_to_value_and_pointer() {
        let root = json!({"definitions": {"Money": {"type": "object"}, "a b": {"type": "string"}}});
        assert_eq!(resolve(&root, "#/definitions/Money").unwrap().1, "/definitions/Money");
        assert_eq!(resolve(&root, "#/definitions/a%20b").unwrap().0, &json!({"type": "string"}));
        assert_eq!(resolve(&root, "#").unwrap().1, "");
        assert!(resolve(&root, "#/definitions/Nope").is_none());
        assert!(resolve(&root, "other.json#/x").is_none());
    }

    #[test]
    fn last_segment_is_unescaped() {
        assert_eq!(last_segment("/definitions/a~1b"), "a/b");
    }
}
