// The target flags (cluster, Vault, state store) of `enforce`, `plan`, `release` and the Transit signer,
// mapped onto the library's settings; guard/targets.ts resolves them over musgo.config.json and the
// environment. Nothing is contacted here.

import { CONFIG_FILE } from "../adapters/config.js";
import { resolveTargets, type ResolvedTargets, type TargetSettings } from "../guard/targets.js";
import type { OptionSpec } from "./args.js";
import type { CliIO } from "./io.js";

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

/** The flags as the library's target settings (guard/targets.ts resolves them over config and environment). */
export function targetSettings(values: TargetValues): TargetSettings {
  const settings: TargetSettings = {};
  const set = <K extends keyof TargetSettings>(key: K, value: string | undefined) => {
    if (value !== undefined) settings[key] = value;
  };
  set("config", values.config);
  set("kubeconfig", values.kubeconfig);
  set("context", values.context);
  set("namespace", values.namespace);
  set("deploymentName", values["deployment-name"]);
  set("vaultAddr", values["vault-addr"]);
  set("vaultMount", values["vault-mount"]);
  set("vaultPath", values["vault-path"]);
  set("spoolFile", values["spool-file"]);
  set("stateDir", values["state-dir"]);
  set("transitKey", values["transit-key"]);
  set("transitMount", values["transit-mount"]);
  return settings;
}

/** Flags over musgo.config.json over the environment. */
export function resolveCliTargets(values: TargetValues, io: CliIO): Promise<ResolvedTargets> {
  return resolveTargets(targetSettings(values), io);
}
