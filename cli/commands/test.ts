import { hasErrors } from "../../compiler/diagnostics/diagnostic.js";
import { compilePaths } from "../../compiler/pipeline.js";
import { renderTestReport, runPolicyTests } from "../../compiler/testing/run-tests.js";
import { parseCommandArgs } from "../args.js";
import { engineFor } from "../../guard/engines.js";
import { parseEngineKind } from "../engine.js";
import { EXIT, type Command } from "../io.js";
import { reportDiagnostics } from "../report.js";
import { DEFAULT_PATHS } from "./check.js";

export const testCommand: Command = {
  usage: `usage: musgo test [PATHS...] [--engine interp|wasm]

Compiles the constitution in PATHS (default: constitution/) and runs every \`test\` block of its
*_test.constitution files. Prints pass/fail per test, a diff on failure, and \`N passed, N failed\`.

options:
  --engine wasm|interp  which engine judges the test inputs (default: wasm)
  -h, --help            show this help

exit: 0 all tests passed, 1 a test failed or the constitution has errors, 2 usage error
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { engine: { type: "string" } });
    const kind = parseEngineKind(values.engine);
    const compiled = await compilePaths(positionals.length > 0 ? positionals : DEFAULT_PATHS, { includeTests: true });
    if (compiled.diagnostics.length > 0) reportDiagnostics(compiled.diagnostics, compiled.sources, "text", io);
    if (compiled.constitution === null || hasErrors(compiled.diagnostics)) return EXIT.failure;
    const results = runPolicyTests(compiled.constitution.tests, await engineFor(compiled.constitution, kind));
    io.stdout(renderTestReport(results));
    return results.every((r) => r.passed) ? EXIT.ok : EXIT.failure;
  },
};
