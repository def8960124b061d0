import { readFile } from "node:fs/promises";
import { DECISION_ENTRYPOINT, REGISTRATION_ENTRYPOINT, type DecisionEngine, type Entrypoint } from "../../runtime/engine.js";
import { invalidInputVerdict, type RegistrationResult, type Verdict } from "../../runtime/verdict.js";
import { parseCommandArgs } from "../args.js";
import { loadEngine, parseEngineKind } from "../engine.js";
import { EXIT, UsageError, UserError, type CliIO, type Command } from "../io.js";
import { DEFAULT_PATHS } from "./check.js";

export const evalCommand: Command = {
  usage: `usage: musgo eval [PATHS...|FILE.wasm] (--input FILE|- | --inputs FILE.jsonl) [options]

Compiles the constitution in PATHS (default: constitution/), or loads a built FILE.wasm, and
prints the verdict for each input.

options:
  --input FILE|-        one JSON document (from a file, or - for stdin); prints one pretty verdict
  --inputs FILE.jsonl   one JSON document per line; prints one verdict per line
  --entrypoint NAME     constitution/decision (default) or constitution/registration
  --engine wasm|interp  which engine evaluates (default: wasm, the compiled module)
  -h, --help            show this help

A malformed input never stops the run: it gets a fail-closed verdict naming what is wrong.
exit: 0 verdicts printed (deny is a verdict, not an error), 1 constitution errors, 2 usage error
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      input: { type: "string" },
      inputs: { type: "string" },
      entrypoint: { type: "string" },
      engine: { type: "string" },
    });
    if ((values.input === undefined) === (values.inputs === undefined)) throw new UsageError("give exactly one of --input or --inputs");
    const entrypoint = parseEntrypoint(values.entrypoint);
    const engine = await loadEngine(positionals.length > 0 ? positionals : DEFAULT_PATHS, { engine: parseEngineKind(values.engine) });
    if (values.input !== undefined) {
      const text = await readInputText(values.input, io);
      io.stdout(`${JSON.stringify(judgeText(engine, entrypoint, text), null, 2)}\n`);
    } else {
      const lines = (await readInputText(values.inputs!, io)).split("\n").filter((line) => line.trim() !== "");
      for (const line of lines) io.stdout(`${JSON.stringify(judgeText(engine, entrypoint, line))}\n`);
    }
    return EXIT.ok;
  },
};

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

/** Parses one JSON document and judges it; malformed JSON is judged fail-closed, never thrown. */
export function judgeText(engine: DecisionEngine, entrypoint: Entrypoint, text: string): Verdict | RegistrationResult {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (e) {
    const error = `input: malformed JSON (${(e as Error).message})`;
    return entrypoint === DECISION_ENTRYPOINT ? invalidInputVerdict(error, engine.constitution) : { namespace: null, permissions: [], error };
  }
  return entrypoint === DECISION_ENTRYPOINT ? engine.decide(input) : engine.register(input);
}
