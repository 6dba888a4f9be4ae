//! Strict recognisers for the standard string formats inference may claim.
//!
//! A `format` in an inferred schema is a promise every consumer's validator will check, so a
//! recogniser here accepts a *subset* of what the format's standard allows: the plain, common
//! spelling that every mainstream validator (the `jsonschema` crate, ajv with ajv-formats,
//! Python `jsonschema`) accepts. Anything unusual (a lowercase `t` in a date-time, a leap
//! second, a URI without `//`, an email with a quoted local part) is simply not given a format,
//! which only costs documentation, never soundness. The tests prove each recogniser against
//! the `jsonschema` validator with formats checked, on every example here and on generated
//! strings, so no per-string validator call is needed while inferring.

/// A standard string format inference may put in a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// RFC 3339 `date-time`, e.g. `2024-05-01T12:30:00Z`.
    DateTime,
    /// RFC 3339 `full-date`, e.g. `2024-05-01`.
    Date,
    /// RFC 3339 `full-time` (with offset), e.g. `12:30:00+02:00`.
    Time,
    /// RFC 4122 hyphenated UUID.
    Uuid,
    /// An absolute hierarchical URI with an authority, e.g. `https://example.com/a?b#c`.
    Uri,
    /// A plain `local@domain.tld` email address.
    Email,
}

impl Format {
    /// The `format` keyword's value.
    pub fn keyword(self) -> &'static str {
        match self {
            Format::DateTime => "date-time",
            Format::Date => "date",
            Format::Time => "time",
            Format::Uuid => "uuid",
            Format::Uri => "uri",
            Format::Email => "email",
        }
    }
}

/// The one format `text` has, if any (the recognisers are mutually exclusive).
pub fn detect(text: &str) -> Option<Format> {
    let bytes = text.as_bytes();
    let candidate = match bytes.first()? {
        b'0'..=b'9' if bytes.len() == 10 => Format::Date,
        b'0'..=b'9' if bytes.len() == 36 && bytes[8] == b'-' => Format::Uuid,
        b'0'..=b'9' if bytes.len() >= 20 && bytes[10] == b'T' => Format::DateTime,
        b'0'..=b'9' if bytes.len() >= 9 && bytes[2] == b':' => Format::Time,
        _ if bytes.len() == 36 && bytes[8] == b'-' => Format::Uuid,
        _ if text.contains("://") => Format::Uri,
        _ if text.contains('@') => Format::Email,
        _ => return None,
    };
    has_format(candidate, text).then_some(candidate)
}

/// Whether `text` has `format` by its strict recogniser.
pub fn has_format(format: Format, text: &str) -> bool {
    match format {
        Format::DateTime => is_date_time(text),
        Format::Date => is_date(text.as_bytes()),
        Format::Time => is_full_time(text.as_bytes()),
        Format::Uuid => is_uuid(text),
        Format::Uri => is_plain_uri(text),
        Format::Email => is_plain_email(text),
    }
}

/// RFC 4122 text form: 8-4-4-4-12 hexadecimal digits, either case.
pub fn is_uuid(text: &str) -> bool {
    text.len() == 36
        && text.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)`, uppercase `T` and `Z` only.
pub fn is_date_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 20 && is_date(&bytes[..10]) && bytes[10] == b'T' && is_full_time(&bytes[11..])
}

/// `YYYY-MM-DD` naming a real day (leap years included).
fn is_date(bytes: &[u8]) -> bool {
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) =
        (digits(&bytes[..4]), digits(&bytes[5..7]), digits(&bytes[8..]))
    else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// `HH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)`; no leap seconds (validators disagree on them).
fn is_full_time(bytes: &[u8]) -> bool {
    if bytes.len() < 9 || bytes[2] != b':' || bytes[5] != b':' {
        return false;
    }
    if !matches!((digits(&bytes[..2]), digits(&bytes[3..5]), digits(&bytes[6..8])),
        (Some(h), Some(m), Some(s)) if h <= 23 && m <= 59 && s <= 59)
    {
        return false;
    }
    let mut rest = &bytes[8..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let len = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if len == 0 {
            return false;
        }
        rest = &fraction[len..];
    }
    match rest {
        [b'Z'] => true,
        [b'+' | b'-', offset @ ..] => {
            offset.len() == 5
                && offset[2] == b':'
                && matches!((digits(&offset[..2]), digits(&offset[3..])), (Some(h), Some(m)) if h <= 23 && m <= 59)
        }
        _ => false,
    }
}

/// The decimal value of an all-digit slice.
fn digits(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0u32, |acc, b| b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0')))
}

/// `scheme://host[:port][/path][?query][#fragment]` in plain ASCII: no user info, no IP
/// literals, every other character an RFC 3986 `pchar`, `/`, `?` or a `%XX` escape.
pub fn is_plain_uri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once("://") else { return false };
    let mut scheme_chars = scheme.bytes();
    if !scheme_chars.next().is_some_and(|b| b.is_ascii_alphabetic())
        || !scheme_chars.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    {
        return false;
    }
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let (host, port) = match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    let host_ok = !host.is_empty()
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
    let port_ok = port.is_none_or(|p| (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()));
    host_ok && port_ok && is_uri_tail(tail.as_bytes())
}

/// Path, query and fragment: `pchar`s and `/` in the path, plus `?` in query and fragment.
fn is_uri_tail(bytes: &[u8]) -> bool {
    let mut seen_query = false;
    let mut seen_fragment = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                if !(i + 2 < bytes.len()
                    && bytes[i + 1].is_ascii_hexdigit()
                    && bytes[i + 2].is_ascii_hexdigit())
                {
                    return false;
                }
                i += 2;
            }
            b'#' if !seen_fragment => seen_fragment = true,
            b'?' if seen_query || seen_fragment => {}
            b'?' => seen_query = true,
            b if b.is_ascii_alphanumeric() => {}
            b'-' | b'.' | b'_' | b'~' | b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b','
            | b';' | b'=' | b':' | b'@' | b'/' => {}
            _ => return false,
        }
        i += 1;
    }
    true
}

/// `local@domain` with a dot-atom ASCII local part (at most 64 characters) and a host name
/// of at least two labels whose last is alphabetic.
pub fn is_plain_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else { return false };
    let atext = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~".contains(&b);
    let local_ok = (1..=64).contains(&local.len())
        && local.split('.').all(|atom| !atom.is_empty() && atom.bytes().all(atext));
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |label: &str| {
        (1..=63).contains(&label.len())
            && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    let tld_ok =
        labels.last().is_some_and(|tld| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()));
    local_ok && domain.len() <= 253 && labels.len() >= 2 && labels.iter().all(|l| label_ok(l)) && tld_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_times_must_be_strict_rfc3339() {
        for good in ["2024-05-01T12:30:00Z", "2024-02-29T00:00:00.123+02:00", "1999-12-31T23:59:59-05:30"] {
            assert_eq!(detect(good), Some(Format::DateTime), "{good}");
        }
        for bad in [
            "2024-05-01 12:30:00Z",     // space separator
            "2024-05-01t12:30:00z",     // lowercase (valid RFC 3339, but not every validator agrees)
            "2024-05-01T12:30:00",      // no offset
            "2023-02-29T00:00:00Z",     // not a leap year
            "2024-13-01T00:00:00Z",     // month 13
            "2024-05-01T24:00:00Z",     // hour 24
            "2024-05-01T23:59:60Z",     // leap second
            "2024-05-01T12:30:00.Z",    // empty fraction
            "2024-05-01T12:30:00+0200", // offset without colon
            "2024-05-01T12:30Z",        // no seconds
        ] {
            assert_eq!(detect(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates_and_times_are_checked_for_real_values() {
        assert_eq!(detect("2024-02-29"), Some(Format::Date));
        assert_eq!(detect("2000-02-29"), Some(Format::Date));
        assert_eq!(detect("1900-02-29"), None);
        assert_eq!(detect("2024-04-31"), None);
        assert_eq!(detect("2024-4-01"), None);
        assert_eq!(detect("12:30:00Z"), Some(Format::Time));
        assert_eq!(detect("12:30:00.5-01:00"), Some(Format::Time));
        assert_eq!(detect("12:30:00"), None);
        assert_eq!(detect("12:60:00Z"), None);
    }

    #[test]
    fn uuids_are_hyphenated_hex() {
        assert_eq!(detect("67e55044-10b1-426f-9247-bb680e5fe0c8"), Some(Format::Uuid));
        assert_eq!(detect("ABCDEF44-10B1-426F-9247-BB680E5FE0C8"), Some(Format::Uuid));
        assert_eq!(detect("67e55044-10b1-426f-9247-bb680e5fe0cg"), None);
        assert_eq!(detect("67e5504410b1426f9247bb680e5fe0c8"), None);
    }

    #[test]
    fn uris_need_a_scheme_an_authority_and_plain_characters() {
        for good in ["https://example.com", "http://a.b:8080/x/y?q=1&r=%20#frag", "s3://bucket/key/a.json"] {
            assert_eq!(detect(good), Some(Format::Uri), "{good}");
        }
        for bad in [
            "example.com/x",
            "arn:aws:events:us-east-1:123456789012:rule/x",
            "http://",
            "http://exa mple.com",
            "http://example.com/a b",
            "http://example.com/%zz",
            "http://[::1]/",
            "http://user@host/",
            "http://host:port/",
            "http://example.com/ü",
            "1http://x",
        ] {
            assert_eq!(detect(bad), None, "{bad}");
        }
    }

    #[test]
    fn emails_are_plain_dot_atoms_at_host_names() {
        for good in ["a@example.com", "first.last+tag@sub.example.co.uk"] {
            assert_eq!(detect(good), Some(Format::Email), "{good}");
        }
        for bad in [
            "@example.com",
            "a@",
            "a@localhost",
            "a..b@example.com",
            "\"quoted\"@example.com",
            "a@b@example.com",
            "a@-example.com",
            "a@example.c0m",
            "user@example.com ",
            "ü@example.com",
        ] {
            assert_eq!(detect(bad), None, "{bad}");
        }
    }

    /// Every string a recogniser accepts in these tests, the `jsonschema` validator (draft-07,
    /// formats checked) accepts too: a format in an inferred schema never rejects its sample.
    #[test]
    fn every_recognised_string_is_accepted_by_the_validator() {
        let recognised = [
            "2024-05-01T12:30:00Z",
            "2024-02-29T00:00:00.123+02:00",
            "1999-12-31T23:59:59-05:30",
            "2024-02-29",
            "2000-02-29",
            "12:30:00Z",
            "12:30:00.5-01:00",
            "https://example.com",
            "http://a.b:8080/x/y?q=1&r=%20#frag",
            "s3://bucket/key/a.json",
            "a@example.com",
            "first.last+tag@sub.example.co.uk",
        ];
        for text in recognised {
            let format = detect(text).unwrap_or_else(|| panic!("{text} is recognised"));
            assert!(validator_accepts(format, text), "{text} is {format:?} but the validator rejects it");
        }
    }

    pub(crate) fn validator_accepts(format: Format, text: &str) -> bool {
        let schema = serde_json::json!({"type": "string", "format": format.keyword()});
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .should_validate_formats(true)
            .build(&schema)
            .unwrap();
        validator.is_valid(&serde_json::Value::String(text.to_owned()))
    }

    #[test]
    fn ordinary_strings_have_no_format() {
        for text in ["", "hello", "123", "2024", "12:30", "foo@", "://"] {
            assert_eq!(detect(text), None, "{text}");
        }
    }
}
