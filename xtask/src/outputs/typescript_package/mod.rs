//! The `@agri-platform/events` package: one module per source, `events.ts` with the routing
//! types, `schemas.ts` and `consume.ts` for runtime validation and routing, `index.ts`, the
//! sample fixture `test/samples.ts` that `tsc` checks, and `test/envelopes.json`, every sample
//! in its EventBridge envelope, for the package's runtime tests.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use schema_emit::Format;
use schema_emit::typescript::{emit_module, literal, typed_value, value_literal};
use schema_ident::{module_name, typescript_property_key as property_key};
use serde_json::Value;

use super::{SourceModule, preamble};
use crate::workspace::TYPESCRIPT_PACKAGE_DIR;

/// The pinned TypeScript compiler, installed by `npm ci` in the package (`cargo xtask ci`
/// does it first).
pub fn tsc(root: &std::path::Path) -> std::path::PathBuf {
    root.join(TYPESCRIPT_PACKAGE_DIR).join("node_modules/.bin/tsc")
}

/// Type-checks package files with the pinned `tsc -p`, in the scratch folder `dir`: each of
/// `files` (by path relative to the workspace root) under the package folder is written there,
/// `test/samples.ts` after `edit`, beside the package's `tsconfig.json` and a link to its
/// installed dependencies. Returns whether tsc accepted them, and its output.
pub fn type_check<'f>(
    root: &std::path::Path,
    dir: &std::path::Path,
    files: impl IntoIterator<Item = (&'f String, &'f String)>,
    edit: impl Fn(&str) -> String,
) -> anyhow::Result<(bool, String)> {
    let package = root.join(TYPESCRIPT_PACKAGE_DIR);
    for (path, text) in files {
        let Some(relative) = path.strip_prefix(&format!("{TYPESCRIPT_PACKAGE_DIR}/")) else { continue };
        let target = dir.join(relative);
        std::fs::create_dir_all(target.parent().unwrap_or(dir))?;
        let text = if relative == "test/samples.ts" { edit(text) } else { text.clone() };
        std::fs::write(target, text)?;
    }
    std::fs::copy(package.join("tsconfig.json"), dir.join("tsconfig.json"))?;
    let modules = dir.join("node_modules");
    if !modules.exists() {
        std::os::unix::fs::symlink(package.join("node_modules"), &modules)?;
    }
    let output = crate::cmd::Cmd::new(tsc(root)).arg("-p").arg(dir).output()?;
    Ok((output.status.success(), String::from_utf8_lossy(&output.stdout).into_owned()))
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
    files.insert(format!("{TYPESCRIPT_PACKAGE_DIR}/src/schemas.ts"), schemas_ts(modules));
    files.insert(format!("{TYPESCRIPT_PACKAGE_DIR}/src/consume.ts"), preamble(Format::Slashes) + CONSUME_TS);
    files.insert(format!("{TYPESCRIPT_PACKAGE_DIR}/test/envelopes.json"), envelopes_json(modules));
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
    text.push_str("export * from \"./events\";\nexport * from \"./consume\";\n");
    text
}

/// The consumer API, a real TypeScript file in this folder copied into the package.
const CONSUME_TS: &str = include_str!("consume.ts");

/// `schemas.ts`: every event's schema, by source then detail-type, as ajv compiles it (the
/// document's annotations and examples left out).
fn schemas_ts(modules: &[SourceModule<'_>]) -> String {
    let mut schemas = serde_json::Map::new();
    for module in modules {
        let mut by_detail_type = serde_json::Map::new();
        for (event, document) in &module.events {
            let mut schema = crate::json::sorted(document);
            if let Some(object) = schema.as_object_mut() {
                object.retain(|key, _| {
                    !matches!(key.as_str(), "$schema" | "$comment" | "examples") && !key.starts_with("x-")
                });
            }
            by_detail_type.insert(event.detail_type.clone(), schema);
        }
        schemas.insert(module.source.clone(), Value::Object(by_detail_type));
    }
    format!(
        "{}/** Every event's JSON Schema (draft-07), by source, then detail-type. */\nexport const schemas = {} as const;\n",
        preamble(Format::Slashes),
        value_literal(&Value::Object(schemas), "")
    )
}

/// `test/envelopes.json`: every sample of every event in its EventBridge envelope, under
/// `envelopes`.
fn envelopes_json(modules: &[SourceModule<'_>]) -> String {
    let mut envelopes = Vec::new();
    for module in modules {
        for (event, document) in &module.events {
            for (index, sample) in document["examples"].as_array().into_iter().flatten().enumerate() {
                envelopes.push(serde_json::json!({
                    "version": "0",
                    "id": format!("{}-{}", event.qualified_name(), index + 1),
                    "detail-type": event.detail_type,
                    "source": event.source,
                    "account": "123456789012",
                    "time": "2026-01-01T00:00:00Z",
                    "region": "ap-southeast-2",
                    "resources": [],
                    "detail": sample,
                }));
            }
        }
    }
    let file = serde_json::json!({"$comment": preamble(Format::Plain), "envelopes": envelopes});
    crate::json::to_canonical_string(&file)
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
                let typed = typed_value(&module.namespace, &format!("{name}."), type_name, sample, &constant);
                let _ = write!(
                    text,
                    "\n{}export const {constant}: {name}.{type_name} = {};\n",
                    typed.declarations, typed.literal
                );
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
