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

export default tseslint.config(
  { ignores: [".tmp/**", "dist/**", "node_modules/**", "runtime/module/**", "runtime/prebuilt/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  ...LAYERS.map(layerRule),
);
