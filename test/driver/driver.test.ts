// The driver's stage table: each stop-after stage yields its product kind, errors stop later
// stages, one sink collects every stage's diagnostics once, internal errors name their stage, and
// sources are read only through the given file system, relative to the given cwd.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runPaths, runStages, STAGE_NAMES, type StageName } from "../../compiler/driver.js";
import { InternalCompilerError } from "../../compiler/diagnostics/internal-error.js";
import { DiagnosticSink } from "../../compiler/diagnostics/sink.js";
import type { SourceFile } from "../../compiler/diagnostics/span.js";
import { compileSources } from "../../compiler/pipeline.js";
import type { SourceFileSystem } from "../../compiler/sources.js";
import { loadEngine } from "../../guard/engines.js";

const REFERENCE_PATH = "constitution/musgo.constitution";
const REFERENCE: SourceFile[] = [{ path: REFERENCE_PATH, text: readFileSync(REFERENCE_PATH, "utf8") }];
const WARNING_ONLY = "test/fixtures/broken/mg2090-has-on-required.constitution";

describe("the stage table", () => {
  it("names the stages as the flags take them, in order", () => {
    expect(STAGE_NAMES).toEqual(["parse", "check", "plan", "emit"]);
  });

  it.each(STAGE_NAMES.map((s) => [s]))("--stop-after %s runs exactly the stages up to it", (stopAfter: StageName) => {
    const { products, sink } = runStages("parse", REFERENCE, { stopAfter });
    expect(sink.diagnostics()).toEqual([]);
    expect(Object.keys(products)).toEqual(STAGE_NAMES.slice(0, STAGE_NAMES.indexOf(stopAfter) + 1));
  });

  it("each stage yields its product kind", () => {
    const { products } = runStages("parse", REFERENCE);
    expect(products.parse!.files.map((f) => [f.kind, f.path])).toEqual([["File", "constitution/musgo.constitution"]]);
    expect(products.check).toMatchObject({ name: "musgo", version: "1.2.0" });
    expect(products.plan!.plans.length).toBeGreaterThan(0);
    expect(products.plan!.constitution).toMatchObject({ name: "musgo" });
    expect([...products.emit!.subarray(0, 4)]).toEqual([0x00, 0x61, 0x73, 0x6d]);
  });

  it("starts at any stage from that stage's input", () => {
    const checked = runStages("parse", REFERENCE, { stopAfter: "check" }).products.check!;
    const { products } = runStages("plan", checked);
    expect(Object.keys(products)).toEqual(["plan", "emit"]);
    expect(() => runStages("plan", checked, { stopAfter: "parse" })).toThrow(RangeError);
  });

  it("a stage with errors stops the run before the next stage", () => {
    const broken = [{ path: "x.constitution", text: 'constitution x version "1.0.0"\nschema { a: strin }\n' }];
    const parsed = runStages("parse", [{ path: "y.constitution", text: "constitution y version" }]);
    expect(Object.keys(parsed.products)).toEqual(["parse"]);
    expect(parsed.sink.diagnostics().map((d) => d.code)).toEqual(["MG1011"]);
    const checked = runStages("parse", broken);
    expect(Object.keys(checked.products)).toEqual(["parse", "check"]);
    expect(checked.products.check).toBeNull();
    expect(checked.sink.diagnostics().map((d) => d.code)).toEqual(["MG2004"]);
  });

  it("one sink collects the diagnostics of every run through it, each once", () => {
    const source = { path: WARNING_ONLY, text: readFileSync(WARNING_ONLY, "utf8") };
    const sink = new DiagnosticSink();
    const first = runStages("parse", [source], { sink });
    const second = compileSources([source], sink);
    expect(first.products.emit).toBeInstanceOf(Uint8Array);
    expect(second.diagnostics.map((d) => `${d.code} ${d.severity}`)).toEqual(["MG2090 warning"]);
  });

  it("an internal compiler error escaping a stage is tagged with that stage's name", () => {
    const checked = runStages("parse", REFERENCE, { stopAfter: "check" }).products.check!;
    const rule = checked.articles.flatMap((a) => a.rules).find((r) => r.kind === "forbid")!;
    rule.when = { kind: "Null", span: rule.when.span } as typeof rule.when;
    let caught: unknown;
    try {
      runStages("plan", checked);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InternalCompilerError);
    expect((caught as InternalCompilerError).stage).toBe("plan");
    expect((caught as InternalCompilerError).code).toBe("MG9001");
  });
});

/** An in-memory file system that records every path it is asked about. */
function memoryFileSystem(files: Record<string, string>): SourceFileSystem & { asked: string[] } {
  const asked: string[] = [];
  const missing = (path: string) => Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
  const isDir = (path: string) => Object.keys(files).some((f) => f.startsWith(`${path}/`));
  return {
    asked,
    async readFile(path) {
      asked.push(path);
      if (files[path] === undefined) throw missing(path);
      return new TextEncoder().encode(files[path]);
    },
    async readdir(path) {
      asked.push(path);
      return Object.keys(files)
        .filter((f) => f.startsWith(`${path}/`))
        .map((f) => f.slice(path.length + 1));
    },
    async stat(path) {
      asked.push(path);
      if (files[path] === undefined && !isDir(path)) throw missing(path);
      return { isDirectory: () => isDir(path) };
    },
  };
}

describe("reading sources through a SourceFileSystem", () => {
  const text = REFERENCE[0]!.text;

  it("resolves relative paths against cwd but reports them as the user wrote them", async () => {
    const fs = memoryFileSystem({
      "/work/p/policy/musgo.constitution": text,
      "/work/p/policy/musgo_test.constitution": "x",
      "/work/p/policy/notes.txt": "",
    });
    const run = await runPaths(["policy"], { fs, cwd: "/work/p", includeTests: false, stopAfter: "check" });
    expect(run.sink.diagnostics()).toEqual([]);
    expect(run.sources.map((s) => s.path)).toEqual(["policy/musgo.constitution"]);
    expect(run.products.check).toMatchObject({ name: "musgo" });
    expect(fs.asked.every((p) => p.startsWith("/work/p/"))).toBe(true);
  });

  it("a missing path is MG4001 and a directory without constitutions MG4002, with no stage run", async () => {
    const fs = memoryFileSystem({ "/w/empty/readme.md": "" });
    const missing = await runPaths(["nope.constitution"], { fs, cwd: "/w", includeTests: true });
    expect(missing.sink.diagnostics().map((d) => [d.code, d.span.file, d.hint])).toEqual([
      ["MG4001", "nope.constitution", "check the path: no such file or directory"],
    ]);
    expect(missing.products).toEqual({});
    const empty = await runPaths(["empty"], { fs, cwd: "/w", includeTests: true });
    expect(empty.sink.diagnostics().map((d) => d.code)).toEqual(["MG4002"]);
  });

  it("the Guard's engine loader reads sources and modules through the same file system and cwd", async () => {
    const fs = memoryFileSystem({ "/srv/policy/musgo.constitution": text });
    const engine = await loadEngine({ paths: ["policy"], engine: "interp", fs, cwd: "/srv" });
    expect(engine.constitution).toMatchObject({ name: "musgo", version: "1.2.0" });
    expect(fs.asked).toContain("/srv/policy/musgo.constitution");
    await expect(loadEngine({ paths: ["m.wasm"], fs, cwd: "/srv" })).rejects.toThrow(
      "cannot read module `/srv/m.wasm`",
    );
  });
});
