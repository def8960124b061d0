import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { isStageName, runPaths, STAGE_NAMES, type StageName, type StageProducts } from "../../compiler/driver.js";
import { dumpProduct } from "../../compiler/dump.js";
import { InternalCompilerError } from "../../compiler/diagnostics/internal-error.js";
import { fileErrorReason } from "../../contract/file-errors.js";
import { parseCommandArgs } from "../args.js";
import { EXIT, UsageError, UserError, type CliIO, type Command } from "../io.js";
import { reportDiagnostics } from "../report.js";
import { DEFAULT_PATHS } from "./check.js";

type EmitKind = "wasm" | "wat" | "ir";

function parseEmit(value: string | undefined): EmitKind {
  if (value === undefined || value === "wasm" || value === "wat" || value === "ir") return value ?? "wasm";
  throw new UsageError(`--emit must be \`wasm\`, \`wat\` or \`ir\`, got \`${value}\``);
}

function parseStage(flag: string, value: string | undefined): StageName | null {
  if (value === undefined) return null;
  if (isStageName(value)) return value;
  throw new UsageError(`${flag} must be one of ${STAGE_NAMES.map((s) => `\`${s}\``).join(", ")}, got \`${value}\``);
}

/** What to run and what to print or write; every inconsistent combination is a usage error. */
interface BuildRequest {
  stopAfter: StageName;
  dumpAfter: StageName | null;
  /** Null with --stop-after: the run writes nothing. */
  output: Output | null;
}

interface Output {
  path: string;
  emit: EmitKind;
}

type BuildValues = { [K in "output" | "emit" | "stop-after" | "dump-after"]?: string | undefined };

function buildRequest(values: BuildValues): BuildRequest {
  const stopAfter = parseStage("--stop-after", values["stop-after"]);
  const dumpAfter = parseStage("--dump-after", values["dump-after"]);
  const emit = parseEmit(values.emit);
  const last = stopAfter ?? "emit";
  if (dumpAfter !== null && STAGE_NAMES.indexOf(dumpAfter) > STAGE_NAMES.indexOf(last)) {
    throw new UsageError(`--dump-after ${dumpAfter} needs that stage to run, but --stop-after ${last} stops before it`);
  }
  if (stopAfter !== null) {
    const writes = values.output !== undefined || values.emit !== undefined;
    if (writes) throw new UsageError("--stop-after writes nothing: drop -o and --emit");
    return { stopAfter, dumpAfter, output: null };
  }
  const path = values.output;
  if (path === undefined) throw new UsageError("give the output file with -o FILE (or --stop-after STAGE)");
  if (path === "-" && emit === "wasm") throw new UsageError("a binary module cannot go to stdout: give -o FILE.wasm");
  if (path === "-" && dumpAfter !== null) throw new UsageError("--dump-after prints on stdout: give -o FILE");
  return { stopAfter: last, dumpAfter, output: { path, emit } };
}

/** The file contents --emit asks for: the module itself, or the emit or plan product as text. */
async function outputContents(
  emit: EmitKind,
  products: Partial<StageProducts>,
  cwd: string,
): Promise<string | Uint8Array> {
  const { plan, emit: wasm } = products;
  if (plan === undefined || wasm === undefined) {
    throw new InternalCompilerError("a build without errors emitted no module");
  }
  if (emit === "wasm") return wasm;
  return emit === "wat" ? dumpProduct("emit", wasm, cwd) : dumpProduct("plan", plan, cwd);
}

async function writeOutput({ path, emit }: Output, contents: string | Uint8Array, io: CliIO): Promise<void> {
  if (path === "-") {
    io.stdout(contents as string);
    return;
  }
  try {
    await writeFile(resolve(io.cwd, path), contents);
  } catch (e) {
    throw new UserError(`cannot write \`${path}\`: ${fileErrorReason(e)}`);
  }
  io.stderr(`wrote ${path} (${emit === "wasm" ? `${contents.length} bytes` : emit})\n`);
}

export const buildCommand: Command = {
  usage: `usage: musgo build [PATHS...] -o FILE [--emit wasm|wat|ir] [--dump-after STAGE]
       musgo build [PATHS...] --stop-after STAGE [--dump-after STAGE]

Compiles the constitution in PATHS (default: constitution/; *_test.constitution files are left out)
into one self-contained module that loads in OPA's WASM SDKs and in musgo/runtime.
The compiler runs four stages in order: parse, check, plan (to the IR), emit (the module).

options:
  -o, --output FILE     where to write the result (- for stdout with --emit wat|ir)
  --emit wasm|wat|ir    the module (default), its WebAssembly text, or the IR as JSON
  --stop-after STAGE    run the stages up to STAGE (parse, check, plan or emit) and write nothing
  --dump-after STAGE    print STAGE's product on stdout: parse the ASTs as JSON, check a JSON summary of
                        the checked constitution, plan the IR as JSON, emit the module as WebAssembly text
  -h, --help            show this help

exit: 0 written (or stopped without errors), 1 constitution errors or unwritable output, 2 usage error,
      3 internal compiler error (a musgo bug: please report it)
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      output: { type: "string", short: "o" },
      emit: { type: "string" },
      "stop-after": { type: "string" },
      "dump-after": { type: "string" },
    });
    const request = buildRequest(values);
    let dump: Promise<string> | null = null;
    const run = await runPaths(positionals.length > 0 ? positionals : DEFAULT_PATHS, {
      fs: io.fs,
      cwd: io.cwd,
      includeTests: false,
      stopAfter: request.stopAfter,
      onProduct: (stage, product) => {
        if (stage === request.dumpAfter && product !== null) dump = dumpProduct(stage, product, io.cwd);
      },
    });
    const diagnostics = run.sink.diagnostics();
    if (diagnostics.length > 0) reportDiagnostics(diagnostics, run.sources, "text", io);
    if (dump !== null) io.stdout(await dump);
    if (run.sink.hasErrors()) return EXIT.failure;
    if (request.output === null) return EXIT.ok;
    await writeOutput(request.output, await outputContents(request.output.emit, run.products, io.cwd), io);
    return EXIT.ok;
  },
};
