// `npm run build`: the package twice, as CommonJS (`dist/cjs`) and as ES modules (`dist/esm`),
// each with its `.d.ts`, from one `src/`. Each folder gets a `package.json` saying which
// module system its `.js` files are, so Node and TypeScript (`moduleResolution: nodenext`)
// read each copy right; `exports` in the package's own `package.json` picks one per consumer.
// `dist/` is removed first, so nothing a previous layout left is ever packed.
"use strict";

const { execFileSync } = require("node:child_process");
const { mkdirSync, rmSync, writeFileSync } = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");

rmSync(path.join(root, "dist"), { recursive: true, force: true });
for (const [config, folder, type] of [
  ["tsconfig.build.json", "cjs", "commonjs"],
  ["tsconfig.esm.json", "esm", "module"],
]) {
  execFileSync(process.execPath, [tsc, "-p", config], { cwd: root, stdio: "inherit" });
  const dir = path.join(root, "dist", folder);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type }) + "\n");
}
