// Incidents in Vault KV v2 at `<mount>/<prefix>/<yyyymmdd>_<seq>` (the seed's
// `secret/incidents/20241201_001`), written create-only (`cas: 0`). Every incident goes through the
// durable spool first and is written strictly in spool order; while Vault is sealed or unreachable
// incidents wait in the spool and are replayed, in order, by the next record() or replay().

import type {
  Incident,
  IncidentPlanner,
  IncidentReceipt,
  IncidentStore,
  PlannedRequest,
} from "../../contract/ports.js";
import { describeVaultError, type VaultClient } from "./client.js";
import { KvV2, kvDataPath, kvWriteBody } from "./kv.js";
import { IncidentSpool, type SpooledIncident } from "./spool.js";

export const DEFAULT_INCIDENT_PREFIX = "incidents";
export const DEFAULT_SPOOL_FILE = ".musgo/spool/incidents.jsonl";

export interface VaultIncidentStoreOptions {
  client: VaultClient;
  /** KV v2 mount (default `secret`). */
  mount?: string;
  /** Directory under the mount (default `incidents`). */
  prefix?: string;
  /** The spool journal (default `.musgo/spool/incidents.jsonl`). */
  spoolFile?: string;
  /** After a failure, record() only spools until this much time passed (default 1 s); replay() always tries. */
  retryDelayMs?: number;
  clock?: () => number;
}

export interface ReplayOutcome {
  /** Incidents written by this replay, in order. */
  stored: { id: string; path: string }[];
  /** Incidents still waiting. */
  pending: number;
  /** Why the replay stopped early, if it did. */
  error: string | null;
}

export class VaultIncidentStore implements IncidentStore {
  readonly spool: IncidentSpool;
  private readonly kv: KvV2;
  private readonly prefix: string;
  private readonly retryDelayMs: number;
  private readonly clock: () => number;
  /** Paths of stored incidents whose record() call has not returned yet. */
  private readonly storedPaths = new Map<string, string>();
  private readonly awaiting = new Set<string>();
  /** Next sequence number per date, learned from Vault on first use. */
  private readonly nextSeq = new Map<string, number>();
  private lastFailureAt: number | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: VaultIncidentStoreOptions) {
    this.kv = new KvV2(options.client, options.mount ?? "secret");
    this.prefix = options.prefix ?? DEFAULT_INCIDENT_PREFIX;
    this.spool = new IncidentSpool(options.spoolFile ?? DEFAULT_SPOOL_FILE);
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.clock = options.clock ?? Date.now;
  }

  async record(incident: Incident): Promise<IncidentReceipt> {
    this.spool.enqueue(incident);
    this.awaiting.add(incident.id);
    const backingOff = this.lastFailureAt !== null && this.clock() - this.lastFailureAt < this.retryDelayMs;
    if (!backingOff) await this.replay();
    const path = this.storedPaths.get(incident.id);
    this.storedPaths.delete(incident.id);
    this.awaiting.delete(incident.id);
    return path === undefined
      ? { id: incident.id, status: "spooled", path: null }
      : { id: incident.id, status: "stored", path: this.displayPath(path) };
  }

  /** Writes every spooled incident, oldest first, stopping at the first failure. */
  replay(): Promise<ReplayOutcome> {
    const run = this.queue.then(() => this.drain());
    this.queue = run.catch(() => undefined);
    return run;
  }

  close(): void {
    this.spool.close();
  }

  private async drain(): Promise<ReplayOutcome> {
    const stored: ReplayOutcome["stored"] = [];
    for (const entry of this.spool.pending()) {
      let path: string;
      try {
        path = await this.write(entry);
      } catch (e) {
        this.lastFailureAt = this.clock();
        return { stored, pending: this.spool.size, error: describeVaultError(e) };
      }
      this.spool.done(entry.incident.id, path);
      if (this.awaiting.has(entry.incident.id)) this.storedPaths.set(entry.incident.id, path);
      stored.push({ id: entry.incident.id, path: this.displayPath(path) });
    }
    this.lastFailureAt = null;
    return { stored, pending: 0, error: null };
  }

  /** Writes one incident create-only and returns its path; a path holding another incident moves it on. */
  private async write({ incident, path: assigned }: SpooledIncident): Promise<string> {
    let path = assigned ?? (await this.allocate(incident));
    if (assigned !== null) this.noteTaken(path);
    for (;;) {
      if (path !== assigned) this.spool.assign(incident.id, path);
      if (await this.kv.create(path, incidentData(incident))) return path;
      // Taken: by this very incident (a write whose confirmation was lost), or by another one.
      const existing = await this.kv.read(path);
      if (existing?.data.id === incident.id) return path;
      this.noteTaken(path);
      assigned = path;
      path = await this.allocate(incident);
    }
  }

  private async allocate(incident: Incident): Promise<string> {
    const date = incident.at.slice(0, 10).replace(/-/g, "");
    let seq = this.nextSeq.get(date);
    if (seq === undefined) {
      const taken = (await this.kv.list(this.prefix))
        .map((key) => parseIncidentKey(key))
        .filter((k) => k?.date === date);
      seq = Math.max(0, ...taken.map((k) => k!.seq)) + 1;
    }
    this.nextSeq.set(date, seq + 1);
    return `${this.prefix}/${date}_${String(seq).padStart(3, "0")}`;
  }

  /** Keeps later allocations past a path known to be taken. */
  private noteTaken(path: string): void {
    const key = parseIncidentKey(path.slice(this.prefix.length + 1));
    if (key !== null) this.nextSeq.set(key.date, Math.max(this.nextSeq.get(key.date) ?? 1, key.seq + 1));
  }

  /** `secret/incidents/20241201_001`, as `vault kv get` names it. */
  private displayPath(path: string): string {
    return `${this.kv.mount}/${path}`;
  }
}

function parseIncidentKey(key: string): { date: string; seq: number } | null {
  const match = /^(\d{8})_(\d+)$/.exec(key);
  return match === null ? null : { date: match[1]!, seq: Number(match[2]) };
}

/** Where and what `record` writes, computed without contacting Vault (`musgo plan`). */
export class VaultIncidentPlanner implements IncidentPlanner {
  constructor(private readonly options: { mount: string; prefix: string; address: string | null }) {}

  plan(incident: Incident): PlannedRequest {
    const { mount, prefix, address } = this.options;
    const path = `${prefix}/<yyyymmdd>_<seq>`;
    return {
      action: "record-incident",
      target: {
        kind: "VaultKV",
        path: `${mount}/${path}`,
        vault: address ?? "(not configured: no incident would be written)",
      },
      request: { method: "POST", path: `/v1/${kvDataPath(mount, path)}`, contentType: "application/json" },
      body: kvWriteBody(incidentData(incident), 0),
      note: "create-only; <seq> is the next free number of the day",
    };
  }
}

function incidentData(incident: Incident): Record<string, unknown> {
  const { id, at, agent, action, reason, verdict, audit_seq } = incident;
  return { id, at, agent, action, reason, verdict, audit_seq };
}
