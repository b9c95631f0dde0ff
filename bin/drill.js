#!/usr/bin/env node
// The installed entry: loads the bundled CLI (dist/index.js and its chunks, made by
// scripts/build.mjs; no TypeScript compile at start-up). Source maps cost start-up time, so they
// are read only under DRILL_DEBUG=1, which is when drill prints an unexpected error's stack
// (exit 70): then it points into src/.
if (process.env.DRILL_DEBUG) process.setSourceMapsEnabled(true);
await import("../dist/index.js");
