// `musgo enforce`: judge one decision input and carry out the verdict's remedy (Kubernetes
// containment, rollback, a Vault incident). Also home of the cluster/Vault options that `plan` and
// `release` share. Nothing is contacted unless configured by flag, musgo.config.json, KUBECONFIG or
// VAULT_ADDR.

import { join, resolve } from "node:path";
import { ConfigError, CONFIG_FILE, loadConfig, type MusgoConfig } from "../../adapters/config.js";
import { KubernetesActuator } from "../../adapters/kubernetes/actuator.js";
import { KubeconfigError, loadCluster } from "../../adapters/kubernetes/kubeconfig.js";
import { DEFAULT_DEPLOYMENT_RULE } from "../../adapters/kubernetes/naming.js";
import { createVaultClient, type VaultClient } from "../../adapters/vault/client.js";
import { VaultCheckpointAnchor } from "../../adapters/vault/checkpoint-anchor.js";
import { VaultIncidentStore } from "../../adapters/vault/incident-store.js";
import { FileStateStore } from "../../runtime/guard/file-state-store.js";
import { Guard, type GuardResult } from "../../runtime/guard/guard.js";
import { MalformedInput } from "../../runtime/guard/ports.js";
import { parseCommandArgs, type OptionSpec } from "../args.js";
import { loadEngine, parseEngineKind } from "../engine.js";
import { EXIT, UsageError, UserError, type CliIO, type Command } from "../io.js";
import { DEFAULT_PATHS } from "./check.js";
import { parseJson, readInputText } from "./eval.js";
import { AUDIT_CLI_OPTIONS, AUDIT_USAGE, SIGNER_CLI_OPTIONS, SIGNER_USAGE, type AuditValues } from "../audit-options.js";
import type { DecisionEngine } from "../../runtime/engine.js";

export const TARGET_OPTIONS = {
  config: { type: "string" },
  kubeconfig: { type: "string" },
  context: { type: "string" },
  namespace: { type: "string" },
  "deployment-name": { type: "string" },
  "vault-addr": { type: "string" },
  "vault-mount": { type: "string" },
  "vault-path": { type: "string" },
  "spool-file": { type: "string" },
  "state-dir": { type: "string" },
} satisfies OptionSpec;

export const TARGET_USAGE = `  --config FILE           settings file (default: ./${CONFIG_FILE} when present; see docs/enforcement.md)
  --kubeconfig PATH       cluster to act on (default: kubernetes.kubeconfig, else $KUBECONFIG; never ~/.kube/config)
  --context NAME          kubeconfig context (default: its current-context)
  --namespace NS          namespace of the agents' deployments (default: the context's, else \`default\`)
  --deployment-name RULE  agent → deployment rule with {agent} (default \`{agent}\`: advisor_7f2a9c1b → advisor-7f2a9c1b)
  --vault-addr URL        Vault for incidents (default: vault.address, else $VAULT_ADDR); token from $VAULT_TOKEN
  --vault-mount NAME      KV v2 mount (default \`secret\`)
  --vault-path PATH       incident directory in the mount (default \`incidents\`)
  --spool-file FILE       durable incident queue (default .musgo/spool/incidents.jsonl)
  --state-dir DIR         agent state store for rollback (default .musgo/state)`;

type TargetValues = { [K in keyof typeof TARGET_OPTIONS]?: string };

/** Flags over musgo.config.json over the environment. */
export interface ResolvedTargets {
  kubernetes: { kubeconfig: string | null; context?: string; namespace?: string; deploymentRule: string };
  vault: { address: string | null; tokenEnv: string; namespace?: string; mount: string; path: string; spoolFile?: string };
  stateDir: string;
}

export async function resolveTargets(values: TargetValues, io: CliIO): Promise<ResolvedTargets> {
  const config = await readConfig(values.config, io);
  const k = config.kubernetes;
  const v = config.vault;
  const optional = <T>(key: string, value: T | undefined) => (value === undefined ? {} : { [key]: value });
  return {
    kubernetes: {
      kubeconfig: nonEmpty(values.kubeconfig ?? k.kubeconfig ?? io.env.KUBECONFIG),
      ...optional("context", values.context ?? k.context),
      ...optional("namespace", values.namespace ?? k.namespace),
      deploymentRule: values["deployment-name"] ?? k.deploymentName ?? DEFAULT_DEPLOYMENT_RULE,
    },
    vault: {
      address: nonEmpty(values["vault-addr"] ?? v.address ?? io.env.VAULT_ADDR),
      tokenEnv: v.tokenEnv ?? "VAULT_TOKEN",
      ...optional("namespace", v.namespace),
      mount: values["vault-mount"] ?? v.kvMount ?? "secret",
      path: values["vault-path"] ?? v.incidentPath ?? "incidents",
      ...optional("spoolFile", values["spool-file"] ?? v.spoolFile),
    },
    stateDir: resolve(io.cwd, values["state-dir"] ?? config.state.dir ?? ".musgo/state"),
  };
}

async function readConfig(path: string | undefined, io: CliIO): Promise<MusgoConfig> {
  try {
    return await loadConfig(resolve(io.cwd, path ?? CONFIG_FILE), path !== undefined);
  } catch (e) {
    if (e instanceof ConfigError) throw new UserError(e.message);
    throw e;
  }
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value === "" ? null : value;
}

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

/** The Vault named by the targets, or null when none is configured. */
function buildVaultClient(targets: ResolvedTargets, io: CliIO): VaultClient | null {
  const { address, tokenEnv, namespace } = targets.vault;
  if (address === null) return null;
  const token = io.env[tokenEnv];
  if (token === undefined || token === "") throw new UserError(`Vault is configured at ${address} but $${tokenEnv} holds no token`);
  return createVaultClient({ address, token, ...(namespace === undefined ? {} : { namespace }) });
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
 * With Vault configured, every signed checkpoint is also anchored there (adapters.md §2), so a
 * truncated or rewritten log is caught against a copy the log host cannot change.
 */
async function openAuditFor(values: AuditValues, engine: DecisionEngine, anchor: VaultCheckpointAnchor | null, io: CliIO) {
  if (values["audit-log"] === undefined) return null;
  const [{ openCliAuditLog }, { guardAuditSink }] = await Promise.all([import("../eval-audit.js"), import("../../adapters/audit/index.js")]);
  const anchors: Promise<void>[] = [];
  const log = await openCliAuditLog(values, engine, io, (checkpoint, note) => {
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
