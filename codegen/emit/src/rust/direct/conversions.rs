//! The conversions (`Display`, `FromStr`) typify implements for a type, which decide those it
//! writes for an untagged enum or a newtype holding it.

use std::collections::BTreeMap;

use schema_model::Node;
use serde_json::Value;

use super::shape::{Ty, Variant, string_enum};
use super::untagged::untagged;

/// The conversions typify implements for a type, which decide those of an untagged enum
/// holding it.
#[derive(Clone, Copy, Default)]
pub struct Impls {
    /// `Display`.
    pub display: bool,
    /// `FromStr`.
    pub from_str: bool,
    /// Whether any string parses into it (a `String`, or an enum holding one).
    pub any_string: bool,
}

/// The conversions of an untagged enum with `variants`; `None` when a variant holds a type
/// whose conversions are not known here.
pub fn impls_of_variants(
    variants: &[Variant],
    types: &BTreeMap<String, Value>,
    depth: usize,
) -> Option<Impls> {
    let mut all = Impls { display: true, from_str: true, any_string: false };
    for variant in variants {
        let Some(ty) = &variant.ty else {
            all.display = false;
            all.from_str = false;
            continue;
        };
        let own = impls_of(ty, types, depth)?;
        all.display &= own.display;
        all.from_str &= own.from_str;
        all.any_string |= own.any_string;
    }
    all.from_str &= !all.any_string;
    Some(all)
}

/// typify's conversions of `ty`.
pub fn impls_of(ty: &Ty, types: &BTreeMap<String, Value>, depth: usize) -> Option<Impls> {
    let scalar = Impls { display: true, from_str: true, any_string: false };
    Some(match ty {
        Ty::Bool | Ty::I64 | Ty::F64 => scalar,
        Ty::String => Impls { any_string: true, ..scalar },
        Ty::Named(name) => {
            let schema = types.get(name)?;
            if string_enum(schema).is_some() {
                scalar
            } else if Node::new(schema).properties().next().is_some() && schema.get("anyOf").is_none() {
                Impls::default()
            } else if depth < 8 {
                impls_of_variants(&untagged(schema, types)?, types, depth + 1)?
            } else {
                return None;
            }
        }
        _ => Impls::default(),
    })
}
