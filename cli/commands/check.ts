import { hasErrors } from "../../compiler/diagnostics/diagnostic.js";
import { compilePaths } from "../../compiler/pipeline.js";
import { parseCommandArgs } from "../args.js";
import { EXIT, type Command } from "../io.js";
import { parseFormat, reportDiagnostics } from "../report.js";

export const DEFAULT_PATHS = ["constitution/"];

export const checkCommand: Command = {
  usage: `usage: musgo check [PATHS...] [--format text|json]

Parses and type-checks every .constitution file in PATHS (default: constitution/), including
*_test.constitution files, and prints every diagnostic with file:line:col, a code and a hint.

options:
  --format text|json   text (default, on stderr) or a JSON array (on stdout)
  -h, --help           show this help

exit: 0 no errors (warnings allowed), 1 errors, 2 usage error
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { format: { type: "string" } });
    const format = parseFormat(values.format);
    const paths = positionals.length > 0 ? positionals : DEFAULT_PATHS;
    const compiled = await compilePaths(paths, { includeTests: true, fs: io.fs, cwd: io.cwd });
    if (compiled.diagnostics.length > 0 || format === "json")
      reportDiagnostics(compiled.diagnostics, compiled.sources, format, io);
    if (hasErrors(compiled.diagnostics)) return EXIT.failure;
    if (format === "text")
      io.stderr(`ok: ${compiled.sources.length} file${compiled.sources.length === 1 ? "" : "s"} checked\n`);
    return EXIT.ok;
  },
};
