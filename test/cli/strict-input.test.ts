// Issue 10 through the CLI: every command reads decision inputs as bytes with the strict reader, so
// `eval` (either engine, sources or a .wasm), `plan` and `enforce` judge hostile bytes exactly as the
// module's opa_eval does; `eval --inputs` answers line N with verdict N, blank and malformed lines too.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { runCli } from "../support/cli.js";
import { DUPLICATE_CLEARANCE, SECRETS_SOURCE } from "../support/secrets-constitution.js";
import { loadConstitution } from "../../runtime/index.js";

const encoder = new TextEncoder();
const dir = mkdtempSync(join(tmpdir(), "musgo-strict-"));
const sources = join(dir, "secrets.constitution");
const wasm = join(dir, "secrets.wasm");

const SANDBOX_CODER = '{"agent":{"id":"c1","kind":"coder","clearance":"sandbox"},';
const PERMITTED = `${SANDBOX_CODER}"action":{"tool":"x","tags":["safe"]}}`;
const DENIED = `${SANDBOX_CODER}"action":{"tool":"x"}}`;

/** Hostile documents, by name: their bytes and the verdict error every engine must give. */
const HOSTILE: Record<string, { bytes: Uint8Array; error: string }> = {
  "issue 10's duplicate clearance": {
    bytes: encoder.encode(DUPLICATE_CLEARANCE),
    error: "input: malformed JSON (duplicate object key)",
  },
  "invalid UTF-8 in a value": {
    bytes: Uint8Array.from([...encoder.encode(`${SANDBOX_CODER}"action":{"tool":"`), 0xc3, 0x28, 0x22, 0x7d, 0x7d]),
    error: "input: malformed JSON (invalid UTF-8)",
  },
  "a lone surrogate in a key": {
    bytes: encoder.encode(`${SANDBOX_CODER}"action":{"tool":"x","\\ud800":1}}`),
    error: "input: malformed JSON (unpaired surrogate escape)",
  },
  "nesting past 1000 levels": {
    bytes: encoder.encode(`${SANDBOX_CODER}"action":{"tool":"x"},"deep":${"[".repeat(1000)}${"]".repeat(1000)}}`),
    error: "input: malformed JSON (nesting deeper than 1000 levels)",
  },
  "a byte-order mark": {
    bytes: Uint8Array.from([0xef, 0xbb, 0xbf, ...encoder.encode(PERMITTED)]),
    error: "input: malformed JSON (unexpected character)",
  },
};

const ENGINES: Record<string, () => string[]> = {
  "sources, --engine interp": () => [sources, "--engine", "interp"],
  "sources, --engine wasm": () => [sources, "--engine", "wasm"],
  "a built .wasm": () => [wasm],
};

beforeAll(async () => {
  writeFileSync(sources, SECRETS_SOURCE);
  const build = await runCli(["build", sources, "-o", wasm]);
  expect(build.code, build.stderr).toBe(0);
});

function writeInput(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe("eval reads inputs strictly, with either engine and from a .wasm", () => {
  for (const [engine, args] of Object.entries(ENGINES)) {
    for (const [name, { bytes, error }] of Object.entries(HOSTILE)) {
      it(`${engine}: ${name} is denied as invalid_input (--input FILE and stdin)`, async () => {
        const path = writeInput(`${name.replace(/\W+/g, "-")}.json`, bytes);
        const fromFile = await runCli(["eval", ...args(), "--input", path]);
        const fromStdin = await runCli(["eval", ...args(), "--input", "-"], bytes);
        for (const run of [fromFile, fromStdin]) {
          expect(run.code, run.stderr).toBe(0);
          expect(JSON.parse(run.stdout)).toMatchObject({ permitted: false, violation: "invalid_input", error });
        }
      });
    }
  }

  it("the .wasm's own opa_eval gives the same verdicts as the CLI, byte for byte", async () => {
    const module = loadConstitution(readFileSync(wasm));
    for (const { bytes } of Object.values(HOSTILE)) {
      const run = await runCli(["eval", sources, "--engine", "interp", "--input", "-"], bytes);
      expect(JSON.parse(run.stdout)).toEqual(module.evaluateJson(bytes));
    }
  });

  it("the issue's example without its duplicate key is permitted (the constitution permits breakglass)", async () => {
    const single = DUPLICATE_CLEARANCE.replace('"clearance":"sandbox",', "");
    const run = await runCli(["eval", wasm, "--input", "-"], single);
    expect(JSON.parse(run.stdout)).toMatchObject({ permitted: true });
  });

  it("eval X.wasm --engine interp is a usage error (exit 2): a built module is judged by the module", async () => {
    const run = await runCli(["eval", wasm, "--engine", "interp", "--input", "-"], PERMITTED);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("a built .wasm module is judged by the module itself");
    expect(run.stdout).toBe("");
  });
});

describe("eval --inputs: verdict N answers line N", () => {
  const lines = [
    encoder.encode(PERMITTED),
    new Uint8Array(0),
    encoder.encode("{not json"),
    encoder.encode(DUPLICATE_CLEARANCE),
    encoder.encode("   "),
    HOSTILE["invalid UTF-8 in a value"]!.bytes,
    encoder.encode(`${DENIED}\r`),
  ];
  const expected = [
    { permitted: true },
    { violation: "invalid_input", error: "input: expected object, got undefined" },
    { violation: "invalid_input", error: "input: malformed JSON (expected a string key)" },
    { violation: "invalid_input", error: "input: malformed JSON (duplicate object key)" },
    { violation: "invalid_input", error: "input: malformed JSON (unexpected end of input)" },
    { violation: "invalid_input", error: "input: malformed JSON (invalid UTF-8)" },
    { permitted: false, violation: "no_applicable_permit" },
  ];
  const jsonl = (ending: string): Uint8Array =>
    Uint8Array.from(lines.flatMap((line, i) => [...line, ...encoder.encode(i < lines.length - 1 ? "\n" : ending)]));

  for (const [engine, args] of Object.entries(ENGINES)) {
    for (const [ending, label] of [
      ["\n", "a final newline"],
      ["", "no final newline"],
    ] as const) {
      it(`${engine}, ${label}: one verdict line per input line, blank and malformed lines included`, async () => {
        const path = writeInput(`lines-${label.replace(/\W+/g, "-")}.jsonl`, jsonl(ending));
        const run = await runCli(["eval", ...args(), "--inputs", path]);
        expect(run.code, run.stderr).toBe(0);
        const verdicts = run.stdout
          .trimEnd()
          .split("\n")
          .map((line) => JSON.parse(line) as unknown);
        expect(verdicts).toHaveLength(lines.length);
        verdicts.forEach((verdict, i) => expect(verdict, `line ${i + 1}`).toMatchObject(expected[i]!));
      });
    }
  }

  it("registration keeps the correspondence too", async () => {
    const path = writeInput("registration.jsonl", jsonl("\n"));
    const run = await runCli(["eval", wasm, "--entrypoint", "registration", "--inputs", path]);
    const results = run.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as { error?: string });
    expect(results).toHaveLength(lines.length);
    expect(results[0]).toEqual({ namespace: "coders", permissions: [] });
    const error = "input: malformed JSON (duplicate object key)";
    expect(results[3]).toEqual({ namespace: null, permissions: [], error });
  });
});

describe("plan and enforce read inputs strictly", () => {
  it("plan: the duplicate clearance is invalid_input, and nothing is planned", async () => {
    const path = writeInput("plan-dup.json", encoder.encode(DUPLICATE_CLEARANCE));
    const run = await runCli(["plan", sources, "--input", path]);
    expect(run.code, run.stderr).toBe(0);
    const plan = parseYaml(run.stdout.split("---\n")[0]!) as { verdict: unknown };
    const error = "input: malformed JSON (duplicate object key)";
    expect(plan.verdict).toMatchObject({ permitted: false, violation: "invalid_input", error });
  });

  it("enforce --dry-run: invalid UTF-8 is invalid_input, not permitted", async () => {
    const path = writeInput("enforce-utf8.json", HOSTILE["invalid UTF-8 in a value"]!.bytes);
    const run = await runCli(["enforce", sources, "--input", path, "--dry-run"]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { permitted: boolean; verdict: { error: string } };
    expect(result.permitted).toBe(false);
    expect(result.verdict.error).toBe("input: malformed JSON (invalid UTF-8)");
  });
});
