import {
  DECISION_ENTRYPOINT,
  REGISTRATION_ENTRYPOINT,
  type DecisionEngine,
  type Entrypoint,
} from "../../contract/engine.js";
import { parseCommandArgs } from "../args.js";
import { createGuard } from "../../guard/create-guard.js";
import { checkEngineForPaths, loadEngine, parseEngineKind } from "../engine.js";
import { cliWarnings, EXIT, UsageError, UserError, type CliIO, type Command } from "../io.js";
import { judgeBytes } from "../../contract/judge-bytes.js";
import { readInputBytes, splitLines } from "../inputs.js";
import { targetSettings } from "../targets.js";
import {
  AUDIT_CLI_OPTIONS,
  AUDIT_USAGE,
  SIGNER_CLI_OPTIONS,
  SIGNER_USAGE,
  VAULT_CLI_OPTIONS,
  VAULT_USAGE,
  auditSettings,
  type AuditValues,
} from "../audit-options.js";
import { DEFAULT_PATHS } from "./check.js";

/** Verdicts are released in chunks: each chunk's audit records are group-committed together. */
const CHUNK = 1024;

export const evalCommand: Command = {
  usage: `usage: musgo eval [PATHS...|FILE.wasm] (--input FILE|- | --inputs FILE.jsonl) [options]

Compiles the constitution in PATHS (default: constitution/), or loads a built FILE.wasm, and
prints the verdict for each input.

options:
  --input FILE|-        one JSON document (from a file, or - for stdin); prints one pretty verdict
  --inputs FILE.jsonl   one JSON document per line; prints one verdict per line (line N's on line N)
  --entrypoint NAME     constitution/decision (default) or constitution/registration
  --engine wasm|interp  which engine evaluates (default: wasm, the compiled module)
${AUDIT_USAGE}
${SIGNER_USAGE}
${VAULT_USAGE}
  -h, --help            show this help

Inputs are read as the built module reads them (duplicate keys, invalid UTF-8, lone surrogates and
nesting deeper than 1000 levels are malformed). A malformed input never stops the run: it gets a
fail-closed verdict naming what is wrong; so does a blank line of --inputs.
exit: 0 verdicts printed (deny is a verdict, not an error), 1 constitution or audit errors, 2 usage error
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      input: { type: "string" },
      inputs: { type: "string" },
      entrypoint: { type: "string" },
      engine: { type: "string" },
      ...AUDIT_CLI_OPTIONS,
      ...SIGNER_CLI_OPTIONS,
      ...VAULT_CLI_OPTIONS,
    });
    if ((values.input === undefined) === (values.inputs === undefined))
      throw new UsageError("give exactly one of --input or --inputs");
    const entrypoint = parseEntrypoint(values.entrypoint);
    if (values["audit-log"] !== undefined && entrypoint !== DECISION_ENTRYPOINT)
      throw new UsageError("--audit-log records decision verdicts: use it with constitution/decision");
    const paths = positionals.length > 0 ? positionals : DEFAULT_PATHS;
    checkEngineForPaths(paths, values.engine);
    const engine = await loadEngine(paths, { engine: parseEngineKind(values.engine) }, io);
    const documents =
      values.input !== undefined
        ? [await readInputBytes(values.input, io)]
        : splitLines(await readInputBytes(values.inputs!, io));
    const print =
      values.input !== undefined
        ? (r: unknown) => `${JSON.stringify(r, null, 2)}\n`
        : (r: unknown) => `${JSON.stringify(r)}\n`;
    if (entrypoint === REGISTRATION_ENTRYPOINT) {
      for (const bytes of documents) io.stdout(print(judgeBytes(engine, bytes, REGISTRATION_ENTRYPOINT)));
      return EXIT.ok;
    }
    await judgeAll(engine, documents, values, io, print);
    return EXIT.ok;
  },
};

async function judgeAll(
  engine: DecisionEngine,
  documents: Uint8Array[],
  values: AuditValues,
  io: CliIO,
  print: (r: unknown) => string,
): Promise<void> {
  const audit = auditSettings(values);
  if (audit === undefined) {
    for (const bytes of documents) io.stdout(print(judgeBytes(engine, bytes)));
    return;
  }
  // Judged through the Guard, without rate limits (eval judges inputs, not a live stream of actions):
  // each chunk's records are group-committed together, and verdicts print only once durable.
  const targets = targetSettings(values);
  const handle = await createGuard({
    decisionEngine: engine,
    cwd: io.cwd,
    env: io.env,
    targets,
    audit,
    mode: "decide",
    limits: false,
    onWarning: cliWarnings(io),
  });
  try {
    for (let start = 0; start < documents.length; start += CHUNK) {
      const chunk = documents.slice(start, start + CHUNK);
      const decisions = await Promise.all(chunk.map((bytes) => handle.guard.decideBytes(bytes)));
      const failed = decisions.find((d) => d.audit.status === "failed");
      if (failed !== undefined && failed.audit.status === "failed") {
        throw new UserError(`audit: a record could not be written, so no verdict is released: ${failed.audit.error}`);
      }
      for (const d of decisions) io.stdout(print(d.verdict));
    }
  } finally {
    await handle.close();
  }
}

export function parseEntrypoint(value: string | undefined): Entrypoint {
  if (value === undefined || value === DECISION_ENTRYPOINT || value === "decision") return DECISION_ENTRYPOINT;
  if (value === REGISTRATION_ENTRYPOINT || value === "registration") return REGISTRATION_ENTRYPOINT;
  throw new UsageError(`unknown entrypoint \`${value}\`: use ${DECISION_ENTRYPOINT} or ${REGISTRATION_ENTRYPOINT}`);
}
