// Validates each `<case>.schema.json` / `<case>.sample.json` pair in a folder with ajv
// (draft-07, formats checked), printing one JSON line per case: {"case", "ok", "errors"}.
// Used by `cargo xtask ci --corpus` as a validator that shares no code with the Rust one.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";

const dir = process.argv[2];
const cases = readdirSync(dir).filter((f) => f.endsWith(".schema.json")).sort();
// Samples of one type share its schema: compile each distinct schema text once.
const compiled = new Map();
function compile(text) {
  if (!compiled.has(text)) {
    // ownProperties: JSON has no prototype; without it ajv checks an absent `constructor` key
    // against the inherited Object.prototype.constructor.
    const ajv = new Ajv({ allErrors: true, strict: false, ownProperties: true });
    addFormats(ajv);
    compiled.set(text, ajv.compile(JSON.parse(text)));
  }
  return compiled.get(text);
}
for (const file of cases) {
  const name = file.slice(0, -".schema.json".length);
  const schemaText = readFileSync(join(dir, file), "utf8");
  const sample = JSON.parse(readFileSync(join(dir, `${name}.sample.json`), "utf8"));
  let result;
  try {
    const validate = compile(schemaText);
    const ok = validate(sample);
    result = { case: name, ok, errors: ok ? [] : validate.errors.map((e) => `${e.instancePath || "/"} ${e.message}`) };
  } catch (error) {
    result = { case: name, ok: false, errors: [`schema does not compile: ${error.message}`] };
  }
  console.log(JSON.stringify(result));
}
