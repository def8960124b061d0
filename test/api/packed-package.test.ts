// The library API as a user gets it: `npm pack` of this repository, installed into a scratch project,
// imported by the package's name. One test per export (docs/api.md), each running a real Node process
// in the scratch project, and one type-check of a TypeScript file that uses every export's types.

import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const REPO = resolve(import.meta.dirname, "../..");
let project = "";

/** Runs an ES module in the scratch project and returns what it printed, parsed as JSON. */
function runModule(name: string, source: string): unknown {
  const file = join(project, name);
  writeFileSync(file, source);
  const stdout = execFileSync(process.execPath, [file], {
    cwd: project,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return JSON.parse(stdout);
}

beforeAll(() => {
  // dist/ is built by the test script before vitest runs; --ignore-scripts keeps pack from rebuilding it.
  const packDir = mkdtempSync(join(tmpdir(), "musgo-pack-"));
  execFileSync("npm", ["pack", "--ignore-scripts", "--pack-destination", packDir], { cwd: REPO, stdio: "pipe" });
  const tarball = join(
    packDir,
    readdirSync(packDir).find((f) => f.endsWith(".tgz"))!,
  );
  project = mkdtempSync(join(tmpdir(), "musgo-user-"));
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module" }));
  // Dependencies come from npm's cache when this machine installed the repository (npm ci) before.
  execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball], {
    cwd: project,
    stdio: "pipe",
  });
  cpSync(join(REPO, "constitution"), join(project, "constitution"), { recursive: true });
}, 300_000);

describe("the packed package, imported by name", () => {
  it("ships dist/ and docs, not tests, benches or sources", () => {
    const files = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: REPO,
      encoding: "utf8",
    });
    const paths = (JSON.parse(files) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    expect(paths).toContain("dist/compiler/index.js");
    expect(paths).toContain("dist/guard/index.d.ts");
    expect(paths.filter((p) => p.startsWith("test/") || p.startsWith("bench/") || p.startsWith("dist/bench/"))).toEqual(
      [],
    );
    expect(paths.filter((p) => p.endsWith(".ts") && !p.endsWith(".d.ts"))).toEqual([]);
  });

  it("musgo: compile, check, format, interpret; compileOrThrow throws a CompileError with diagnostics", () => {
    const out = runModule(
      "compiler.mjs",
      `import { compile, compileOrThrow, check, format, interpret, CompileError } from "musgo";
       import { readFileSync } from "node:fs";
       const input = JSON.parse(readFileSync("constitution/examples/example3-classified.json", "utf8"));
       const built = await compile({ paths: ["constitution/"] });
       const checked = await check({ paths: ["constitution/"] }, { includeTests: true });
       const verdict = interpret(checked.constitution, input);
       const formatted = format("article I \\"A\\" {  }\\n");
       let thrown = null;
       try { await compileOrThrow({ sources: [{ path: "bad.constitution", text: "article" }] }); }
       catch (e) { thrown = { isCompileError: e instanceof CompileError, codes: e.diagnostics.map((d) => d.code) }; }
       console.log(JSON.stringify({
         magic: [...built.module.slice(0, 4)], ir: built.ir !== null, errors: built.diagnostics.length,
         tests: checked.constitution.tests.length, verdict, formatted: formatted.text, thrown }));`,
    ) as Record<string, unknown>;
    expect(out.magic).toEqual([0, 0x61, 0x73, 0x6d]);
    expect(out.ir).toBe(true);
    expect(out.errors).toBe(0);
    expect(out.tests as number).toBeGreaterThan(0);
    expect(out.verdict).toMatchObject({
      permitted: false,
      violation: "unauthorized_classified_access",
      action_taken: "agent_suspended",
    });
    expect(typeof out.formatted).toBe("string");
    expect(out.thrown).toMatchObject({ isCompileError: true });
    expect((out.thrown as { codes: string[] }).codes.length).toBeGreaterThan(0);
  });

  it("musgo/compiler is the same API as musgo", () => {
    const out = runModule(
      "compiler-subpath.mjs",
      `import * as a from "musgo"; import * as b from "musgo/compiler";
       console.log(JSON.stringify({ same: Object.keys(a).sort().join() === Object.keys(b).sort().join() && a.compile === b.compile }));`,
    );
    expect(out).toEqual({ same: true });
  });

  it("musgo/runtime: loadConstitution judges like the interpreter, without the compiler", () => {
    const out = runModule(
      "runtime.mjs",
      `import { compile } from "musgo";
       import { loadConstitution } from "musgo/runtime";
       import { readFileSync } from "node:fs";
       const { module } = await compile({ paths: ["constitution/"] });
       const engine = loadConstitution(module);
       const action = JSON.parse(readFileSync("constitution/examples/example3-classified.json", "utf8"));
       const request = JSON.parse(readFileSync("constitution/examples/example1-registration.json", "utf8"));
       console.log(JSON.stringify({ verdict: engine.evaluate(action), registration: engine.evaluate(request, "constitution/registration") }));`,
    ) as { verdict: Record<string, unknown>; registration: Record<string, unknown> };
    expect(out.verdict).toMatchObject({ permitted: false, violation: "unauthorized_classified_access" });
    expect(out.registration).toMatchObject({ namespace: expect.any(String) });
  });

  it("musgo/guard: createGuard builds what musgo enforce builds; limits and remedies apply", () => {
    const out = runModule(
      "guard.mjs",
      `import { createGuard } from "musgo/guard";
       import { readFileSync } from "node:fs";
       const action = JSON.parse(readFileSync("constitution/examples/example2-threat.json", "utf8"));
       const { guard, close } = await createGuard({ paths: ["constitution/"], mode: "plan", env: {} });
       const plan = guard.plan(action);
       const decision = await guard.decide(action);
       await close();
       console.log(JSON.stringify({ remedy: plan.remedy.remedy, actions: plan.requests.map((r) => r.action), permitted: decision.permitted }));`,
    ) as Record<string, unknown>;
    expect(out.remedy).toBe("quarantine");
    expect(out.actions).toEqual(["create-network-policy", "label-pods", "pin-to-quarantine-nodes", "record-incident"]);
    expect(out.permitted).toBe(false);
  });

  it("musgo/adapters/audit, /vault and /kubernetes load on their own", () => {
    const out = runModule(
      "adapters.mjs",
      `import { generateSoftwareKey, softwareSigner, inputDigest } from "musgo/adapters/audit";
       import { kvWriteBody, VaultIncidentPlanner } from "musgo/adapters/vault";
       import { deploymentNameFor, planKubernetes } from "musgo/adapters/kubernetes";
       console.log(JSON.stringify({
         digest: inputDigest({ a: 1 }).length,
         signer: typeof softwareSigner, keygen: typeof generateSoftwareKey,
         kv: kvWriteBody({ x: 1 }, 0), planner: typeof VaultIncidentPlanner,
         deployment: deploymentNameFor("advisor_7f2a9c1b", "{agent}"),
         plan: planKubernetes("suspend", { namespace: "agents", name: "advisor-7f2a9c1b" }).map((r) => r.action) }));`,
    );
    expect(out).toEqual({
      digest: 64,
      signer: "function",
      keygen: "function",
      kv: { data: { x: 1 }, options: { cas: 0 } },
      planner: "function",
      deployment: "advisor-7f2a9c1b",
      plan: ["remember-replicas", "scale-to-zero"],
    });
  });

  it("every export has types: a TypeScript user file type-checks against the installed package", () => {
    writeFileSync(
      join(project, "user.ts"),
      `import { compile, type Verdict, type Diagnostic } from "musgo";
       import { loadConstitution, type LoadedConstitution } from "musgo/runtime";
       import { createGuard, type GuardConfig, type Decision } from "musgo/guard";
       import { openAuditLog, type AuditLog } from "musgo/adapters/audit";
       import { createVaultClient } from "musgo/adapters/vault";
       import { KubernetesActuator } from "musgo/adapters/kubernetes";
       const config: GuardConfig = { paths: ["constitution/"], mode: "decide" };
       export async function use(): Promise<[Verdict | null, Diagnostic[], Decision, unknown[]]> {
         const { module, diagnostics } = await compile({ paths: ["constitution/"] });
         const engine: LoadedConstitution | null = module === null ? null : loadConstitution(module);
         const { guard } = await createGuard(config);
         const log: AuditLog | null = null;
         return [engine?.decide({}) ?? null, diagnostics, await guard.decide({}), [log, openAuditLog, createVaultClient, KubernetesActuator]];
       }
`,
    );
    writeFileSync(
      join(project, "tsconfig.json"),
      // skipLibCheck: a dependency's own .d.ts (isomorphic-ws, under @kubernetes/client-node) needs @types/ws.
      JSON.stringify({
        compilerOptions: {
          module: "NodeNext",
          moduleResolution: "NodeNext",
          target: "ES2022",
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: ["user.ts"],
      }),
    );
    const tsc = join(REPO, "node_modules/typescript/bin/tsc");
    const typeCheck = () =>
      execFileSync(process.execPath, [tsc, "-p", project], { cwd: project, encoding: "utf8", stdio: "pipe" });
    expect(typeCheck).not.toThrow();
    // The types are real: a wrong use of them fails the same check.
    writeFileSync(
      join(project, "user.ts"),
      `import type { Verdict } from "musgo";\nexport const wrong: Verdict = { permitted: "yes" };\n`,
    );
    const failure = (() => {
      try {
        typeCheck();
        return "";
      } catch (e) {
        return String((e as { stdout?: string }).stdout);
      }
    })();
    expect(failure).toMatch(/user\.ts\(2,\d+\): error TS2322/);
  });
});
