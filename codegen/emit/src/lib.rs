//! Code from named schemas: Rust through typify, wrapped so it never surprises, and
//! TypeScript from our own emitter.
//!
//! The input is plain [`SchemaItem`]s (a name, a draft-07 schema, how it was made, and a
//! label for messages), merged into one [`Namespace`] per generated module. Nothing here
//! knows about events, files or processes: the caller decides what a module is (an
//! EventBridge source, a folder of samples) and where the text goes.
//!
//! ```
//! use schema_emit::{Origin, SchemaItem, namespace, rust, typescript};
//! use serde_json::json;
//!
//! let item = SchemaItem {
//!     name: "Order".into(),
//!     schema: json!({"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}),
//!     origin: Origin::Contract,
//!     label: "order.json".into(),
//! };
//! let ns = namespace("orders", &[item]).unwrap();
//! let ts = typescript::emit_module(&ns, "");
//! assert!(ts.contains("export interface Order {\n  id: number;\n}"));
//! let rs = rust::emit_module(&ns, "").unwrap();
//! assert!(rs.code.contains("pub struct Order {"));
//! ```
//!
//! Every naming rule is in [`schema_ident`], shared with inference; every problem is a
//! [`Diagnostic`]; every generated file starts with a [`preamble()`].

#![deny(missing_docs)]

mod diagnostic;
pub mod graph;
mod namespace;
mod parallel;
mod preamble;
pub mod rust;
pub mod typescript;

pub use diagnostic::Diagnostic;
pub use namespace::{Namespace, Origin, SchemaItem, namespace, namespace_of};
pub use preamble::{Format, preamble};
