// The audit record: one JSONL line per verdict (and per release, the appeal path), in RFC 8785
// canonical form. The writer exploits the fixed shape: keys are emitted in JCS order by a template,
// strings through JSON.stringify (which is what RFC 8785 specifies for strings), integers as decimal. A property test checks the output is
// byte-identical to the generic `canonicalize` of the same record.

import canonicalize from "canonicalize";
import { createHash } from "node:crypto";
import type { Verdict } from "../../contract/verdict.js";
import type { AuditAlgorithm } from "./signer.js";

export const RECORD_VERSION = 1;
export const RECORD_KIND = "verdict";
/** A release (`musgo release`, Guard.release): what was undone for which agent. */
export const RELEASE_KIND = "release";
/** `prev` of record 0: 32 zero bytes. */
export const GENESIS_PREV = Buffer.alloc(32).toString("base64url");

export interface VerdictBody {
  action_taken: string;
  agent: string | null;
  article: string | null;
  /** Every violation's code, in the verdict's order. */
  codes: string[];
  constitution: { name: string; version: string };
  input_sha256: string;
  module_sha256: string;
  permitted: boolean;
  violation: string | null;
}

/** What a release did: its target, each step as `<step>:<status>` in order, and whether all ran. */
export interface ReleaseBody {
  agent: string;
  complete: boolean;
  error: string | null;
  steps: string[];
  target: string;
}

/** The part of a containment report (contract/ports.ts' ActuationReport) a release record keeps. */
export interface ReleaseReport {
  agent: string;
  target: string;
  complete: boolean;
  error: string | null;
  steps: readonly { step: string; status: string }[];
}

export function releaseBody(report: ReleaseReport): ReleaseBody {
  return {
    agent: report.agent,
    complete: report.complete,
    error: report.error,
    steps: report.steps.map((s) => `${s.step}:${s.status}`),
    target: report.target,
  };
}

export type AuditRecord = RecordEnvelope &
  ({ kind: typeof RECORD_KIND; body: VerdictBody } | { kind: typeof RELEASE_KIND; body: ReleaseBody });

interface RecordEnvelope {
  alg: AuditAlgorithm;
  kid: string;
  log: string;
  /** Leaf hash (base64url) of the previous record's signed bytes: its line without `sig`. */
  prev: string;
  seq: number;
  /** Absent in batch mode, where signed checkpoints cover the record. */
  sig?: string;
  ts: string;
  v: typeof RECORD_VERSION;
}

/** What the caller knows about a verdict besides the verdict itself. */
export interface AuditContext {
  /** Lowercase hex SHA-256 of the decision input (the input itself is never stored). */
  inputSha256: string;
  /** Lowercase hex SHA-256 of the module (or sources) that produced the verdict. */
  moduleSha256: string;
  agent?: string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** `inputSha256` for a decision input: SHA-256 (hex) of its RFC 8785 form, so any holder of the input can recompute it. */
export function inputDigest(input: unknown): string {
  const canonical = canonicalize(input);
  if (canonical === undefined) throw new TypeError("the input has no JSON form");
  return textDigest(canonical);
}

/** `inputSha256` for a request that has no JSON form (malformed, or `1e400`): SHA-256 (hex) of its raw bytes. */
export function textDigest(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}

function checkContext(context: AuditContext, knownModule?: string): void {
  if (!SHA256_HEX.test(context.inputSha256)) throw new TypeError("inputSha256 must be 64 lowercase hex digits");
  if (context.moduleSha256 !== knownModule && !SHA256_HEX.test(context.moduleSha256))
    throw new TypeError("moduleSha256 must be 64 lowercase hex digits");
}

/** The record body for a verdict: the reference mapping, which `RecordFormatter` serialises directly. */
export function verdictBody(verdict: Verdict, context: AuditContext): VerdictBody {
  checkContext(context);
  return {
    action_taken: verdict.action_taken,
    agent: context.agent ?? null,
    article: verdict.constitutional_article,
    codes: verdict.violations.map((v) => v.code),
    constitution: { name: verdict.constitution.name, version: verdict.constitution.version },
    input_sha256: context.inputSha256,
    module_sha256: context.moduleSha256,
    permitted: verdict.permitted,
    violation: verdict.violation,
  };
}

const str = JSON.stringify;
/** Distinct strings whose JSON form is cached; verdict fields repeat, so the cache stays small. */
const JSON_CACHE_LIMIT = 4096;

/** Length of `,"ts":"<24-char RFC 3339 ms UTC>","v":1}`, the part of every line after `sig`. */
const TAIL_LENGTH = `,"ts":"${new Date(0).toISOString()}","v":${RECORD_VERSION}}`.length;

/** Formats records of one log and key: the constant parts are serialised once. */
export class RecordFormatter {
  private readonly head: string;
  private readonly middle: string;
  private readonly envelope: { alg: AuditAlgorithm; kid: string; log: string };
  private readonly json = new Map<string, string>();
  /** The last module hash that passed the check: verdicts of one module repeat it. */
  private checkedModule = "";

  constructor(log: string, kid: string, alg: AuditAlgorithm) {
    this.head = `{"alg":${str(alg)},"body":`;
    this.middle = `,"kid":${str(kid)},"kind":${str(RECORD_KIND)},"log":${str(log)},"prev":`;
    this.envelope = { alg, kid, log };
  }

  /** A release record without `sig` (rare: the generic canonicalisation serves). */
  unsignedRelease(seq: number, ts: string, prev: string, body: ReleaseBody): string {
    return canonicalize({ ...this.envelope, body, kind: RELEASE_KIND, prev, seq, ts, v: RECORD_VERSION })!;
  }

  /**
   * The record without `sig`, in JCS form: the bytes a per-record signature covers, and the whole
   * line in batch mode. Serialises `verdictBody(verdict, context)` without building it.
   */
  unsigned(seq: number, ts: string, prev: string, verdict: Verdict, context: AuditContext): string {
    checkContext(context, this.checkedModule);
    this.checkedModule = context.moduleSha256;
    const codes = this.codes(verdict.violations);
    return (
      `${this.head}{"action_taken":${this.quoted(verdict.action_taken)},"agent":${this.nullable(context.agent ?? null)},` +
      `"article":${this.nullable(verdict.constitutional_article)},"codes":[${codes}],` +
      `"constitution":{"name":${this.quoted(verdict.constitution.name)},"version":${this.quoted(verdict.constitution.version)}},` +
      `"input_sha256":"${context.inputSha256}","module_sha256":"${context.moduleSha256}","permitted":${verdict.permitted},` +
      `"violation":${this.nullable(verdict.violation)}}${this.middle}"${prev}","seq":${seq},"ts":"${ts}","v":${RECORD_VERSION}}`
    );
  }

  /** The `codes` array's elements; most verdicts have none or one violation, so skip the array then. */
  private codes(violations: Verdict["violations"]): string {
    if (violations.length === 0) return "";
    if (violations.length === 1) return this.quoted(violations[0]!.code);
    return violations.map((v) => this.quoted(v.code)).join(",");
  }

  /** JSON.stringify of a string (what RFC 8785 prescribes), memoised. */
  private quoted(value: string): string {
    let quoted = this.json.get(value);
    if (quoted === undefined) {
      if (this.json.size >= JSON_CACHE_LIMIT) this.json.clear();
      quoted = str(value);
      this.json.set(value, quoted);
    }
    return quoted;
  }

  private nullable(value: string | null): string {
    return value === null ? "null" : this.quoted(value);
  }
}

/** A verdict's body fields other than the agent and the input hash, and their encoded fragments. */
interface BodyShape {
  action: string;
  article: string | null;
  codes: string[];
  name: string;
  version: string;
  module: string;
  permitted: boolean;
  violation: string | null;
  /** `{"alg":…,"body":{"action_taken":…,"agent":` */
  head: string;
  /** `,"article":…,"codes":[…],"constitution":{…},"input_sha256":"` */
  middle: string;
  /** head ‖ JSON of the agent ‖ middle, encoded, per agent (null included). */
  opening: Map<string | null, Uint8Array>;
  /** `","module_sha256":"…","permitted":…,"violation":…},"kid":…,"kind":…,"log":…,"prev":"` */
  tail: Uint8Array;
}

/** Distinct body shapes kept; verdicts of one constitution take few shapes, so a hit is the rule. */
const SHAPE_LIMIT = 32;
const utf8 = (text: string): Uint8Array => Buffer.from(text, "utf8");
/** `","seq":`, written byte by byte: cheaper than a copy for eight bytes. */
const SEQ_KEY = [0x22, 0x2c, 0x22, 0x73, 0x65, 0x71, 0x22, 0x3a] as const;
/** Digits of the largest safe integer. */
const MAX_SEQ_DIGITS = 16;
/** `,"ts":"<Date#toISOString, six-digit years included>","v":1}` */
const MAX_END_BYTES = `,"ts":"+275760-09-13T00:00:00.000Z","v":${RECORD_VERSION}}`.length;

/**
 * Writes unsigned records (the batch-mode line) of one log and key straight into a byte buffer: the
 * fast path of `RecordFormatter.unsigned`. The JCS bytes around the input hash, `prev` and `seq`
 * depend only on the verdict's shape (action, article, codes, constitution, module, permitted,
 * violation) and the agent, so they are encoded once and copied; `ts` and what follows it are
 * encoded once per millisecond. A property test checks the output is byte-identical to the generic
 * `canonicalize`, across sequences of records.
 */
export class RecordWriter {
  private readonly headKey: string;
  private readonly middleKey: string;
  /** Most recently used first. */
  private readonly shapes: BodyShape[] = [];
  private tsText = "";
  /** `,"ts":"<tsText>","v":1}` */
  private end: Uint8Array = new Uint8Array(0);
  /** The encoded opening and shape of the record `measure` prepared, which `write` writes. */
  private opening: Uint8Array = new Uint8Array(0);
  private tail: Uint8Array = new Uint8Array(0);
  /** Where the last `write` put `prev`: a caller may write a placeholder and fill in the hash later. */
  prevAt = 0;

  constructor(log: string, kid: string, alg: AuditAlgorithm) {
    this.headKey = `{"alg":${str(alg)},"body":`;
    this.middleKey = `,"kid":${str(kid)},"kind":${str(RECORD_KIND)},"log":${str(log)},"prev":"`;
  }

  /**
   * Validates `verdict` and `context` (except the input hash's digits, which `write` checks) and
   * returns an upper bound on the line's length in bytes; `write` then writes that record.
   */
  measure(verdict: Verdict, context: AuditContext): number {
    if (typeof context.inputSha256 !== "string" || context.inputSha256.length !== 64)
      throw new TypeError("inputSha256 must be 64 lowercase hex digits");
    const shape = this.shapeOf(verdict, context.moduleSha256);
    const agent = context.agent ?? null;
    let opening = shape.opening.get(agent);
    if (opening === undefined) {
      if (shape.opening.size >= JSON_CACHE_LIMIT) shape.opening.clear();
      opening = utf8(`${shape.head}${agent === null ? "null" : str(agent)}${shape.middle}`);
      shape.opening.set(agent, opening);
    }
    this.opening = opening;
    this.tail = shape.tail;
    return opening.length + 64 + shape.tail.length + 43 + SEQ_KEY.length + MAX_SEQ_DIGITS + MAX_END_BYTES;
  }

  /**
   * Writes the record `measure` prepared at `bytes[at]`, with `prev` (43 base64url characters; null
   * leaves their room for a chainer to fill, see `prevAt`) and `ts` (`Date#toISOString`), and returns
   * the offset after it. Throws, having written nothing the caller counts, when `inputSha256` is not
   * 64 lowercase hex digits.
   */
  write(bytes: Buffer, at: number, seq: number, ts: string, prev: string | null, inputSha256: string): number {
    if (!SHA256_HEX.test(inputSha256)) throw new TypeError("inputSha256 must be 64 lowercase hex digits");
    let o = at;
    bytes.set(this.opening, o);
    o += this.opening.length;
    o += bytes.write(inputSha256, o, 64, "latin1");
    bytes.set(this.tail, o);
    o += this.tail.length;
    this.prevAt = o;
    o += prev === null ? 43 : bytes.write(prev, o, 43, "latin1");
    for (const b of SEQ_KEY) bytes[o++] = b;
    o = writeDecimal(bytes, o, seq);
    if (ts !== this.tsText) {
      this.tsText = ts;
      this.end = utf8(`,"ts":${str(ts)},"v":${RECORD_VERSION}}`);
    }
    bytes.set(this.end, o);
    return o + this.end.length;
  }

  private shapeOf(verdict: Verdict, module: string): BodyShape {
    const shapes = this.shapes;
    for (let i = 0; i < shapes.length; i++) {
      const s = shapes[i]!;
      if (
        s.action === verdict.action_taken &&
        s.violation === verdict.violation &&
        s.article === verdict.constitutional_article &&
        s.permitted === verdict.permitted &&
        s.module === module &&
        s.name === verdict.constitution.name &&
        s.version === verdict.constitution.version &&
        sameCodes(s.codes, verdict.violations)
      ) {
        if (i > 0) {
          shapes.splice(i, 1);
          shapes.unshift(s);
        }
        return s;
      }
    }
    const shape = this.newShape(verdict, module);
    if (shapes.length >= SHAPE_LIMIT) shapes.pop();
    shapes.unshift(shape);
    return shape;
  }

  private newShape(verdict: Verdict, module: string): BodyShape {
    if (!SHA256_HEX.test(module)) throw new TypeError("moduleSha256 must be 64 lowercase hex digits");
    // The cache compares `permitted` by identity, so only a real boolean may enter it.
    if (typeof verdict.permitted !== "boolean") throw new TypeError("verdict.permitted must be a boolean");
    const codes = verdict.violations.map((v) => v.code);
    const nullable = (value: string | null): string => (value === null ? "null" : str(value));
    return {
      action: verdict.action_taken,
      article: verdict.constitutional_article,
      codes,
      name: verdict.constitution.name,
      version: verdict.constitution.version,
      module,
      permitted: verdict.permitted,
      violation: verdict.violation,
      head: `${this.headKey}{"action_taken":${str(verdict.action_taken)},"agent":`,
      middle:
        `,"article":${nullable(verdict.constitutional_article)},"codes":[${codes.map((c) => str(c)).join(",")}],` +
        `"constitution":{"name":${str(verdict.constitution.name)},"version":${str(verdict.constitution.version)}},"input_sha256":"`,
      opening: new Map(),
      tail: utf8(
        `","module_sha256":"${module}","permitted":${verdict.permitted},"violation":${nullable(verdict.violation)}}${this.middleKey}`,
      ),
    };
  }
}

function sameCodes(codes: readonly string[], violations: Verdict["violations"]): boolean {
  if (codes.length !== violations.length) return false;
  for (let i = 0; i < codes.length; i++) if (codes[i] !== violations[i]!.code) return false;
  return true;
}

/** Writes a non-negative safe integer in decimal (what JCS prescribes for integers) at `bytes[at]`. */
function writeDecimal(bytes: Uint8Array, at: number, value: number): number {
  let digits = 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits += 1;
  let rest = value;
  for (let i = at + digits - 1; i >= at; i--) {
    bytes[i] = 0x30 + (rest % 10);
    rest = Math.floor(rest / 10);
  }
  return at + digits;
}

/** Inserts `sig` (base64url) at its canonical place, between `seq` and `ts`. */
export function withSignature(unsigned: string, sig: string): string {
  const cut = unsigned.length - TAIL_LENGTH;
  return `${unsigned.slice(0, cut)},"sig":"${sig}"${unsigned.slice(cut)}`;
}

/** The bytes a record's signature covers, and its successor's `prev` hashes: JCS of the record without `sig`. */
export function signedBytesOf(record: AuditRecord): string {
  return canonicalize({ ...record, sig: undefined })!;
}

/** The `log` field of a line that may be anything; null when there is none. */
export function logNameOf(line: string): string | null {
  try {
    const log = (JSON.parse(line) as { log?: unknown } | null)?.log;
    return typeof log === "string" ? log : null;
  } catch {
    return null;
  }
}

/** RFC 3339 UTC with milliseconds, computed once per millisecond. */
export class Clock {
  private lastMs = -1;
  private text = "";

  now(): string {
    const ms = Date.now();
    if (ms !== this.lastMs) {
      this.lastMs = ms;
      this.text = new Date(ms).toISOString();
    }
    return this.text;
  }
}
