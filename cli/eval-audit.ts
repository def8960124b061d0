// `musgo eval|enforce --audit-log FILE`: every verdict is appended to a signed audit log, and printed only
// once its record is durable. When a record cannot be written the run stops with an error: no
// verdict leaves unaudited when audit was asked for (fail closed).

import { open } from "node:fs/promises";
import { resolve } from "node:path";
import { AuditLogError } from "../adapters/audit/index.js";
import { AuditSignerError, createSignerFromOptions, inputDigest, logNameOf, openAuditLog, textDigest, type AuditLog, type AuditLogOptions, type AuditMode } from "../adapters/audit/index.js";
import type { DecisionEngine } from "../runtime/engine.js";
import { agentIdOf } from "../runtime/guard/guard.js";
import type { Verdict } from "../runtime/verdict.js";
import { UsageError, UserError, type CliIO } from "./io.js";
import { signerOptions, type AuditValues } from "./audit-options.js";

/** One judged document: what the audit record needs besides the verdict. */
export interface JudgedInput {
  verdict: Verdict;
  /** The parsed input (undefined when the text was not JSON). */
  input: unknown;
  raw: string;
}

export class EvalAudit {
  private constructor(private readonly log: AuditLog, private readonly engine: DecisionEngine) {}

  static async open(values: AuditValues, engine: DecisionEngine, io: CliIO): Promise<EvalAudit | null> {
    const log = await openCliAuditLog(values, constitutionLogName(engine), io);
    return log === null ? null : new EvalAudit(log, engine);
  }

  /** Resolves when every record is durable, in input order. */
  async record(judged: readonly JudgedInput[]): Promise<void> {
    try {
      await Promise.all(judged.map((j) => this.log.append(j.verdict, contextOf(j, this.engine))));
    } catch (e) {
      throw new UserError(`audit: a record could not be written, so no verdict is released: ${(e as Error).message}`);
    }
  }

  close(): Promise<void> {
    return this.log.close();
  }
}

/** The default name of a constitution's audit log. */
export function constitutionLogName(engine: DecisionEngine): string {
  return `musgo/${engine.constitution.name}`;
}

/**
 * The audit log named by `--audit-log` and the signer options, or null when none was asked for.
 * Its name is `--log-name`, else `defaultName`, else (null) the name of the log already in the file.
 */
export async function openCliAuditLog(values: AuditValues, defaultName: string | null, io: CliIO, onCheckpoint?: AuditLogOptions["onCheckpoint"]): Promise<AuditLog | null> {
  if (values["audit-log"] === undefined) return null;
  const mode = parseMode(values["audit-mode"]);
  const path = resolve(io.cwd, values["audit-log"]);
  const logName = values["log-name"] ?? defaultName ?? (await existingLogName(path));
  try {
    const signer = await createSignerFromOptions(await signerOptions(values, io), io.env);
    const log = await openAuditLog({
      path,
      logName,
      signer,
      mode,
      ...(onCheckpoint === undefined ? {} : { onCheckpoint }),
    });
    const tail = log.uncoveredTail;
    if (tail !== null) {
      const tailRecords = `${tail.records} records after the last checkpoint (a crash; never acknowledged)`;
      io.stderr(`warning: audit: ${tailRecords} were moved to ${tail.copy}\n`);
    }
    return log;
  } catch (e) {
    if (e instanceof AuditSignerError || e instanceof AuditLogError) throw new UserError(`audit: ${e.message}`);
    throw e;
  }
}

/** The `log` of the first record in `path`; a new log needs `--log-name`. */
async function existingLogName(path: string): Promise<string> {
  let head = "";
  try {
    const file = await open(path, "r");
    try {
      const { buffer, bytesRead } = await file.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, 0);
      head = buffer.toString("utf8", 0, bytesRead);
    } finally {
      await file.close();
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw new UserError(`audit: cannot read \`${path}\`: ${(e as Error).message}`);
  }
  const name = logNameOf(head.slice(0, head.indexOf("\n")));
  if (name === null) throw new UserError(`audit: \`${path}\` holds no record to take the log's name from: pass --log-name`);
  return name;
}

function parseMode(value: string | undefined): AuditMode {
  if (value === undefined || value === "batch") return "batch";
  if (value === "per-record") return "per-record";
  throw new UsageError(`--audit-mode must be batch or per-record, not \`${value}\``);
}

/** What a verdict's record needs besides the verdict: input and module hashes, the agent as the Guard records it. */
function contextOf(judged: JudgedInput, engine: DecisionEngine) {
  const agent = agentIdOf(judged.input);
  return { inputSha256: digestOf(judged), moduleSha256: engine.artifactSha256, ...(agent === null ? {} : { agent }) };
}

/** SHA-256 of the input's canonical JSON (RFC 8785); of the raw text when it has no JSON form (malformed, 1e400). */
function digestOf(judged: JudgedInput): string {
  try {
    return inputDigest(judged.input);
  } catch {
    return textDigest(judged.raw);
  }
}
