//! `format`, judged by what generated consumers do with it.
//!
//! Draft-07 treats `format` as an annotation, but typify turns some formats into parsing
//! types: a string with `uuid` becomes `uuid::Uuid`, `date-time` a `chrono::DateTime<Utc>`,
//! and an integer's `uint32` picks `u32`. A consumer that parses rejects values outside
//! its type; other formats (`email`, `uri`, `float`) stay plain strings and numbers and
//! break nothing.

use crate::Kind;
use crate::findings::{Findings, Place};
use crate::view::View;

/// String formats that typify turns into a parsing Rust type.
const PARSED_STRINGS: [(&str, &str); 6] = [
    ("uuid", "uuid::Uuid"),
    ("date", "chrono::NaiveDate"),
    ("date-time", "chrono::DateTime<Utc>"),
    ("ip", "std::net::IpAddr"),
    ("ipv4", "std::net::Ipv4Addr"),
    ("ipv6", "std::net::Ipv6Addr"),
];

/// Integer formats and the Rust type and range typify gives them.
const INTEGER_WIDTHS: [(&str, &str, f64, f64); 10] = [
    ("int8", "i8", i8::MIN as f64, i8::MAX as f64),
    ("uint8", "u8", 0.0, u8::MAX as f64),
    ("int16", "i16", i16::MIN as f64, i16::MAX as f64),
    ("uint16", "u16", 0.0, u16::MAX as f64),
    ("int", "i32", i32::MIN as f64, i32::MAX as f64),
    ("int32", "i32", i32::MIN as f64, i32::MAX as f64),
    ("uint", "u32", 0.0, u32::MAX as f64),
    ("uint32", "u32", 0.0, u32::MAX as f64),
    ("int64", "i64", i64::MIN as f64, i64::MAX as f64),
    ("uint64", "u64", 0.0, u64::MAX as f64),
];

fn format_of<'v>(view: &View<'v>) -> Option<&'v str> {
    view.map.get("format").and_then(|v| v.as_str())
}

fn kind_of(old: Option<&str>, new: Option<&str>) -> Kind {
    match (old, new) {
        (None, _) => Kind::FormatAdded,
        (_, None) => Kind::FormatRemoved,
        _ => Kind::FormatChanged,
    }
}

fn parser(format: Option<&str>) -> Option<&'static str> {
    PARSED_STRINGS.iter().find(|(name, _)| Some(*name) == format).map(|(_, ty)| *ty)
}

/// Whether every string valid for `narrow` is valid for `wide` (an IPv4 address is an IP
/// address; anything is valid for no format).
fn string_format_within(narrow: Option<&str>, wide: Option<&str>) -> bool {
    narrow == wide
        || parser(wide).is_none()
        || (wide == Some("ip") && matches!(narrow, Some("ipv4" | "ipv6")))
}

/// Compares the `format` of two string schemas.
pub(crate) fn compare_string_format(f: &mut Findings, o: &View<'_>, n: &View<'_>, at: &Place) {
    let (old, new) = (format_of(o), format_of(n));
    if old == new || o.values.is_some() || n.values.is_some() {
        return;
    }
    let field = at.field();
    let forward = !string_format_within(new, old);
    let backward = !string_format_within(old, new);
    let mut reasons = Vec::new();
    if let (true, Some(ty)) = (forward, parser(old)) {
        reasons.push(format!(
            "old Rust consumers parse {field} as {ty} (format `{}`) and reject new values that are not",
            old.unwrap_or_default()
        ));
    }
    if let (true, Some(ty)) = (backward, parser(new)) {
        reasons.push(format!(
            "new Rust consumers parse {field} as {ty} (format `{}`) and reject old values that are not",
            new.unwrap_or_default()
        ));
    }
    if reasons.is_empty() {
        reasons.push(format!(
            "the format of {field} is an annotation for generated consumers (they keep a plain string), so \
             nothing they accept changes"
        ));
    }
    f.report_judged(
        kind_of(old, new),
        at,
        old.map(str::to_owned),
        new.map(str::to_owned),
        reasons.join("; "),
        forward,
        backward,
    );
}

/// The integers a schema accepts: its format's range narrowed by explicit bounds.
fn integer_range(view: &View<'_>) -> (f64, f64, Option<&'static str>) {
    let width = INTEGER_WIDTHS.iter().find(|(name, ..)| Some(*name) == format_of(view));
    let (mut low, mut high) = width.map_or((f64::NEG_INFINITY, f64::INFINITY), |(_, _, lo, hi)| (*lo, *hi));
    let number = |key: &str| view.map.get(key).and_then(|v| v.as_f64());
    if let Some(min) = number("minimum") {
        low = low.max(min);
    }
    if let Some(min) = number("exclusiveMinimum") {
        low = low.max(min.floor() + 1.0);
    }
    if let Some(max) = number("maximum") {
        high = high.min(max);
    }
    if let Some(max) = number("exclusiveMaximum") {
        high = high.min(max.ceil() - 1.0);
    }
    (low, high, width.map(|(_, ty, ..)| *ty))
}

/// Compares the `format` of two number schemas: integer widths by the range they allow,
/// other formats as annotations.
pub(crate) fn compare_number_format(f: &mut Findings, o: &View<'_>, n: &View<'_>, at: &Place) {
    let (old, new) = (format_of(o), format_of(n));
    if old == new {
        return;
    }
    let field = at.field();
    let (old_low, old_high, old_ty) = integer_range(o);
    let (new_low, new_high, new_ty) = integer_range(n);
    let forward = old_ty.is_some() && (new_low < old_low || new_high > old_high);
    let backward = new_ty.is_some() && (old_low < new_low || old_high > new_high);
    let mut reasons = Vec::new();
    if forward {
        reasons.push(format!(
            "old Rust consumers hold {field} in {} and reject new values outside {old_low}..={old_high}",
            old_ty.unwrap_or_default()
        ));
    }
    if backward {
        reasons.push(format!(
            "new Rust consumers hold {field} in {} and reject old values outside {new_low}..={new_high}",
            new_ty.unwrap_or_default()
        ));
    }
    if reasons.is_empty() && old_ty.is_none() && new_ty.is_none() {
        reasons.push(format!(
            "the format of {field} is an annotation for generated consumers (the number type stays the same), \
             so nothing they accept changes"
        ));
    } else if reasons.is_empty() {
        reasons.push(format!("{field} accepts the same integers under both formats and bounds"));
    }
    f.report_judged(
        kind_of(old, new),
        at,
        old.map(str::to_owned),
        new.map(str::to_owned),
        reasons.join("; "),
        forward,
        backward,
    );
}
