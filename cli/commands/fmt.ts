import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { readSourceFile, readSources } from "../../compiler/sources.js";
import { DiagnosticSink } from "../../compiler/diagnostics/sink.js";
import { formatSource } from "../../compiler/format/index.js";
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
    const sink = new DiagnosticSink();
    const paths = positionals.length > 0 ? positionals : DEFAULT_PATHS;
    const sources = await readSources(paths, { fs: io.fs, cwd: io.cwd, includeTests: true }, sink);
    if (sink.hasErrors()) {
      reportDiagnostics(sink.diagnostics(), sources, "text", io);
      return EXIT.failure;
    }
    let changed = 0;
    const stdout = values.stdout === true;
    const mode: EmitMode = { check: values.check === true, stdout, headers: sources.length > 1, printed: 0 };
    for (const source of sources) {
      const result = formatSource(source);
      if (result.text === null) {
        sink.reportAll(result.diagnostics);
        continue;
      }
      if (result.text !== source.text) changed++;
      await emitFormatted(source, result.text, mode, io);
    }
    if (sink.hasErrors()) reportDiagnostics(sink.diagnostics(), sources, "text", io);
    if (sink.hasErrors() || (values.check === true && changed > 0)) return EXIT.failure;
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
  } else if (text !== source.text && (await unchangedSince(source, io))) {
    await writeFile(resolve(io.cwd, source.path), text);
    io.stdout(`formatted ${source.path}\n`);
  }
}

/** The file still holds what was formatted (nobody edited it meanwhile), so rewriting loses nothing. */
async function unchangedSince(source: SourceFile, io: CliIO): Promise<boolean> {
  const now = await readSourceFile(source.path, { fs: io.fs, cwd: io.cwd }, new DiagnosticSink());
  return now?.text === source.text;
}
