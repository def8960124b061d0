// contract/verdict.ts `makeVerdict` is the only place a verdict object is built (every engine's
// verdicts share its key order, which the differential tests compare as JSON bytes): eslint.config.js
// rejects a verdict object literal anywhere else in the sources.

import { ESLint } from "eslint";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: resolve(import.meta.dirname, "../..") });
const VERDICT_LITERAL = `export const v = {
  permitted: true, violation: null, constitutional_article: null, action_taken: "none", appeal_process: null,
  violations: [], permits: [], constitution: { name: "", version: "", digest: "" },
};
`;

async function ruleIds(file: string, code: string): Promise<(string | null)[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return result!.messages.map((m) => m.ruleId);
}

describe("verdict object literals (no-restricted-syntax)", () => {
  const files = ["compiler/interp/x.ts", "runtime/loader/x.ts", "guard/x.ts", "bench/x.ts", "cli/x.ts"];
  it.each(files)("%s may not build one", async (file) => {
    expect(await ruleIds(file, VERDICT_LITERAL)).toContain("no-restricted-syntax");
  });

  it.each(files)("%s may not build a registration result either", async (file) => {
    const registration = "export const r = { namespace: null, permissions: [] };\n";
    expect(await ruleIds(file, registration)).toContain("no-restricted-syntax");
  });

  it("an outcome (the leading fields alone) is not a verdict", async () => {
    const fields =
      'permitted: true, violation: null, constitutional_article: null, action_taken: "none", appeal_process: null';
    const outcome = `export const o = { ${fields} };\n`;
    expect(await ruleIds("guard/x.ts", outcome)).toEqual([]);
  });
});
