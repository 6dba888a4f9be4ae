//! Quoting untrusted input in error messages: escaped, so it cannot forge log lines, and
//! bounded in bytes, so it cannot flood them.
//!
//! Whoever can put an event on a bus chooses its detail-type, source and detail; error messages
//! quote them, and error messages end up in log lines and Lambda diagnostics. So every quote
//! escapes control characters (a newline would start a forged log line, a NUL cut one short)
//! and the invisible formatting characters that reorder or hide text (bidirectional overrides,
//! zero-width characters), and is cut at [`QUOTE_LIMIT`] bytes; a whole message is cut at
//! [`MESSAGE_LIMIT`] bytes.

use std::borrow::Cow;
use std::fmt::Write as _;

/// The most bytes of one piece of caller input an error message repeats (after escaping).
pub const QUOTE_LIMIT: usize = 200;

/// The most bytes of an error message that can carry caller input.
pub const MESSAGE_LIMIT: usize = 1024;

/// `text` as an error message may quote it: control and invisible formatting characters
/// escaped (`\n`, `\u{0}`, `\u{202e}`), at most [`QUOTE_LIMIT`] bytes, then how many bytes of
/// the input were left out. A 2 MB detail-type must not become a 4 MB error message.
pub fn capped(text: &str) -> Cow<'_, str> {
    bounded_to(text, QUOTE_LIMIT)
}

/// [`capped`] for anything displayable (an error that quotes its input, such as serde's).
pub fn capped_display(value: &impl std::fmt::Display) -> String {
    capped(&value.to_string()).into_owned()
}

/// A whole message escaped as [`capped`] does and cut at [`MESSAGE_LIMIT`] bytes, the note of
/// what was left out included.
pub fn bounded(message: &str) -> Cow<'_, str> {
    bounded_to(message, MESSAGE_LIMIT)
}

/// The first of `items` (at most `max`, each [`capped`], together within [`QUOTE_LIMIT`]
/// bytes), joined with `, `, then how many were left out.
pub(crate) fn first_items(items: &[String], max: usize) -> String {
    let mut listed = String::new();
    let mut shown = 0;
    for item in items.iter().take(max) {
        let item = capped(item);
        if shown > 0 && listed.len() + item.len() + 2 > QUOTE_LIMIT - 20 {
            break;
        }
        if shown > 0 {
            listed.push_str(", ");
        }
        listed.push_str(&item);
        shown += 1;
    }
    if items.len() > shown {
        let _ = write!(listed, ", … ({} more)", items.len() - shown);
    }
    listed
}

/// Whether `c` must not reach a log line as it is.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}'
        )
}

/// `text` escaped, at most `limit` bytes including the note of what was cut.
fn bounded_to(text: &str, limit: usize) -> Cow<'_, str> {
    if text.len() <= limit && !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    // Room for the note, "… (N more bytes)": at most 37 bytes.
    let room = limit.saturating_sub(40);
    let mut quoted = String::with_capacity(limit.min(text.len() + 16));
    // The last place to cut: the quote's length and the input's byte index there.
    let mut cut = (0, 0);
    for (index, c) in text.char_indices() {
        if quoted.len() <= room {
            cut = (quoted.len(), index);
        }
        match c {
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            '\t' => quoted.push_str("\\t"),
            c if needs_escape(c) => {
                let _ = write!(quoted, "\\u{{{:x}}}", u32::from(c));
            }
            c => quoted.push(c),
        }
        if quoted.len() > limit {
            let (length, at) = cut;
            quoted.truncate(length);
            let _ = write!(quoted, "… ({} more bytes)", text.len() - at);
            return Cow::Owned(quoted);
        }
    }
    Cow::Owned(quoted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_plain_text_is_quoted_whole() {
        assert_eq!(capped("OrganisationCreated"), "OrganisationCreated");
        assert!(matches!(capped("Objekt Créé"), Cow::Borrowed(_)));
        assert_eq!(capped(&"é".repeat(QUOTE_LIMIT / 2)), "é".repeat(QUOTE_LIMIT / 2));
    }

    #[test]
    fn control_and_invisible_characters_are_escaped() {
        assert_eq!(capped("Trade\nINFO forged line"), "Trade\\nINFO forged line");
        assert_eq!(capped("a\0b\r\tc\u{1b}[31m"), "a\\u{0}b\\r\\tc\\u{1b}[31m");
        assert_eq!(capped("x\u{202e}gnp.exe\u{200b}"), "x\\u{202e}gnp.exe\\u{200b}");
    }

    #[test]
    fn long_text_is_cut_in_bytes_on_a_character_boundary() {
        let text = "ž".repeat(2_000_000);
        let quoted = capped(&text);
        assert!(quoted.len() <= QUOTE_LIMIT, "{} bytes", quoted.len());
        assert!(quoted.starts_with("žž"));
        assert!(quoted.ends_with("more bytes)"), "{quoted}");
        let emoji = "🦀".repeat(100);
        assert!(capped(&emoji).len() <= QUOTE_LIMIT);
    }

    #[test]
    fn escaping_counts_against_the_limit() {
        let nuls = "\0".repeat(1_000);
        let quoted = capped(&nuls);
        assert!(quoted.len() <= QUOTE_LIMIT, "{} bytes: {quoted}", quoted.len());
        assert!(!quoted.contains('\0'));
    }

    #[test]
    fn a_message_is_bounded_at_one_kib() {
        let message = format!("no handler for `{}`", "x\n".repeat(5_000));
        let bounded = bounded(&message);
        assert!(bounded.len() <= MESSAGE_LIMIT, "{} bytes", bounded.len());
        assert!(!bounded.contains('\n'));
    }

    #[test]
    fn a_list_names_its_first_items_and_counts_the_rest() {
        let keys: Vec<String> = (0..40).map(|n| format!("Key{n}")).collect();
        assert_eq!(first_items(&keys, 3), "Key0, Key1, Key2, … (37 more)");
        assert_eq!(first_items(&keys[..2], 3), "Key0, Key1");
    }
}
