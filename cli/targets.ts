// Where musgo acts: the cluster, the Vault and the state store, resolved as flags over
// musgo.config.json over the environment (KUBECONFIG, VAULT_ADDR). Shared by `enforce`, `plan` and
// `release`, and by every command that signs audit records with `--signer transit`. Nothing is
// contacted here; the Vault token is only ever read from the environment.

import { resolve } from "node:path";
import { ConfigError, CONFIG_FILE, loadConfig, type MusgoConfig } from "../adapters/config.js";
import { DEFAULT_DEPLOYMENT_RULE } from "../adapters/kubernetes/naming.js";
import { createVaultClient, type VaultClient } from "../adapters/vault/client.js";
import type { OptionSpec } from "./args.js";
import { UserError, type CliIO } from "./io.js";

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
  --vault-addr URL        Vault for incidents, checkpoint anchors and \`--signer transit\` (default: vault.address,
                          else $VAULT_ADDR); token from $VAULT_TOKEN
  --vault-mount NAME      KV v2 mount (default \`secret\`)
  --vault-path PATH       incident directory in the mount (default \`incidents\`)
  --spool-file FILE       durable incident queue (default .musgo/spool/incidents.jsonl)
  --state-dir DIR         agent state store for rollback (default .musgo/state)`;

/** The target flags, plus the Transit signer's (declared with the signer options in audit-options.ts). */
export type TargetValues = { [K in keyof typeof TARGET_OPTIONS]?: string | undefined } & {
  "transit-key"?: string | undefined;
  "transit-mount"?: string | undefined;
};

/** Flags over musgo.config.json over the environment. */
export interface ResolvedTargets {
  kubernetes: { kubeconfig: string | null; context?: string; namespace?: string; deploymentRule: string };
  vault: {
    address: string | null;
    tokenEnv: string;
    namespace?: string;
    mount: string;
    path: string;
    spoolFile?: string;
    transitKey?: string;
    transitMount?: string;
  };
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
      ...optional("transitKey", values["transit-key"] ?? v.transitKey),
      ...optional("transitMount", values["transit-mount"] ?? v.transitMount),
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

/** A client for the Vault named by the targets, or null when none is configured. */
export function buildVaultClient(targets: ResolvedTargets, io: CliIO): VaultClient | null {
  const { address, tokenEnv, namespace } = targets.vault;
  if (address === null) return null;
  const token = io.env[tokenEnv];
  if (token === undefined || token === "") throw new UserError(`Vault is configured at ${address} but $${tokenEnv} holds no token`);
  return createVaultClient({ address, token, ...(namespace === undefined ? {} : { namespace }) });
}
