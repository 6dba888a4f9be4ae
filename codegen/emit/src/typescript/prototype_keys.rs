//! Optional properties named like members of `Object.prototype` (`constructor`,
//! `hasOwnProperty`, ...).
//!
//! When such a key is absent from a JSON object, JavaScript still finds the inherited member,
//! and TypeScript checks an object literal's inherited `constructor: Function` against the
//! property's type: `{ a: 1 }` is not assignable to `{ constructor?: number }`. So the
//! property's type also admits the inherited member (`number | Object["constructor"]`), which
//! is what reading it really gives.

/// The members every object inherits from `Object.prototype`.
const PROTOTYPE_MEMBERS: &[&str] = &[
    "constructor",
    "hasOwnProperty",
    "isPrototypeOf",
    "propertyIsEnumerable",
    "toLocaleString",
    "toString",
    "valueOf",
];

/// The type of an optional property `name` whose schema gave `expr` (at `indent`).
pub(super) fn optional_type(name: &str, expr: String, indent: &str) -> String {
    if !PROTOTYPE_MEMBERS.contains(&name) {
        return expr;
    }
    let inherited = format!("Object[\"{name}\"]");
    if expr.starts_with('\n') {
        format!("{expr}\n{indent}  | {inherited}")
    } else {
        format!("{expr} | {inherited}")
    }
}
