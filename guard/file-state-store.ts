// The default AgentStateStore: one JSON file per agent, replaced atomically (write, fsync, rename),
// keeping the live state and the most recent checkpoints.

import { mkdir, open, readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { fileErrorReason } from "../contract/file-errors.js";
import type { AgentStateStore, Checkpoint, PlannedRequest } from "../contract/ports.js";

export const DEFAULT_STATE_DIR = ".musgo/state";

interface AgentFile {
  state: unknown;
  checkpoints: Checkpoint[];
}

export interface FileStateStoreOptions {
  /** How many checkpoints to keep per agent (default 10). */
  keep?: number;
  clock?: () => number;
}

export class FileStateStore implements AgentStateStore {
  private readonly keep: number;
  private readonly clock: () => number;

  constructor(
    readonly dir: string = DEFAULT_STATE_DIR,
    options: FileStateStoreOptions = {},
  ) {
    this.keep = options.keep ?? 10;
    this.clock = options.clock ?? Date.now;
  }

  planRestore(agent: string): PlannedRequest {
    return {
      action: "restore-checkpoint",
      target: { kind: "AgentState", agent, store: this.dir },
      note: "the agent's latest checkpoint becomes its live state",
    };
  }

  async read(agent: string): Promise<unknown> {
    return (await this.load(agent)).state;
  }

  async write(agent: string, state: unknown): Promise<void> {
    const file = await this.load(agent);
    await this.save(agent, { ...file, state });
  }

  async checkpoint(agent: string): Promise<Checkpoint> {
    const file = await this.load(agent);
    const seq = (file.checkpoints.at(-1)?.seq ?? 0) + 1;
    const checkpoint: Checkpoint = { agent, seq, at: new Date(this.clock()).toISOString(), state: file.state };
    await this.save(agent, { state: file.state, checkpoints: [...file.checkpoints, checkpoint].slice(-this.keep) });
    return checkpoint;
  }

  async latestCheckpoint(agent: string): Promise<Checkpoint | null> {
    return (await this.load(agent)).checkpoints.at(-1) ?? null;
  }

  async restoreLatest(agent: string): Promise<Checkpoint | null> {
    const file = await this.load(agent);
    const latest = file.checkpoints.at(-1);
    if (latest === undefined) return null;
    await this.save(agent, { ...file, state: latest.state });
    return latest;
  }

  private path(agent: string): string {
    // Agent ids come from inputs: encode them so no id can name a path outside the directory.
    return join(this.dir, `${encodeURIComponent(agent)}.json`);
  }

  private async load(agent: string): Promise<AgentFile> {
    const path = this.path(agent);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return { state: null, checkpoints: [] };
      throw new Error(`cannot read the state of agent ${agent} in \`${path}\`: ${fileErrorReason(e)}`);
    }
    const file = agentFileOf(text);
    if (file === null) throw new Error(`\`${path}\` is not a musgo agent state file (move it aside)`);
    return file;
  }

  private async save(agent: string, file: AgentFile): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const target = this.path(agent);
    const temp = `${target}.${process.pid}.tmp`;
    const handle = await open(temp, "w");
    try {
      await handle.writeFile(JSON.stringify(file));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  }
}

/** The file's contents when they have the shape this store writes, else null. */
function agentFileOf(text: string): AgentFile | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const file = value as Partial<AgentFile> | null;
  if (typeof file !== "object" || file === null || !Array.isArray(file.checkpoints)) return null;
  const wellFormed = file.checkpoints.every((c: Partial<Checkpoint> | null) => typeof c?.seq === "number");
  return wellFormed ? { state: file.state ?? null, checkpoints: file.checkpoints } : null;
}
