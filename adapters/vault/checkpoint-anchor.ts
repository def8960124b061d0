// Anchors the audit log's signed checkpoints outside the log host (docs/audit.md, "Checkpoint format"): each one
// create-only at `<prefix>/<origin>/<size>`, and `<prefix>/<origin>/latest` moved forward with
// check-and-set, never backwards.

import type { VaultClient } from "./client.js";
import { KvV2 } from "./kv.js";

export const DEFAULT_CHECKPOINT_PREFIX = "audit-checkpoints";

/** A C2SP checkpoint: the log's origin line, its size and the signed note, verbatim. */
export interface AnchoredCheckpoint {
  origin: string;
  size: number;
  note: string;
}

/** Two different checkpoints claim the same log size: the log was rewritten or forked. */
export class CheckpointConflictError extends Error {}

export class VaultCheckpointAnchor {
  private readonly kv: KvV2;
  private readonly prefix: string;

  constructor(client: VaultClient, options: { mount?: string; prefix?: string } = {}) {
    this.kv = new KvV2(client, options.mount ?? "secret");
    this.prefix = options.prefix ?? DEFAULT_CHECKPOINT_PREFIX;
  }

  /** Anchors `checkpoint`; anchoring the same checkpoint again is a no-op. */
  async anchor(checkpoint: AnchoredCheckpoint): Promise<void> {
    const path = `${this.prefix}/${checkpoint.origin}/${checkpoint.size}`;
    if (!(await this.kv.create(path, { ...checkpoint }))) {
      const existing = await this.kv.read(path);
      if (existing?.data.note !== checkpoint.note) {
        throw new CheckpointConflictError(
          `a different checkpoint of ${checkpoint.origin} at size ${checkpoint.size} is already anchored at ${this.kv.mount}/${path}`,
        );
      }
    }
    await this.advanceLatest(checkpoint);
  }

  /** The newest anchored checkpoint of `origin`, or null. */
  async latest(origin: string): Promise<AnchoredCheckpoint | null> {
    const entry = await this.kv.read(`${this.prefix}/${origin}/latest`);
    return entry === null ? null : (entry.data as unknown as AnchoredCheckpoint);
  }

  private async advanceLatest(checkpoint: AnchoredCheckpoint): Promise<void> {
    const path = `${this.prefix}/${checkpoint.origin}/latest`;
    for (;;) {
      const current = await this.kv.read(path);
      if (current !== null && (current.data.size as number) >= checkpoint.size) return;
      // A concurrent writer moved `latest` between the read and the write: read again.
      if (await this.kv.writeCas(path, { ...checkpoint }, current?.version ?? 0)) return;
    }
  }
}
