// The audit record: one JSONL line per verdict, in RFC 8785 canonical form. The writer exploits the
// fixed shape: keys are emitted in JCS order by a template, strings through JSON.stringify (which is
// what RFC 8785 specifies for strings), integers as decimal. A property test checks the output is
// byte-identical to the generic `canonicalize` of the same record.

import canonicalize from "canonicalize";
import { createHash } from "node:crypto";
import type { Verdict } from "../../runtime/verdict.js";
import type { AuditAlgorithm } from "./signer.js";

export const RECORD_VERSION = 1;
export const RECORD_KIND = "verdict";
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

export interface AuditRecord {
  alg: AuditAlgorithm;
  body: VerdictBody;
  kid: string;
  kind: typeof RECORD_KIND;
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
  return createHash("sha256").update(canonical).digest("hex");
}

function checkContext(context: AuditContext, knownModule?: string): void {
  if (!SHA256_HEX.test(context.inputSha256)) throw new TypeError("inputSha256 must be 64 lowercase hex digits");
  if (context.moduleSha256 !== knownModule && !SHA256_HEX.test(context.moduleSha256)) throw new TypeError("moduleSha256 must be 64 lowercase hex digits");
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
  private readonly json = new Map<string, string>();
  /** The last module hash that passed the check: verdicts of one module repeat it. */
  private checkedModule = "";

  constructor(log: string, kid: string, alg: AuditAlgorithm) {
    this.head = `{"alg":${str(alg)},"body":`;
    this.middle = `,"kid":${str(kid)},"kind":${str(RECORD_KIND)},"log":${str(log)},"prev":`;
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
