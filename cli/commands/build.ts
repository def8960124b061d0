import { writeFile } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { fileErrorReason } from "../../contract/file-errors.js";
import { buildPaths } from "../../compiler/build.js";
import type { IrPolicy } from "../../compiler/ir/ir.js";
import { wasmToWat } from "../../compiler/codegen/index.js";
import { parseCommandArgs } from "../args.js";
import { EXIT, UsageError, UserError, type Command } from "../io.js";
import { reportDiagnostics } from "../report.js";
import { DEFAULT_PATHS } from "./check.js";

type EmitKind = "wasm" | "wat" | "ir";

function parseEmit(value: string | undefined): EmitKind {
  if (value === undefined || value === "wasm" || value === "wat" || value === "ir") return value ?? "wasm";
  throw new UsageError(`--emit must be \`wasm\`, \`wat\` or \`ir\`, got \`${value}\``);
}

/**
 * The IR as JSON, its source files relative to `cwd` (with `/`), so the output does not depend on
 * where the checkout lives or how the paths were given.
 */
function irJson(policy: IrPolicy, cwd: string): string {
  const files = policy.static.files.map((file) => (isAbsolute(file) ? relative(cwd, file) : file).split(sep).join("/"));
  return `${JSON.stringify({ ...policy, static: { ...policy.static, files } }, null, 2)}\n`;
}

export const buildCommand: Command = {
  usage: `usage: musgo build [PATHS...] -o FILE [--emit wasm|wat|ir]

Compiles the constitution in PATHS (default: constitution/; *_test.constitution files are left out)
into one self-contained module that loads in OPA's WASM SDKs and in musgo/runtime.

options:
  -o, --output FILE     where to write the result (- for stdout with --emit wat|ir)
  --emit wasm|wat|ir    the module (default), its WebAssembly text, or the IR as JSON
  -h, --help            show this help

exit: 0 written, 1 constitution errors or unwritable output, 2 usage error
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { output: { type: "string", short: "o" }, emit: { type: "string" } });
    const emit = parseEmit(values.emit);
    const output = values.output;
    if (output === undefined) throw new UsageError("give the output file with -o FILE");
    if (output === "-" && emit === "wasm") throw new UsageError("a binary module cannot go to stdout: give -o FILE.wasm");
    const built = await buildPaths(positionals.length > 0 ? positionals : DEFAULT_PATHS);
    if (built.diagnostics.length > 0) reportDiagnostics(built.diagnostics, built.sources, "text", io);
    if (!built.ok) return EXIT.failure;
    const contents =
      emit === "wasm" ? built.wasm : emit === "wat" ? await wasmToWat(built.wasm) : irJson(built.policy, io.cwd);
    if (output === "-") {
      io.stdout(contents as string);
      return EXIT.ok;
    }
    try {
      await writeFile(resolve(io.cwd, output), contents);
    } catch (e) {
      throw new UserError(`cannot write \`${output}\`: ${fileErrorReason(e)}`);
    }
    io.stderr(`wrote ${output} (${emit === "wasm" ? `${built.wasm.length} bytes` : emit})\n`);
    return EXIT.ok;
  },
};
