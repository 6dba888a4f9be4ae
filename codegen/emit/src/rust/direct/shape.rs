//! What an inferred definition becomes in Rust, read from its schema the way typify reads
//! it: a struct, a string enum, an untagged enum (`untagged.rs`), a newtype, or `None` for
//! every shape this printer leaves to typify.

use std::collections::BTreeMap;

use schema_model::{Node, admits_null};
use serde_json::Value;

use super::conversions::{Impls, impls_of, impls_of_variants};
use super::names::{Case, sanitize};
use super::untagged::untagged;

/// A definition this printer writes itself.
pub enum Shape<'a> {
    /// An object with properties.
    Struct(Vec<Field<'a>>),
    /// A string with a list of values, each a variant (identifier, JSON value).
    StringEnum(Vec<(String, &'a str)>),
    /// An untagged enum: one variant per branch of an `anyOf` or type of a `type` list.
    Untagged(Vec<Variant>, Impls),
    /// A newtype over a list, a map or a number (a sample whose top level is not an object).
    Newtype(Ty, Impls),
}

/// A variant of an untagged enum: a newtype over `ty`, or the unit variant `null` is.
pub struct Variant {
    /// The variant's identifier.
    pub ident: String,
    /// What it holds; `None` for `null`.
    pub ty: Option<Ty>,
}

/// One field of a struct, as typify and the post-passes write it.
pub struct Field<'a> {
    /// The Rust identifier (after typify's recasing and the collision pass).
    pub ident: String,
    /// The JSON name, when it differs from `ident`.
    pub rename: Option<&'a str>,
    /// The field's type, after the post-passes' rewrites.
    pub ty: Ty,
    /// How serde reads and writes it.
    pub presence: Presence,
}

/// The serde options a field's presence in the JSON calls for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Required, never `null`.
    Required,
    /// Required and nullable: `Option<T>` that must still be present.
    RequiredNullable,
    /// Optional and not nullable: `Option<T>` skipped when `None`; `default` when typify
    /// wrote it (lists and maps, whose intrinsic default it uses).
    Optional { default: bool },
    /// Optional and nullable: `Option<Option<T>>` through `double_option`.
    OptionalNullable,
}

/// A Rust type, as typify spells it.
#[derive(Clone, PartialEq, Eq)]
pub enum Ty {
    String,
    I64,
    F64,
    Bool,
    Unit,
    Value,
    JsonMap,
    Named(String),
    Vec(Box<Ty>),
    Map(Box<Ty>),
    Option(Box<Ty>),
}

/// How typify spells the paths of the types it uses, up to a generic type's `<`.
const STRING: &str = "::std::string::String";
const VALUE: &str = "::serde_json::Value";
const VEC: &str = "::std::vec::Vec<";
const OPTION: &str = "::std::option::Option<";
const MAP: &str = "::std::collections::BTreeMap<";
const JSON_MAP: &str = "::serde_json::Map<";

impl Ty {
    /// The type's text.
    pub fn write(&self, out: &mut String) {
        match self {
            Ty::String => out.push_str(STRING),
            Ty::I64 => out.push_str("i64"),
            Ty::F64 => out.push_str("f64"),
            Ty::Bool => out.push_str("bool"),
            Ty::Unit => out.push_str("()"),
            Ty::Value => out.push_str(VALUE),
            Ty::Named(name) => out.push_str(name),
            Ty::Vec(inner) => wrap(out, &[VEC], inner),
            Ty::Option(inner) => wrap(out, &[OPTION], inner),
            Ty::Map(inner) => wrap(out, &[MAP, STRING, ", "], inner),
            Ty::JsonMap => [JSON_MAP, STRING, ", ", VALUE, ">"].iter().for_each(|piece| out.push_str(piece)),
        }
    }

    /// The type's text, on its own.
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    /// A generic type's path up to its `<`, and its type arguments' texts.
    pub fn generic(&self) -> Option<(&'static str, Vec<String>)> {
        Some(match self {
            Ty::Vec(inner) => (VEC, vec![inner.text()]),
            Ty::Option(inner) => (OPTION, vec![inner.text()]),
            Ty::Map(values) => (MAP, vec![STRING.to_owned(), values.text()]),
            Ty::JsonMap => (JSON_MAP, vec![STRING.to_owned(), VALUE.to_owned()]),
            _ => return None,
        })
    }
}

/// `open` (a generic path up to its last type argument), `inner`, and the closing `>`.
fn wrap(out: &mut String, open: &[&str], inner: &Ty) {
    open.iter().for_each(|piece| out.push_str(piece));
    inner.write(out);
    out.push('>');
}

/// The keywords an inferred definition or property may carry that this printer understands;
/// any other keyword leaves the definition to typify.
const OBJECT_KEYS: [&str; 6] = ["type", "title", "properties", "required", "$schema", "$comment"];

/// What `schema`, a definition of `types`, becomes; `None` leaves it to typify.
pub fn of<'a>(
    schema: &'a Value,
    types: &BTreeMap<String, Value>,
    is_placeholder: impl Fn(&str) -> bool,
) -> Option<Shape<'a>> {
    let object = schema.as_object()?;
    if object.contains_key("enum") {
        // An enum whose values clash as identifiers holds placeholders: typify's to restore.
        let variants = string_enum(schema)?;
        return (!variants.iter().any(|(_, value)| is_placeholder(value)))
            .then_some(Shape::StringEnum(variants));
    }
    if let Some(variants) = untagged(schema, types) {
        let impls = impls_of_variants(&variants, types, 0)?;
        return Some(Shape::Untagged(variants, impls));
    }
    if let Some(inner) = newtype(schema, types) {
        let impls = impls_of(&inner, types, 0)?;
        return Some(Shape::Newtype(inner, impls));
    }
    let node = Node::new(schema);
    if !object.keys().all(|key| OBJECT_KEYS.contains(&key.as_str()))
        || node.types() != ["object"]
        || node.properties().next().is_none()
    {
        return None;
    }
    fields(schema, types).map(Shape::Struct)
}

pub(super) fn string_enum(schema: &Value) -> Option<Vec<(String, &str)>> {
    let object = schema.as_object()?;
    if !object.keys().all(|key| ["type", "title", "enum", "$schema", "$comment"].contains(&key.as_str()))
        || Node::new(schema).types() != ["string"]
    {
        return None;
    }
    let values = object.get("enum")?.as_array()?;
    let variants: Vec<(String, &str)> = values
        .iter()
        .map(|value| value.as_str().map(|text| (sanitize(text, Case::Pascal), text)))
        .collect::<Option<_>>()?;
    let distinct = super::all_distinct(variants.iter().map(|(ident, _)| ident));
    (distinct && !variants.is_empty()).then_some(variants)
}

fn fields<'a>(schema: &'a Value, types: &BTreeMap<String, Value>) -> Option<Vec<Field<'a>>> {
    let node = Node::new(schema);
    let mut required = node.required();
    required.sort_unstable();
    let mut fields = Vec::new();
    for (json_name, property) in node.properties() {
        let base = base_type(property, types)?;
        let nullable = admits_null(property, types);
        let is_required = required.binary_search(&json_name.as_str()).is_ok();
        let (ty, presence) = match (is_required, nullable, base) {
            (true, false, ty) => (ty, Presence::Required),
            (true, true, ty @ Ty::Option(_)) => (ty, Presence::RequiredNullable),
            (true, true, ty @ (Ty::Value | Ty::Unit)) => (ty, Presence::Required),
            (false, false, ty @ (Ty::Vec(_) | Ty::Map(_) | Ty::JsonMap)) => {
                (Ty::Option(Box::new(ty)), Presence::Optional { default: true })
            }
            (false, false, ty) => (Ty::Option(Box::new(ty)), Presence::Optional { default: false }),
            (false, true, ty @ Ty::Option(_)) => (Ty::Option(Box::new(ty)), Presence::OptionalNullable),
            // (An optional `null`-only property, `()`, is refused by the typify path: left to it.)
            (false, true, ty @ Ty::Value) => {
                (Ty::Option(Box::new(Ty::Option(Box::new(ty)))), Presence::OptionalNullable)
            }
            _ => return None,
        };
        let ident = sanitize(json_name, Case::Snake);
        let rename = (ident != *json_name).then_some(json_name.as_str());
        fields.push(Field { ident, rename, ty, presence });
    }
    resolve_collisions(&mut fields, node.properties().map(|(name, _)| name.as_str()));
    Some(fields)
}

/// How many of `fields` are `Option<Option<T>>` through `double_option`.
pub fn double_options(fields: &[Field<'_>]) -> usize {
    fields.iter().filter(|field| field.presence == Presence::OptionalNullable).count()
}

/// Distinct identifiers for fields that recase to one (`URL` and `url`), numbered by the
/// typify path's own rule; a renumbered field keeps its JSON name.
fn resolve_collisions<'a>(fields: &mut [Field<'a>], json_names: impl Iterator<Item = &'a str>) {
    let idents: Vec<String> = fields.iter().map(|field| field.ident.clone()).collect();
    let renumbered = super::super::postpass::numbered_duplicates(&idents);
    for ((field, json_name), fresh) in fields.iter_mut().zip(json_names).zip(renumbered) {
        if let Some(fresh) = fresh {
            field.rename = Some(json_name);
            field.ident = fresh;
        }
    }
}

/// The type typify gives a property's schema, before presence is applied.
pub(super) fn base_type(schema: &Value, types: &BTreeMap<String, Value>) -> Option<Ty> {
    let object = match schema {
        Value::Bool(true) => return Some(Ty::Value),
        Value::Object(object) => object,
        _ => return None,
    };
    if object.is_empty() {
        return Some(Ty::Value);
    }
    if let Some(reference) = object.get("$ref") {
        let name = reference.as_str()?.strip_prefix("#/definitions/")?;
        return (object.len() == 1 && types.contains_key(name))
            .then(|| Ty::Named(sanitize(name, Case::Pascal)));
    }
    if let Some(branches) = object.get("anyOf") {
        return option_of_branches(object, branches.as_array()?, types);
    }
    let allowed = ["type", "items", "additionalProperties"];
    if !object.keys().all(|key| allowed.contains(&key.as_str())) {
        return None;
    }
    let node = Node::new(schema);
    let types_named = node.types();
    let (nullable, kinds): (Vec<&str>, Vec<&str>) = types_named.iter().partition(|t| **t == "null");
    let ty = match kinds.as_slice() {
        [] if !nullable.is_empty() => return (object.len() == 1).then_some(Ty::Unit),
        ["string"] => Ty::String,
        ["integer"] => Ty::I64,
        ["number"] => Ty::F64,
        ["boolean"] => Ty::Bool,
        ["array"] if !object.contains_key("additionalProperties") => match object.get("items") {
            None => Ty::Vec(Box::new(Ty::Value)),
            Some(items) => Ty::Vec(Box::new(base_type(items, types)?)),
        },
        ["object"] if !object.contains_key("items") => match object.get("additionalProperties") {
            None => Ty::JsonMap,
            // typify spells a map of any JSON values as serde_json's.
            Some(values) => match base_type(values, types)? {
                Ty::Value => Ty::JsonMap,
                ty => Ty::Map(Box::new(ty)),
            },
        },
        _ => return None,
    };
    if !matches!(ty, Ty::Vec(_)) && object.contains_key("items")
        || !matches!(ty, Ty::Map(_) | Ty::JsonMap) && object.contains_key("additionalProperties")
    {
        return None;
    }
    Some(if nullable.is_empty() { ty } else { Ty::Option(Box::new(ty)) })
}

/// `anyOf: [X, {"type": "null"}]` (either order) is `Option<X>`.
fn option_of_branches(
    object: &serde_json::Map<String, Value>,
    branches: &[Value],
    types: &BTreeMap<String, Value>,
) -> Option<Ty> {
    if object.len() != 1 {
        return None;
    }
    let [a, b] = branches else { return None };
    let is_null =
        |s: &Value| s.as_object().is_some_and(|o| o.len() == 1 && o.get("type") == Some(&"null".into()));
    let other = match (is_null(a), is_null(b)) {
        (false, true) => a,
        (true, false) => b,
        _ => return None,
    };
    match base_type(other, types)? {
        Ty::Option(_) | Ty::Unit | Ty::Value => None,
        ty => Some(Ty::Option(Box::new(ty))),
    }
}

/// The type a definition that is neither an object with properties nor an enum wraps, for
/// the kinds whose newtype this printer knows (not `String`, whose newtype typify derives more
/// for, nor `Option` or `Value`).
fn newtype(schema: &Value, types: &BTreeMap<String, Value>) -> Option<Ty> {
    let object = schema.as_object()?;
    if object.contains_key("properties") || object.contains_key("enum") || object.contains_key("anyOf") {
        return None;
    }
    let mut content = object.clone();
    content.remove("title");
    match base_type(&Value::Object(content), types)? {
        ty @ (Ty::I64 | Ty::F64 | Ty::Bool | Ty::Vec(_) | Ty::Map(_) | Ty::JsonMap) => Some(ty),
        _ => None,
    }
}
