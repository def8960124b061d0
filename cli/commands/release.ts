// `musgo release AGENT`: the appeal path. Undoes quarantine and suspension of one agent's deployment;
// with `--audit-log`, the release becomes a record of the same signed chain as the verdicts.

import { parseCommandArgs } from "../args.js";
import { EXIT, UsageError, UserError, type CliIO, type Command } from "../io.js";
import { buildActuator } from "./enforce.js";
import { resolveTargets, TARGET_OPTIONS, TARGET_USAGE } from "../targets.js";
import { AUDIT_CLI_OPTIONS, SIGNER_CLI_OPTIONS, SIGNER_USAGE, type AuditValues } from "../audit-options.js";
import type { ActuationReport } from "../../contract/ports.js";

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
    const { values, positionals } = parseCommandArgs(args, { ...TARGET_OPTIONS, "dry-run": { type: "boolean" }, ...AUDIT_CLI_OPTIONS, ...SIGNER_CLI_OPTIONS });
    if (positionals.length !== 1) throw new UsageError("give exactly one AGENT id");
    const agent = positionals[0]!;
    const dryRun = values["dry-run"] ?? false;
    const actuator = buildActuator(await resolveTargets(values, io));
    if (actuator === null) throw new UserError("no Kubernetes cluster configured: pass --kubeconfig, set kubernetes.kubeconfig in musgo.config.json, or set KUBECONFIG");
    const audit = dryRun ? null : await openReleaseAudit(values, io);
    let report: ActuationReport;
    try {
      report = await actuator.release(agent, { dryRun });
      const seq = audit === null ? null : await audit.record(report);
      io.stdout(`${JSON.stringify(seq === null ? report : { ...report, audit: { status: "written", seq } }, null, 2)}\n`);
    } finally {
      await audit?.close();
    }
    if (report.complete) return EXIT.ok;
    io.stderr(`error: release of ${agent} is incomplete: ${report.error}\n`);
    return EXIT.failure;
  },
};

/** The audit log `--audit-log` names (imported only then), as a recorder of releases. */
async function openReleaseAudit(values: AuditValues, io: CliIO) {
  if (values["audit-log"] === undefined) return null;
  const [{ openCliAuditLog }, { releaseBody }] = await Promise.all([import("../eval-audit.js"), import("../../adapters/audit/index.js")]);
  const log = (await openCliAuditLog(values, null, io))!;
  return {
    async record(report: ActuationReport): Promise<number> {
      try {
        return (await log.appendRelease(releaseBody(report))).seq;
      } catch (e) {
        throw new UserError(`audit: the release ran but its record could not be written: ${(e as Error).message}`);
      }
    },
    close: () => log.close(),
  };
}
