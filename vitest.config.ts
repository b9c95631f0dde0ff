// drill's own tests. Hidden suites are not run here directly: the gates run them through drill.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    exclude: ["test/fixtures/**", "node_modules/**"],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // A zone with a half-hour offset and daylight saving (it starts 2026-03-08, inside the plan's
    // fixtures): a date computed in UTC instead of local time fails here, as it would not in UTC.
    // DRILL_SKIP_PYTHON: `drill start` leaves the Python environment out (the tests link their own
    // prepared .venv); the tests of the environment cache and the first drill unset it.
    env: { TZ: "America/St_Johns", DRILL_SKIP_PYTHON: "1" },
    projects: [
      // Pure functions and small files: in parallel, done in seconds, first.
      { extends: true, test: { name: "unit", include: ["test/unit/**/*.test.ts"], sequence: { groupOrder: 0 } } },
      // Real processes, servers and terminals: one file at a time, so their timings stay honest.
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/**/*.test.ts"],
          exclude: ["test/unit/**", "test/gates.test.ts", "test/fixtures/**"],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      // The gates start real servers with timing requirements: last, one file at a time.
      { extends: true, test: { name: "gates", include: ["test/gates.test.ts"], fileParallelism: false, sequence: { groupOrder: 2 } } },
    ],
  },
});
