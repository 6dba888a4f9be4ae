// Validates an AsyncAPI document for `cargo xtask ci`, with two independent checks:
// 1. the AsyncAPI initiative's own parser (@asyncapi/parser, pinned in package-lock.json):
//    the spec's JSON Schema, its Spectral rules, $ref resolution, every payload schema in
//    its declared schemaFormat;
// 2. ajv (draft-07, formats checked): every message example validates against its payload
//    schema, which the parser does not check for JSON Schema payloads.
// Prints one line per problem ("error|warning|info|hint <path>: <message>") and a summary
// line ("<file>: ..."); exits 1 if there is any error. Given several files, does so for each
// in turn (the parser loads once: most of a run on a small document), the summary line ending
// each file's part, and exits 1 if any of them has an error.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Parser } from "@asyncapi/parser";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import yaml from "js-yaml";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node validate.mjs ASYNCAPI.yaml...");
  process.exit(2);
}
const severities = ["error", "warning", "info", "hint"];
let failed = false;
for (const file of files) {
  if (!(await validate(file))) failed = true;
}
process.exit(failed ? 1 : 0);

/** Validates one document, printing its problems and its summary; whether it passes. */
async function validate(file) {
  const text = readFileSync(file, "utf8");
  const { document, diagnostics } = await new Parser().parse(text, { source: resolve(file) });
  for (const d of diagnostics) {
    const where = d.path && d.path.length ? "/" + d.path.join("/") : "/";
    console.log(`${severities[d.severity] ?? d.severity} ${where}: ${d.message} [${d.code}]`);
  }
  let errors = diagnostics.filter((d) => d.severity === 0).length;
  const warnings = diagnostics.filter((d) => d.severity === 1).length;

  // Examples against payloads. The document is read with the JSON schema of js-yaml (no
  // YAML 1.1 timestamps), and compiled whole, so payload `$ref`s resolve where they point.
  let examples = 0;
  if (document) {
    const raw = yaml.load(text, { schema: yaml.JSON_SCHEMA });
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    // The integer widths schemars writes, checked as the generated Rust would.
    const widths = { uint8: [0, 255], uint16: [0, 65535], uint32: [0, 2 ** 32 - 1], uint64: [0, 2 ** 64], uint: [0, 2 ** 64],
      int8: [-128, 127], int16: [-32768, 32767], int32: [-(2 ** 31), 2 ** 31 - 1], int64: [-(2 ** 63), 2 ** 63], int: [-(2 ** 63), 2 ** 63] };
    for (const [name, [min, max]] of Object.entries(widths)) {
      ajv.addFormat(name, { type: "number", validate: (n) => Number.isInteger(n) && n >= min && n <= max });
    }
    for (const name of ["float", "double"]) ajv.addFormat(name, { type: "number", validate: () => true });
    ajv.addSchema(raw, "asyncapi");
    for (const [id, message] of Object.entries(raw.components?.messages ?? {})) {
      const validate = ajv.getSchema(`asyncapi#/components/messages/${id}/payload/schema`);
      (message.examples ?? []).forEach((example, index) => {
        examples += 1;
        if (!validate(example.payload)) {
          errors += 1;
          for (const e of validate.errors) {
            console.log(`error /components/messages/${id}/examples/${index}/payload${e.instancePath}: ${e.message} [example-matches-payload]`);
          }
        }
      });
    }
  }
  const summary = document
    ? `AsyncAPI ${document.version()}, ${document.channels().length} channel(s), ${document.operations().length} operation(s), ${examples} example(s)`
    : "not parsed";
  console.log(`${file}: ${summary}; ${errors} error(s), ${warnings} warning(s)`);
  return errors === 0 && Boolean(document);
}
