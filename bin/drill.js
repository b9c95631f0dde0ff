#!/usr/bin/env node
// The installed entry: load the built CLI (no TypeScript compile at start-up).
import "../dist/index.js";
