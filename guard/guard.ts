// The Guard: judges an agent's action, applies the constitution's rate limits, contains the agent
// as the determining violation's remedy says, and records what happened (audit record, incident).

import { randomUUID } from "node:crypto";
import type { DecisionEngine } from "../contract/engine.js";
import { invalidInputVerdict, unavailableVerdict, type Verdict } from "../contract/verdict.js";
import { decisionInputOf } from "../contract/judge-bytes.js";
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
  type ContainmentPlanner,
  type Incident,
  type IncidentPlanner,
  type IncidentReceipt,
  type IncidentStore,
  type PlannedRequest,
} from "../contract/ports.js";
import { RateLimits } from "./rate-limits.js";

/** SHA-256 of zero bytes: the module hash audit records carry while no constitution is loaded. */
export const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

export interface GuardOptions {
  /** Absent (or null) while no constitution is loaded: every decision is then a fail-closed deny. */
  engine?: DecisionEngine | null;
  /** Runs quarantine, suspension and release (e.g. adapters/kubernetes). */
  actuator?: ContainmentActuator;
  /** Where rollback restores from; default: a FileStateStore in `.musgo/state`. */
  stateStore?: AgentStateStore;
  incidents?: IncidentStore;
  /** What `plan` shows for containment and incidents (computed, never sent). */
  planner?: ContainmentPlanner;
  incidentPlanner?: IncidentPlanner;
  audit?: AuditSink;
  /** Apply the constitution's `limit` declarations (default true). */
  limits?: boolean;
  /** Validate every change without making it; no incident or audit record is written. */
  dryRun?: boolean;
  /** Milliseconds since the epoch; injectable for tests. */
  clock?: () => number;
}

export type AuditOutcome =
  { status: "written"; seq: number } | { status: "failed"; error: string } | { status: "skipped"; reason: string };

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

/** A judged and audited decision, before any containment (what a decision service answers with). */
export interface Decision {
  /** The effective decision: the verdict's, and false when the audit record could not be written (fail closed). */
  permitted: boolean;
  verdict: Verdict;
  remedy: RemedyPlan;
  agent: string | null;
  /** RFC 3339 UTC, when the Guard decided. */
  at: string;
  audit: AuditOutcome;
  /** The incident this decision opens (a remedy other than `none`, for a known agent), else null. */
  incidentId: string | null;
}

/** What enforcing a decision would do, as data; nothing is contacted. */
export interface GuardPlan {
  verdict: Verdict;
  remedy: RemedyPlan;
  agent: string | null;
  requests: PlannedRequest[];
}

export interface DecideOptions {
  /** The bytes the input was read from: the audit record hashes them when the input has no JSON form. */
  raw?: string | Uint8Array;
}

export interface ReleaseResult {
  report: ActuationReport;
  audit: AuditOutcome;
  dryRun: boolean;
}

export class Guard {
  private engine: DecisionEngine | null;
  private rateLimits: RateLimits | null;
  private readonly stateStore: AgentStateStore;
  private readonly clock: () => number;
  private readonly dryRun: boolean;

  constructor(private readonly options: GuardOptions) {
    this.engine = options.engine ?? null;
    this.rateLimits = this.limitsFor(this.engine);
    this.stateStore = options.stateStore ?? new FileStateStore(DEFAULT_STATE_DIR);
    this.clock = options.clock ?? Date.now;
    this.dryRun = options.dryRun ?? false;
  }

  /** Whether containment can run (an actuator such as Kubernetes is configured). */
  get hasActuator(): boolean {
    return this.options.actuator !== undefined;
  }

  /** The engine judging now (null: none loaded, every decision is denied). */
  get currentEngine(): DecisionEngine | null {
    return this.engine;
  }

  /** Replaces the engine (a new constitution); the limits' windows start afresh for the new declarations. */
  setEngine(engine: DecisionEngine | null): void {
    this.engine = engine;
    this.rateLimits = this.limitsFor(engine);
  }

  /** What judged: the engine's artifact hash, or the hash of nothing while no constitution is loaded. */
  private moduleSha256(): string {
    return this.engine?.artifactSha256 ?? EMPTY_SHA256;
  }

  private limitsFor(engine: DecisionEngine | null): RateLimits | null {
    return this.options.limits === false || engine === null ? null : new RateLimits(engine.limits);
  }

  /** The verdict for one decision input with the rate limits applied; counts the decision. */
  judge(input: unknown): Verdict {
    if (this.engine === null) return unavailableVerdict("no constitution is loaded: every action is refused");
    if (input instanceof MalformedInput) return invalidInputVerdict(input.error, this.engine.constitution);
    const verdict = this.engine.decide(input);
    if (this.rateLimits === null) return verdict;
    return mergeLimitViolations(verdict, this.rateLimits.record(input, this.clock()));
  }

  /** Judges `{...extras, agent, action}` and enforces the verdict. */
  validateAction(agent: unknown, action: unknown, extras: Record<string, unknown> = {}): Promise<GuardResult> {
    return this.enforce({ ...extras, agent, action });
  }

  /** Judges a decision input, applies the limits and writes its audit record; contains no one. */
  async decide(input: unknown, options: DecideOptions = {}): Promise<Decision> {
    const at = new Date(this.clock()).toISOString();
    const verdict = this.judge(input);
    const remedy = planRemedy(verdict);
    const agent = agentIdOf(input);
    const incident = remedy.incident && agent !== null ? randomUUID() : null;
    const entry: AuditEntry = { kind: "decision", agent, input, verdict, incident, moduleSha256: this.moduleSha256() };
    if (options.raw !== undefined) entry.raw = options.raw;
    const audit = await this.writeAudit(entry);
    const permitted = verdict.permitted && audit.status !== "failed";
    return { permitted, verdict, remedy, agent, at, audit, incidentId: incident };
  }

  /**
   * Judges decision input bytes (a file, a request body) read as the module reads them
   * (contract/json-input.ts): bytes it rejects get the fail-closed `invalid_input` verdict.
   */
  decideBytes(bytes: Uint8Array): Promise<Decision> {
    return this.decide(decisionInputOf(bytes), { raw: bytes });
  }

  /** decideBytes, then carryOut. */
  async enforceBytes(bytes: Uint8Array): Promise<GuardResult> {
    return this.carryOut(await this.decideBytes(bytes));
  }

  /** Judges a whole decision input and enforces the verdict: containment, then the incident. */
  async enforce(input: unknown, options: DecideOptions = {}): Promise<GuardResult> {
    const decision = await this.decide(input, options);
    return this.carryOut(decision);
  }

  /** Runs a decision's containment and records its incident (a service does this after answering). */
  async carryOut(decision: Decision): Promise<GuardResult> {
    const { verdict, remedy, agent, audit } = decision;
    const actions =
      remedy.containment !== null && agent !== null ? [await this.contain(remedy.containment, agent)] : [];
    const { incidentId } = decision;
    let incident: IncidentReceipt | null = null;
    if (incidentId !== null && agent !== null && this.options.incidents !== undefined && !this.dryRun) {
      incident = await this.options.incidents.record(this.incidentOf(decision, incidentId, agent));
    }
    return { permitted: decision.permitted, verdict, remedy, actions, incident, audit, dryRun: this.dryRun };
  }

  /** What `enforce` would do for `input`, as data: the verdict and every request it would send. */
  plan(input: unknown): GuardPlan {
    const verdict = this.judge(input);
    const remedy = planRemedy(verdict);
    const agent = agentIdOf(input);
    const requests: PlannedRequest[] = [];
    if (agent !== null) {
      if (remedy.containment === "rollback") requests.push(this.stateStore.planRestore(agent));
      else if (remedy.containment !== null) requests.push(...this.planContainment(remedy.containment, agent));
      if (remedy.incident) requests.push(...this.planIncident(verdict, remedy, agent));
    }
    return { verdict, remedy, agent, requests };
  }

  private planContainment(operation: "quarantine" | "suspend", agent: string): PlannedRequest[] {
    if (this.options.planner !== undefined) return this.options.planner.plan(operation, agent);
    return [
      { action: operation, target: { agent }, note: "no containment actuator is configured: nothing would be sent" },
    ];
  }

  private planIncident(verdict: Verdict, remedy: RemedyPlan, agent: string): PlannedRequest[] {
    if (this.options.incidentPlanner === undefined) return [];
    const at = new Date(this.clock()).toISOString();
    const audit: AuditOutcome = { status: "skipped", reason: "plan" };
    return [this.options.incidentPlanner.plan(this.incidentOf({ verdict, remedy, at, audit }, "<uuid>", agent))];
  }

  private incidentOf(
    decision: Pick<Decision, "verdict" | "remedy" | "at" | "audit">,
    id: string,
    agent: string,
  ): Incident {
    const { verdict, remedy, at, audit } = decision;
    const audit_seq = audit.status === "written" ? audit.seq : null;
    return { id, at, agent, action: remedy.remedy, reason: verdict.violation ?? remedy.remedy, verdict, audit_seq };
  }

  /** The appeal path: undoes quarantine and suspension of `agent`. */
  async release(agent: string): Promise<ReleaseResult> {
    const report = await this.withActuator("release", agent, (actuator) =>
      actuator.release(agent, { dryRun: this.dryRun }),
    );
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
      const checkpoint = this.dryRun
        ? await this.stateStore.latestCheckpoint(agent)
        : await this.stateStore.restoreLatest(agent);
      if (checkpoint === null)
        return { ...failedReport("rollback", agent, `no checkpoint to restore for agent ${agent}`), target };
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
      return receipt === null
        ? { status: "skipped", reason: `the audit log does not record ${entry.kind} entries` }
        : { status: "written", seq: receipt.seq };
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
