// `musgo plan`: what `musgo enforce` would do for an input, as multi-document YAML, contacting
// nothing (the kubeconfig file is read for its namespace only; no cluster or Vault is called). The
// Guard computes the plan from the same adapters that would send the requests.

import { stringify } from "yaml";
import { createGuard } from "../../guard/create-guard.js";
import { parseCommandArgs } from "../args.js";
import { checkEngineForPaths, parseEngineKind } from "../engine.js";
import { EXIT, UsageError, type Command } from "../io.js";
import { readDecisionInput } from "../inputs.js";
import { DEFAULT_PATHS } from "./check.js";
import { TARGET_OPTIONS, TARGET_USAGE, targetSettings } from "../targets.js";

export const planCommand: Command = {
  usage: `usage: musgo plan [PATHS...|FILE.wasm] --input FILE|- [options]

Judges the input like \`musgo enforce\` and prints, as multi-document YAML, the verdict and one
document per request enforcement would send. Contacts no cluster and no Vault.

options:
  --input FILE|-          the decision input (JSON)
  --engine interp|wasm    which engine evaluates
${TARGET_USAGE}
  -h, --help              show this help
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      ...TARGET_OPTIONS,
      input: { type: "string" },
      engine: { type: "string" },
    });
    if (values.input === undefined) throw new UsageError("--input is required");
    const paths = positionals.length > 0 ? positionals : DEFAULT_PATHS;
    checkEngineForPaths(paths, values.engine);
    const engine = parseEngineKind(values.engine);
    const input = await readDecisionInput(values.input, io);
    const handle = await createGuard({
      paths,
      engine,
      cwd: io.cwd,
      fs: io.fs,
      env: io.env,
      targets: targetSettings(values),
      mode: "plan",
    });
    try {
      const plan = handle.guard.plan(input);
      const documents: unknown[] = [
        { verdict: plan.verdict, remedy: plan.remedy.remedy, agent: plan.agent },
        ...plan.requests,
      ];
      io.stdout(documents.map((doc) => stringify(doc)).join("---\n"));
      return EXIT.ok;
    } finally {
      await handle.close();
    }
  },
};
