// `musgo release AGENT`: the appeal path. Undoes quarantine and suspension of one agent's deployment.

import { parseCommandArgs } from "../args.js";
import { EXIT, UsageError, UserError, type Command } from "../io.js";
import { buildActuator } from "./enforce.js";
import { resolveTargets, TARGET_OPTIONS, TARGET_USAGE } from "../targets.js";

export const releaseCommand: Command = {
  usage: `usage: musgo release AGENT [--dry-run] [options]

Deletes the agent's quarantine NetworkPolicy, removes the quarantine labels and nodeSelector,
and scales a suspended deployment back to its replica count before suspension. Idempotent.

options:
  --dry-run               send every write with dryRun=All
${TARGET_USAGE}
  -h, --help              show this help

exit: 0 released, 1 a step failed, 2 usage error
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { ...TARGET_OPTIONS, "dry-run": { type: "boolean" } });
    if (positionals.length !== 1) throw new UsageError("give exactly one AGENT id");
    const agent = positionals[0]!;
    const actuator = buildActuator(await resolveTargets(values, io));
    if (actuator === null) throw new UserError("no Kubernetes cluster configured: pass --kubeconfig, set kubernetes.kubeconfig in musgo.config.json, or set KUBECONFIG");
    const report = await actuator.release(agent, { dryRun: values["dry-run"] ?? false });
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    if (report.complete) return EXIT.ok;
    io.stderr(`error: release of ${agent} is incomplete: ${report.error}\n`);
    return EXIT.failure;
  },
};
