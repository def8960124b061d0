import { readFile } from "node:fs/promises";
import { DECISION_ENTRYPOINT, REGISTRATION_ENTRYPOINT, type DecisionEngine, type Entrypoint } from "../../contract/engine.js";
import { invalidInputVerdict, type RegistrationResult, type Verdict } from "../../contract/verdict.js";
import { parseCommandArgs } from "../args.js";
import { loadEngine, parseEngineKind } from "../engine.js";
import type { JudgedInput } from "../eval-audit.js";
import { EXIT, UsageError, UserError, type CliIO, type Command } from "../io.js";
import { AUDIT_CLI_OPTIONS, AUDIT_USAGE, SIGNER_CLI_OPTIONS, SIGNER_USAGE, VAULT_CLI_OPTIONS, VAULT_USAGE, type AuditValues } from "../audit-options.js";
import { DEFAULT_PATHS } from "./check.js";

/** Verdicts are released in chunks: each chunk's audit records are group-committed together. */
const CHUNK = 1024;

export const evalCommand: Command = {
  usage: `usage: musgo eval [PATHS...|FILE.wasm] (--input FILE|- | --inputs FILE.jsonl) [options]

Compiles the constitution in PATHS (default: constitution/), or loads a built FILE.wasm, and
prints the verdict for each input.

options:
  --input FILE|-        one JSON document (from a file, or - for stdin); prints one pretty verdict
  --inputs FILE.jsonl   one JSON document per line; prints one verdict per line
  --entrypoint NAME     constitution/decision (default) or constitution/registration
  --engine wasm|interp  which engine evaluates (default: wasm, the compiled module)
${AUDIT_USAGE}
${SIGNER_USAGE}
${VAULT_USAGE}
  -h, --help            show this help

A malformed input never stops the run: it gets a fail-closed verdict naming what is wrong.
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
    if ((values.input === undefined) === (values.inputs === undefined)) throw new UsageError("give exactly one of --input or --inputs");
    const entrypoint = parseEntrypoint(values.entrypoint);
    if (values["audit-log"] !== undefined && entrypoint !== DECISION_ENTRYPOINT) throw new UsageError("--audit-log records decision verdicts: use it with constitution/decision");
    const engine = await loadEngine(positionals.length > 0 ? positionals : DEFAULT_PATHS, { engine: parseEngineKind(values.engine) });
    const texts = values.input !== undefined ? [await readInputText(values.input, io)] : splitLines(await readInputText(values.inputs!, io));
    const print = values.input !== undefined ? (r: unknown) => `${JSON.stringify(r, null, 2)}\n` : (r: unknown) => `${JSON.stringify(r)}\n`;
    if (entrypoint === REGISTRATION_ENTRYPOINT) {
      for (const text of texts) io.stdout(print(registerText(engine, text)));
      return EXIT.ok;
    }
    await judgeAll(engine, texts, values, io, print);
    return EXIT.ok;
  },
};

async function judgeAll(engine: DecisionEngine, texts: string[], values: AuditValues, io: CliIO, print: (r: unknown) => string): Promise<void> {
  const audit = values["audit-log"] === undefined ? null : await (await import("../eval-audit.js")).EvalAudit.open(values, engine, io);
  try {
    for (let start = 0; start < texts.length; start += CHUNK) {
      const judged = texts.slice(start, start + CHUNK).map((text) => decideText(engine, text));
      await audit?.record(judged);
      for (const j of judged) io.stdout(print(j.verdict));
    }
  } finally {
    await audit?.close();
  }
}

function splitLines(text: string): string[] {
  return text.split("\n").filter((line) => line.trim() !== "");
}

export function parseEntrypoint(value: string | undefined): Entrypoint {
  if (value === undefined || value === DECISION_ENTRYPOINT || value === "decision") return DECISION_ENTRYPOINT;
  if (value === REGISTRATION_ENTRYPOINT || value === "registration") return REGISTRATION_ENTRYPOINT;
  throw new UsageError(`unknown entrypoint \`${value}\`: use ${DECISION_ENTRYPOINT} or ${REGISTRATION_ENTRYPOINT}`);
}

export async function readInputText(path: string, io: CliIO): Promise<string> {
  if (path === "-") return io.readStdin();
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    throw new UserError(`cannot read input \`${path}\`: ${(e as Error).message}`);
  }
}

type Parsed = { ok: true; input: unknown } | { ok: false; error: string };

export function parseJson(text: string): Parsed {
  try {
    return { ok: true, input: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: `input: malformed JSON (${(e as Error).message})` };
  }
}

/** Judges one JSON document; malformed JSON is judged fail-closed, never thrown. */
export function decideText(engine: DecisionEngine, text: string): JudgedInput {
  const parsed = parseJson(text);
  const verdict: Verdict = parsed.ok ? engine.decide(parsed.input) : invalidInputVerdict(parsed.error, engine.constitution);
  return { verdict, input: parsed.ok ? parsed.input : undefined, raw: text };
}

function registerText(engine: DecisionEngine, text: string): RegistrationResult {
  const parsed = parseJson(text);
  return parsed.ok ? engine.register(parsed.input) : { namespace: null, permissions: [], error: parsed.error };
}
