// `musgo release AGENT`: the appeal path. Undoes quarantine and suspension of one agent's deployment;
// with `--audit-log`, the release becomes a record of the same signed chain as the verdicts.

import { createGuard } from "../../guard/create-guard.js";
import { parseCommandArgs } from "../args.js";
import { cliWarnings, EXIT, UsageError, UserError, type Command, printError } from "../io.js";
import { TARGET_OPTIONS, TARGET_USAGE, targetSettings } from "../targets.js";
import { AUDIT_CLI_OPTIONS, SIGNER_CLI_OPTIONS, SIGNER_USAGE, auditSettings } from "../audit-options.js";

export const releaseCommand: Command = {
  usage: `usage: musgo release AGENT [--dry-run] [--audit-log FILE] [options]

Deletes the agent's quarantine NetworkPolicy, removes the quarantine labels and nodeSelector,
and scales a suspended deployment back to its replica count before suspension. Idempotent.

options:
  --dry-run               send every write with dryRun=All (and write no audit record)
${TARGET_USAGE}
  --audit-log FILE        append a signed record of the release to this audit log (opened before
                          anything is released: if it cannot be, nothing is)
  --audit-mode batch|per-record  as for musgo eval
  --log-name NAME         the log's origin line (default: the name of the log already in FILE)
${SIGNER_USAGE}
  -h, --help              show this help

exit: 0 released (and recorded), 1 a step failed or the record could not be written, 2 usage error
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      ...TARGET_OPTIONS,
      "dry-run": { type: "boolean" },
      ...AUDIT_CLI_OPTIONS,
      ...SIGNER_CLI_OPTIONS,
    });
    if (positionals.length !== 1) throw new UsageError("give exactly one AGENT id");
    const agent = positionals[0]!;
    const dryRun = values["dry-run"] ?? false;
    const audit = dryRun ? undefined : auditSettings(values);
    // No constitution: a release judges nothing. The audit log is opened before anything is released.
    const handle = await createGuard({
      cwd: io.cwd,
      fs: io.fs,
      env: io.env,
      targets: targetSettings(values),
      ...(audit === undefined ? {} : { audit }),
      dryRun,
      onWarning: cliWarnings(io),
    });
    try {
      if (!handle.guard.hasActuator) {
        throw new UserError(
          "no Kubernetes cluster configured: pass --kubeconfig, set kubernetes.kubeconfig in musgo.config.json, or set KUBECONFIG",
        );
      }
      const { report, audit: outcome } = await handle.guard.release(agent);
      if (outcome.status === "failed")
        throw new UserError(`audit: the release ran but its record could not be written: ${outcome.error}`);
      io.stdout(`${JSON.stringify(outcome.status === "written" ? { ...report, audit: outcome } : report, null, 2)}\n`);
      if (report.complete) return EXIT.ok;
      printError(io, `release of ${agent} is incomplete: ${report.error}`);
      return EXIT.failure;
    } finally {
      await handle.close();
    }
  },
};
