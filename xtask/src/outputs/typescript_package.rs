//! The `@agri-platform/events` package: one module per source, `events.ts` with the routing
//! types, `index.ts`, and the sample fixture `test/samples.ts` that `tsc` checks.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use schema_emit::preamble::Format;
use schema_emit::typescript::{emit_module, literal, value_literal};
use schema_ident::{module_name, typescript_property_key as property_key};
use serde_json::Value;

use super::{SourceModule, preamble};
use crate::workspace::TYPESCRIPT_PACKAGE_DIR;

/// The pinned TypeScript compiler, installed by `npm ci` in the package (`cargo xtask ci`
/// does it first).
pub fn tsc(root: &std::path::Path) -> std::path::PathBuf {
    root.join(TYPESCRIPT_PACKAGE_DIR).join("node_modules/.bin/tsc")
}

/// Every generated file of the package, by path relative to the workspace root.
pub fn files(modules: &[SourceModule<'_>]) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    for module in modules {
        files.insert(
            format!("{TYPESCRIPT_PACKAGE_DIR}/src/{}.ts", module_name(&module.source)),
            emit_module(&module.namespace, &preamble(Format::Slashes)),
        );
    }
    files.insert(format!("{TYPESCRIPT_PACKAGE_DIR}/src/events.ts"), events_ts(modules));
    files.insert(format!("{TYPESCRIPT_PACKAGE_DIR}/src/index.ts"), index_ts(modules));
    files.insert(format!("{TYPESCRIPT_PACKAGE_DIR}/test/samples.ts"), samples_ts(modules));
    files
}

fn index_ts(modules: &[SourceModule<'_>]) -> String {
    let mut text = preamble(Format::Slashes);
    for module in modules {
        let name = module_name(&module.source);
        let _ = writeln!(text, "export * as {name} from \"./{name}\";");
    }
    text.push_str("export * from \"./events\";\n");
    text
}

fn imports(modules: &[SourceModule<'_>], from: &str) -> String {
    modules
        .iter()
        .map(|m| format!("import type * as {name} from \"{from}{name}\";\n", name = module_name(&m.source)))
        .collect()
}

fn string(text: &str) -> String {
    literal(&Value::String(text.to_owned()))
}

/// `events.ts`: every event by source, then detail-type (EventBridge identifies an event by
/// the pair, so two sources may share a detail-type), and the typed envelope.
fn events_ts(modules: &[SourceModule<'_>]) -> String {
    let mut text = preamble(Format::Slashes);
    text.push_str(&imports(modules, "./"));
    text.push_str("\n/** The EventBridge `source` of each module's events, by module name. */\nexport const Sources = {\n");
    for module in modules {
        let _ =
            writeln!(text, "  {}: {},", property_key(&module_name(&module.source)), string(&module.source));
    }
    text.push_str("} as const;\n\n/** The `source` and `detail-type` of every event, by source, then detail-type. */\nexport const Events = {\n");
    for module in modules {
        let _ = writeln!(text, "  {}: {{", property_key(&module.source));
        for (event, _) in &module.events {
            let detail_type = &event.detail_type;
            let _ = writeln!(
                text,
                "    {}: {{ source: {}, detailType: {} }},",
                property_key(detail_type),
                string(&module.source),
                string(detail_type)
            );
        }
        text.push_str("  },\n");
    }
    text.push_str("} as const;\n\n/** The payload (`detail`) type of every event, by source, then detail-type. */\nexport interface EventDetails {\n");
    for module in modules {
        let _ = writeln!(text, "  {}: {{", property_key(&module.source));
        for ((event, _), type_name) in module.events.iter().zip(&module.namespace.roots) {
            let _ = writeln!(
                text,
                "    {}: {}.{type_name};",
                property_key(&event.detail_type),
                module_name(&module.source)
            );
        }
        text.push_str("  };\n");
    }
    text.push_str(
        "}\n\n/** The `source` of any platform event. */\nexport type Source = keyof EventDetails;\n\n\
         /** The detail-types of the events of `S`. */\n\
         export type DetailType<S extends Source> = keyof EventDetails[S] & string;\n\n\
         /** An event as EventBridge delivers it (to a Lambda function, an SQS queue, ...). */\n\
         export interface EventBridgeEvent<TSource extends string, TDetailType extends string, TDetail> {\n\
         \x20 version: string;\n\
         \x20 /** Unique per event: consumers de-duplicate on it. */\n\
         \x20 id: string;\n\
         \x20 \"detail-type\": TDetailType;\n\
         \x20 source: TSource;\n\
         \x20 /** Omitted by AWS on some delivery paths. */\n\
         \x20 account?: string;\n\
         \x20 /** @format date-time */\n\
         \x20 time: string;\n\
         \x20 region?: string;\n\
         \x20 resources: string[];\n\
         \x20 detail: TDetail;\n\
         }\n\n\
         /** Any platform event: check `source` and `\"detail-type\"` to narrow `detail` to its type. */\n\
         export type PlatformEvent = {\n\
         \x20 [S in Source]: { [D in DetailType<S>]: EventBridgeEvent<S, D, EventDetails[S][D]> }[DetailType<S>];\n\
         }[Source];\n",
    );
    text
}

/// A fixture that assigns every sample, as an object literal, to its type, so `tsc` checks
/// types and excess properties; and wraps each in a typed envelope.
fn samples_ts(modules: &[SourceModule<'_>]) -> String {
    let mut text = preamble(Format::Slashes);
    text.push_str(&imports(modules, "../src/"));
    text.push_str("import type { PlatformEvent } from \"../src/events\";\n");
    let mut envelopes = String::new();
    for module in modules {
        let name = module_name(&module.source);
        for ((event, document), type_name) in module.events.iter().zip(&module.namespace.roots) {
            let samples = document["examples"].as_array().map_or(&[][..], Vec::as_slice);
            for (index, sample) in samples.iter().enumerate() {
                let constant = sample_constant(&name, type_name, index);
                let literal = value_literal(sample, "");
                let _ = write!(text, "\nexport const {constant}: {name}.{type_name} = {literal};\n");
                let _ = writeln!(
                    envelopes,
                    "  {{ version: \"0\", id: \"{constant}\", \"detail-type\": {}, source: {}, time: \"2026-01-01T00:00:00Z\", \
                     resources: [], detail: {constant} }},",
                    string(&event.detail_type),
                    string(&module.source)
                );
            }
        }
    }
    let _ = write!(
        text,
        "\n/** Every sample in its envelope: the source and detail-type select the payload type. */\nexport const events: PlatformEvent[] = [\n{envelopes}];\n"
    );
    text
}

/// The fixture constant holding one sample, e.g. `trading_TradeCreated` for the first sample
/// and `trading_TradeCreated_2` for the second.
pub fn sample_constant(module_name: &str, type_name: &str, index: usize) -> String {
    match index {
        0 => format!("{module_name}_{type_name}"),
        n => format!("{module_name}_{type_name}_{}", n + 1),
    }
}
