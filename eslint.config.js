import tseslint from "typescript-eslint";

// The layers (README, "Layout"), lowest first. A layer imports only from the layers below it:
//   contract/  ← runtime/  ← compiler/ ← adapters/ ← guard/ ← serve/ ← cli/
// (compiler/ may import runtime/ only for the prebuilt module it links; adapters/ see contract/ only).
// `layerRule` turns the table into no-restricted-imports patterns over relative import paths.
const LAYERS = [
  { folder: "contract", forbidden: ["runtime", "compiler", "adapters", "guard", "serve", "cli", "bench", "test"] },
  { folder: "runtime", forbidden: ["compiler", "adapters", "guard", "serve", "cli", "bench", "test"] },
  { folder: "compiler", forbidden: ["adapters", "guard", "serve", "cli", "bench", "test"], runtimeOnly: "prebuilt" },
  { folder: "adapters", forbidden: ["runtime", "compiler", "guard", "serve", "cli", "bench", "test"] },
  { folder: "guard", forbidden: ["serve", "cli", "bench", "test"] },
  { folder: "serve", forbidden: ["cli", "bench", "test"] },
  { folder: "bench", forbidden: ["cli", "test"] },
];

/** A relative import that climbs out of the file's own folder into `folder` (e.g. "../../cli/io.js"). */
const into = (folder) => `^(\\.\\./)+${folder}(/|$)`;

function layerRule({ folder, forbidden, runtimeOnly }) {
  const patterns = forbidden.map((other) => ({
    regex: into(other),
    message: `${folder}/ is below ${other}/ in the layering (README, "Layout"): it must not import it.`,
  }));
  if (runtimeOnly) {
    patterns.push({
      regex: `^(\\.\\./)+runtime/(?!${runtimeOnly}/)`,
      message: `${folder}/ may import runtime/ only for runtime/${runtimeOnly}/ (the module it links).`,
    });
  }
  return {
    files: [`${folder}/**/*.ts`],
    rules: { "no-restricted-imports": ["error", { patterns }] },
  };
}

// runtime/module/** is AssemblyScript: TypeScript syntax, except decorators on top-level functions
// and globals (`@inline`, `@lazy`, `@external`), which the TypeScript parser rejects. Linting it
// with the TypeScript rules (rather than `asc --pedantic`, which only reports what the compiler
// already would) keeps one lint for both sides of the ABI; the parser below blanks those decorators
// (same length, so every location stays right) and hands the text to typescript-eslint's parser.
// Type-checking is separate: `tsc -p runtime/module` (extends assemblyscript/std/assembly.json).
const TOP_LEVEL_DECORATOR = /^@\w+(\([^)\n]*\))?/gm;
const assemblyScriptParser = {
  meta: { name: "assemblyscript-as-typescript" },
  parseForESLint(text, options) {
    return tseslint.parser.parseForESLint(
      text.replace(TOP_LEVEL_DECORATOR, (d) => " ".repeat(d.length)),
      options,
    );
  },
};

export default tseslint.config(
  { ignores: [".tmp/**", "dist/**", "node_modules/**", "runtime/prebuilt/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  ...LAYERS.map(layerRule),
  {
    // contract/verdict.ts `makeVerdict` and `makeRegistration` are the one place each result object is built
    // (one key order, one shape).
    files: [...LAYERS.map(({ folder }) => `${folder}/**/*.ts`), "cli/**/*.ts"],
    ignores: ["contract/verdict.ts", "runtime/module/**"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector:
            "ObjectExpression:has(> Property[key.name='constitutional_article']):has(> Property[key.name='permits'])",
          message: "Build verdicts with makeVerdict (contract/verdict.ts): the one place their key order is fixed.",
        },
        {
          selector: "ObjectExpression:has(> Property[key.name='namespace']):has(> Property[key.name='permissions'])",
          message: "Build registration results with makeRegistration (contract/verdict.ts): it fixes their key order.",
        },
      ],
    },
  },
  {
    files: ["runtime/module/**/*.ts"],
    languageOptions: { parser: assemblyScriptParser },
    rules: {
      // AssemblyScript has no `import type`: its compiler resolves every import as a value import.
      "@typescript-eslint/consistent-type-imports": "off",
      // The module is its own world (the WASM runtime): it imports nothing outside runtime/module.
      "no-restricted-imports": [
        "error",
        {
          patterns: [{ regex: "^\\.\\./", message: "runtime/module (AssemblyScript) imports only its own files." }],
        },
      ],
    },
  },
);
