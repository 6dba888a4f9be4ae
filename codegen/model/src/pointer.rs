//! JSON Pointers (RFC 6901): `~` is written `~0` and `/` is written `~1` inside a segment.
//!
//! Pointers stay `String`s (they are map keys, report text and `serde_json::Value::pointer`
//! arguments everywhere); this module is the one place that knows how a segment is spelled.

use std::borrow::Cow;

/// One segment, escaped: `a/b~c` is `a~1b~0c`.
pub fn escape(segment: &str) -> Cow<'_, str> {
    if !segment.contains(['~', '/']) {
        return Cow::Borrowed(segment);
    }
    let mut out = String::with_capacity(segment.len() + 2);
    for c in segment.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// One segment, unescaped: `a~1b~0c` is `a/b~c` (`~1` first would turn `~01` into `/`).
pub fn unescape(segment: &str) -> Cow<'_, str> {
    if !segment.contains('~') {
        return Cow::Borrowed(segment);
    }
    Cow::Owned(segment.replace("~1", "/").replace("~0", "~"))
}

/// `base` with one more segment, escaped.
pub fn push(base: &str, segment: &str) -> String {
    let segment = escape(segment);
    let mut out = String::with_capacity(base.len() + segment.len() + 1);
    out.push_str(base);
    out.push('/');
    out.push_str(&segment);
    out
}

/// A pointer from its segments, each escaped; `""` (the whole document) for none.
pub fn from_segments<'s>(segments: impl IntoIterator<Item = &'s str>) -> String {
    segments.into_iter().fold(String::new(), |pointer, segment| push(&pointer, segment))
}

/// The last segment, unescaped: `Money` for `/definitions/Money`.
pub fn last_segment(pointer: &str) -> String {
    unescape(pointer.rsplit('/').next().unwrap_or_default()).into_owned()
}

/// The definition a pointer lies inside, unescaped: `Category` for
/// `/definitions/Category/properties/parent`.
pub fn definition_of(pointer: &str) -> Option<String> {
    let rest = pointer.strip_prefix("/definitions/")?;
    Some(unescape(rest.split('/').next().unwrap_or(rest)).into_owned())
}

/// The pointer a local reference's fragment spells (`#/definitions/a%20b` is
/// `/definitions/a b`); `None` for a reference to another document.
pub fn of_reference(reference: &str) -> Option<String> {
    reference.strip_prefix('#').map(percent_decode)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_round_trip_through_escaping() {
        for segment in ["plain", "a/b~c", "~01", "/", "~", ""] {
            assert_eq!(unescape(&escape(segment)), segment);
        }
        assert_eq!(push("/properties", "a/b~c"), "/properties/a~1b~0c");
        assert_eq!(from_segments(["a/b", "0"]), "/a~1b/0");
        assert_eq!(from_segments([]), "");
    }

    #[test]
    fn names_come_back_unescaped() {
        assert_eq!(last_segment("/definitions/a~1b"), "a/b");
        assert_eq!(definition_of("/definitions/a~0b/properties/x").as_deref(), Some("a~b"));
        assert_eq!(definition_of("/properties/x"), None);
    }

    #[test]
    fn reference_fragments_are_percent_decoded() {
        assert_eq!(of_reference("#/definitions/a%20b").as_deref(), Some("/definitions/a b"));
        assert_eq!(of_reference("#").as_deref(), Some(""));
        assert_eq!(of_reference("#/bad%zz").as_deref(), Some("/bad%zz"));
        assert_eq!(of_reference("other.json#/x"), None);
    }
}
