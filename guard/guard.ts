// The Guard: judges an agent's action, applies the constitution's rate limits, contains the agent
// as the determining violation's remedy says, and records what happened (audit record, incident).

import { randomUUID } from "node:crypto";
import type { DecisionEngine } from "../contract/engine.js";
import { invalidInputVerdict, type Verdict } from "../contract/verdict.js";
import { DEFAULT_STATE_DIR, FileStateStore } from "./file-state-store.js";
import { mergeLimitViolations } from "./merge-limit-violations.js";
import { planRemedy, type RemedyPlan } from "./plan-remedy.js";
import {
  MalformedInput,
  type ActuationReport,
  type AgentStateStore,
  type AuditEntry,
  type AuditSink,
  type ContainmentActuator,
  type IncidentReceipt,
  type IncidentStore,
} from "../contract/ports.js";
import { RateLimits } from "./rate-limits.js";

export interface GuardOptions {
  engine: DecisionEngine;
  /** Runs quarantine, suspension and release (e.g. adapters/kubernetes). */
  actuator?: ContainmentActuator;
  /** Where rollback restores from; default: a FileStateStore in `.musgo/state`. */
  stateStore?: AgentStateStore;
  incidents?: IncidentStore;
  audit?: AuditSink;
  /** Apply the constitution's `limit` declarations (default true). */
  limits?: boolean;
  /** Validate every change without making it; no incident or audit record is written. */
  dryRun?: boolean;
  /** Milliseconds since the epoch; injectable for tests. */
  clock?: () => number;
}

export type AuditOutcome = { status: "written"; seq: number } | { status: "failed"; error: string } | { status: "skipped"; reason: string };

export interface GuardResult {
  /** The effective decision: the verdict's, and false when the audit record could not be written (fail closed). */
  permitted: boolean;
  verdict: Verdict;
  remedy: RemedyPlan;
  /** Containment operations run for this decision (none when the remedy contains nothing). */
  actions: ActuationReport[];
  incident: IncidentReceipt | null;
  audit: AuditOutcome;
  dryRun: boolean;
}

export interface ReleaseResult {
  report: ActuationReport;
  audit: AuditOutcome;
  dryRun: boolean;
}

export class Guard {
  private readonly engine: DecisionEngine;
  private readonly rateLimits: RateLimits | null;
  private readonly stateStore: AgentStateStore;
  private readonly clock: () => number;
  private readonly dryRun: boolean;

  constructor(private readonly options: GuardOptions) {
    this.engine = options.engine;
    this.rateLimits = options.limits === false ? null : new RateLimits(options.engine.limits);
    this.stateStore = options.stateStore ?? new FileStateStore(DEFAULT_STATE_DIR);
    this.clock = options.clock ?? Date.now;
    this.dryRun = options.dryRun ?? false;
  }

  /** The verdict for one decision input with the rate limits applied; counts the decision. */
  judge(input: unknown): Verdict {
    if (input instanceof MalformedInput) return invalidInputVerdict(input.error, this.engine.constitution);
    const verdict = this.engine.decide(input);
    if (this.rateLimits === null) return verdict;
    return mergeLimitViolations(verdict, this.rateLimits.record(input, this.clock()));
  }

  /** Judges `{...extras, agent, action}` and enforces the verdict. */
  validateAction(agent: unknown, action: unknown, extras: Record<string, unknown> = {}): Promise<GuardResult> {
    return this.enforce({ ...extras, agent, action });
  }

  /** Judges a whole decision input and enforces the verdict. */
  async enforce(input: unknown): Promise<GuardResult> {
    const at = new Date(this.clock()).toISOString();
    const verdict = this.judge(input);
    const remedy = planRemedy(verdict);
    const agent = agentIdOf(input);
    const actions = remedy.containment !== null && agent !== null ? [await this.contain(remedy.containment, agent)] : [];
    const incidentId = remedy.incident && agent !== null ? randomUUID() : null;
    const audit = await this.writeAudit({ kind: "decision", agent, input, verdict, actions, incident: incidentId });
    let incident: IncidentReceipt | null = null;
    if (incidentId !== null && agent !== null && this.options.incidents !== undefined && !this.dryRun) {
      incident = await this.options.incidents.record({
        id: incidentId,
        at,
        agent,
        action: remedy.remedy,
        reason: verdict.violation ?? remedy.remedy,
        verdict,
        audit_seq: audit.status === "written" ? audit.seq : null,
      });
    }
    return { permitted: verdict.permitted && audit.status !== "failed", verdict, remedy, actions, incident, audit, dryRun: this.dryRun };
  }

  /** The appeal path: undoes quarantine and suspension of `agent`. */
  async release(agent: string): Promise<ReleaseResult> {
    const report = await this.withActuator("release", agent, (actuator) => actuator.release(agent, { dryRun: this.dryRun }));
    const audit = await this.writeAudit({ kind: "release", agent, actions: [report] });
    return { report, audit, dryRun: this.dryRun };
  }

  private contain(operation: NonNullable<RemedyPlan["containment"]>, agent: string): Promise<ActuationReport> {
    const options = { dryRun: this.dryRun };
    switch (operation) {
      case "rollback":
        return this.rollback(agent);
      case "quarantine":
        return this.withActuator(operation, agent, (actuator) => actuator.quarantine(agent, options));
      case "suspend":
        return this.withActuator(operation, agent, (actuator) => actuator.suspend(agent, options));
    }
  }

  private async withActuator(
    operation: ActuationReport["operation"],
    agent: string,
    run: (actuator: ContainmentActuator) => Promise<ActuationReport>,
  ): Promise<ActuationReport> {
    if (this.options.actuator !== undefined) return run(this.options.actuator);
    return failedReport(operation, agent, "no containment actuator is configured (e.g. Kubernetes)");
  }

  private async rollback(agent: string): Promise<ActuationReport> {
    const target = `state of ${agent}`;
    const step = "restore-checkpoint";
    try {
      const checkpoint = this.dryRun ? await this.stateStore.latestCheckpoint(agent) : await this.stateStore.restoreLatest(agent);
      if (checkpoint === null) return { ...failedReport("rollback", agent, `no checkpoint to restore for agent ${agent}`), target };
      const detail = `${this.dryRun ? "would restore" : "restored"} checkpoint ${checkpoint.seq} taken at ${checkpoint.at}`;
      const steps = [{ step, status: this.dryRun ? ("dry-run" as const) : ("done" as const), detail }];
      return { operation: "rollback", agent, target, complete: true, steps, remaining: [], error: null };
    } catch (e) {
      return { ...failedReport("rollback", agent, (e as Error).message), target };
    }
  }

  private async writeAudit(entry: AuditEntry): Promise<AuditOutcome> {
    if (this.options.audit === undefined) return { status: "skipped", reason: "audit is not configured" };
    if (this.dryRun) return { status: "skipped", reason: "dry run" };
    try {
      const receipt = await this.options.audit.append(entry);
      return receipt === null ? { status: "skipped", reason: `the audit log does not record ${entry.kind} entries` } : { status: "written", seq: receipt.seq };
    } catch (e) {
      return { status: "failed", error: (e as Error).message };
    }
  }
}

function failedReport(operation: ActuationReport["operation"], agent: string, error: string): ActuationReport {
  return { operation, agent, target: agent, complete: false, steps: [], remaining: [], error };
}

/** `agent.id` of a decision input, when it is a non-empty string. */
export function agentIdOf(input: unknown): string | null {
  if (typeof input !== "object" || input === null) return null;
  const agent = (input as { agent?: unknown }).agent;
  if (typeof agent !== "object" || agent === null) return null;
  const id = (agent as { id?: unknown }).id;
  return typeof id === "string" && id !== "" ? id : null;
}
