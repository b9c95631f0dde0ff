// drill's own tests. Hidden suites are not run here directly: the gates run them through drill.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/fixtures/**", "node_modules/**"],
    // Gates start real servers with timing requirements: one file at a time keeps their margins honest.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
