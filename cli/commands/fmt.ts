import { readFile, writeFile } from "node:fs/promises";
import { readSources } from "../../compiler/pipeline.js";
import { formatSource } from "../../compiler/format/index.js";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import type { SourceFile } from "../../compiler/diagnostics/span.js";
import { parseCommandArgs } from "../args.js";
import { EXIT, type CliIO, type Command } from "../io.js";
import { reportDiagnostics } from "../report.js";
import { DEFAULT_PATHS } from "./check.js";

export const fmtCommand: Command = {
  usage: `usage: musgo fmt [--check] [--stdout] [PATHS...]

Rewrites every .constitution file in PATHS (default: constitution/) in the canonical layout.
Comments are kept; a file with syntax errors is never rewritten (its diagnostics are printed).

options:
  --check    change nothing; list the files that would change and exit 1 if there are any
  --stdout   print the formatted text instead of writing files; with several files, each
             follows a \`==> path <==\` header line (as \`head\` prints them)
  -h, --help show this help

exit: 0 formatted (or already canonical), 1 syntax errors or --check found changes, 2 usage error
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { check: { type: "boolean" }, stdout: { type: "boolean" } });
    const read = await readSources(positionals.length > 0 ? positionals : DEFAULT_PATHS, { includeTests: true });
    if (read.diagnostics.length > 0) {
      reportDiagnostics(read.diagnostics, read.sources, "text", io);
      return EXIT.failure;
    }
    const broken: Diagnostic[] = [];
    let changed = 0;
    const stdout = values.stdout === true;
    const mode: EmitMode = { check: values.check === true, stdout, headers: read.sources.length > 1, printed: 0 };
    for (const source of read.sources) {
      const result = formatSource(source);
      if (result.text === null) {
        broken.push(...result.diagnostics);
        continue;
      }
      if (result.text !== source.text) changed++;
      await emitFormatted(source, result.text, mode, io);
    }
    if (broken.length > 0) reportDiagnostics(broken, read.sources, "text", io);
    if (broken.length > 0 || (values.check === true && changed > 0)) return EXIT.failure;
    return EXIT.ok;
  },
};

interface EmitMode {
  check: boolean;
  stdout: boolean;
  /** With --stdout and several files: a `==> path <==` line before each, a blank line between them. */
  headers: boolean;
  printed: number;
}

async function emitFormatted(source: SourceFile, text: string, mode: EmitMode, io: CliIO): Promise<void> {
  if (mode.stdout) {
    if (mode.headers) io.stdout(`${mode.printed > 0 ? "\n" : ""}==> ${source.path} <==\n`);
    io.stdout(text);
    mode.printed++;
  } else if (mode.check) {
    if (text !== source.text) io.stdout(`would reformat ${source.path}\n`);
  } else if (text !== source.text && (await readFile(source.path, "utf8")) === source.text) {
    await writeFile(source.path, text);
    io.stdout(`formatted ${source.path}\n`);
  }
}
