// `musgo enforce`: judge one decision input and carry out the verdict's remedy (Kubernetes
// containment, rollback, a Vault incident). Also home of the actuator and decision-input helpers
// that `plan` and `release` share (the targets themselves are resolved in ../targets.ts). Nothing is
// contacted unless configured by flag, musgo.config.json, KUBECONFIG or VAULT_ADDR.

import { join, resolve } from "node:path";
import { KubernetesActuator } from "../../adapters/kubernetes/actuator.js";
import { KubeconfigError, loadCluster } from "../../adapters/kubernetes/kubeconfig.js";
import type { VaultClient } from "../../adapters/vault/client.js";
import { VaultCheckpointAnchor } from "../../adapters/vault/checkpoint-anchor.js";
import { VaultIncidentStore } from "../../adapters/vault/incident-store.js";
import { FileStateStore } from "../../runtime/guard/file-state-store.js";
import { Guard, type GuardResult } from "../../runtime/guard/guard.js";
import { MalformedInput } from "../../runtime/guard/ports.js";
import { parseCommandArgs } from "../args.js";
import { loadEngine, parseEngineKind } from "../engine.js";
import { EXIT, UsageError, UserError, type CliIO, type Command } from "../io.js";
import { DEFAULT_PATHS } from "./check.js";
import { parseJson, readInputText } from "./eval.js";
import { AUDIT_CLI_OPTIONS, AUDIT_USAGE, SIGNER_CLI_OPTIONS, SIGNER_USAGE, type AuditValues } from "../audit-options.js";
import { buildVaultClient, resolveTargets, TARGET_OPTIONS, TARGET_USAGE, type ResolvedTargets } from "../targets.js";
import type { DecisionEngine } from "../../runtime/engine.js";

/** The actuator for the configured cluster, or null when no cluster is configured. */
export function buildActuator(targets: ResolvedTargets): KubernetesActuator | null {
  const { kubeconfig, context, namespace, deploymentRule } = targets.kubernetes;
  if (kubeconfig === null) return null;
  try {
    const cluster = loadCluster({ kubeconfig, ...(context === undefined ? {} : { context }), ...(namespace === undefined ? {} : { namespace }) });
    return new KubernetesActuator({ kubeConfig: cluster.kubeConfig, namespace: cluster.namespace, deploymentRule });
  } catch (e) {
    if (e instanceof KubeconfigError) throw new UserError(e.message);
    throw e;
  }
}

function buildIncidentStore(client: VaultClient, targets: ResolvedTargets, io: CliIO): VaultIncidentStore {
  const { mount, path, spoolFile } = targets.vault;
  return new VaultIncidentStore({ client, mount, prefix: path, spoolFile: resolve(io.cwd, spoolFile ?? join(".musgo", "spool", "incidents.jsonl")) });
}

/** The decision input in `path`; text that is not JSON comes back as a MalformedInput, judged fail-closed. */
export async function readDecisionInput(path: string, io: CliIO): Promise<unknown> {
  const text = await readInputText(path, io);
  const parsed = parseJson(text);
  return parsed.ok ? parsed.input : new MalformedInput(text, parsed.error);
}

/**
 * The audit log (and the Guard's view of it) when `--audit-log` asks for one; imported only then.
 * With Vault configured, every signed checkpoint is also anchored there (docs/audit.md, "Checkpoint format"), so a
 * truncated or rewritten log is caught against a copy the log host cannot change.
 */
async function openAuditFor(values: AuditValues, engine: DecisionEngine, anchor: VaultCheckpointAnchor | null, io: CliIO) {
  if (values["audit-log"] === undefined) return null;
  const [{ openCliAuditLog, constitutionLogName }, { guardAuditSink }] = await Promise.all([import("../eval-audit.js"), import("../../adapters/audit/index.js")]);
  const anchors: Promise<void>[] = [];
  const log = await openCliAuditLog(values, constitutionLogName(engine), io, (checkpoint, note) => {
    if (anchor === null) return;
    const anchoring = anchor.anchor({ origin: checkpoint.origin, size: checkpoint.size, note });
    anchors.push(anchoring.catch((e: Error) => io.stderr(`error: checkpoint ${checkpoint.size} of ${checkpoint.origin} was not anchored in Vault: ${e.message}\n`)));
  });
  if (log === null) return null;
  const close = async (): Promise<void> => {
    await log.close();
    await Promise.all(anchors);
  };
  return { close, sink: guardAuditSink(log, engine.artifactSha256) };
}

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
    const targets = await resolveTargets(values, io);
    const engine = await loadEngine(positionals.length > 0 ? positionals : DEFAULT_PATHS, { engine: parseEngineKind(values.engine) });
    const input = await readDecisionInput(values.input, io);
    const actuator = buildActuator(targets);
    const vault = buildVaultClient(targets, io);
    const incidents = vault === null ? null : buildIncidentStore(vault, targets, io);
    const anchor = vault === null ? null : new VaultCheckpointAnchor(vault, { mount: targets.vault.mount });
    const auditLog = await openAuditFor(values, engine, anchor, io);
    const guard = new Guard({
      engine,
      ...(actuator === null ? {} : { actuator }),
      ...(incidents === null ? {} : { incidents }),
      ...(auditLog === null ? {} : { audit: auditLog.sink }),
      stateStore: new FileStateStore(targets.stateDir),
      dryRun: values["dry-run"] ?? false,
    });
    try {
      const result = await guard.enforce(input);
      io.stdout(`${JSON.stringify(result, null, 2)}\n`);
      if (enforcementComplete(result)) return EXIT.ok;
      for (const action of result.actions.filter((a) => !a.complete)) io.stderr(`error: ${action.operation} of ${action.agent} is incomplete: ${action.error}\n`);
      return EXIT.failure;
    } finally {
      incidents?.close();
      await auditLog?.close();
    }
  },
};
