// Every kind of tampering with a signed log is caught by `verifyAuditLog` at the right record.

import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { openAuditLog, verifyAuditLog, type AuditMode, type AuditSigner } from "../../adapters/audit/index.js";
import { forgeChained, intact, LOG_NAME, newSigner, sampleContext, sampleVerdict, tempDir } from "./support.js";
import { trustOf } from "./support.js";

const RECORDS = 12;
let signer: AuditSigner;
const pristine: Record<AuditMode, { path: string; lines: string[] }> = {} as never;

/** 12 records in group commits of 4, so with checkpoints after records 4, 8 and 12. */
async function buildLog(mode: AuditMode): Promise<{ path: string; lines: string[] }> {
  const path = join(tempDir(), `${mode}.jsonl`);
  const log = await openAuditLog({ path, logName: LOG_NAME, signer, mode });
  for (let group = 0; group < RECORDS; group += 4) {
    await Promise.all([0, 1, 2, 3].map((i) => log.append(sampleVerdict(group + i), sampleContext(group + i))));
  }
  await log.close();
  return { path, lines: readFileSync(path, "utf8").split("\n").slice(0, -1) };
}

/** A copy of the pristine log (and its checkpoints) with `edit` applied to the log's text. */
function tampered(mode: AuditMode, edit: (lines: string[]) => string | Buffer): string {
  const path = join(tempDir(), "tampered.jsonl");
  copyFileSync(`${pristine[mode].path}.checkpoints`, `${path}.checkpoints`);
  writeFileSync(path, edit([...pristine[mode].lines]));
  return path;
}

const joined = (lines: string[]): string => lines.map((l) => `${l}\n`).join("");

async function firstError(path: string) {
  return (await verifyAuditLog(path, { trust: trustOf(signer) })).firstError;
}

beforeAll(async () => {
  signer = newSigner("ES256");
  pristine["per-record"] = await buildLog("per-record");
  pristine.batch = await buildLog("batch");
});

describe("tamper detection (per-record signatures)", () => {
  it("the untouched log verifies", async () => {
    expect(await verifyAuditLog(pristine["per-record"].path, { trust: trustOf(signer) })).toEqual(intact(12, 3));
  });

  it("flipping one byte of a record's body", async () => {
    const path = tampered("per-record", (lines) =>
      joined(lines.map((l, i) => (i === 5 ? l.replace('"agent-2"', '"agent-3"') : l))),
    );
    expect(await firstError(path)).toEqual({ seq: 5, reason: "signature does not verify" });
  });

  it("deleting a record", async () => {
    const path = tampered("per-record", (lines) => joined(lines.filter((_, i) => i !== 5)));
    expect(await firstError(path)).toEqual({
      seq: 5,
      reason: "expected seq 5, found 6 (records deleted, inserted or reordered)",
    });
  });

  it("swapping two records", async () => {
    const path = tampered("per-record", (lines) =>
      joined([...lines.slice(0, 5), lines[6]!, lines[5]!, ...lines.slice(7)]),
    );
    expect(await firstError(path)).toEqual({
      seq: 5,
      reason: "expected seq 5, found 6 (records deleted, inserted or reordered)",
    });
  });

  it("truncating the tail after a checkpoint", async () => {
    const path = tampered("per-record", (lines) => joined(lines.slice(0, 9)));
    expect(await firstError(path)).toEqual({
      seq: 9,
      reason: "log truncated: a checkpoint covers 12 records, the log has 9",
    });
  });

  it("emptying the whole log", async () => {
    const path = tampered("per-record", () => "");
    expect(await firstError(path)).toEqual({
      seq: 0,
      reason: "log truncated: a checkpoint covers 12 records, the log has 0",
    });
  });

  it("a checkpoint edited to claim another size", async () => {
    const path = tampered("per-record", joined);
    writeFileSync(`${path}.checkpoints`, readFileSync(`${path}.checkpoints`, "utf8").replace("\n8\n", "\n7\n"));
    expect(await firstError(path)).toEqual({ seq: 4, reason: "checkpoint 2: checkpoint signature does not verify" });
  });

  it("replacing a signature with another record's", async () => {
    const sigOf = (line: string): string => JSON.parse(line).sig;
    const path = tampered("per-record", (lines) =>
      joined(lines.map((l, i) => (i === 5 ? l.replace(sigOf(l), sigOf(lines[6]!)) : l))),
    );
    expect(await firstError(path)).toEqual({ seq: 5, reason: "signature does not verify" });
  });

  it("re-signing records with an untrusted key", async () => {
    const attacker = newSigner("ES256");
    const forged = join(tempDir(), "forged.jsonl");
    const log = await openAuditLog({ path: forged, logName: LOG_NAME, signer: attacker, mode: "per-record" });
    for (let i = 0; i < RECORDS; i++) await log.append(sampleVerdict(i), sampleContext(i));
    await log.close();
    const error = await firstError(forged);
    expect(error?.seq).toBe(0);
    expect(error?.reason).toMatch(/^key [A-Za-z0-9_-]{43} is not in the trust store$/);
  });
});

describe("tamper detection (batch mode: hash chain and signed checkpoints)", () => {
  it("an edited record is named, though the chain breaks at the next record", async () => {
    const path = tampered("batch", (lines) =>
      joined(lines.map((l, i) => (i === 5 ? l.replace('"agent-2"', '"agent-3"') : l))),
    );
    const reason =
      "record altered: its hash no longer matches record 6's prev (prev does not match the hash of the previous record at record 6)";
    expect(await firstError(path)).toEqual({ seq: 5, reason });
  });

  it("a record whose prev was edited is named, not its predecessor", async () => {
    const prevOf = (line: string): string => JSON.parse(line).prev;
    const edited = (lines: string[]): string[] =>
      lines.map((l, i) => (i === 5 ? l.replace(prevOf(l), prevOf(lines[2]!)) : l));
    const path = tampered("batch", (lines) => joined(edited(lines)));
    expect(await firstError(path)).toEqual({ seq: 5, reason: "prev does not match the hash of the previous record" });
  });

  it("an edited last record contradicts the final checkpoint's root, and is named", async () => {
    const path = tampered("batch", (lines) =>
      joined(lines.map((l, i) => (i === 11 ? l.replace('"agent-2"', '"agent-3"') : l))),
    );
    expect(await firstError(path)).toEqual({
      seq: 11,
      reason:
        "checkpoint at size 12: root does not match the log " +
        "(the hash chain holds, so this record was altered, or records 8..11 were rewritten with a new chain)",
    });
  });

  it("chained records appended after the last checkpoint are an uncovered tail, not vouched for", async () => {
    const path = tampered("batch", (lines) => joined([...lines, ...forgeChained(lines, 2, signer)]));
    expect(await verifyAuditLog(path, { trust: trustOf(signer) })).toEqual({
      status: "uncovered-tail",
      ok: false,
      records: 12,
      checkpoints: 3,
      uncoveredTail: { seq: 12, records: 2, torn: false, tornCheckpoint: false },
    });
  });

  it("a checkpoint note cut short by a crash belongs to the uncovered tail; anything else after the last note is tampering", async () => {
    const path = tampered("batch", (lines) => joined([...lines, ...forgeChained(lines, 2, signer)]));
    const notes = readFileSync(`${path}.checkpoints`, "utf8");
    writeFileSync(`${path}.checkpoints`, `${notes}${LOG_NAME}\n14\nq83vEi`);
    const result = await verifyAuditLog(path, { trust: trustOf(signer) });
    expect(result).toMatchObject({
      status: "uncovered-tail",
      uncoveredTail: { seq: 12, records: 2, tornCheckpoint: true },
    });
    writeFileSync(`${path}.checkpoints`, `${notes}not a note\n`);
    expect(await firstError(path)).toEqual({ seq: 12, reason: "checkpoints file: malformed note after checkpoint 3" });
  });

  it("a tail that does not chain on is tampering, not a crash", async () => {
    // A record chained on record 10, numbered 12: appended after record 11, its prev does not match.
    const stray = (lines: string[]): string[] =>
      forgeChained(lines.slice(0, 11), 1, signer).map((l) => l.replace('"seq":11', '"seq":12'));
    const path = tampered("batch", (lines) => joined([...lines, ...stray(lines)]));
    expect(await firstError(path)).toEqual({ seq: 12, reason: "prev does not match the hash of the previous record" });
  });
});

describe("an empty log", () => {
  it("is reported as empty, not as intact, unless allowed", async () => {
    const path = join(tempDir(), "empty.jsonl");
    writeFileSync(path, "");
    const empty = { status: "empty", ok: false, records: 0, checkpoints: 0 };
    expect(await verifyAuditLog(path, { trust: trustOf(signer) })).toEqual(empty);
    expect(await verifyAuditLog(path, { trust: trustOf(signer), allowEmpty: true })).toEqual(intact(0, 0));
  });
});

type Edit =
  | { kind: "flip"; at: number; mask: number }
  | { kind: "delete"; line: number }
  | { kind: "swap"; a: number; b: number }
  | { kind: "duplicate"; line: number }
  | { kind: "truncate"; at: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant("delete" as const), line: fc.nat() }),
  fc
    .record({ kind: fc.constant("swap" as const), a: fc.nat(), b: fc.nat() })
    .filter(({ a, b }) => a % RECORDS !== b % RECORDS),
  fc.record({ kind: fc.constant("duplicate" as const), line: fc.nat() }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
);

function apply(e: Edit, lines: string[]): Buffer {
  const bytes = Buffer.from(joined(lines));
  const n = lines.length;
  switch (e.kind) {
    case "flip":
      bytes[e.at % bytes.length]! ^= e.mask;
      return bytes;
    case "delete":
      return Buffer.from(joined(lines.filter((_, i) => i !== e.line % n)));
    case "swap": {
      const [a, b] = [e.a % n, e.b % n];
      return Buffer.from(joined(lines.map((l, i) => (i === a ? lines[b]! : i === b ? lines[a]! : l))));
    }
    case "duplicate":
      return Buffer.from(joined(lines.flatMap((l, i) => (i === e.line % n ? [l, l] : [l]))));
    case "truncate":
      return bytes.subarray(0, e.at % bytes.length);
  }
}

describe("tamper detection, property", () => {
  for (const mode of ["per-record", "batch"] as const) {
    it(`property: an edit of any one record's content in a ${mode} log is reported at that record`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.nat(RECORDS - 1), fc.stringMatching(/^[a-z0-9]{1,12}$/), async (seq, agent) => {
          const edited = (line: string): string => line.replace(/"agent":"[^"]*"/, `"agent":"x${agent}"`);
          const path = tampered(mode, (lines) => joined(lines.map((l, i) => (i === seq ? edited(l) : l))));
          const result = await verifyAuditLog(path, { trust: trustOf(signer) });
          expect(result.status).toBe("tampered");
          expect(result.firstError?.seq).toBe(seq);
        }),
        { numRuns: 60 },
      );
    });

    it(`property: every random single edit of a valid ${mode} log is detected`, async () => {
      await fc.assert(
        fc.asyncProperty(edit, async (e) => {
          const path = tampered(mode, (lines) => apply(e, lines));
          const result = await verifyAuditLog(path, { trust: trustOf(signer) });
          expect(result.status).toBe("tampered");
        }),
        { numRuns: 150 },
      );
    });
  }
});
