// The import rules of drill's CLI (docs/architecture.md says why). `npm test` runs them first
// (scripts/test.mjs); `npx depcruise src --config .dependency-cruiser.cjs` runs them alone.
// Layers point one way: commands -> actions -> ui and core -> system.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "ui-not-actions",
      comment: "ui/ renders and reads the terminal; it is handed data, it never runs a use case (actions/).",
      severity: "error",
      from: { path: "^src/ui/" },
      to: { path: "^src/(actions|commands)/" },
    },
    {
      name: "core-not-above",
      comment: "core/ is the domain: it returns data and warnings, it never imports actions/, ui/, commands/ or the entry.",
      severity: "error",
      from: { path: "^src/core/" },
      to: { path: "^src/(actions|ui|commands|index\\.ts)" },
    },
    {
      name: "core-never-prints",
      comment: "core/ never prints, colours, spins or prompts: chalk, ora and @inquirer belong in ui/.",
      severity: "error",
      from: { path: "^src/core/" },
      to: { path: "node_modules/(chalk|ora|@inquirer)/" },
    },
    {
      name: "system-stands-alone",
      comment: "system/ (errors, paths, notices) is the floor every layer stands on: node built-ins only.",
      severity: "error",
      from: { path: "^src/system/" },
      to: { pathNot: "^src/system/", dependencyTypesNot: ["core"] },
    },
    {
      name: "commands-options-only",
      comment:
        "commands/ declare options and hand over to actions/ (loaded when the command runs). From core they may take only the option parsers (core/options.ts) and types.",
      severity: "error",
      from: { path: "^src/commands/" },
      to: { path: "^src/core/", pathNot: "^src/core/options\\.ts$", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "commands-load-actions-lazily",
      comment:
        "A command loads its action only when it runs (`await import(...)`), so `drill --version` and `drill list` do not load every use case; a static import may bring types only.",
      severity: "error",
      from: { path: "^src/commands/" },
      to: { path: "^src/actions/", dependencyTypesNot: ["type-only", "dynamic-import"] },
    },
    {
      name: "commands-not-ui",
      comment: "commands/ do not render: that is the actions' call to ui/.",
      severity: "error",
      from: { path: "^src/commands/" },
      to: { path: "^src/ui/" },
    },
    {
      name: "actions-not-commands",
      comment: "actions/ are called by commands/, never the other way round.",
      severity: "error",
      from: { path: "^src/actions/" },
      to: { path: "^src/(commands/|index\\.ts)" },
    },
    {
      name: "no-circular",
      comment: "A cycle makes load order matter and layers meaningless (type-only imports load nothing, so they may loop).",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
    {
      name: "not-to-tests",
      comment: "The CLI never imports drill's own tests or fixtures.",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^(test|hidden-tests)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
      extensions: [".ts", ".js"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
