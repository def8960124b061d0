// Inclusion proofs for single records in the c2sp.org/tlog-proof@v1 text format. The record's line
// travels base64-encoded in the `extra` line, so a proof is checkable offline with only the trust
// file: the checkpoint's signature, the Merkle path to its root, and the record's own fields.

import { readFile } from "node:fs/promises";
import { splitNotes, verifyCheckpointNote } from "./checkpoint.js";
import { inclusionProof, leafHash, rootOf, verifyInclusion } from "./merkle.js";
import { logNameOf } from "./record.js";
import type { TrustStore } from "./trust.js";
import { checkRecord } from "./verify.js";

const HEADER = "c2sp.org/tlog-proof@v1";

/** Proves record `seq` against the latest checkpoint that covers it. */
export async function proveRecord(
  logPath: string,
  seq: number,
  checkpointsPath = `${logPath}.checkpoints`,
): Promise<string> {
  const lines = (await readFile(logPath, "utf8")).split("\n").slice(0, -1);
  const line = lines[seq];
  if (line === undefined) throw new Error(`the log has no record ${seq} (it has ${lines.length})`);
  const notes = splitNotes(await readFile(checkpointsPath, "utf8").catch(() => "")).notes;
  const note = [...notes].reverse().find((n) => Number(n.text.split("\n")[1]) > seq);
  if (note === undefined) throw new Error(`no checkpoint covers record ${seq} yet`);
  const size = Number(note.text.split("\n")[1]);
  if (size > lines.length)
    throw new Error(`a checkpoint covers ${size} records but the log has ${lines.length} (run \`musgo audit verify\`)`);
  const leaves = lines.slice(0, size).map((l) => leafHash(l));
  const root = Buffer.from(rootOf(leaves), "base64url").toString("base64");
  if (note.text.split("\n")[2] !== root)
    throw new Error(`the log does not match its checkpoint at size ${size} (run \`musgo audit verify\`)`);
  const path = inclusionProof(leaves, seq, size).map((h) => `${Buffer.from(h, "base64url").toString("base64")}\n`);
  return `${HEADER}\nextra ${Buffer.from(line, "utf8").toString("base64")}\nindex ${seq}\n${path.join("")}\n${note.raw}`;
}

export interface ProofCheck {
  ok: boolean;
  seq: number | null;
  reason?: string;
}

/** Checks a tlog-proof produced by `proveRecord` against the trust store alone. */
export function verifyRecordProof(text: string, trust: TrustStore): ProofCheck {
  const parsed = parseProof(text);
  if (typeof parsed === "string") return { ok: false, seq: null, reason: parsed };
  const { index, path, line, noteText } = parsed;
  const logName = logNameOf(line);
  if (logName === null) return { ok: false, seq: index, reason: "the proof's record names no log" };
  const record = checkRecord(Buffer.from(line, "utf8"), { seq: index, logName, prev: null, trust });
  if (typeof record === "string") return { ok: false, seq: index, reason: `record: ${record}` };
  const notes = splitNotes(noteText);
  if (notes.notes.length !== 1 || notes.rest !== "")
    return { ok: false, seq: index, reason: "the proof holds no single checkpoint" };
  const checkpoint = verifyCheckpointNote(notes.notes[0]!, logName, trust);
  if (typeof checkpoint === "string") return { ok: false, seq: index, reason: checkpoint };
  if (!verifyInclusion(index, checkpoint.size, leafHash(line), path, checkpoint.root)) {
    return {
      ok: false,
      seq: index,
      reason: `the inclusion path does not lead to the checkpoint's root (size ${checkpoint.size})`,
    };
  }
  return { ok: true, seq: index };
}

function parseProof(text: string): { index: number; path: string[]; line: string; noteText: string } | string {
  const blank = text.indexOf("\n\n");
  if (!text.startsWith(`${HEADER}\n`) || blank < 0) return `not a ${HEADER} proof`;
  const [, extra, indexLine, ...hashes] = text.slice(0, blank).split("\n");
  if (!extra?.startsWith("extra ")) return "the proof carries no record (`extra` line)";
  if (!/^index (0|[1-9][0-9]*)$/.test(indexLine ?? "")) return "the proof's `index` line is malformed";
  return {
    index: Number(indexLine!.slice("index ".length)),
    path: hashes.map((h) => Buffer.from(h, "base64").toString("base64url")),
    line: Buffer.from(extra.slice("extra ".length), "base64").toString("utf8"),
    noteText: text.slice(blank + 2),
  };
}
