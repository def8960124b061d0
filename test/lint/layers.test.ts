// The layering of README "Layout" is checked by eslint.config.js, not hoped for: a lower layer that
// imports a higher one fails the lint. Each case lints a one-line file placed (virtually) in a layer.

import { ESLint } from "eslint";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: resolve(import.meta.dirname, "../..") });

async function layerErrors(file: string, specifier: string): Promise<string[]> {
  const code = `import { x } from "${specifier}";\nexport const y = x;\n`;
  const [result] = await eslint.lintText(code, { filePath: file });
  return result!.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("layer rule (no-restricted-imports per layer)", () => {
  it.each([
    ["contract/x.ts", "../runtime/index.js"],
    ["contract/abi/x.ts", "../../guard/guard.js"],
    ["runtime/loader/x.ts", "../../compiler/build.js"],
    ["runtime/x.ts", "../guard/index.js"],
    ["compiler/check/x.ts", "../../cli/io.js"],
    ["compiler/codegen/x.ts", "../../runtime/index.js"],
    ["compiler/x.ts", "../adapters/config.js"],
    ["adapters/vault/x.ts", "../../guard/create-guard.js"],
    ["adapters/audit/x.ts", "../../runtime/index.js"],
    ["guard/x.ts", "../cli/io.js"],
    ["bench/x.ts", "../cli/engine.js"],
  ])("%s may not import %s", async (file, specifier) => {
    const errors = await layerErrors(file, specifier);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/layering|may import runtime/);
  });

  it.each([
    ["runtime/loader/x.ts", "../../contract/schema.js"],
    ["compiler/codegen/x.ts", "../../runtime/prebuilt/runtime-wasm.js"],
    ["compiler/check/x.ts", "../../contract/verdict.js"],
    ["adapters/audit/x.ts", "../vault/client.js"],
    ["guard/x.ts", "../adapters/audit/index.js"],
    ["guard/x.ts", "../compiler/build.js"],
    ["cli/commands/x.ts", "../../guard/index.js"],
  ])("%s may import %s", async (file, specifier) => {
    expect(await layerErrors(file, specifier)).toEqual([]);
  });
});
