// The interfaces the Guard drives. Adapters (adapters/kubernetes, adapters/vault, the audit log)
// implement them structurally, so runtime/ never imports an adapter or a client library.

import type { Remedy, Verdict } from "./verdict.js";

/**
 * Decision input bytes the strict reader (json-input.ts) rejects: judged fail-closed (`invalid_input`,
 * with `error`, the text `opa_eval` puts in its verdict) instead of rejected, so a malformed request
 * still gets a verdict and an audit record (of `raw`'s hash).
 */
export class MalformedInput {
  constructor(
    readonly raw: Uint8Array,
    readonly error: string,
  ) {}
}

/** A containment operation on one agent's workload. */
export type ContainmentOperation = "quarantine" | "suspend" | "release" | "rollback";

export type StepStatus = "done" | "unchanged" | "dry-run" | "failed";

export interface StepResult {
  /** Short, stable step name, e.g. `create-network-policy`. */
  step: string;
  status: StepStatus;
  detail: string;
}

/**
 * What one operation did. Operations stop at the first failed step: `steps` holds every step that ran
 * (the last one failed when `complete` is false) and `remaining` the steps never attempted.
 */
export interface ActuationReport {
  operation: ContainmentOperation;
  /** The agent the operation was for. */
  agent: string;
  /** What was acted on, e.g. `deployment agents/advisor-7f2a9c1b`. */
  target: string;
  complete: boolean;
  steps: StepResult[];
  remaining: string[];
  error: string | null;
}

export interface ActuationOptions {
  /** Validate every write on the server without persisting it (Kubernetes `dryRun=All`). */
  dryRun: boolean;
}

/**
 * A request an operation would send, as data (`musgo plan`). Values only the live system can supply
 * (a Deployment's selector, the next incident number) are named in angle brackets, never guessed.
 */
export interface PlannedRequest {
  action: string;
  target: Record<string, unknown>;
  request?: { method: string; path: string; contentType: string | null };
  body?: unknown;
  note?: string;
}

/** What containment would send, computed without contacting anything. */
export interface ContainmentPlanner {
  plan(operation: ContainmentOperation, agent: string): PlannedRequest[];
}

/** Quarantine, suspension and their release; every operation is idempotent. */
export interface ContainmentActuator {
  quarantine(agent: string, options: ActuationOptions): Promise<ActuationReport>;
  suspend(agent: string, options: ActuationOptions): Promise<ActuationReport>;
  release(agent: string, options: ActuationOptions): Promise<ActuationReport>;
}

/** A snapshot of an agent's state, taken by the agent's host (the seed: every 30 seconds). */
export interface Checkpoint {
  agent: string;
  /** 1, 2, 3… per agent. */
  seq: number;
  /** RFC 3339 UTC. */
  at: string;
  state: unknown;
}

/** Where agents keep their live state and its checkpoints; `rollback` goes through it. */
export interface AgentStateStore {
  /** The agent's live state, or null when it has none. */
  read(agent: string): Promise<unknown>;
  write(agent: string, state: unknown): Promise<void>;
  /** Snapshots the live state. */
  checkpoint(agent: string): Promise<Checkpoint>;
  latestCheckpoint(agent: string): Promise<Checkpoint | null>;
  /** Makes the latest checkpoint the live state again; null when there is no checkpoint. */
  restoreLatest(agent: string): Promise<Checkpoint | null>;
  /** What `restoreLatest` would do, as data. */
  planRestore(agent: string): PlannedRequest;
}

/** An incident: a decision whose determining violation carried a remedy. */
export interface Incident {
  /** Unique per incident; makes retried writes recognisable. */
  id: string;
  /** RFC 3339 UTC, when the Guard decided. */
  at: string;
  agent: string;
  /** The remedy applied. */
  action: Remedy;
  /** The determining violation's code. */
  reason: string;
  verdict: Verdict;
  /** Sequence number of the decision's audit record, when audit is configured. */
  audit_seq: number | null;
}

export interface IncidentReceipt {
  id: string;
  /** `stored`: written; `spooled`: durably queued, to be replayed in order when the store is back. */
  status: "stored" | "spooled";
  /** Where it was written (null while spooled). */
  path: string | null;
}

export interface IncidentStore {
  record(incident: Incident): Promise<IncidentReceipt>;
}

/** The write `record` would send for an incident, as data. */
export interface IncidentPlanner {
  plan(incident: Incident): PlannedRequest;
}

/** One audit record the Guard asks for; the sink hashes the input and signs the record. */
export type AuditEntry =
  | {
      kind: "decision";
      agent: string | null;
      input: unknown;
      /** The bytes the input was read from, when the host has them: hashed when the input has no JSON form. */
      raw?: string | Uint8Array;
      /** Hex SHA-256 of the module (or sources) that judged; the sink's own when absent. */
      moduleSha256?: string;
      verdict: Verdict;
      incident: string | null;
    }
  | { kind: "release"; agent: string; actions: ActuationReport[] };

export interface AuditSink {
  /** Resolves with the record's sequence number once durable, or null when the sink does not record this kind of entry. */
  append(entry: AuditEntry): Promise<{ seq: number } | null>;
}
