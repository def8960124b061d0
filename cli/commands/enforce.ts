// `musgo enforce`: judge one decision input and carry out the verdict's remedy (Kubernetes
// containment, rollback, a Vault incident). The Guard and its adapters come from createGuard
// (guard/create-guard.ts); this file maps flags onto it. Nothing is contacted unless configured by
// flag, musgo.config.json, KUBECONFIG or VAULT_ADDR.

import { createGuard } from "../../guard/create-guard.js";
import type { GuardResult } from "../../guard/guard.js";
import { parseCommandArgs } from "../args.js";
import { parseEngineKind, checkEngineForPaths } from "../engine.js";
import { cliWarnings, EXIT, UsageError, type Command, printError } from "../io.js";
import { readDecisionInput } from "../inputs.js";
import { DEFAULT_PATHS } from "./check.js";
import { AUDIT_CLI_OPTIONS, AUDIT_USAGE, SIGNER_CLI_OPTIONS, SIGNER_USAGE, auditSettings } from "../audit-options.js";
import { TARGET_OPTIONS, TARGET_USAGE, targetSettings } from "../targets.js";

/** True when every containment step ran and the audit record, if configured, was written. */
export function enforcementComplete(result: GuardResult): boolean {
  return result.actions.every((action) => action.complete) && result.audit.status !== "failed";
}

export const enforceCommand: Command = {
  usage: `usage: musgo enforce [PATHS...|FILE.wasm] --input FILE|- [--dry-run] [options]

Judges the input with the constitution in PATHS (default: constitution/), applies its rate limits,
runs the determining violation's remedy and records an incident in Vault:
  suspend     scale the agent's deployment to 0 (the replica count is kept for release)
  quarantine  NetworkPolicy isolating its pods, pods labelled, template pinned to quarantine=true nodes
  rollback    restore the agent's latest checkpoint from the state store
  throttle, warn, log   the verdict refuses the action; an incident is recorded
Prints the verdict and every step taken as JSON.

options:
  --input FILE|-          the decision input (JSON)
  --dry-run               send every Kubernetes write with dryRun=All; write no incident, change no state
  --engine wasm|interp    which engine evaluates
${TARGET_USAGE}
${AUDIT_USAGE}
${SIGNER_USAGE}
  -h, --help              show this help

exit: 0 the remedy was carried out (a deny is not an error), 1 a step failed (see "actions"), 2 usage error
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      ...TARGET_OPTIONS,
      input: { type: "string" },
      "dry-run": { type: "boolean" },
      engine: { type: "string" },
      ...AUDIT_CLI_OPTIONS,
      ...SIGNER_CLI_OPTIONS,
    });
    if (values.input === undefined) throw new UsageError("--input is required");
    const paths = positionals.length > 0 ? positionals : DEFAULT_PATHS;
    checkEngineForPaths(paths, values.engine);
    const engine = parseEngineKind(values.engine);
    const audit = auditSettings(values);
    const input = await readDecisionInput(values.input, io);
    const handle = await createGuard({
      paths,
      engine,
      cwd: io.cwd,
      fs: io.fs,
      env: io.env,
      targets: targetSettings(values),
      ...(audit === undefined ? {} : { audit }),
      dryRun: values["dry-run"] ?? false,
      onWarning: cliWarnings(io),
    });
    try {
      const result = await handle.guard.enforce(input);
      io.stdout(`${JSON.stringify(result, null, 2)}\n`);
      if (enforcementComplete(result)) return EXIT.ok;
      for (const action of result.actions.filter((a) => !a.complete)) {
        printError(io, `${action.operation} of ${action.agent} is incomplete: ${action.error}`);
      }
      return EXIT.failure;
    } finally {
      await handle.close();
    }
  },
};
