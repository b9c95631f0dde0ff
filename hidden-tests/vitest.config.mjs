// Configuration for running one hidden suite against a learner's server (used by `drill check`).
//
// Plain JavaScript, loaded by `--configLoader native` (a straight import): a TypeScript config
// would be bundled into a temporary file inside drill's own node_modules, which a learner cannot
// write to when drill is installed globally by root. For the same reason nothing is cached:
// the results cache is off (one file, run in order: it has nothing to sort, and checks running
// side by side would race on its one file), and Vite's cache folder, should anything still use
// it, is a folder of the learner's own in the temp folder, never drill's package.
import { tmpdir } from "node:os";
import { join } from "node:path";

export default {
  cacheDir: join(tmpdir(), `drill-vitest-${process.getuid?.() ?? process.env.USER ?? "user"}`),
  test: {
    cache: false,
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
};
