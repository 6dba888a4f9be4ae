// Cold start of a consumer, against the package as it was on another commit, in the same run:
//
//   npm run build && node bench/cold-start.cjs [--runs 20] [--baseline main]
//
// Builds the baseline's package (`git archive <baseline> generated/typescript`, compiled with
// this package's installed TypeScript and ajv: the baseline pins the same versions) in a
// temporary folder, then starts a fresh `node` process `--runs` times per variant,
// interleaved so a busy machine slows each alike, and has each time `import` of the package
// plus the first `parseEvent` of one event (trading/TradeCreated, the largest), from inside
// the process; the parent also times the whole process. Then the steady parse rate of both
// in one process (bench/steady-pair.cjs), and the minified esbuild bundle of one event and
// of every event.
// Prints markdown tables of medians.
"use strict";

const { execFileSync, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { pathToFileURL } = require("node:url");

const here = path.join(__dirname, "..");
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] !== undefined ? args[at + 1] : fallback;
};
const runs = Number(option("--runs", "20"));
const baseline = option("--baseline", "main");

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** The baseline commit's package, built into a temporary folder; its CommonJS entry point. */
function buildBaseline(scratch) {
  const repo = execFileSync("git", ["rev-parse", "--show-toplevel"], { cwd: here, encoding: "utf8" }).trim();
  const commit = execFileSync("git", ["rev-parse", "--short", baseline], { cwd: repo, encoding: "utf8" }).trim();
  const archive = execFileSync("git", ["archive", baseline, "generated/typescript"], { cwd: repo, maxBuffer: 1 << 28 });
  fs.writeFileSync(path.join(scratch, "baseline.tar"), archive);
  execFileSync("tar", ["-xf", "baseline.tar"], { cwd: scratch });
  const old = path.join(scratch, "generated/typescript");
  fs.symlinkSync(path.join(here, "node_modules"), path.join(old, "node_modules"));
  execFileSync(process.execPath, [path.join(here, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
    cwd: old,
    stdio: "inherit",
  });
  const entry = ["dist/cjs/index.js", "dist/index.js"].map((f) => path.join(old, f)).find((f) => fs.existsSync(f));
  return { commit, entry, dir: old };
}

/** One fresh process: `import` of `entry` and the first call of `parse` on `event`, timed inside. */
const CHILD = `
const [entry, parse, eventFile] = process.argv.slice(1);
const event = JSON.parse(require("node:fs").readFileSync(eventFile, "utf8"));
const started = performance.now();
import(entry).then((module) => {
  const result = (module[parse] ?? module.default[parse])(event);
  const took = performance.now() - started;
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  process.stdout.write(String(took));
});
`;

function coldStarts(variants, eventFile) {
  const times = new Map(variants.map((v) => [v.name, { inside: [], process: [] }]));
  for (let run = 0; run < runs; run++) {
    for (const variant of variants) {
      const started = process.hrtime.bigint();
      const child = spawnSync(process.execPath, ["-e", CHILD, variant.url, variant.parse, eventFile], { encoding: "utf8" });
      const wall = Number(process.hrtime.bigint() - started) / 1e6;
      if (child.status !== 0) throw new Error(`${variant.name}: ${child.stderr}`);
      times.get(variant.name).inside.push(Number(child.stdout));
      times.get(variant.name).process.push(wall);
    }
  }
  return times;
}

/** Each entry's steady parseEvent rate, measured in one process, rounds alternating (bench/steady-pair.cjs). */
function steadyRates(entries) {
  const output = execFileSync(process.execPath, [path.join(__dirname, "steady-pair.cjs"), ...entries], { encoding: "utf8" });
  return JSON.parse(output).map((rate) => Math.round(rate).toLocaleString("en"));
}

/** The minified esbuild bundle of `source` (resolving the package through `node_modules`), in bytes. */
function bundleSize(scratch, name, source) {
  const app = path.join(scratch, "bundle");
  fs.mkdirSync(path.join(app, "node_modules/@agri-platform"), { recursive: true });
  const link = path.join(app, "node_modules/@agri-platform/events");
  if (!fs.existsSync(link)) fs.symlinkSync(here, link);
  fs.copyFileSync(source, path.join(app, `${name}.ts`));
  const out = path.join(app, `${name}.mjs`);
  execFileSync(path.join(here, "node_modules/.bin/esbuild"), [
    `${name}.ts`, "--bundle", "--minify", "--platform=node", "--format=esm", `--outfile=${out}`, "--log-level=warning",
  ], { cwd: app });
  return fs.statSync(out).size;
}

function main() {
  if (!fs.existsSync(path.join(here, "dist/esm/index.js"))) {
    throw new Error("the package is not built: run `npm run build` in generated/typescript first");
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "cold-start-"));
  try {
    const old = buildBaseline(scratch);
    const { envelopes } = require("../test/envelopes.json");
    const eventFile = path.join(scratch, "event.json");
    fs.writeFileSync(eventFile, JSON.stringify(envelopes.find((e) => e["detail-type"] === "TradeCreated")));
    const variants = [
      { name: `baseline (${baseline} ${old.commit}): require of the root, ajv compiles at first use`, url: pathToFileURL(old.entry).href, parse: "parseEvent" },
      { name: "this package: import of the root (ESM)", url: pathToFileURL(path.join(here, "dist/esm/index.js")).href, parse: "parseEvent" },
      { name: "this package: require of the root (CJS)", url: pathToFileURL(path.join(here, "dist/cjs/index.js")).href, parse: "parseEvent" },
      { name: "this package: import of `/trading`, parseTradeCreated", url: pathToFileURL(path.join(here, "dist/esm/sources/trading.js")).href, parse: "parseTradeCreated" },
    ];
    const times = coldStarts(variants, eventFile);
    console.log(`Cold start, ${runs} fresh node processes per row, interleaved (${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}):\n`);
    console.log("| package | import + first parseEvent (median, in process) | whole process (median) |");
    console.log("| --- | ---: | ---: |");
    for (const variant of variants) {
      const { inside, process: wall } = times.get(variant.name);
      console.log(`| ${variant.name} | ${median(inside).toFixed(1)} ms | ${median(wall).toFixed(1)} ms |`);
    }
    const [oldRate, newRate] = steadyRates([old.entry, path.join(here, "dist/cjs/index.js")]);
    console.log("\nSteady parseEvent rate over every sample envelope (both in one process, 7 alternating rounds of 200,000 each):\n");
    console.log("| package | events/s (median) |\n| --- | ---: |");
    console.log(`| baseline (${baseline} ${old.commit}) | ${oldRate} |`);
    console.log(`| this package | ${newRate} |`);
    console.log("\nMinified esbuild bundles (`--bundle --minify --platform=node --format=esm`):\n");
    console.log("| handler | bytes |\n| --- | ---: |");
    console.log(`| examples/one-event.ts (\`@agri-platform/events/trading\`, parseTradeCreated) | ${bundleSize(scratch, "one-event", path.join(here, "examples/one-event.ts"))} |`);
    console.log(`| examples/lambda.ts (the root's handlers: every event) | ${bundleSize(scratch, "lambda", path.join(here, "examples/lambda.ts"))} |`);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main();
