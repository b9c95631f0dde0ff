// Configuration for running one hidden suite against a learner's server (used by `drill check`).
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  cacheDir: join(tmpdir(), "drill-vitest-cache"),
  test: {
    include: ["*.test.ts"],
    // One suite, one server: requirements run in order, one at a time.
    pool: "threads",
    fileParallelism: false,
    maxWorkers: 1,
    sequence: { concurrent: false, shuffle: false },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    watch: false,
    passWithNoTests: false,
  },
});
