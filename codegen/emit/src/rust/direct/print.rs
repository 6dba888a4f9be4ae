//! The text of structs, string enums, untagged enums and newtypes, as typify and the
//! post-passes write them, line by line through [`Text`].

use super::conversions::Impls;
use super::shape::{Field, Presence, Ty, Variant};
use super::text::{MARGIN, Text, attribute, literal};

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

/// A string enum with its variants (identifier, value) and the `impl`s typify writes for it.
pub fn string_enum(name: &str, variants: &[(String, &str)]) -> Text {
    let mut text = Text::default();
    text.line(0, &format!("///`{name}`"));
    text.push(ENUM_DERIVES);
    text.line(0, &format!("pub enum {name} {{"));
    for (ident, value) in variants {
        if ident != value {
            attribute(&mut text, 4, "serde", &[&format!("rename = {}", literal(value))]);
        }
        text.line(4, &format!("{ident},"));
    }
    text.line(0, "}");
    text.impl_header("::std::fmt::Display", name);
    text.push(DISPLAY_HEAD);
    for (ident, value) in variants {
        arm(&mut text, &format!("Self::{ident}"), &format!("f.write_str({})", literal(value)));
    }
    text.push(CLOSE_MATCH_FN_IMPL);
    text.impl_header("::std::str::FromStr", name);
    text.push(FROM_STR_HEAD);
    for (ident, value) in variants {
        arm(&mut text, &literal(value), &format!("Ok(Self::{ident})"));
    }
    text.line(12, "_ => Err(\"invalid value\".into()),");
    text.push(CLOSE_MATCH_FN_IMPL);
    try_from_strings(&mut text, name);
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
            Some(ty) => text.breakable(4, &format!("{}({}),", variant.ident, ty.text())),
        }
    }
    text.line(0, "}");
    if impls.display {
        text.impl_header("::std::fmt::Display", name);
        text.push(UNTAGGED_DISPLAY_HEAD);
        for variant in variants {
            text.breakable(12, &format!("Self::{}(x) => x.fmt(f),", variant.ident));
        }
        text.push(CLOSE_MATCH_FN_IMPL);
    }
    if impls.from_str {
        text.impl_header("::std::str::FromStr", name);
        text.push(UNTAGGED_FROM_STR_HEAD);
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
        text.push(UNTAGGED_FROM_STR_TAIL);
        try_from_strings(&mut text, name);
    }
    for variant in variants {
        let Some(ty) = &variant.ty else { continue };
        let unique = variants.iter().filter(|other| other.ty.as_ref() == Some(ty)).count() == 1;
        if !unique || *ty == Ty::String {
            continue;
        }
        from_impl(&mut text, &ty.text(), name, &format!("Self::{}(value)", variant.ident));
    }
    text
}

/// A newtype over `inner`, with the `impl`s typify writes for it.
pub fn newtype(name: &str, inner: &Ty, impls: Impls) -> Text {
    let ty = inner.text();
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
    from_impl(&mut text, name, &ty, "value.0");
    from_impl(&mut text, &ty, name, "Self(value)");
    if impls.display {
        text.impl_header("::std::fmt::Display", name);
        text.push(NEWTYPE_DISPLAY_BODY);
    }
    if impls.from_str {
        text.impl_header("::std::str::FromStr", name);
        text.breakable(4, &format!("type Err = <{ty} as ::std::str::FromStr>::Err;"));
        text.push(NEWTYPE_FROM_STR_BODY);
        for source in ["&str", "String"] {
            text.impl_header(&format!("::std::convert::TryFrom<{source}>"), name);
            text.breakable(4, &format!("type Error = <{ty} as ::std::str::FromStr>::Err;"));
            text.breakable(
                4,
                &format!("fn try_from(value: {source}) -> ::std::result::Result<Self, Self::Error> {{"),
            );
            text.push("        value.parse()\n    }\n}\n");
        }
    }
    text
}

/// `impl From<source> for target`, its `from` returning `body`.
fn from_impl(text: &mut Text, source: &str, target: &str, body: &str) {
    text.impl_header(&format!("::std::convert::From<{source}>"), target);
    text.conversion_fn(source);
    text.breakable(8, body);
    text.line(4, "}");
    text.line(0, "}");
}

/// `TryFrom<&str>` and `TryFrom<String>` through the type's `FromStr`, as typify writes them
/// for enums.
fn try_from_strings(text: &mut Text, name: &str) {
    for source in ["&str", "::std::string::String"] {
        text.impl_header(&format!("::std::convert::TryFrom<{source}>"), name);
        text.push(&TRY_FROM_BODY.replace("SOURCE", source));
    }
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
