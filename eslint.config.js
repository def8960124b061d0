import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: [".tmp/**", "dist/**", "node_modules/**", "runtime/assembly/**", "runtime/generated/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
);
