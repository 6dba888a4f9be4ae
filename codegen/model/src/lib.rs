//! The one reading of a draft-07 JSON Schema that inference, both emitters, the
//! compatibility gate and `xtask` share.
//!
//! Each idea here was once written in every crate that needed it, and the copies drifted
//! (one `null` check knew `const: null`, another did not; one walk edited `const` data). Now
//! there is one of each:
//!
//! - [`pointer`]: JSON Pointers (RFC 6901), built and read segment by segment;
//! - [`Resolve`]: where a local `$ref` leads, in a whole document or in a map of named
//!   definitions, and [`follow`] along a chain of them;
//! - [`admits_null`] and [`is_null_only`]: the nullability rule, every spelling of it;
//! - [`subschemas`] and [`subschemas_mut`]: which keywords hold subschemas, so a walk
//!   never mistakes `enum`, `const`, `default` or `examples` data for a schema;
//! - [`Node`]: a typed read-only view of one schema object;
//! - [`instance`]: which subschemas a pointer into an event reaches, and whether two such
//!   pointers overlap (the gate's change locations and the fields consumers read).
//!
//! ```
//! use schema_model::{Node, admits_null, pointer};
//! use serde_json::json;
//!
//! let doc = json!({
//!     "required": ["id"],
//!     "properties": {"id": {"type": "string"}, "note": {"$ref": "#/definitions/Note"}},
//!     "definitions": {"Note": {"type": ["string", "null"]}}
//! });
//! let node = Node::new(&doc);
//! assert_eq!(node.required(), ["id"]);
//! assert!(admits_null(&doc["properties"]["note"], &doc));
//! assert_eq!(pointer::push("/definitions", "a/b"), "/definitions/a~1b");
//! ```

pub mod instance;
mod node;
mod nullability;
pub mod pointer;
mod reference;
mod subschemas;

pub use node::Node;
pub use nullability::{admits_null, is_null_only};
pub use reference::{RefError, Resolve, follow};
pub use subschemas::{
    Holds, Key, Place, entry_subschemas, for_each_subschema, for_each_subschema_mut, holds, is_annotation,
    is_schema, subschemas, subschemas_mut,
};
