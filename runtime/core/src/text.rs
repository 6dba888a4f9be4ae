//! Quoting input in error messages without echoing all of it.

use std::borrow::Cow;

/// The most characters of caller input an error message repeats.
pub const QUOTE_LIMIT: usize = 200;

/// `text` as an error message may quote it: unchanged up to [`QUOTE_LIMIT`] characters, else
/// its first [`QUOTE_LIMIT`] characters and how many more there were. A 2 MB detail-type must
/// not become a 4 MB error message.
pub fn capped(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(QUOTE_LIMIT) {
        None => Cow::Borrowed(text),
        Some((end, _)) => {
            let more = text[end..].chars().count();
            Cow::Owned(format!("{}… ({more} more characters)", &text[..end]))
        }
    }
}

/// [`capped`] for anything displayable (an error that quotes its input, such as serde's).
pub fn capped_display(value: &impl std::fmt::Display) -> String {
    capped(&value.to_string()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_quoted_whole() {
        assert_eq!(capped("OrganisationCreated"), "OrganisationCreated");
        assert_eq!(capped(&"é".repeat(QUOTE_LIMIT)).chars().count(), QUOTE_LIMIT);
    }

    #[test]
    fn long_text_is_cut_at_the_limit_on_a_character_boundary() {
        let text = "ž".repeat(2_000_000);
        let quoted = capped(&text);
        assert!(quoted.starts_with(&"ž".repeat(QUOTE_LIMIT)));
        assert!(quoted.ends_with("… (1999800 more characters)"), "{quoted}");
        assert!(quoted.len() < 500);
    }
}
