//! The `@agri-platform/events` package: one module of types per source, `events.ts` with the
//! routing types, each event's validator compiled ahead of time ([`validators`]:
//! `validators/<module>/<Type>.js`), `sources/<module>.ts` per source (the subpath export
//! `@agri-platform/events/<module>`: that source's types, validators and parse functions
//! alone), `consume.ts`, `formats.ts` and `runtime.ts` (hand-kept here, copied), `index.ts`
//! (every event), the sample fixture `test/samples.ts` that `tsc` checks, and
//! `test/envelopes.json`, every sample in its EventBridge envelope, for the package's tests.

pub mod validators;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use schema_emit::Format;
use schema_emit::typescript::{emit_module, literal, typed_value};
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
/// beside the package's `tsconfig.json` and a link to its installed dependencies, and so is,
/// for each of `cases`, a copy of the sample fixture `test/samples.ts` after that case's edit
/// (`test/case_<n>.ts`, `n` counting from 1). One program: tsc reads and checks the package and
/// its libraries once, however many cases there are. A copy is a module that nothing imports,
/// so tsc reports an error in it at its own file, and each case gets its own verdict.
pub fn type_check<'f>(
    root: &std::path::Path,
    dir: &std::path::Path,
    files: impl IntoIterator<Item = (&'f String, &'f String)>,
    cases: &[&dyn Fn(&str) -> String],
) -> anyhow::Result<TypeCheck> {
    let package = root.join(TYPESCRIPT_PACKAGE_DIR);
    for (path, text) in files {
        let Some(relative) = path.strip_prefix(&format!("{TYPESCRIPT_PACKAGE_DIR}/")) else { continue };
        let target = dir.join(relative);
        std::fs::create_dir_all(target.parent().unwrap_or(dir))?;
        std::fs::write(target, text)?;
        if relative == FIXTURE {
            for (index, edit) in cases.iter().enumerate() {
                std::fs::write(dir.join(case_file(index)), edit(text))?;
            }
        }
    }
    std::fs::copy(package.join("tsconfig.json"), dir.join("tsconfig.json"))?;
    let modules = dir.join("node_modules");
    if !modules.exists() {
        std::os::unix::fs::symlink(package.join("node_modules"), &modules)?;
    }
    // From `dir`, so tsc names each file by its path there: `test/case_1.ts(3,5): error TS...`.
    let tsc = crate::cmd::Cmd::new(tsc(root)).args(["-p", "."]).dir(dir);
    let output = tsc.output()?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    let check = TypeCheck::read(&text, cases.len());
    let attributed = !check.package.is_empty() || check.cases.iter().any(|errors| !errors.is_empty());
    match output.status.code() {
        Some(0) => Ok(check),
        Some(_) if attributed => Ok(check),
        _ => anyhow::bail!(
            "{tsc} failed ({}) without reporting an error:
{text}{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ),
    }
}

/// The sample fixture, relative to the package folder.
const FIXTURE: &str = "test/samples.ts";

/// The copy of the fixture that case `index` (from 0) edits, relative to the package folder.
fn case_file(index: usize) -> String {
    format!("test/case_{}.ts", index + 1)
}

/// What tsc said of a package and its edited fixtures ([`type_check`]).
#[derive(Debug, Default)]
pub struct TypeCheck {
    /// tsc's errors outside the cases' copies (in the package and its unedited fixture), and
    /// any line of its output that names no file: empty when it accepted them.
    pub package: String,
    /// For each case, in order, tsc's errors in its copy of the fixture: empty when tsc
    /// accepted the edit.
    pub cases: Vec<String>,
}

impl TypeCheck {
    /// Splits tsc's plain output into errors (a line `<file>(<line>,<column>): error ...` and
    /// the indented lines that continue it), each given to the case whose copy it names, or
    /// else to the package.
    fn read(output: &str, cases: usize) -> TypeCheck {
        let files: Vec<String> = (0..cases).map(|index| format!("{}(", case_file(index))).collect();
        let mut check = TypeCheck { package: String::new(), cases: vec![String::new(); cases] };
        let mut current: Option<usize> = None;
        for line in output.lines().filter(|line| !line.trim().is_empty()) {
            if !line.starts_with(char::is_whitespace) {
                current = files.iter().position(|file| line.starts_with(file.as_str()));
            }
            let errors = match current {
                Some(case) => &mut check.cases[case],
                None => &mut check.package,
            };
            errors.push_str(line);
            errors.push('\n');
        }
        check
    }
}

/// Every generated file of the package, by path relative to the workspace root; or a
/// diagnostic per event whose validator could not be compiled.
pub fn files(
    modules: &[SourceModule<'_>],
    compiler: &validators::Compiler,
) -> Result<BTreeMap<String, String>, Vec<schema_emit::Diagnostic>> {
    let mut files = BTreeMap::new();
    files.extend(validator_files(modules, compiler)?);
    for module in modules {
        let name = module_name(&module.source);
        files.insert(
            format!("{TYPESCRIPT_PACKAGE_DIR}/src/{name}.ts"),
            emit_module(&module.namespace, &preamble(Format::Slashes)),
        );
        files.insert(format!("{TYPESCRIPT_PACKAGE_DIR}/src/sources/{name}.ts"), source_ts(module));
    }
    files.insert(format!("{TYPESCRIPT_PACKAGE_DIR}/src/events.ts"), events_ts(modules));
    for (name, text) in [("consume", CONSUME_TS), ("formats", FORMATS_TS), ("runtime", RUNTIME_TS)] {
        files.insert(format!("{TYPESCRIPT_PACKAGE_DIR}/src/{name}.ts"), preamble(Format::Slashes) + text);
    }
    files.insert(format!("{TYPESCRIPT_PACKAGE_DIR}/test/envelopes.json"), envelopes_json(modules));
    files.insert(format!("{TYPESCRIPT_PACKAGE_DIR}/src/index.ts"), index_ts(modules));
    files.insert(format!("{TYPESCRIPT_PACKAGE_DIR}/test/samples.ts"), samples_ts(modules));
    Ok(files)
}

/// `src/validators/<module>/<Type>.js` for every event: ajv's standalone code for its schema.
fn validator_files(
    modules: &[SourceModule<'_>],
    compiler: &validators::Compiler,
) -> Result<BTreeMap<String, String>, Vec<schema_emit::Diagnostic>> {
    let mut paths = Vec::new();
    let mut requests = Vec::new();
    for module in modules {
        for ((event, document), type_name) in module.events.iter().zip(&module.namespace.roots) {
            let file = validator_path(&module_name(&module.source), type_name);
            requests.push(validators::Request {
                label: event.qualified_name(),
                file: file.clone(),
                schema: document,
            });
            paths.push(file);
        }
    }
    let codes = compiler.compile(&requests)?;
    Ok(paths
        .into_iter()
        .zip(codes)
        .map(|(path, code)| {
            (format!("{TYPESCRIPT_PACKAGE_DIR}/src/{path}"), preamble(Format::Slashes) + &code)
        })
        .collect())
}

/// An event's validator module, relative to `src/`: named after its type, unique in its source.
fn validator_path(module_name: &str, type_name: &str) -> String {
    format!("validators/{module_name}/{type_name}.js")
}

/// The hand-kept consumer API, a real TypeScript file in this folder copied into the package.
const CONSUME_TS: &str = include_str!("consume.ts");
/// The format checks the compiled validators call.
const FORMATS_TS: &str = include_str!("formats.ts");
/// The ajv runtime helpers compiled validators may call.
const RUNTIME_TS: &str = include_str!("runtime.ts");

/// The identifier a source module's validators table is imported as in `index.ts`.
fn validators_alias(module_name: &str) -> String {
    format!("{module_name}_validators")
}

/// `index.ts`: every source's types as a namespace, the routing types, the consumer API, and
/// `parseEvent`, `isEvent` and `handlers` over every event's validator.
fn index_ts(modules: &[SourceModule<'_>]) -> String {
    let mut text = preamble(Format::Slashes);
    for module in modules {
        let name = module_name(&module.source);
        // Types only: `export type` loads no module at run time, so an import of the package
        // does not read a file per source.
        let _ = writeln!(text, "export type * as {name} from \"./{name}.js\";");
    }
    text.push_str("export * from \"./events.js\";\nexport * from \"./consume.js\";\n");
    text.push_str("import type { EventDetails } from \"./events.js\";\nimport { guard, parser, router } from \"./consume.js\";\n");
    for module in modules {
        let name = module_name(&module.source);
        let _ = writeln!(
            text,
            "import {{ validators as {} }} from \"./sources/{name}.js\";",
            validators_alias(&name)
        );
    }
    text.push_str("\n/** Every event's validator, compiled ahead of time, by source, then detail-type. */\nexport const validators = {\n");
    for module in modules {
        let _ = writeln!(text, "  ...{},", validators_alias(&module_name(&module.source)));
    }
    text.push_str(
        "};

/**
 * Reads an EventBridge event (as `JSON.parse` or a Lambda runtime gives it): the typed
 * `PlatformEvent`, or every way it breaks the envelope or its event's schema, each with its
 * JSON Pointer. An event of an unknown source and detail-type is reported at `/detail-type`.
 */
export const parseEvent = /* @__PURE__ */ parser<EventDetails>(validators);

/** Whether `json` is a valid event of `source` and `detailType`, narrowing its type. */
export const isEvent = /* @__PURE__ */ guard<EventDetails>(parseEvent);

/**
 * A function that parses an EventBridge event and calls the handler of its source and
 * detail-type, with `event.detail` typed. It rejects with `InvalidEventError` for an event
 * that breaks its contract, and `UnhandledEventError` for one no handler takes.
 */
export const handlers = /* @__PURE__ */ router<EventDetails>(parseEvent);
",
    );
    text
}

/// `sources/<module>.ts`, the subpath export `@agri-platform/events/<module>`: the source's
/// types, its events' validators, `parseEvent`/`isEvent`/`handlers` over them, and a
/// `parse<Type>` per event, so a function handling one event bundles one validator.
fn source_ts(module: &SourceModule<'_>) -> String {
    let name = module_name(&module.source);
    let source = string(&module.source);
    let mut text = preamble(Format::Slashes);
    let _ = writeln!(
        text,
        "// `@agri-platform/events/{name}`: the events of source {source} alone, so a function handling\n\
         // them bundles no other source's validators.\n\
         export type * from \"../{name}.js\";\n\
         import type * as types from \"../{name}.js\";\n\
         import {{ guard, parser, router, type Validator }} from \"../consume.js\";\n\
         export {{ InvalidEventError, UnhandledEventError, type EventError, type ParseResult }} from \"../consume.js\";"
    );
    let events: Vec<_> = module.events.iter().zip(&module.namespace.roots).collect();
    for ((_, _), type_name) in &events {
        let _ = writeln!(
            text,
            "import {{ validate as validate{type_name} }} from \"../{}\";",
            validator_path(&name, type_name)
        );
    }
    let _ = writeln!(
        text,
        "\n/** The payload type of each event of {source}, by source, then detail-type. */\nexport interface EventDetails {{\n  {}: {{",
        property_key(&module.source)
    );
    for ((event, _), type_name) in &events {
        let _ = writeln!(text, "    {}: types.{type_name};", property_key(&event.detail_type));
    }
    let _ = writeln!(
        text,
        "  }};\n}}\n\n/** Each event's validator, compiled ahead of time, by source, then detail-type. */\nexport const validators = {{\n  {}: {{",
        property_key(&module.source)
    );
    for ((event, _), type_name) in &events {
        let _ = writeln!(text, "    {}: validate{type_name} as Validator,", property_key(&event.detail_type));
    }
    text.push_str(
        "  },
};

/** `parseEvent` for this source's events: any other event is reported unknown. */
export const parseEvent = /* @__PURE__ */ parser<EventDetails>(validators);

/** `isEvent` for this source's events. */
export const isEvent = /* @__PURE__ */ guard<EventDetails>(parseEvent);

/** `handlers` for this source's events. */
export const handlers = /* @__PURE__ */ router<EventDetails>(parseEvent);
",
    );
    for ((event, _), type_name) in &events {
        let key = property_key(&module.source);
        let detail = property_key(&event.detail_type);
        let _ = write!(
            text,
            "\n/** `parseEvent` for `{}` alone: a bundle using only this holds only its validator. */\n\
             export const parse{type_name} = /* @__PURE__ */ parser<{{ {key}: {{ {detail}: types.{type_name} }} }}>({{\n\
             \x20 {key}: {{ {detail}: validate{type_name} as Validator }},\n}});\n",
            doc_text(&format!("{}/{}", module.source, event.detail_type)),
        );
    }
    text
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
        .map(|m| {
            format!("import type * as {name} from \"{from}{name}.js\";\n", name = module_name(&m.source))
        })
        .collect()
}

/// `text` safe inside a `/** */` comment.
fn doc_text(text: &str) -> String {
    text.replace("*/", "*\\/").replace('`', "'")
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
    text.push_str("import type { PlatformEvent } from \"../src/events.js\";\n");
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

#[cfg(test)]
mod tests {
    use super::TypeCheck;

    #[test]
    fn each_error_goes_to_the_case_whose_copy_it_names_and_the_rest_to_the_package() {
        let output = "test/case_2.ts(3,5): error TS2322: Type '\"cheque\"' is not assignable to type '\"card\"'.\n\
                      \x20 The expected type comes from property 'kind'.\n\
                      src/zoo.ts(1,1): error TS1005: ';' expected.\n\
                      test/case_12.ts(1,1): error TS2304: Cannot find name 'x'.\n\
                      \n\
                      test/case_1.ts(9,9): error TS2353: Object literal may only specify known properties.\n";
        let check = TypeCheck::read(output, 2);
        assert_eq!(
            check.cases,
            [
                "test/case_1.ts(9,9): error TS2353: Object literal may only specify known properties.\n",
                "test/case_2.ts(3,5): error TS2322: Type '\"cheque\"' is not assignable to type '\"card\"'.\n\
                 \x20 The expected type comes from property 'kind'.\n",
            ]
        );
        assert_eq!(
            check.package,
            "src/zoo.ts(1,1): error TS1005: ';' expected.\ntest/case_12.ts(1,1): error TS2304: Cannot find name 'x'.\n"
        );
    }
}
