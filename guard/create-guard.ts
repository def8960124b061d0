// createGuard: everything `musgo enforce` builds from musgo.config.json and flags, as one library call
// that the CLI commands, the benches and a long-running service share. The adapters (Kubernetes, Vault,
// the audit log) are built only when configured, and imported only then.

import { join, resolve } from "node:path";
import type { AuditLog } from "../adapters/audit/index.js";
import type { VaultClient } from "../adapters/vault/client.js";
import type { DecisionEngine } from "../contract/engine.js";
import type { VaultIncidentStore } from "../adapters/vault/incident-store.js";
import type { ContainmentActuator } from "../contract/ports.js";
import { loadEngine, type EngineSource } from "./engines.js";
import { GuardSetupError } from "./errors.js";
import { FileStateStore } from "./file-state-store.js";
import { EMPTY_SHA256, Guard } from "./guard.js";
import { constitutionLogName, openGuardAuditLog, type AuditSettings } from "./audit-log.js";
import { resolveTargets, vaultClientFor, type ResolvedTargets, type TargetSettings } from "./targets.js";

export interface GuardConfig extends EngineSource {
  /**
   * An engine the host already has; else one is loaded from `paths` or `module`. With none of the three
   * the Guard has no constitution: every decision is a fail-closed deny (a release still works).
   */
  decisionEngine?: DecisionEngine;
  /** Relative paths resolve against it (default: the process's working directory). */
  cwd?: string;
  /** Where KUBECONFIG, VAULT_ADDR, tokens and the PKCS#11 PIN are read (default: process.env). */
  env?: Record<string, string | undefined>;
  /** Cluster, Vault and state store; over musgo.config.json over the environment. */
  targets?: TargetSettings;
  /** Sign an audit record of every decision. */
  audit?: AuditSettings;
  /**
   * `enforce` (default): contain agents and record incidents where configured. `plan`: contact nothing;
   * `guard.plan(input)` shows what enforcement would send. `decide`: judge and audit only.
   */
  mode?: "enforce" | "plan" | "decide";
  /** Validate every change without making it; no incident or audit record is written. */
  dryRun?: boolean;
  /** Apply the constitution's `limit` declarations (default true). */
  limits?: boolean;
  clock?: () => number;
  /** Problems that do not stop the Guard (a checkpoint Vault did not anchor); default: process warnings. */
  onWarning?: (message: string) => void;
}

export interface GuardHandle {
  guard: Guard;
  engine: DecisionEngine | null;
  targets: ResolvedTargets;
  /** The audit log, when one was configured (to close, or to read its name). */
  auditLog: AuditLog | null;
  /** Flushes the audit log (final checkpoint), waits for checkpoint anchoring, closes the incident spool. */
  close(): Promise<void>;
}

export async function createGuard(config: GuardConfig): Promise<GuardHandle> {
  const environment = { cwd: config.cwd ?? process.cwd(), env: config.env ?? process.env };
  const mode = config.mode ?? "enforce";
  const targets = await resolveTargets(config.targets ?? {}, environment);
  const engine = config.decisionEngine ?? (await engineOf(config, environment.cwd));
  const vault = mode === "enforce" ? vaultClientFor(targets, environment) : null;
  const actuator = mode === "enforce" ? await buildActuator(targets) : null;
  const incidents = vault === null ? null : await buildIncidentStore(vault, targets, environment.cwd);
  const planners = mode === "plan" ? await buildPlanners(targets) : {};
  const anchors: Promise<void>[] = [];
  const auditLog =
    config.audit === undefined ? null : await openAudit(config.audit, engine, vault, targets, config, anchors);
  const { guardAuditSink } = auditLog === null ? { guardAuditSink: null } : await import("../adapters/audit/index.js");
  const guard = new Guard({
    engine,
    ...(actuator === null ? {} : { actuator }),
    ...(incidents === null ? {} : { incidents }),
    ...(auditLog === null || guardAuditSink === null
      ? {}
      : { audit: guardAuditSink(auditLog, engine?.artifactSha256 ?? EMPTY_SHA256) }),
    ...planners,
    stateStore: new FileStateStore(targets.stateDir),
    dryRun: config.dryRun ?? false,
    ...(config.limits === undefined ? {} : { limits: config.limits }),
    ...(config.clock === undefined ? {} : { clock: config.clock }),
  });
  const close = async (): Promise<void> => {
    incidents?.close();
    await auditLog?.close();
    await Promise.all(anchors);
  };
  return { guard, engine, targets, auditLog, close };
}

async function engineOf(config: GuardConfig, cwd: string): Promise<DecisionEngine | null> {
  if (config.module === undefined && (config.paths === undefined || config.paths.length === 0)) return null;
  return loadEngine({ ...config, cwd });
}

/** The Kubernetes actuator for the configured cluster, or null when none is configured. */
export async function buildActuator(targets: ResolvedTargets): Promise<ContainmentActuator | null> {
  const { kubeconfig, context, namespace, deploymentRule } = targets.kubernetes;
  if (kubeconfig === null) return null;
  const [{ KubernetesActuator }, { loadCluster, KubeconfigError }] = await Promise.all([
    import("../adapters/kubernetes/actuator.js"),
    import("../adapters/kubernetes/kubeconfig.js"),
  ]);
  try {
    const cluster = loadCluster({ kubeconfig, ...optional("context", context), ...optional("namespace", namespace) });
    return new KubernetesActuator({ kubeConfig: cluster.kubeConfig, namespace: cluster.namespace, deploymentRule });
  } catch (e) {
    if (e instanceof KubeconfigError) throw new GuardSetupError(e.message);
    throw e;
  }
}

async function buildIncidentStore(
  client: VaultClient,
  targets: ResolvedTargets,
  cwd: string,
): Promise<VaultIncidentStore> {
  const [{ VaultIncidentStore }, { SpoolError }] = await Promise.all([
    import("../adapters/vault/incident-store.js"),
    import("../adapters/vault/spool.js"),
  ]);
  const { mount, path, spoolFile } = targets.vault;
  const spool = resolve(cwd, spoolFile ?? join(".musgo", "spool", "incidents.jsonl"));
  try {
    return new VaultIncidentStore({ client, mount, prefix: path, spoolFile: spool });
  } catch (e) {
    if (!(e instanceof SpoolError)) throw e;
    throw new GuardSetupError(`${e.message} (--spool-file, the \`vault.spoolFile\` setting)`);
  }
}

/** Planners for `plan` mode: they read the kubeconfig file for its namespace and contact nothing. */
async function buildPlanners(targets: ResolvedTargets) {
  const [{ KubernetesPlanner }, { VaultIncidentPlanner }, { loadCluster, KubeconfigError }] = await Promise.all([
    import("../adapters/kubernetes/plan.js"),
    import("../adapters/vault/incident-store.js"),
    import("../adapters/kubernetes/kubeconfig.js"),
  ]);
  const { kubeconfig, context, namespace, deploymentRule } = targets.kubernetes;
  let planNamespace = namespace ?? "default";
  if (namespace === undefined && kubeconfig !== null) {
    try {
      planNamespace = loadCluster({ kubeconfig, ...optional("context", context) }).namespace;
    } catch (e) {
      if (e instanceof KubeconfigError) throw new GuardSetupError(e.message);
      throw e;
    }
  }
  const { mount, path, address } = targets.vault;
  return {
    planner: new KubernetesPlanner({ namespace: planNamespace, deploymentRule }),
    incidentPlanner: new VaultIncidentPlanner({ mount, prefix: path, address }),
  };
}

/**
 * The audit log; with Vault configured every signed checkpoint is also anchored there (docs/audit.md, "Checkpoint format"),
 * so a truncated or rewritten log is caught against a copy the log host cannot change.
 */
async function openAudit(
  settings: AuditSettings,
  engine: DecisionEngine | null,
  vault: VaultClient | null,
  targets: ResolvedTargets,
  config: GuardConfig,
  anchors: Promise<void>[],
): Promise<AuditLog> {
  const anchor = vault === null ? null : await vaultAnchor(vault, targets);
  const environment = { cwd: config.cwd ?? process.cwd(), env: config.env ?? process.env };
  return openGuardAuditLog(settings, {
    environment,
    defaultName: engine === null ? null : constitutionLogName(engine),
    ...optional("targets", config.targets),
    ...optional("onWarning", config.onWarning),
    onCheckpoint: (checkpoint, note) => {
      if (anchor === null) return;
      const anchoring = anchor.anchor({ origin: checkpoint.origin, size: checkpoint.size, note });
      const warn = config.onWarning ?? ((message: string) => process.emitWarning(message));
      anchors.push(
        anchoring.catch((e: Error) => {
          warn(`checkpoint ${checkpoint.size} of ${checkpoint.origin} was not anchored in Vault: ${e.message}`);
        }),
      );
    },
  });
}

async function vaultAnchor(vault: VaultClient, targets: ResolvedTargets) {
  const { VaultCheckpointAnchor } = await import("../adapters/vault/checkpoint-anchor.js");
  return new VaultCheckpointAnchor(vault, { mount: targets.vault.mount });
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
