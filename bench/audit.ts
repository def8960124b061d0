// Audited verdicts per second, acknowledged (the append promise resolved = the record is in an
// fsynced group commit and a durable signed checkpoint covers it), for per-record HSM signing,
// batch mode (HSM-signed checkpoints only) and the software signer, beside the token's own sign
// rate and a straightforward baseline (generic `canonicalize` + SHA-256 chain + one fsync per 1,000
// records). Log rows also report the signed checkpoints per second (one signature each) and the
// longest wait from append to acknowledgement. The HSM is a SoftHSM2 token created fresh by
// scripts/softhsm-fixture.sh.
//
//   node dist/bench/audit.js [--seconds S] [--runs N]

import canonicalize from "canonicalize";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, fsyncSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import {
  generatePkcs11Key,
  generateSoftwareKey,
  openAuditLog,
  openPkcs11Signer,
  softwareSigner,
  verdictBody,
  type AuditContext,
  type AuditMode,
  type AuditReceipt,
  type AuditSigner,
  type Checkpoint,
} from "../adapters/audit/index.js";
import { makeVerdict } from "../contract/verdict.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so";
const PIN = "1234";

const VERDICT = makeVerdict(
  {
    permitted: false,
    violation: "rate_limit_exceeded",
    constitutional_article: "Article_IV_Resource_Limits",
    action_taken: "agent_quarantined",
    appeal_process: "security_review",
  },
  [
    {
      article: "Article_IV_Resource_Limits",
      code: "rate_limit_exceeded",
      remedy: "quarantine",
      enforcement: "mandatory",
      message: null,
    },
  ],
  [],
  { name: "musgo", version: "1.0.0", digest: "0".repeat(64) },
);
const CONTEXT: AuditContext = { inputSha256: "a".repeat(64), moduleSha256: "b".repeat(64), agent: "advisor_7f2a9c1b" };

interface Row {
  name: string;
  perSecond: number | null;
  /** Process CPU time (all threads) per record: comparable even on a busy machine. */
  cpuMicros: number | null;
  note: string;
}

function cpuMicrosSince(start: NodeJS.CpuUsage, records: number): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / records;
}

/**
 * CPU time (µs) of the event-loop thread alone, from /proc (Linux; null elsewhere): the writer's
 * serial part, which bounds the rate one process reaches however many cores it has.
 */
function mainThreadMicros(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime (fields 14 and 15 of stat(5)) in clock ticks, 100 per second on Linux.
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return null;
  }
}

async function timedRate(seconds: number, step: () => Promise<number>): Promise<number> {
  const start = performance.now();
  let done = 0;
  while (performance.now() - start < seconds * 1000) done += await step();
  return done / ((performance.now() - start) / 1000);
}

/** The token's own rate: `signer.sign` on 32-byte digests, with `callers` concurrent callers. */
async function signRate(signer: AuditSigner, callers: number, seconds: number): Promise<number> {
  const message = Buffer.alloc(32, 7);
  return timedRate(
    seconds,
    async () => (await Promise.all(Array.from({ length: callers }, () => signer.sign(message)))).length,
  );
}

interface LogRun {
  perSecond: number;
  cpuMicros: number;
  /** Longest wait from append to a durable signed checkpoint covering the record (ms). */
  coverageMs: number;
  /** Event-loop thread CPU per record (µs), when known. */
  loopMicros: number | null;
  /** Signed checkpoints per second (one per group commit at most: each costs one signature). */
  checkpointsPerSecond: number;
}

/**
 * `producers` callers, each appending `group` records at a time and waiting until all of them are
 * durable (their `append` promises resolved, i.e. fsynced), for `seconds`. Only records whose
 * promises resolved in time count. Batch rows keep twice `maxBatchRecords` (8,192) in flight so that
 * new verdicts keep arriving while a group commit is syncing, as they would from many concurrent
 * requests; with exactly one batch in flight, appending and syncing would merely alternate.
 */
async function logRate(
  signer: AuditSigner,
  mode: AuditMode,
  producers: number,
  group: number,
  seconds: number,
): Promise<LogRun> {
  const dir = mkdtempSync(join(tmpdir(), "musgo-audit-bench-"));
  // One sample per group of appends: the group's last seq and when its first record was appended.
  const uncovered: { lastSeq: number; at: number }[] = [];
  let coverageMs = 0;
  let checkpoints = 0;
  const onCheckpoint = (checkpoint: Checkpoint): void => {
    checkpoints += 1;
    const now = performance.now();
    while (uncovered.length > 0 && uncovered[0]!.lastSeq < checkpoint.size)
      coverageMs = Math.max(coverageMs, now - uncovered.shift()!.at);
  };
  const log = await openAuditLog({
    path: join(dir, "audit.jsonl"),
    logName: "bench.musgo/audit",
    signer,
    mode,
    onCheckpoint,
  });
  const start = performance.now();
  const cpu = process.cpuUsage();
  const loop = mainThreadMicros();
  let handed = 0;
  let appended = 0;
  const producer = async (): Promise<void> => {
    while (performance.now() - start < seconds * 1000) {
      const at = performance.now();
      const receipts: Promise<AuditReceipt>[] = [];
      for (let i = 0; i < group; i++) receipts.push(log.append(VERDICT, CONTEXT));
      // Appends take seqs 0, 1, 2… synchronously, in call order.
      handed += group;
      uncovered.push({ lastSeq: handed - 1, at });
      await Promise.all(receipts);
      appended += group;
    }
  };
  await Promise.all(Array.from({ length: producers }, producer));
  const elapsed = (performance.now() - start) / 1000;
  const perSecond = appended / elapsed;
  const checkpointsPerSecond = checkpoints / elapsed;
  const cpuMicros = cpuMicrosSince(cpu, appended);
  const loopEnd = mainThreadMicros();
  const loopMicros = loop === null || loopEnd === null ? null : (loopEnd - loop) / appended;
  // The final checkpoint (close) covers the tail: its latency counts too.
  await log.close();
  if (uncovered.length > 0) throw new Error(`${uncovered.length} groups of records were never covered by a checkpoint`);
  rmSync(dir, { recursive: true, force: true });
  return { perSecond, cpuMicros, coverageMs, loopMicros, checkpointsPerSecond };
}

/** Median rate and CPU of `runs` runs, and the worst coverage latency of any of them. */
async function medianLogRate(runs: number, run: () => Promise<LogRun>): Promise<LogRun & { rates: number[] }> {
  const results: LogRun[] = [];
  for (let i = 0; i < runs; i++) results.push(await run());
  const median = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return {
    perSecond: median(results.map((r) => r.perSecond)),
    cpuMicros: median(results.map((r) => r.cpuMicros)),
    coverageMs: Math.max(...results.map((r) => r.coverageMs)),
    loopMicros: results.some((r) => r.loopMicros === null) ? null : median(results.map((r) => r.loopMicros!)),
    checkpointsPerSecond: median(results.map((r) => r.checkpointsPerSecond)),
    rates: results.map((r) => r.perSecond),
  };
}

/** The baseline the issue quotes: generic JCS, a SHA-256 chain, one fsync per 1,000 records. */
function baselineRate(seconds: number): { perSecond: number; cpuMicros: number } {
  const dir = mkdtempSync(join(tmpdir(), "musgo-audit-baseline-"));
  const fd = openSync(join(dir, "audit.jsonl"), "a");
  let prev = "";
  let seq = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  while (performance.now() - start < seconds * 1000) {
    const lines: string[] = [];
    for (let i = 0; i < 1000; i++, seq++) {
      const line = canonicalize({
        v: 1,
        log: "bench.musgo/audit",
        seq,
        ts: new Date().toISOString(),
        prev,
        kind: "verdict",
        body: verdictBody(VERDICT, CONTEXT),
      })!;
      prev = createHash("sha256").update(line).digest("base64url");
      lines.push(line);
    }
    writeSync(fd, `${lines.join("\n")}\n`);
    fsyncSync(fd);
  }
  const result = { perSecond: seq / ((performance.now() - start) / 1000), cpuMicros: cpuMicrosSince(cpu, seq) };
  closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
  return result;
}

/** A fresh SoftHSM2 token with an ES256 key, or null (with the reason) when softhsm2 is missing. */
async function openTokenSigner(): Promise<AuditSigner | string> {
  try {
    const exports = execFileSync("bash", [join(ROOT, "scripts/softhsm-fixture.sh"), "musgo-bench", PIN], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    process.env.SOFTHSM2_CONF = /export SOFTHSM2_CONF=(.+)/.exec(exports)![1];
  } catch {
    return "softhsm2 missing: apt-get install softhsm2";
  }
  const target = { module: SOFTHSM_MODULE, token: "musgo-bench", key: "audit-p256", pin: PIN };
  await generatePkcs11Key({ ...target, alg: "ES256" });
  return openPkcs11Signer(target);
}

function checkpointNote(run: LogRun): string {
  const latency = `acknowledged ≤ ${run.coverageMs.toFixed(0)} ms after append`;
  return `${formatRate(run.checkpointsPerSecond)} checkpoints/s; ${latency}`;
}

function formatRate(n: number | null): string {
  return n === null ? "n/a" : Math.round(n).toLocaleString("en-US");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { seconds: { type: "string", default: "3" }, runs: { type: "string", default: "3" } },
  });
  const seconds = Number(values.seconds);
  // Batch rows are run this many times and reported as the median (the machine may be busy).
  const runs = Number(values.runs);
  const batchNote = (run: LogRun & { rates: number[] }): string =>
    `median of ${run.rates.length} (${run.rates.map((r) => formatRate(r)).join(", ")}); ${checkpointNote(run)}` +
    (run.loopMicros === null ? "" : `; event loop ${run.loopMicros.toFixed(1)} µs/record`);
  const software = softwareSigner(generateSoftwareKey("EdDSA"));
  const token = await openTokenSigner();
  const rows: Row[] = [];
  const baseline = baselineRate(seconds);
  rows.push({
    name: "baseline: canonicalize + SHA-256 chain + fsync/1,000 (unsigned)",
    ...baseline,
    note: "the issue's straightforward writer",
  });

  const batchSoft = await medianLogRate(runs, () => logRate(software, "batch", 8, 2048, seconds));
  rows.push({ name: "batch mode, software Ed25519 checkpoints", ...batchSoft, note: batchNote(batchSoft) });
  const perRecordSoft = await logRate(software, "per-record", 4, 64, seconds);
  const softNote = `every record signed; ${checkpointNote(perRecordSoft)}`;
  rows.push({ name: "per-record, software Ed25519", ...perRecordSoft, note: softNote });

  if (typeof token === "string") {
    for (const name of ["token sign rate (ES256)", "batch mode, HSM-signed checkpoints", "per-record, HSM ES256"])
      rows.push({ name, perSecond: null, cpuMicros: null, note: token });
  } else {
    const single = await signRate(token, 1, seconds);
    const pooled = await signRate(token, 16, seconds);
    rows.push({
      name: "token sign rate, 1 caller (SoftHSM ES256, C_SignAsync)",
      perSecond: single,
      cpuMicros: null,
      note: "",
    });
    rows.push({
      name: "token sign rate, 16 callers over 4 sessions",
      perSecond: pooled,
      cpuMicros: null,
      note: "the token's ceiling",
    });
    const batchHsm = await medianLogRate(runs, () => logRate(token, "batch", 8, 2048, seconds));
    rows.push({ name: "batch mode, HSM-signed checkpoints", ...batchHsm, note: batchNote(batchHsm) });
    const perRecordHsm = await logRate(token, "per-record", 4, 64, seconds);
    const ceiling = `${((perRecordHsm.perSecond / pooled) * 100).toFixed(0)}% of the token's ceiling`;
    rows.push({ name: "per-record, HSM ES256", ...perRecordHsm, note: `${ceiling}; ${checkpointNote(perRecordHsm)}` });
    await token.close();
    rmSync(process.env.SOFTHSM2_CONF!.replace(/\/softhsm2\.conf$/, ""), { recursive: true, force: true });
  }

  console.log(`\n## Audit log: durable audited verdicts per second (${seconds} s per row)\n`);
  console.log("| configuration | records/s | vs baseline | CPU µs/record | note |");
  console.log("|---|---:|---:|---:|---|");
  for (const row of rows) {
    const ratio = row.perSecond === null ? "n/a" : `${(row.perSecond / baseline.perSecond).toFixed(2)}×`;
    const cpu = row.cpuMicros === null ? "" : row.cpuMicros.toFixed(1);
    console.log(`| ${row.name} | ${formatRate(row.perSecond)} | ${ratio} | ${cpu} | ${row.note} |`);
  }
}

await main();
