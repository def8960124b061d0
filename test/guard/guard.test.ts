// The Guard's logic against fakes of its ports: which remedy runs, what is recorded, fail-closed audit.

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { DecisionEngine } from "../../contract/engine.js";
import { FileStateStore } from "../../guard/file-state-store.js";
import { Guard } from "../../guard/guard.js";
import type { ActuationReport, AuditEntry, ContainmentActuator, Incident } from "../../contract/ports.js";
import { ACTION_TAKEN, type Remedy, type Verdict } from "../../contract/verdict.js";
import { apiCallsLimit } from "../support/limits.js";

const constitution = { name: "t", version: "1", digest: "sha256:00" };
const limit = apiCallsLimit(2);

/** An engine that denies with `action.remedy` (if any) and permits otherwise. */
const engine: DecisionEngine = {
  constitution,
  artifactSha256: "0".repeat(64),
  limits: [limit],
  decide(input) {
    const remedy = (input as { action: { remedy?: Remedy } }).action.remedy;
    const base = { violations: [], permits: ["p"], constitution };
    if (remedy === undefined)
      return {
        permitted: true,
        violation: null,
        constitutional_article: null,
        action_taken: "none",
        appeal_process: null,
        ...base,
      };
    return {
      permitted: false,
      violation: `forbid_${remedy}`,
      constitutional_article: "Article_V_Test",
      action_taken: ACTION_TAKEN[remedy],
      appeal_process: "appeal",
      ...base,
      violations: [{ article: "V", code: `forbid_${remedy}`, remedy, enforcement: "mandatory", message: null }],
    } satisfies Verdict;
  },
  register: () => ({ namespace: null, permissions: [] }),
};

function recorder() {
  const calls: string[] = [];
  const report = (operation: ActuationReport["operation"], agent: string): ActuationReport => {
    calls.push(`${operation} ${agent}`);
    return { operation, agent, target: agent, complete: true, steps: [], remaining: [], error: null };
  };
  const actuator: ContainmentActuator = {
    quarantine: async (agent) => report("quarantine", agent),
    suspend: async (agent) => report("suspend", agent),
    release: async (agent) => report("release", agent),
  };
  const incidents: Incident[] = [];
  const audit: AuditEntry[] = [];
  return {
    calls,
    actuator,
    incidents,
    audit,
    incidentStore: {
      record: async (i: Incident) => (
        incidents.push(i),
        { id: i.id, status: "stored" as const, path: `secret/incidents/${incidents.length}` }
      ),
    },
    auditSink: { append: async (e: AuditEntry) => (audit.push(e), { seq: audit.length - 1 }) },
  };
}

const agent = { id: "advisor_7f2a9c1b" };
const stateDir = () => mkdtempSync(join(tmpdir(), "musgo-state-"));

describe("Guard", () => {
  it("suspends on a suspend remedy, then writes the audit record and an incident carrying its sequence", async () => {
    const r = recorder();
    const guard = new Guard({
      engine,
      actuator: r.actuator,
      incidents: r.incidentStore,
      audit: r.auditSink,
      clock: () => Date.UTC(2024, 11, 1),
    });
    const result = await guard.validateAction(agent, { remedy: "suspend" });
    expect(r.calls).toEqual(["suspend advisor_7f2a9c1b"]);
    expect(result.audit).toEqual({ status: "written", seq: 0 });
    expect(r.incidents[0]).toMatchObject({
      agent: "advisor_7f2a9c1b",
      action: "suspend",
      reason: "forbid_suspend",
      audit_seq: 0,
      at: "2024-12-01T00:00:00.000Z",
    });
    expect(r.audit[0]).toMatchObject({ kind: "decision", agent: "advisor_7f2a9c1b", incident: r.incidents[0]!.id });
    expect(result.incident?.status).toBe("stored");
  });

  it("contains nothing and records no incident for a permitted action; throttle and warn are incidents without containment", async () => {
    const r = recorder();
    const guard = new Guard({
      engine,
      actuator: r.actuator,
      incidents: r.incidentStore,
      stateStore: new FileStateStore(stateDir()),
    });
    expect((await guard.validateAction(agent, {})).incident).toBeNull();
    await guard.validateAction({ id: "b" }, { remedy: "throttle" });
    await guard.validateAction({ id: "c" }, { remedy: "warn" });
    expect(r.calls).toEqual([]);
    expect(r.incidents.map((i) => i.action)).toEqual(["throttle", "warn"]);
  });

  it("applies the constitution's limits: the third call in the window is quarantined as api_calls_exceeded", async () => {
    const r = recorder();
    const guard = new Guard({ engine, actuator: r.actuator, clock: () => 1000 });
    await guard.validateAction(agent, {});
    await guard.validateAction(agent, {});
    const third = await guard.validateAction(agent, {});
    expect(third.verdict).toMatchObject({
      permitted: false,
      violation: "api_calls_exceeded",
      action_taken: "agent_quarantined",
    });
    expect(r.calls).toEqual(["quarantine advisor_7f2a9c1b"]);
    const unlimited = new Guard({ engine, limits: false });
    for (let i = 0; i < 5; i++) expect(unlimited.judge({ agent, action: {} }).permitted).toBe(true);
  });

  it("rolls back through the state store to the latest checkpoint", async () => {
    const store = new FileStateStore(stateDir());
    await store.write("advisor_7f2a9c1b", { step: 1 });
    await store.checkpoint("advisor_7f2a9c1b");
    await store.write("advisor_7f2a9c1b", { step: 2, leaked: "-----BEGIN PRIVATE KEY-----" });
    const result = await new Guard({ engine, stateStore: store }).validateAction(agent, { remedy: "rollback" });
    expect(result.actions[0]).toMatchObject({
      operation: "rollback",
      complete: true,
      steps: [{ step: "restore-checkpoint", status: "done" }],
    });
    expect(await store.read("advisor_7f2a9c1b")).toEqual({ step: 1 });
  });

  it("reports a rollback with no checkpoint as failed", async () => {
    const result = await new Guard({ engine, stateStore: new FileStateStore(stateDir()) }).validateAction(agent, {
      remedy: "rollback",
    });
    expect(result.actions[0]).toMatchObject({
      complete: false,
      error: "no checkpoint to restore for agent advisor_7f2a9c1b",
    });
  });

  it("fails closed when the audit record cannot be written", async () => {
    const guard = new Guard({ engine, audit: { append: async () => Promise.reject(new Error("HSM unavailable")) } });
    const result = await guard.validateAction(agent, {});
    expect(result.verdict.permitted).toBe(true);
    expect(result.permitted).toBe(false);
    expect(result.audit).toEqual({ status: "failed", error: "HSM unavailable" });
  });

  it("dry run: containment runs as a dry run; no incident and no audit record are written", async () => {
    const r = recorder();
    let dryRunSeen: boolean | null = null;
    const actuator = {
      ...r.actuator,
      quarantine: async (a: string, o: { dryRun: boolean }) => ((dryRunSeen = o.dryRun), r.actuator.quarantine(a, o)),
    };
    const guard = new Guard({ engine, actuator, incidents: r.incidentStore, audit: r.auditSink, dryRun: true });
    const result = await guard.validateAction(agent, { remedy: "quarantine" });
    expect(dryRunSeen).toBe(true);
    expect(r.incidents).toEqual([]);
    expect(result.audit).toEqual({ status: "skipped", reason: "dry run" });
  });

  it("reports containment it cannot run when no actuator is configured, and releases through the actuator", async () => {
    const result = await new Guard({ engine }).validateAction(agent, { remedy: "suspend" });
    expect(result.actions[0]).toMatchObject({
      complete: false,
      error: expect.stringMatching(/no containment actuator/),
    });
    const r = recorder();
    const released = await new Guard({ engine, actuator: r.actuator, audit: r.auditSink }).release("advisor_7f2a9c1b");
    expect(released.report.complete).toBe(true);
    expect(r.audit[0]).toMatchObject({ kind: "release", agent: "advisor_7f2a9c1b" });
  });
});

describe("FileStateStore", () => {
  it("keeps only the newest checkpoints and survives a new instance", async () => {
    const dir = stateDir();
    const store = new FileStateStore(dir, { keep: 2 });
    for (let i = 1; i <= 3; i++) {
      await store.write("a/../b", { i });
      await store.checkpoint("a/../b");
    }
    const reopened = new FileStateStore(dir);
    expect((await reopened.latestCheckpoint("a/../b"))?.seq).toBe(3);
    expect(await reopened.latestCheckpoint("other")).toBeNull();
  });
});
