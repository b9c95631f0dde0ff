#!/usr/bin/env node
// `npm run build` (and `prepare`, run by `npm install` / `npm ci`): bundles the CLI with esbuild
// into dist/index.js, with each command's action and the packages only it uses in chunks under
// dist/chunks/, loaded by the command's dynamic import when it runs. Start-up reads a handful of
// files instead of one per module and per package file: `drill --version` reads dist/index.js and
// the few chunks it imports, nothing from node_modules. Type-checking stays with tsc
// (`npm run typecheck`, `npm test`); esbuild only strips the types.
//
// `node scripts/build.mjs --analyze` also prints what each output file holds, biggest first.
import { rmSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, analyzeMetafile } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");

rmSync(dist, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: ["src/index.ts"],
  outdir: "dist",
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  // Code splitting keeps every `await import()` a separate chunk; it needs ESM output.
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20.19",
  // Stack traces of an unexpected error (exit 70) map back to src/ under DRILL_DEBUG=1 (bin/drill.js
  // turns source maps on then); the maps point at the sources rather than embedding them.
  sourcemap: "linked",
  sourcesContent: false,
  metafile: true,
  // Not bundled: vitest runs the hidden suites in its own process, found through its package
  // (src/core/check/hidden-suite.ts); pg and redis load only when a check uses that service.
  external: ["vitest", "pg", "redis"],
  // Bundled CommonJS packages (commander, fs-extra, simple-git, ...) call require() for Node's
  // built-ins, and only for them (literal names, checked below); ESM output has no require of
  // its own, so each chunk gets one that hands out built-ins. process.getBuiltinModule (Node
  // 20.16+) instead of createRequire: importing node:module costs start-up time.
  banner: {
    js: 'const require = (id) => { const m = process.getBuiltinModule(id); if (!m) throw new Error("the bundle cannot require " + id); return m; };',
  },
  logLevel: "warning",
});
// The banner's require hands out built-ins only: anything else left for run time would fail there.
const builtins = new Set(builtinModules);
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  for (const { path, kind, external } of output.imports) {
    if (external && kind === "require-call" && !builtins.has(path.replace(/^node:/, ""))) {
      throw new Error(`${file} requires ${path} at run time; bundle it or make it external in an import`);
    }
  }
}
if (process.argv.includes("--analyze")) console.log(await analyzeMetafile(result.metafile));
