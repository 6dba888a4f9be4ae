// Compiles event schemas into standalone validator code, ahead of time, for `cargo xtask schemas`.
//
// Why a script: ajv's standalone code generation (`ajv/dist/standalone`) is the well-kept way
// to turn a JSON Schema into JavaScript, and it runs in Node. The generator starts this
// script once for every event whose validator is not in its cache:
//
//   stdin:  {"events": [{"name": "trading.TradeCreated", "schema": {...}}, ...]}
//   stdout: {"validators": [{"name": "trading.TradeCreated", "code": "..."}, ...],
//            "errors": [{"name": "...", "message": "..."}]}
//
// Each validator is an ES module exporting `validate` (ajv's validate function: `errors` on
// failure, each with its `instancePath` JSON Pointer and `message`), compiled by its own Ajv
// instance, so one event's code never depends on which events were compiled before it: the
// output is a function of the schema, these options and ajv's version alone (the generator
// keys its cache on exactly those).
//
// Formats are referenced, never inlined: the code reads `formats["date-time"]` from the
// package's `formats.ts`, so the checks live in one reviewed place. The few ajv runtime
// helpers the code may need are mapped to the package's own `runtime.ts`; anything else is
// an error naming the event, so the package never needs ajv at run time.
"use strict";

const Ajv = require("ajv").default;
const standaloneCode = require("ajv/dist/standalone").default;
const { _ } = require("ajv");
// ajv's own walker (a dependency of ajv, pinned with it): it alone knows which keywords hold
// subschemas, so a property named `description` is never taken for an annotation.
const traverse = require("json-schema-traverse");

/**
 * The formats the package's `formats.ts` implements, with the JSON type each applies to (ajv
 * compiles the type check around the format's check). A test of the package proves the two
 * lists agree.
 */
const FORMAT_TYPES = {
  "date-time": "string",
  date: "string",
  time: "string",
  uuid: "string",
  uri: "string",
  email: "string",
  int8: "number",
  int16: "number",
  int32: "number",
  int64: "number",
  int: "number",
  uint8: "number",
  uint16: "number",
  uint32: "number",
  uint64: "number",
  uint: "number",
  float: "number",
  double: "number",
};

/** ajv runtime helpers the generated code may require, and the `runtime.ts` export for each. */
const RUNTIME_HELPERS = {
  "ajv/dist/runtime/equal": "equal",
  "ajv/dist/runtime/ucs2length": "ucs2length",
};

/** Where, from a validator file (`src/validators/<module>/<Type>.js`), the package's modules are. */
const PACKAGE_SRC = "../..";

function ajvFor() {
  const formats = {};
  for (const [name, type] of Object.entries(FORMAT_TYPES)) {
    // Placeholders: only the name and type matter, the code refers to `formats[name]`.
    formats[name] = { type, validate: () => true };
  }
  return new Ajv({
    allErrors: true,
    strict: false,
    formats,
    code: { source: true, esm: true, lines: true, formats: _`formats` },
  });
}

/** Keywords that annotate a schema and never decide whether a value is valid. */
const ANNOTATIONS = ["$schema", "$comment", "title", "description", "examples", "default", "deprecated", "readOnly", "writeOnly"];

/**
 * A copy of `schema` without annotations (nor `x-` extensions): ajv writes parts of a schema
 * into the code where an error quotes them, and the descriptions would ride along unused.
 */
function withoutAnnotations(schema) {
  const copy = JSON.parse(JSON.stringify(schema));
  traverse(copy, {
    cb: (subschema) => {
      if (typeof subschema !== "object" || subschema === null) return;
      for (const key of Object.keys(subschema)) {
        if (ANNOTATIONS.includes(key) || key.startsWith("x-")) delete subschema[key];
      }
    },
  });
  return copy;
}

/**
 * One of ajv's error objects, `const errN = {instancePath…,schemaPath:…,keyword:…,params:{…},
 * message:…};`, cut to the two fields the package reports: `instancePath` and `message`. The
 * rest (and the schema fragments `params` quotes) would be most of the code's size, and a
 * Lambda bundle pays for every byte. Any other line is returned unchanged.
 */
function slimError(line) {
  const head = /^(\s*const err\d+ = \{)(instancePath.*?),schemaPath:"/.exec(line);
  if (head === null) return line;
  const params = line.indexOf("params:", head[0].length);
  if (params < 0) throw new Error(`unexpected error object: ${line}`);
  const end = closing(line, params + "params:".length);
  const rest = line.slice(end + 1);
  if (!rest.startsWith(",message:") || !rest.endsWith("};")) throw new Error(`unexpected error object: ${line}`);
  return `${head[1]}${head[2]},${rest.slice(1)}`;
}

/**
 * `code` without the scope values (`const schema12 = {…};`, one line each, as ajv writes them)
 * nothing refers to any more: the schema fragments error `params` quoted. A module's top-level
 * object literals are built when it is imported, so each would cost every cold start.
 */
function withoutUnusedScopeValues(code) {
  const lines = code.split("\n");
  const declared = /^const ((?:schema|pattern|formats)\d+) = .*;$/;
  return lines
    .filter((line) => {
      const match = declared.exec(line);
      if (match === null) return true;
      const use = new RegExp(`\\b${match[1]}\\b`);
      return lines.some((other) => other !== line && use.test(other));
    })
    .join("\n");
}

/** The index of the brace closing the one opening at `start`, skipping string literals. */
function closing(text, start) {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === "\\") i++;
    } else if (c === "{" || c === "[" || c === "(") depth++;
    else if (c === "}" || c === "]" || c === ")") {
      depth--;
      if (depth === 0) return i;
    }
  }
  throw new Error(`unbalanced error object: ${text}`);
}

/** The ES module of one schema's validator. */
function compile(schema) {
  const ajv = ajvFor();
  const validate = ajv.compile(withoutAnnotations(schema));
  let code = standaloneCode(ajv, validate);
  const imports = [];
  code = withoutUnusedScopeValues(code.split("\n").map(slimError).join("\n"));
  // ajv's five-line "start the list or push" after each error, as one statement.
  code = code.replace(/^if\(vErrors === null\)\{\nvErrors = \[(err\d+)\];\n\}\nelse \{\nvErrors\.push\(\1\);\n\}$/gm, "(vErrors ??= []).push($1);");
  code = code.replace(/^"use strict";\n/, "");
  code = code.replace(/^export default \w+;\n/m, "");
  code = code.replace(/require\(("[^"]*")\)(\.default)?/g, (whole, quoted) => {
    const helper = RUNTIME_HELPERS[JSON.parse(quoted)];
    if (helper === undefined) {
      throw new Error(`the validator needs ${whole}, which the package does not ship`);
    }
    if (!imports.some((line) => line.includes(` ${helper} `))) {
      imports.push(`import { ${helper} } from "${PACKAGE_SRC}/runtime.js";`);
    }
    return helper;
  });
  if (/\bformats\[|\bformats\./.test(code)) {
    imports.unshift(`import { formats } from "${PACKAGE_SRC}/formats.js";`);
  }
  return (imports.length > 0 ? imports.join("\n") + "\n" : "") + code.trimEnd() + "\n";
}

function main() {
  const input = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
  const validators = [];
  const errors = [];
  for (const { name, schema } of input.events) {
    try {
      validators.push({ name, code: compile(schema) });
    } catch (error) {
      errors.push({ name, message: String(error && error.message ? error.message : error) });
    }
  }
  process.stdout.write(JSON.stringify({ validators, errors }));
}

if (require.main === module) {
  main();
}

module.exports = { FORMAT_TYPES, compile };
