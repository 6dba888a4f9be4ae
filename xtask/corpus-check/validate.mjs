// Validates each `<case>.schema.json` / `<case>.sample.json` pair in a folder with ajv
// (draft-07, formats checked), printing one JSON line per case: {"case", "ok", "errors"}.
// Used by `cargo xtask ci --corpus` as a validator that shares no code with the Rust one.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Worker, isMainThread } from "node:worker_threads";
import Ajv from "ajv";
import addFormats from "ajv-formats";

// ajv compiles a `$ref` chain recursively: a sample nested 1,000 objects deep gives 1,000
// definitions, one inside the next, and overflows the main thread's stack (984 KB). So the
// work runs in a worker thread given a stack that fits any depth inference accepts.
if (isMainThread) {
  const worker = new Worker(new URL(import.meta.url), {
    argv: process.argv.slice(2),
    resourceLimits: { stackSizeMb: 256 },
  });
  worker.on("error", (error) => {
    console.error(error);
    process.exitCode = 1;
  });
} else {
  validateAll(process.argv[2]);
}

function validateAll(dir) {
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
}
