// runtime/module (AssemblyScript) is linted and type-checked like the rest: eslint.config.js parses
// it despite its function decorators and applies the TypeScript rules, it imports only its own
// files, it type-checks with runtime/module/tsconfig.json (assemblyscript/std/assembly.json), and
// each suppressed TypeScript error is a checked `@ts-expect-error` that says why.

import { ESLint } from "eslint";
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const eslint = new ESLint({ cwd: ROOT });

async function lint(code: string, file = "runtime/module/x.ts"): Promise<ESLint.LintResult> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return result!;
}

function moduleSources(dir = join(ROOT, "runtime/module")): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return moduleSources(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

describe("AssemblyScript lint and type-check (runtime/module)", () => {
  it("parses decorated functions and reports TypeScript rules at their real positions", async () => {
    const code = [
      '@external("env", "f")',
      "export declare function f(): void;",
      "@inline export function g(a: u32): u32 {",
      "  let unused = 1;",
      "  return a;",
      "}",
      "",
    ].join("\n");
    const result = await lint(code);
    expect(result.messages.filter((m) => m.fatal)).toEqual([]);
    const unused = result.messages.filter((m) => m.ruleId === "@typescript-eslint/no-unused-vars");
    expect(unused.map((m) => [m.line, m.column])).toEqual([[4, 7]]);
    expect(result.messages.some((m) => m.ruleId === "prefer-const")).toBe(true);
  });

  it("runtime/module imports only its own files", async () => {
    const result = await lint('import { x } from "../loader/fast-path";\nexport const y = x;\n');
    expect(result.messages.map((m) => m.ruleId)).toContain("no-restricted-imports");
    expect((await lint('import { x } from "./value";\nexport const y = x;\n')).messages).toEqual([]);
  });

  it("type-checks with runtime/module/tsconfig.json", () => {
    const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
    const args = [tsc, "-p", "runtime/module/tsconfig.json", "--noEmit"];
    const { status, stdout } = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8" });
    expect(stdout).toBe("");
    expect(status).toBe(0);
  });

  it("has no @ts-ignore, and every @ts-expect-error says why", () => {
    for (const file of moduleSources()) {
      const lines = readFileSync(file, "utf8").split("\n");
      expect(
        lines.filter((line) => line.includes("@ts-ignore")),
        file,
      ).toEqual([]);
      const expectations = lines.filter((l) => l.includes("@ts-expect-error"));
      for (const line of expectations) expect(line, file).toMatch(/@ts-expect-error: \S.{20,}/);
    }
  });
});
