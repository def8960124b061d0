import { error, hasErrors, type Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { compilePaths } from "../../compiler/pipeline.js";
import { renderTestReport, runPolicyTests } from "../../compiler/testing/run-tests.js";
import { parseCommandArgs } from "../args.js";
import { engineFor } from "../../guard/engines.js";
import { parseEngineKind } from "../engine.js";
import { EXIT, type CliIO, type Command } from "../io.js";
import { reportDiagnostics } from "../report.js";
import { DEFAULT_PATHS } from "./check.js";

export const testCommand: Command = {
  usage: `usage: musgo test [PATHS...] [--engine interp|wasm] [--allow-empty]

Compiles the constitution in PATHS (default: constitution/) and runs every \`test\` block of its
*_test.constitution files. Prints pass/fail per test, the place and a diff on failure, and
\`N passed, N failed\`.

options:
  --engine wasm|interp  which engine judges the test inputs (default: wasm)
  --allow-empty         finding no tests is not an error
  -h, --help            show this help

exit: 0 all tests passed, 1 a test failed, no tests were found or the constitution has errors,
      2 usage error
`,
  async run(args, io) {
    const options = { engine: { type: "string" }, "allow-empty": { type: "boolean" } } as const;
    const { values, positionals } = parseCommandArgs(args, options);
    const kind = parseEngineKind(values.engine);
    const paths = positionals.length > 0 ? positionals : DEFAULT_PATHS;
    const compiled = await compilePaths(paths, { includeTests: true, fs: io.fs, cwd: io.cwd });
    const noTestBlocks = compiled.constitution?.tests.length === 0 && !hasErrors(compiled.diagnostics);
    if (isEmpty(compiled.diagnostics) || noTestBlocks) {
      return noTests(paths, values["allow-empty"] === true, io);
    }
    if (compiled.diagnostics.length > 0) reportDiagnostics(compiled.diagnostics, compiled.sources, "text", io);
    if (compiled.constitution === null || hasErrors(compiled.diagnostics)) return EXIT.failure;
    const results = runPolicyTests(compiled.constitution.tests, await engineFor(compiled.constitution, kind));
    io.stdout(renderTestReport(results));
    return results.every((r) => r.passed) ? EXIT.ok : EXIT.failure;
  },
};

/** No constitution files at all (MG4002 alone) also means no tests. */
function isEmpty(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.length > 0 && diagnostics.every((d) => d.code === "MG4002");
}

/** A folder without tests is usually a wrong path or a misnamed file, so it fails unless allowed. */
function noTests(paths: readonly string[], allowEmpty: boolean, io: CliIO): number {
  const where = paths.join(", ");
  if (allowEmpty) {
    io.stderr(`no tests found in \`${where}\`\n`);
    io.stdout(renderTestReport([]));
    return EXIT.ok;
  }
  const at = { offset: 0, line: 1, column: 1 };
  const hint = "tests are `test` blocks in files ending in `_test.constitution`; pass --allow-empty to accept none";
  const diagnostic = error("MG3005", { file: where, start: at, end: at }, `no tests found in \`${where}\``, hint);
  reportDiagnostics([diagnostic], [], "text", io);
  return EXIT.failure;
}
