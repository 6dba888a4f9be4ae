//! The text of structs and string enums, formatted as prettyplease formats typify's tokens.
//!
//! prettyplease keeps a construct on one line when it fits its margin, and breaks it at
//! its generic arguments, attribute options or match arm bodies otherwise. The printer
//! writes the one-line form and the broken forms of serde attributes and match arms, the
//! ones inferred types need all the time; any other line too long to be sure of sends the
//! item through syn and prettyplease themselves ([`Text::finish`]), so the result is always
//! what they write.

use std::fmt::Write as _;

use super::shape::{Field, Impls, Presence, Ty, Variant};

/// The longest line prettyplease keeps whole (its margin, 89 columns).
const MARGIN: usize = 89;

/// An item's text, and whether some line of it needs prettyplease's own judgement.
#[derive(Default)]
pub struct Text {
    out: String,
    unsure: bool,
}

impl Text {
    fn indent(&mut self, indent: usize) {
        const SPACES: &str = "                                ";
        self.out.push_str(&SPACES[..indent.min(SPACES.len())]);
    }

    fn line(&mut self, indent: usize, text: &str) {
        self.indent(indent);
        self.out.push_str(text);
        self.out.push('\n');
    }

    /// A line with break points: when too long, the item is formatted by prettyplease.
    fn breakable(&mut self, indent: usize, text: &str) {
        self.unsure |= indent + text.len() > MARGIN;
        self.line(indent, text);
    }

    /// `impl {target} for {name} {`, broken before `for` when too long, as prettyplease does.
    fn impl_header(&mut self, target: &str, name: &str) {
        let one_line = format!("impl {target} for {name} {{");
        if one_line.len() <= MARGIN {
            self.line(0, &one_line);
            return;
        }
        let (head, tail) = (format!("impl {target}"), format!("for {name} {{"));
        self.breakable(0, &head);
        self.breakable(0, &tail);
    }

    /// `{head}{ty}{tail}` at `indent`; when too long, broken inside `ty`'s type arguments:
    /// each on a line of its own, four columns in, with a comma.
    fn typed(&mut self, indent: usize, head: &[&str], ty: &Ty, tail: &str) {
        let start = self.out.len();
        self.indent(indent);
        head.iter().for_each(|piece| self.out.push_str(piece));
        ty.write(&mut self.out);
        self.out.push_str(tail);
        if self.out.len() - start <= MARGIN || !ty.is_generic() {
            self.out.push('\n');
            return;
        }
        const STRING: &str = "::std::string::String";
        let (open, arguments) = match ty {
            Ty::Vec(inner) => ("::std::vec::Vec<", vec![type_text(inner)]),
            Ty::Option(inner) => ("::std::option::Option<", vec![type_text(inner)]),
            Ty::Map(values) => ("::std::collections::BTreeMap<", vec![STRING.to_owned(), type_text(values)]),
            Ty::JsonMap => ("::serde_json::Map<", vec![STRING.to_owned(), "::serde_json::Value".to_owned()]),
            _ => {
                self.out.push('\n');
                self.unsure = true;
                return;
            }
        };
        self.out.truncate(start);
        self.line(indent, &format!("{}{open}", head.concat()));
        for mut argument in arguments {
            argument.push(',');
            self.breakable(indent + 4, &argument);
        }
        self.line(indent, &format!(">{tail}"));
    }

    /// `fn from(value: {ty}) -> Self {` at the depth of an `impl`'s method, its parameter on a
    /// line of its own when too long.
    fn conversion_fn(&mut self, ty: &str) {
        let one_line = format!("fn from(value: {ty}) -> Self {{");
        if 4 + one_line.len() <= MARGIN {
            self.line(4, &one_line);
            return;
        }
        self.line(4, "fn from(");
        self.breakable(8, &format!("value: {ty},"));
        self.line(4, ") -> Self {");
    }

    /// The formatted text; `None` when prettyplease was needed and could not read it (a bug
    /// of this printer, left to the typify path).
    pub fn finish(self) -> Option<String> {
        if !self.unsure {
            // Items are held until the module is assembled: without their growth slack.
            let mut out = self.out;
            out.shrink_to_fit();
            return Some(out);
        }
        let file = syn::parse_file(&self.out).ok()?;
        Some(prettyplease::unparse(&file))
    }
}

/// A struct with `fields`, and its derives.
pub fn structure(name: &str, fields: &[Field<'_>]) -> Text {
    let mut text = Text::default();
    text.line(0, &format!("///`{name}`"));
    let all_optional =
        fields.iter().all(|f| !matches!(f.presence, Presence::Required | Presence::RequiredNullable));
    text.line(
        0,
        if all_optional {
            "#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]"
        } else {
            "#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]"
        },
    );
    text.line(0, &format!("pub struct {name} {{"));
    for field in fields {
        field_lines(&mut text, field);
    }
    text.line(0, "}");
    text
}

fn field_lines(text: &mut Text, field: &Field<'_>) {
    const IS_NONE: &str = "skip_serializing_if = \"::std::option::Option::is_none\"";
    let rename = field.rename.map(|json| format!("rename = {}", literal(json)));
    let presence: &[&str] = match field.presence {
        Presence::Required => &[],
        Presence::RequiredNullable => &["deserialize_with = \"::std::option::Option::deserialize\""],
        Presence::Optional { default: false } => &[IS_NONE],
        Presence::Optional { default: true } => &["default", IS_NONE],
        Presence::OptionalNullable => {
            text.line(4, "///");
            &[IS_NONE, "default", "with = \"double_option\""]
        }
    };
    let mut options: Vec<&str> = Vec::with_capacity(4);
    options.extend(rename.as_deref());
    options.extend(presence);
    attribute(text, 4, "serde", &options);
    text.typed(4, &["pub ", &field.ident, ": "], &field.ty, ",");
}

/// `#[name(options)]` at `indent`, one option per line when it does not fit; nothing when
/// there are no options.
fn attribute(text: &mut Text, indent: usize, name: &str, options: &[&str]) {
    if options.is_empty() {
        return;
    }
    let length = name.len() + 5 + options.iter().map(|o| o.len() + 2).sum::<usize>() - 2;
    if indent + length <= MARGIN {
        text.indent(indent);
        for piece in ["#[", name, "("] {
            text.out.push_str(piece);
        }
        for (at, option) in options.iter().enumerate() {
            if at > 0 {
                text.out.push_str(", ");
            }
            text.out.push_str(option);
        }
        text.out.push_str(")]\n");
        return;
    }
    text.line(indent, &format!("#[{name}("));
    for (at, option) in options.iter().enumerate() {
        let comma = if at + 1 < options.len() { "," } else { "" };
        text.line(indent + 4, &format!("{option}{comma}"));
    }
    text.line(indent, ")]");
}

/// A string enum with its variants (identifier, value) and the `impl`s typify writes for it.
pub fn string_enum(name: &str, variants: &[(String, &str)]) -> Text {
    let mut text = Text::default();
    text.line(0, &format!("///`{name}`"));
    text.out.push_str(ENUM_DERIVES);
    text.line(0, &format!("pub enum {name} {{"));
    for (ident, value) in variants {
        if ident != value {
            attribute(&mut text, 4, "serde", &[&format!("rename = {}", literal(value))]);
        }
        text.line(4, &format!("{ident},"));
    }
    text.line(0, "}");
    text.impl_header("::std::fmt::Display", name);
    text.out.push_str(DISPLAY_HEAD);
    for (ident, value) in variants {
        arm(&mut text, &format!("Self::{ident}"), &format!("f.write_str({})", literal(value)));
    }
    text.out.push_str(CLOSE_MATCH_FN_IMPL);
    text.impl_header("::std::str::FromStr", name);
    text.out.push_str(FROM_STR_HEAD);
    for (ident, value) in variants {
        arm(&mut text, &literal(value), &format!("Ok(Self::{ident})"));
    }
    text.line(12, "_ => Err(\"invalid value\".into()),");
    text.out.push_str(CLOSE_MATCH_FN_IMPL);
    for source in ["&str", "::std::string::String"] {
        text.impl_header(&format!("::std::convert::TryFrom<{source}>"), name);
        let _ = write!(text.out, "{}", TRY_FROM_BODY.replace("SOURCE", source));
    }
    text
}

/// An untagged enum with its `variants` and the `impl`s typify writes for it: `Display` and
/// `FromStr` when every variant has them, and `From` each variant's type that no other
/// variant holds (but `String`, whose conversions typify keeps for itself).
pub fn untagged(name: &str, variants: &[Variant], impls: Impls) -> Text {
    let mut text = Text::default();
    text.line(0, &format!("///`{name}`"));
    text.line(0, "#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]");
    text.line(0, "#[serde(untagged)]");
    text.line(0, &format!("pub enum {name} {{"));
    for variant in variants {
        match &variant.ty {
            None => text.line(4, &format!("{},", variant.ident)),
            Some(ty) => text.breakable(4, &format!("{}({}),", variant.ident, type_text(ty))),
        }
    }
    text.line(0, "}");
    if impls.display {
        text.impl_header("::std::fmt::Display", name);
        text.out.push_str(UNTAGGED_DISPLAY_HEAD);
        for variant in variants {
            text.breakable(12, &format!("Self::{}(x) => x.fmt(f),", variant.ident));
        }
        text.out.push_str(CLOSE_MATCH_FN_IMPL);
    }
    if impls.from_str {
        text.impl_header("::std::str::FromStr", name);
        text.out.push_str(UNTAGGED_FROM_STR_HEAD);
        for (at, variant) in variants.iter().enumerate() {
            text.line(
                8,
                if at == 0 {
                    "if let Ok(v) = value.parse() {"
                } else {
                    "} else if let Ok(v) = value.parse() {"
                },
            );
            text.breakable(12, &format!("Ok(Self::{}(v))", variant.ident));
        }
        text.out.push_str(UNTAGGED_FROM_STR_TAIL);
        for source in ["&str", "::std::string::String"] {
            text.impl_header(&format!("::std::convert::TryFrom<{source}>"), name);
            let _ = write!(text.out, "{}", TRY_FROM_BODY.replace("SOURCE", source));
        }
    }
    for variant in variants {
        let Some(ty) = &variant.ty else { continue };
        let unique = variants.iter().filter(|other| other.ty.as_ref() == Some(ty)).count() == 1;
        if !unique || *ty == Ty::String {
            continue;
        }
        let ty = type_text(ty);
        text.impl_header(&format!("::std::convert::From<{ty}>"), name);
        text.conversion_fn(&ty);
        text.breakable(8, &format!("Self::{}(value)", variant.ident));
        text.line(4, "}");
        text.line(0, "}");
    }
    text
}

/// A newtype over `inner`, with the `impl`s typify writes for it.
pub fn newtype(name: &str, inner: &Ty, impls: Impls) -> Text {
    let ty = type_text(inner);
    let mut text = Text::default();
    text.line(0, &format!("///`{name}`"));
    text.line(0, "#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]");
    text.line(0, "#[serde(transparent)]");
    text.breakable(0, &format!("pub struct {name}(pub {ty});"));
    text.impl_header("::std::ops::Deref", name);
    text.breakable(4, &format!("type Target = {ty};"));
    text.breakable(4, &format!("fn deref(&self) -> &{ty} {{"));
    text.line(8, "&self.0");
    text.line(4, "}");
    text.line(0, "}");
    text.impl_header(&format!("::std::convert::From<{name}>"), &ty);
    text.conversion_fn(name);
    text.line(8, "value.0");
    text.line(4, "}");
    text.line(0, "}");
    text.impl_header(&format!("::std::convert::From<{ty}>"), name);
    text.conversion_fn(&ty);
    text.line(8, "Self(value)");
    text.line(4, "}");
    text.line(0, "}");
    if impls.display {
        text.impl_header("::std::fmt::Display", name);
        text.out.push_str(NEWTYPE_DISPLAY_BODY);
    }
    if impls.from_str {
        text.impl_header("::std::str::FromStr", name);
        text.breakable(4, &format!("type Err = <{ty} as ::std::str::FromStr>::Err;"));
        text.out.push_str(NEWTYPE_FROM_STR_BODY);
        for source in ["&str", "String"] {
            text.impl_header(&format!("::std::convert::TryFrom<{source}>"), name);
            text.breakable(4, &format!("type Error = <{ty} as ::std::str::FromStr>::Err;"));
            text.breakable(
                4,
                &format!("fn try_from(value: {source}) -> ::std::result::Result<Self, Self::Error> {{"),
            );
            text.out.push_str("        value.parse()\n    }\n}\n");
        }
    }
    text
}

const NEWTYPE_DISPLAY_BODY: &str =
    "    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        self.0.fmt(f)
    }
}
";

const NEWTYPE_FROM_STR_BODY: &str = "    fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
        Ok(Self(value.parse()?))
    }
}
";

fn type_text(ty: &Ty) -> String {
    let mut out = String::new();
    ty.write(&mut out);
    out
}

const UNTAGGED_DISPLAY_HEAD: &str =
    "    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        match self {
";

const UNTAGGED_FROM_STR_HEAD: &str = "    type Err = self::error::ConversionError;
    fn from_str(
        value: &str,
    ) -> ::std::result::Result<Self, self::error::ConversionError> {
";

const UNTAGGED_FROM_STR_TAIL: &str = "        } else {
            Err(\"string conversion failed for all variants\".into())
        }
    }
}
";

/// A match arm at the depth of an `impl`'s method: on one line, or its body in a block.
fn arm(text: &mut Text, pattern: &str, body: &str) {
    let one_line = format!("{pattern} => {body},");
    // prettyplease does not count an arm's trailing comma against its margin.
    if 12 + one_line.len() <= MARGIN + 1 {
        text.line(12, &one_line);
        return;
    }
    text.line(12, &format!("{pattern} => {{"));
    text.breakable(16, body);
    text.line(12, "}");
}

const ENUM_DERIVES: &str = "#[derive(
    ::serde::Deserialize,
    ::serde::Serialize,
    Clone,
    Copy,
    Debug,
    Eq,
    Hash,
    Ord,
    PartialEq,
    PartialOrd
)]
";

const DISPLAY_HEAD: &str = "    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        match *self {
";

const FROM_STR_HEAD: &str = "    type Err = self::error::ConversionError;
    fn from_str(
        value: &str,
    ) -> ::std::result::Result<Self, self::error::ConversionError> {
        match value {
";

const CLOSE_MATCH_FN_IMPL: &str = "        }
    }
}
";

const TRY_FROM_BODY: &str = "    type Error = self::error::ConversionError;
    fn try_from(
        value: SOURCE,
    ) -> ::std::result::Result<Self, self::error::ConversionError> {
        value.parse()
    }
}
";

/// A Rust string literal of `value`, escaped as proc-macro2 escapes it (so as typify's
/// tokens print).
pub fn literal(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\0' if chars.as_str().starts_with(|next: char| ('0'..='7').contains(&next)) => {
                out.push_str("\\x00")
            }
            '\0' => out.push_str("\\0"),
            '\'' => out.push('\''),
            _ => out.extend(c.escape_debug()),
        }
    }
    out.push('"');
    out
}

/// The error module typify ends every module with.
pub const ERROR_MODULE: &str = "/// Error types.
pub mod error {
    /// Error from a `TryFrom` or `FromStr` implementation.
    pub struct ConversionError(::std::borrow::Cow<'static, str>);
    impl ::std::error::Error for ConversionError {}
    impl ::std::fmt::Display for ConversionError {
        fn fmt(
            &self,
            f: &mut ::std::fmt::Formatter<'_>,
        ) -> Result<(), ::std::fmt::Error> {
            ::std::fmt::Display::fmt(&self.0, f)
        }
    }
    impl ::std::fmt::Debug for ConversionError {
        fn fmt(
            &self,
            f: &mut ::std::fmt::Formatter<'_>,
        ) -> Result<(), ::std::fmt::Error> {
            ::std::fmt::Debug::fmt(&self.0, f)
        }
    }
    impl From<&'static str> for ConversionError {
        fn from(value: &'static str) -> Self {
            Self(value.into())
        }
    }
    impl From<String> for ConversionError {
        fn from(value: String) -> Self {
            Self(value.into())
        }
    }
}
";
