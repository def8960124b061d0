// `musgo build --stop-after/--dump-after STAGE`, internal compiler errors as exit 3, and every
// relative path resolved against the CLI's cwd rather than the process's.

import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as nodeFs from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { reportBug } from "../../cli/main.js";
import { InternalCompilerError } from "../../compiler/diagnostics/internal-error.js";
import { runCli } from "../support/cli.js";

describe("musgo build --stop-after / --dump-after", () => {
  it("--stop-after STAGE runs without -o and writes nothing", async () => {
    for (const stage of ["parse", "check", "plan", "emit"]) {
      const run = await runCli(["build", "constitution/", "--stop-after", stage]);
      expect([run.code, run.stdout, run.stderr]).toEqual([0, "", ""]);
    }
  });

  it("--dump-after parse prints the ASTs as JSON, taken before the checker annotates them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "musgo-dump-"));
    const run = await runCli(["build", "constitution/", "-o", join(dir, "m.wasm"), "--dump-after", "parse"]);
    expect(run.code).toBe(0);
    const files = JSON.parse(run.stdout);
    const kindsAndPaths = files.map((f: { kind: string; path: string }) => [f.kind, f.path]);
    expect(kindsAndPaths).toEqual([["File", "constitution/musgo.constitution"]]);
    expect(run.stdout).not.toContain('"$type"');
    expect(existsSync(join(dir, "m.wasm"))).toBe(true);
  });

  it("--dump-after check prints the checked constitution's summary", async () => {
    const run = await runCli(["build", "constitution/", "--stop-after", "check", "--dump-after", "check"]);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ name: "musgo", version: "1.2.0", files: ["constitution/musgo.constitution"] });
    expect(summary.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(summary.articles.find((a: { number: string }) => a.number === "III").limits).toEqual([
      { name: "api_calls", keyPath: ["agent", "id"], count: 100, windowSeconds: 60, remedy: "quarantine" },
    ]);
    expect(summary.tests).toEqual([]);
  });

  it("--dump-after plan prints exactly what --emit ir writes; --dump-after emit the module's text", async () => {
    const plan = await runCli(["build", "constitution/", "--stop-after", "plan", "--dump-after", "plan"]);
    const ir = await runCli(["build", "constitution/", "-o", "-", "--emit", "ir"]);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toBe(ir.stdout);
    const emit = await runCli(["build", "constitution/", "--stop-after", "emit", "--dump-after", "emit"]);
    expect(emit.code).toBe(0);
    expect(emit.stdout).toMatch(/^\(module/);
  });

  it("with errors the stage's product is still dumped, the run stops there and exits 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "musgo-dump-"));
    writeFileSync(join(dir, "x.constitution"), 'constitution x version "1.0.0"\nschema { a: strin }\n');
    const run = await runCli(["build", dir, "--stop-after", "emit", "--dump-after", "parse"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("error[MG2004]");
    expect(JSON.parse(run.stdout)[0].declarations.map((d: { kind: string }) => d.kind)).toEqual(["Header", "Schema"]);
  });

  it("usage errors: unknown stage, dumping a stage not run, -o with --stop-after, dump and -o - together", async () => {
    const cases = [
      ["--stop-after", "link"],
      ["--stop-after", "check", "--dump-after", "plan"],
      ["--stop-after", "check", "-o", "x.wasm"],
      ["--stop-after", "check", "--emit", "ir"],
      ["-o", "-", "--emit", "ir", "--dump-after", "plan"],
    ];
    for (const args of cases) {
      const run = await runCli(["build", "constitution/", ...args]);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr).toContain("usage: musgo build");
    }
    const unknown = await runCli(["build", "constitution/", "--stop-after", "link"]);
    expect(unknown.stderr).toContain("`parse`, `check`, `plan`, `emit`");
  });

  it("the help names both flags and every stage", async () => {
    const help = (await runCli(["build", "--help"])).stdout;
    const expected = ["--stop-after STAGE", "--dump-after STAGE", "parse, check, plan", "3 internal compiler error"];
    for (const text of expected) {
      expect(help).toContain(text);
    }
  });
});

describe("the error limit", () => {
  it("check of a file with 150 errors shows 100 of them and one MG4090 summary for the other 50", async () => {
    const dir = mkdtempSync(join(tmpdir(), "musgo-limit-"));
    const lets = Array.from({ length: 150 }, (_, i) => `let x${i} = nope${i}\n`).join("");
    writeFileSync(join(dir, "g.constitution"), `constitution g version "1.0.0"\n${lets}`);
    const run = await runCli(["check", "--format", "json", "g.constitution"], "", { ...process.env }, dir);
    expect(run.code).toBe(1);
    const codes = JSON.parse(run.stdout).map((d: { code: string }) => d.code);
    expect(codes.filter((c: string) => c === "MG2003")).toHaveLength(100);
    expect(codes.filter((c: string) => c === "MG4090")).toHaveLength(1);
    expect(run.stdout).toContain("50 more errors in `g.constitution` not shown");
  });
});

describe("internal compiler errors", () => {
  it("are reported as MG9001 bugs naming the stage they escaped from", () => {
    let stderr = "";
    const io = {
      stdout: () => undefined,
      stderr: (t: string) => void (stderr += t),
      readStdin: async () => new Uint8Array(0),
    };
    const e = new InternalCompilerError("no slot for agent.id");
    e.stage = "emit";
    reportBug(e, { ...io, cwd: "/", fs: nodeFs, env: {} });
    expect(stderr).toMatch(/^internal error\[MG9001\] in the emit stage: InternalCompilerError: internal compiler/);
    expect(stderr).toContain("no slot for agent.id");
    expect(stderr).toContain("This is a bug in musgo");
  });
});

describe("relative paths follow the CLI's cwd, not the process's", () => {
  function project(): string {
    const dir = mkdtempSync(join(tmpdir(), "musgo-cwd-"));
    mkdirSync(join(dir, "policy"));
    copyFileSync("constitution/musgo.constitution", join(dir, "policy", "musgo.constitution"));
    copyFileSync("constitution/examples/example3-classified.json", join(dir, "input.json"));
    return dir;
  }

  it("check, build -o, eval of the built module with --input, all given relative paths", async () => {
    const dir = project();
    const env = { ...process.env };
    const check = await runCli(["check", "policy"], "", env, dir);
    expect([check.code, check.stderr]).toEqual([0, "ok: 1 file checked\n"]);
    const build = await runCli(["build", "policy", "-o", "out.wasm"], "", env, dir);
    expect(build.code).toBe(0);
    expect(build.stderr).toMatch(/^wrote out\.wasm \(\d+ bytes\)\n$/);
    expect(readFileSync(join(dir, "out.wasm")).subarray(0, 4)).toEqual(Buffer.from([0, 0x61, 0x73, 0x6d]));
    const evaluated = await runCli(["eval", "out.wasm", "--input", "input.json"], "", env, dir);
    expect(evaluated.code).toBe(0);
    const verdict = JSON.parse(evaluated.stdout);
    expect(verdict).toMatchObject({ permitted: false, violation: "unauthorized_classified_access" });
  });

  it("fmt rewrites the file under cwd; diagnostics name the path as given", async () => {
    const dir = project();
    const file = join(dir, "policy", "musgo.constitution");
    writeFileSync(file, readFileSync(file, "utf8").replace(/\n\n/g, "\n\n\n"));
    const run = await runCli(["fmt", "policy"], "", { ...process.env }, dir);
    expect([run.code, run.stdout]).toEqual([0, `formatted ${join("policy", "musgo.constitution")}\n`]);
    expect(readFileSync(file, "utf8")).toBe(readFileSync("constitution/musgo.constitution", "utf8"));
    const missing = await runCli(["check", "gone"], "", { ...process.env }, dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^gone:1:1: error\[MG4001\]: cannot read `gone`/);
  });
});
