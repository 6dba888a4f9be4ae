// `npm run build`: the package twice, as CommonJS (`dist/cjs`) and as ES modules (`dist/esm`),
// each with its `.d.ts`, from one `src/`. Each folder gets a `package.json` saying which
// module system its `.js` files are, so Node and TypeScript (`moduleResolution: nodenext`)
// read each copy right; `exports` in the package's own `package.json` picks one per consumer.
// `dist/` is removed first, so nothing a previous layout left is ever packed.
//
// The ES modules are then bundled by esbuild (a pinned devDependency), one file per entry
// point (`index.js`, `sources/<module>.js`) plus shared chunks (`chunks/`): Node's ES module
// loader pays about a millisecond per module, and the root was 23 of them, most of its cold
// start. Splitting keeps one copy of the shared code, so `InvalidEventError` from the root
// and from a subpath are one class. The `.d.ts` files stay as tsc wrote them. (CommonJS
// `require` is left unbundled: esbuild cannot split CommonJS, and one bundle per entry would
// give each its own copy of the classes.)
"use strict";

const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
const dist = path.join(root, "dist");

fs.rmSync(dist, { recursive: true, force: true });
for (const [config, folder, type] of [
  ["tsconfig.build.json", "cjs", "commonjs"],
  ["tsconfig.esm.json", "esm", "module"],
]) {
  execFileSync(process.execPath, [tsc, "-p", config], { cwd: root, stdio: "inherit" });
  const dir = path.join(dist, folder);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type }) + "\n");
}

bundleEsm(path.join(dist, "esm"));

/** Replaces the ES modules in `dir` by one bundle per entry point and the chunks they share. */
function bundleEsm(dir) {
  const esbuild = require("esbuild");
  const sources = fs.readdirSync(path.join(dir, "sources")).filter((f) => f.endsWith(".js"));
  const entryPoints = ["index.js", ...sources.map((f) => `sources/${f}`)];
  const out = path.join(dist, "esm-bundled");
  esbuild.buildSync({
    absWorkingDir: dir,
    entryPoints,
    outdir: out,
    outbase: ".",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    chunkNames: "chunks/[name]-[hash]",
    logLevel: "warning",
  });
  for (const file of fs.readdirSync(dir, { recursive: true })) {
    if (file.endsWith(".js")) fs.rmSync(path.join(dir, file));
  }
  fs.cpSync(out, dir, { recursive: true });
  fs.rmSync(out, { recursive: true });
  const validators = path.join(dir, "validators");
  if (fs.existsSync(validators)) {
    // Left with only tsc's declarations of the validators, which nothing imports.
    fs.rmSync(validators, { recursive: true });
  }
}
