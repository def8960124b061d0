// The durable local queue behind the Vault incident store: an append-only JSONL journal, fsynced
// per entry. `enqueue` happens before any network call, `assign` records the KV path before the
// write is sent, `done` after Vault confirmed it. Replaying after a crash therefore retries the
// same path, where a create-only write finds its own incident instead of writing a second copy.

import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { fileErrorReason, isFileSystemError } from "../../contract/file-errors.js";
import type { Incident } from "../../contract/ports.js";

const COMPACT_AFTER_LINES = 1000;

type JournalLine =
  | { op: "enqueue"; incident: Incident }
  | { op: "assign"; id: string; path: string }
  | { op: "done"; id: string; path: string };

export interface SpooledIncident {
  incident: Incident;
  /** The KV path chosen for it, once one was; the write may or may not have reached Vault. */
  path: string | null;
}

/** The journal cannot be opened: it names the file and what is wrong, for the user to fix. */
export class SpoolError extends Error {}

export class IncidentSpool {
  private readonly pendingById = new Map<string, SpooledIncident>();
  private fd = -1;
  private lines = 0;

  /** Opens (or creates) the journal at `file` and recovers the incidents not yet confirmed. */
  constructor(readonly file: string) {
    try {
      mkdirSync(dirname(file), { recursive: true });
      for (const line of readJournal(file)) this.apply(line);
      // Rewriting drops a torn last line, so later appends start on a line of their own.
      this.rewrite();
    } catch (e) {
      if (!isFileSystemError(e)) throw e;
      throw new SpoolError(`cannot open the incident spool \`${file}\`: ${fileErrorReason(e)}`);
    }
  }

  /** Spooled incidents in the order they were enqueued. */
  pending(): SpooledIncident[] {
    return [...this.pendingById.values()];
  }

  get size(): number {
    return this.pendingById.size;
  }

  enqueue(incident: Incident): void {
    this.append({ op: "enqueue", incident });
  }

  assign(id: string, path: string): void {
    this.append({ op: "assign", id, path });
  }

  done(id: string, path: string): void {
    this.append({ op: "done", id, path });
    // Compact once the queue is empty, so the journal does not grow forever.
    if (this.pendingById.size === 0 && this.lines >= COMPACT_AFTER_LINES) this.rewrite();
  }

  close(): void {
    closeSync(this.fd);
  }

  private append(line: JournalLine): void {
    writeSync(this.fd, `${JSON.stringify(line)}\n`);
    fsyncSync(this.fd);
    this.lines++;
    this.apply(line);
  }

  private apply(line: JournalLine): void {
    switch (line.op) {
      case "enqueue":
        this.pendingById.set(line.incident.id, { incident: line.incident, path: null });
        return;
      case "assign": {
        const entry = this.pendingById.get(line.id);
        if (entry !== undefined) entry.path = line.path;
        return;
      }
      case "done":
        this.pendingById.delete(line.id);
        return;
    }
  }

  /** Atomically replaces the journal with one holding only the pending entries. */
  private rewrite(): void {
    const temp = `${this.file}.tmp`;
    const lines = this.pending().flatMap(({ incident, path }): JournalLine[] =>
      path === null
        ? [{ op: "enqueue", incident }]
        : [
            { op: "enqueue", incident },
            { op: "assign", id: incident.id, path },
          ],
    );
    const fd = openSync(temp, "w");
    writeSync(fd, lines.map((line) => `${JSON.stringify(line)}\n`).join(""));
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, this.file);
    syncDirectory(dirname(this.file));
    if (this.fd !== -1) closeSync(this.fd);
    this.fd = openSync(this.file, "a");
    this.lines = lines.length;
  }
}

/** Makes a rename in `dir` durable: without it a crash may bring back the old journal. */
function syncDirectory(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * The journal's entries; a torn last line (the process died mid-write: unterminated, the start of an entry)
 * is ignored. Anything else that is not an entry means the file is not a spool, and it is left untouched.
 */
function readJournal(file: string): JournalLine[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  const lines = text.split("\n").filter((line) => line !== "");
  return lines.flatMap((line, index) => {
    const entry = parseJournalLine(line);
    if (entry !== null) return [entry];
    if (index === lines.length - 1 && isTornWrite(line, text)) return [];
    const where = `the incident spool \`${file}\` is corrupt at line ${index + 1}`;
    throw new SpoolError(`${where}: it is not a musgo spool (move it aside)`);
  });
}

/** Every entry is written as `{"op":"…`, so an interrupted write leaves a prefix of that on the last line. */
const ENTRY_START = '{"op":"';

function isTornWrite(lastLine: string, text: string): boolean {
  return !text.endsWith("\n") && (lastLine.startsWith(ENTRY_START) || ENTRY_START.startsWith(lastLine));
}

/** One journal entry, or null when the line is not one (a torn write, or not a spool at all). */
function parseJournalLine(line: string): JournalLine | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  const entry = value as Partial<Record<string, unknown>> | null;
  if (typeof entry !== "object" || entry === null) return null;
  if (entry.op === "enqueue") {
    return typeof (entry.incident as Incident | null)?.id === "string" ? (entry as JournalLine) : null;
  }
  if (entry.op === "assign" || entry.op === "done") {
    return typeof entry.id === "string" && typeof entry.path === "string" ? (entry as JournalLine) : null;
  }
  return null;
}
