// `musgo build` and the properties of its output: byte-identical on repeat, small, carrying its
// metadata in custom sections; and the prebuilt runtime artifact matching its sources.

import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../support/cli.js";
import { loadConstitution } from "../../runtime/index.js";
import { readMetadata } from "../../contract/abi/sections.js";
import { compileSource, referenceConstitution } from "./support.js";

describe("musgo build", () => {
  it("writes the module compileToWasm gives, and the same bytes twice", async () => {
    const dir = mkdtempSync(join(tmpdir(), "musgo-build-"));
    const first = await runCli(["build", "constitution/", "-o", join(dir, "a.wasm")]);
    const second = await runCli(["build", "constitution/", "-o", join(dir, "b.wasm")]);
    expect([first.code, second.code], first.stderr).toEqual([0, 0]);
    const bytes = readFileSync(join(dir, "a.wasm"));
    expect(Buffer.compare(bytes, readFileSync(join(dir, "b.wasm")))).toBe(0);
    const { wasm } = await referenceConstitution();
    expect(Buffer.compare(bytes, Buffer.from(wasm))).toBe(0);
  });

  it("the reference constitution's module is at most 64 KB and carries name, version, digest, schema and limits", async () => {
    const { wasm, checked } = await referenceConstitution();
    expect(wasm.length).toBeLessThanOrEqual(64 * 1024);
    const metadata = readMetadata(new WebAssembly.Module(wasm));
    expect(metadata.constitution).toEqual({ name: checked.name, version: checked.version, digest: checked.digest });
    expect(metadata.schema).toEqual(checked.schema);
    expect(metadata.limits).toEqual([
      expect.objectContaining({
        name: "api_calls",
        article: "III",
        keyPath: ["agent", "id"],
        count: 100,
        windowSeconds: 60,
        remedy: "quarantine",
      }),
    ]);
    expect(loadConstitution(wasm).limits).toEqual(metadata.limits);
  });

  it("--emit wat and --emit ir write text; errors in the sources exit 1 with diagnostics", async () => {
    const wat = await runCli(["build", "constitution/", "-o", "-", "--emit", "wat"]);
    expect(wat.code).toBe(0);
    expect(wat.stdout).toMatch(/^\(module/);
    expect(wat.stdout).toContain('(export "opa_eval"');
    const ir = await runCli(["build", "constitution/", "-o", "-", "--emit", "ir"]);
    expect(JSON.parse(ir.stdout)).toMatchObject({ irVersion: 2, constitution: { name: "musgo" } });
    const dir = mkdtempSync(join(tmpdir(), "musgo-build-"));
    const broken = join(dir, "broken.constitution");
    execFileSync("sh", ["-c", `printf 'constitution x version "1.0.0"\\nschema { a: strin }\\n' > ${broken}`]);
    const failed = await runCli(["build", broken, "-o", join(dir, "x.wasm")]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("MG2004");
  });

  it("usage errors: missing -o, a binary module to stdout, an unknown --emit", async () => {
    expect((await runCli(["build", "constitution/"])).code).toBe(2);
    expect((await runCli(["build", "constitution/", "-o", "-"])).code).toBe(2);
    expect((await runCli(["build", "constitution/", "-o", "x", "--emit", "asm"])).code).toBe(2);
  });

  it("compiling the same constitution twice in one process gives identical bytes (no hidden state)", () => {
    const source = `constitution twice version "1.0.0"\nschema { s: string, n?: number }\narticle 1 "A" {\n  forbid f when s matches "^a+b" message "{s}"\n  permit when has n and n > 2\n}\n`;
    expect(Buffer.compare(Buffer.from(compileSource(source).wasm), Buffer.from(compileSource(source).wasm))).toBe(0);
  });
});

describe("the prebuilt AssemblyScript runtime", () => {
  it("runtime/prebuilt/runtime-wasm.ts is what scripts/build-runtime.mjs builds from runtime/module", () => {
    // Needs assemblyscript (a dependency); rebuild with `node scripts/build-runtime.mjs` when this fails.
    const output = execFileSync(process.execPath, ["scripts/build-runtime.mjs", "--check"], { encoding: "utf8" });
    expect(output).toContain("is up to date");
  });
});
