//! `events.rs` of the `platform-events` crate: one entry point for every event. A Rust Lambda
//! hands `PlatformEvent::from_eventbridge` what EventBridge delivered and matches on the
//! result, with typed errors that say where a payload breaks its type.

use proc_macro2::{Ident, Span};
use quote::quote;
use schema_emit::Format;
use schema_ident::{module_name, variant_name};

use super::{SourceModule, preamble};

/// One event: its names and the Rust items that hold it.
struct EventItem {
    source: String,
    detail_type: String,
    variant: Ident,
    path: proc_macro2::TokenStream,
}

fn items(modules: &[SourceModule<'_>]) -> Vec<EventItem> {
    let ident = |name: &str| Ident::new(name, Span::call_site());
    let mut items = Vec::new();
    for module in modules {
        let module_ident = ident(&module_name(&module.source));
        for ((event, _), type_name) in module.events.iter().zip(&module.namespace.roots) {
            let type_ident = ident(type_name);
            items.push(EventItem {
                source: module.source.clone(),
                detail_type: event.detail_type.clone(),
                variant: ident(&format!(
                    "{}{}",
                    variant_name(&module.source),
                    variant_name(&event.detail_type)
                )),
                path: quote!(crate::#module_ident::#type_ident),
            });
        }
    }
    items
}

/// The text of `events.rs`.
pub fn events_rs(modules: &[SourceModule<'_>]) -> String {
    let items = items(modules);
    let list = items.iter().map(|e| {
        let (source, detail_type) = (&e.source, &e.detail_type);
        quote! { (#source, #detail_type) }
    });
    let variants = items.iter().map(|e| {
        let (variant, path) = (&e.variant, &e.path);
        let doc = format!(" `{}` / `{}`.", e.source, e.detail_type);
        quote! { #[doc = #doc] #variant(Envelope<#path>) }
    });
    let parse_arms = items.iter().map(|e| {
        let (source, detail_type, variant) = (&e.source, &e.detail_type, &e.variant);
        quote! { (#source, #detail_type) => Self::#variant(envelope.typed(#source, #detail_type)?) }
    });
    let fast_arms = items.iter().map(|e| {
        let (source, detail_type, variant) = (&e.source, &e.detail_type, &e.variant);
        quote! { (#source, #detail_type) => serde_json::from_str(json).map(Self::#variant).ok() }
    });
    let name_arms = items.iter().map(|e| {
        let (source, detail_type, variant) = (&e.source, &e.detail_type, &e.variant);
        quote! { Self::#variant(_) => (#source, #detail_type) }
    });
    let round_trip_arms = items.iter().map(|e| {
        let (source, detail_type, path) = (&e.source, &e.detail_type, &e.path);
        quote! { (#source, #detail_type) => again::<#path>(detail) }
    });
    let file: syn::File = syn::parse_quote! {
        /// Every event: `(source, detail-type)`, sorted.
        pub const EVENTS: &[(&str, &str)] = &[#(#list),*];

        /// An event as EventBridge delivers it, with its `detail` typed.
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct Envelope<T> {
            /// Envelope format version; `"0"` for every EventBridge event.
            pub version: String,
            /// Unique per event: consumers de-duplicate on it.
            pub id: String,
            /// The event's type name.
            #[serde(rename = "detail-type")]
            pub detail_type: String,
            /// The module or AWS service that published the event.
            pub source: String,
            /// The AWS account, when the delivery path gives it.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub account: Option<String>,
            /// When the event was published (RFC 3339).
            pub time: String,
            /// The AWS region, when the delivery path gives it.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub region: Option<String>,
            /// ARNs of the resources the event concerns.
            #[serde(default)]
            pub resources: Vec<String>,
            /// The payload.
            pub detail: T,
        }

        impl Envelope<serde_json::Value> {
            /// The same envelope with `detail` read into `T`, or where it breaks `T`.
            fn typed<T: serde::de::DeserializeOwned>(
                self,
                source: &'static str,
                detail_type: &'static str,
            ) -> Result<Envelope<T>, ParseError> {
                let Envelope { version, id, detail_type: name, source: from, account, time, region, resources, detail } = self;
                let detail = serde_path_to_error::deserialize(detail).map_err(|error| ParseError::Detail {
                    source,
                    detail_type,
                    path: place(error.path()),
                    message: error.inner().to_string(),
                })?;
                Ok(Envelope { version, id, detail_type: name, source: from, account, time, region, resources, detail })
            }
        }

        /// A path as `serde_path_to_error` gives it, empty for the root (not `.`).
        fn place(path: &serde_path_to_error::Path) -> String {
            let text = path.to_string();
            if text == "." { String::new() } else { text }
        }

        /// Any platform event, told apart by its `source` and `detail-type`.
        #[derive(Debug, Clone, PartialEq)]
        pub enum PlatformEvent {
            #(#variants),*
        }

        impl PlatformEvent {
            /// Reads an EventBridge event from its JSON text.
            ///
            /// An event that fits its type is read straight into it: its `source` and
            /// `detail-type` first, then the whole text into that event's type. Only one that
            /// does not is read again through [`PlatformEvent::from_value`], which says where
            /// it breaks; so errors are the same either way, and a valid event costs little
            /// more than `serde_json::from_str` into its type.
            pub fn from_eventbridge(json: &str) -> Result<Self, ParseError> {
                if let Some(event) = Self::read_directly(json) {
                    return Ok(event);
                }
                let value = serde_json::from_str(json).map_err(|error| ParseError::Envelope {
                    path: String::new(),
                    message: error.to_string(),
                })?;
                Self::from_value(value)
            }

            /// The event read straight into its type, or `None` if anything is amiss.
            fn read_directly(json: &str) -> Option<Self> {
                /// The two names that pick the type; everything else is skipped.
                #[derive(serde::Deserialize)]
                struct Names<'a> {
                    #[serde(borrow)]
                    source: std::borrow::Cow<'a, str>,
                    #[serde(rename = "detail-type", borrow)]
                    detail_type: std::borrow::Cow<'a, str>,
                }
                let names: Names<'_> = serde_json::from_str(json).ok()?;
                match (names.source.as_ref(), names.detail_type.as_ref()) {
                    #(#fast_arms,)*
                    _ => None,
                }
            }

            /// Reads an EventBridge event from JSON already parsed (as a Lambda runtime gives it).
            pub fn from_value(value: serde_json::Value) -> Result<Self, ParseError> {
                if !value.is_object() {
                    return Err(ParseError::Envelope {
                        path: String::new(),
                        message: "an EventBridge event is a JSON object".to_owned(),
                    });
                }
                let envelope: Envelope<serde_json::Value> =
                    serde_path_to_error::deserialize(value).map_err(|error| ParseError::Envelope {
                        path: place(error.path()),
                        message: error.inner().to_string(),
                    })?;
                Ok(match (envelope.source.as_str(), envelope.detail_type.as_str()) {
                    #(#parse_arms,)*
                    _ => {
                        return Err(ParseError::UnknownEvent {
                            source: envelope.source,
                            detail_type: envelope.detail_type,
                        });
                    }
                })
            }

            /// `(source, detail-type)` of the event.
            pub fn names(&self) -> (&'static str, &'static str) {
                match self {
                    #(#name_arms,)*
                }
            }

            /// The EventBridge `source`.
            pub fn source(&self) -> &'static str {
                self.names().0
            }

            /// The EventBridge `detail-type`.
            pub fn detail_type(&self) -> &'static str {
                self.names().1
            }
        }

        /// Why an EventBridge event could not be read.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum ParseError {
            /// Not JSON, or not an EventBridge envelope; `path` is where (empty for the root).
            Envelope {
                /// Where in the event, e.g. `time`.
                path: String,
                /// What is wrong there.
                message: String,
            },
            /// A well-formed envelope of an event this crate does not know.
            UnknownEvent {
                /// The event's `source`.
                source: String,
                /// The event's `detail-type`.
                detail_type: String,
            },
            /// The `detail` does not fit its event's type.
            Detail {
                /// The event's `source`.
                source: &'static str,
                /// The event's `detail-type`.
                detail_type: &'static str,
                /// Where in `detail`, e.g. `trade.quantityKg`.
                path: String,
                /// What is wrong there.
                message: String,
            },
        }

        impl std::fmt::Display for ParseError {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    Self::Envelope { path, message } if path.is_empty() => write!(f, "not an EventBridge event: {message}"),
                    Self::Envelope { path, message } => write!(f, "not an EventBridge event: at {path}: {message}"),
                    Self::UnknownEvent { source, detail_type } => {
                        write!(f, "unknown event: source `{source}`, detail-type `{detail_type}`")
                    }
                    Self::Detail { source, detail_type, path, message } => {
                        write!(f, "{source}/{detail_type}: detail at {path}: {message}")
                    }
                }
            }
        }

        impl std::error::Error for ParseError {}

        /// Deserialises `detail` into the payload type of `source`/`detail_type` and serialises
        /// it back, or `None` for an unknown event: proof that a payload fits its generated type.
        pub fn round_trip(
            source: &str,
            detail_type: &str,
            detail: serde_json::Value,
        ) -> Option<Result<serde_json::Value, serde_json::Error>> {
            fn again<T: serde::de::DeserializeOwned + serde::Serialize>(
                detail: serde_json::Value,
            ) -> Result<serde_json::Value, serde_json::Error> {
                serde_json::from_value::<T>(detail).and_then(|value| serde_json::to_value(value))
            }
            Some(match (source, detail_type) {
                #(#round_trip_arms,)*
                _ => return None,
            })
        }
    };
    format!("{}{}", preamble(Format::Slashes), prettyplease::unparse(&file))
}
