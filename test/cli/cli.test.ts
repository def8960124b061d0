import { mkdtempSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { COMMANDS } from "../../cli/commands/index.js";

const EXAMPLE_3 = "constitution/examples/example3-classified.json";

describe("musgo CLI contract", () => {
  it("check of the reference constitution exits 0", async () => {
    const run = await runCli(["check", "constitution/"]);
    expect(run.stderr).toContain("ok:");
    expect(run.code).toBe(0);
  });

  it("eval reproduces the seed's Example 3 verdict exactly", async () => {
    const run = await runCli(["eval", "constitution/", "--engine", "interp", "--input", EXAMPLE_3]);
    expect(run.code).toBe(0);
    const verdict = JSON.parse(run.stdout);
    expect({
      permitted: verdict.permitted,
      violation: verdict.violation,
      constitutional_article: verdict.constitutional_article,
      action_taken: verdict.action_taken,
      appeal_process: verdict.appeal_process,
    }).toEqual({
      permitted: false,
      violation: "unauthorized_classified_access",
      constitutional_article: "Article_VII_Data_Protection",
      action_taken: "agent_suspended",
      appeal_process: "submit_to_ethics_committee",
    });
    expect(verdict.constitution).toMatchObject({ name: "musgo", version: "1.2.0" });
    expect(verdict.constitution.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("eval of the registration entrypoint reproduces the seed's Example 1 output", async () => {
    const run = await runCli([
      "eval",
      "constitution/",
      "--entrypoint",
      "constitution/registration",
      "--input",
      "constitution/examples/example1-registration.json",
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      namespace: "ai-strategic",
      permissions: ["read:market_data", "write:analysis_reports"],
    });
  });

  it("eval reads stdin with --input -", async () => {
    const run = await runCli(["eval", "constitution/", "--input", "-"], readFileSync(EXAMPLE_3, "utf8"));
    expect(JSON.parse(run.stdout).violation).toBe("unauthorized_classified_access");
  });

  it("eval --inputs prints one verdict per line, malformed lines fail closed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "musgo-cli-"));
    const file = join(dir, "inputs.jsonl");
    writeFileSync(file, `${readFileSync(EXAMPLE_3, "utf8").trim()}\n{not json\n[1,2]\n`);
    const run = await runCli(["eval", "constitution/", "--inputs", file]);
    expect(run.code).toBe(0);
    const lines = run.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((v) => v.violation)).toEqual(["unauthorized_classified_access", "invalid_input", "invalid_input"]);
    expect(lines[1].error).toMatch(/^input: malformed JSON/);
    expect(lines[2].error).toBe("input: expected object, got array");
  });

  it("check reports diagnostics as file:line:col: error[CODE] with a caret and exits 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "musgo-cli-"));
    writeFileSync(
      join(dir, "bad.constitution"),
      'constitution t version "1.0.0"\nschema { agent: { id: string } }\narticle I "A" {\n  permit p when agent.idd == "x"\n}\n',
    );
    const run = await runCli(["check", dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/bad\.constitution:4:\d+: error\[MG2001\]: /);
    expect(run.stderr).toContain("^");
    expect(run.stderr).toMatch(/hint: .*`id`/);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("check --format json prints machine-readable diagnostics", async () => {
    const dir = mkdtempSync(join(tmpdir(), "musgo-cli-"));
    writeFileSync(
      join(dir, "bad.constitution"),
      'constitution t version "1.0.0"\narticle I "A" { permit p when nope }\n',
    );
    const run = await runCli(["check", dir, "--format", "json"]);
    expect(run.code).toBe(1);
    const diagnostics = JSON.parse(run.stdout);
    expect(diagnostics[0]).toMatchObject({ code: "MG2003", severity: "error", line: 2 });
  });

  it("a missing path is a diagnostic, not a stack trace", async () => {
    const run = await runCli(["check", "no/such/dir"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("error[MG4001]");
  });

  it("test runs the reference constitution's tests and prints the summary line", async () => {
    const run = await runCli(["test", "constitution/"]);
    expect(run.stdout).toMatch(/^\d+ passed, 0 failed$/m);
    expect(run.code).toBe(0);
  });

  it("fmt --check accepts the reference constitution as canonical", async () => {
    const run = await runCli(["fmt", "--check", "constitution/"]);
    expect(run.stdout).toBe("");
    expect(run.code).toBe(0);
  });

  it("fmt --stdout prints a `==> path <==` header before each file only when there are several", async () => {
    const dir = mkdtempSync(join(tmpdir(), "musgo-cli-"));
    const [a, b] = [join(dir, "a.constitution"), join(dir, "b.constitution")];
    writeFileSync(a, "let   x=1\n");
    writeFileSync(b, "let y = ((2))\n");
    const both = await runCli(["fmt", "--stdout", a, b]);
    expect(both.code).toBe(0);
    expect(both.stdout).toBe(`==> ${a} <==\nlet x = 1\n\n==> ${b} <==\nlet y = 2\n`);
    const one = await runCli(["fmt", "--stdout", a]);
    expect(one.stdout).toBe("let x = 1\n");
    expect(readFileSync(a, "utf8")).toBe("let   x=1\n");
  });

  it("usage errors exit 2 and every command answers --help", async () => {
    expect((await runCli(["frobnicate"])).code).toBe(2);
    expect((await runCli(["eval", "constitution/"])).code).toBe(2);
    expect((await runCli(["check", "--bogus"])).code).toBe(2);
    for (const { name } of COMMANDS) {
      const run = await runCli([name, "--help"]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`musgo ${name}`);
    }
  });
});

describe("diagnostics hygiene and the test runner", () => {
  const VALID = [
    'constitution t version "1.0.0"',
    "schema { agent: { id: string } }",
    'article I "A" {',
    '  permit p when agent.id == "x"',
    "}",
    "",
  ].join("\n");
  const tempDir = () => mkdtempSync(join(tmpdir(), "musgo-cli-"));

  it("a binary file is exactly one MG4004 diagnostic, not one per stray byte", async () => {
    const dir = tempDir();
    const noise = Array.from({ length: 20_000 }, (_, i) => (i * 131) % 256);
    writeFileSync(join(dir, "image.constitution"), Buffer.from(noise));
    const run = await runCli(["check", dir, "--format", "json"]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).map((d: { code: string }) => d.code)).toEqual(["MG4004"]);
  });

  it("invalid UTF-8 is MG4005 at its line and column", async () => {
    const dir = tempDir();
    const latin1 = [Buffer.from(VALID), Buffer.from("// caf"), Buffer.from([0xe9]), Buffer.from("\n")];
    writeFileSync(join(dir, "latin.constitution"), Buffer.concat(latin1));
    const run = await runCli(["check", dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/latin\.constitution:6:7: error\[MG4005\]: invalid UTF-8 \(byte 0xE9\)/);
  });

  it("an ESC sequence in a comment reaches the terminal escaped", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "esc.constitution"), VALID.replace('"x"\n', '"x" && \u001b[2J // \u001b]0;owned\u0007\n'));
    const run = await runCli(["check", dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("\\u001b[2J // \\u001b]0;owned\\u0007");
    expect(run.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
  });

  it("a failing test shows its file:line:col", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "p.constitution"), VALID);
    const tests = '// header\n\ntest "denies x" {\n  input {"agent": {"id": "x"}}\n  expect deny\n}\n';
    writeFileSync(join(dir, "p_test.constitution"), tests);
    const run = await runCli(["test", dir, "--engine", "interp"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`✗ denies x\n    at ${join(dir, "p_test.constitution")}:3:1\n`);
  });

  it('a folder with no tests says "no tests found" and exits 1, or 0 with --allow-empty', async () => {
    const empty = tempDir();
    const noTests = tempDir();
    writeFileSync(join(noTests, "p.constitution"), VALID);
    for (const dir of [empty, noTests]) {
      const run = await runCli(["test", dir]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`error[MG3005]: no tests found in \`${dir}\``);
      const allowed = await runCli(["test", dir, "--allow-empty"]);
      expect(allowed.code).toBe(0);
      expect(allowed.stderr).toContain("no tests found");
      expect(allowed.stdout).toBe("0 passed, 0 failed\n");
    }
  });

  it("build --emit ir prints source paths relative to the working directory, never absolute", async () => {
    const run = await runCli(["build", join(process.cwd(), "constitution"), "--emit", "ir", "-o", "-"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).static.files).toEqual(["constitution/musgo.constitution"]);
    expect(run.stdout).not.toContain(process.cwd());
  });

  it('rejects `version "one"` with MG2052', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "v.constitution"), VALID.replace('"1.0.0"', '"one"'));
    const run = await runCli(["check", dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/v\.constitution:1:24: error\[MG2052\]: version `one` is not a semantic version/);
  });
});
