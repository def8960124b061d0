// Where the Guard acts: the cluster, the Vault and the state store, resolved as explicit settings
// (a host's flags) over musgo.config.json over the environment (KUBECONFIG, VAULT_ADDR). Nothing is
// contacted here; the Vault token is only ever read from the environment.

import { resolve } from "node:path";
import { ConfigError, CONFIG_FILE, loadConfig, type MusgoConfig } from "../adapters/config.js";
import {
  checkDeploymentRule,
  DEFAULT_DEPLOYMENT_RULE,
  InvalidDeploymentNameError,
} from "../adapters/kubernetes/naming.js";
import { createVaultClient, type VaultClient } from "../adapters/vault/client.js";
import { GuardSetupError } from "./errors.js";

/** Explicit settings; each one overrides musgo.config.json, which overrides the environment. */
export interface TargetSettings {
  /** Settings file; default `<cwd>/musgo.config.json` when present (an explicit file must exist). */
  config?: string;
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  /** Agent → deployment naming rule with `{agent}`. */
  deploymentName?: string;
  vaultAddr?: string;
  vaultMount?: string;
  vaultPath?: string;
  spoolFile?: string;
  stateDir?: string;
  transitKey?: string;
  transitMount?: string;
}

export interface Environment {
  cwd: string;
  env: Record<string, string | undefined>;
}

/** Settings over musgo.config.json over the environment. */
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

export async function resolveTargets(settings: TargetSettings, environment: Environment): Promise<ResolvedTargets> {
  const config = await readConfig(settings.config, environment.cwd);
  const k = config.kubernetes;
  const v = config.vault;
  const optional = <T>(key: string, value: T | undefined) => (value === undefined ? {} : { [key]: value });
  const kubeconfig = nonEmpty(settings.kubeconfig ?? k.kubeconfig ?? environment.env.KUBECONFIG);
  return {
    kubernetes: {
      kubeconfig: kubeconfig === null ? null : resolve(environment.cwd, kubeconfig),
      ...optional("context", settings.context ?? k.context),
      ...optional("namespace", settings.namespace ?? k.namespace),
      deploymentRule: deploymentRule(settings.deploymentName ?? k.deploymentName ?? DEFAULT_DEPLOYMENT_RULE),
    },
    vault: {
      address: nonEmpty(settings.vaultAddr ?? v.address ?? environment.env.VAULT_ADDR),
      tokenEnv: v.tokenEnv ?? "VAULT_TOKEN",
      ...optional("namespace", v.namespace),
      mount: settings.vaultMount ?? v.kvMount ?? "secret",
      path: settings.vaultPath ?? v.incidentPath ?? "incidents",
      ...optional("spoolFile", settings.spoolFile ?? v.spoolFile),
      ...optional("transitKey", settings.transitKey ?? v.transitKey),
      ...optional("transitMount", settings.transitMount ?? v.transitMount),
    },
    stateDir: resolve(environment.cwd, settings.stateDir ?? config.state.dir ?? ".musgo/state"),
  };
}

async function readConfig(path: string | undefined, cwd: string): Promise<MusgoConfig> {
  try {
    return await loadConfig(resolve(cwd, path ?? CONFIG_FILE), path !== undefined);
  } catch (e) {
    if (e instanceof ConfigError) throw new GuardSetupError(e.message);
    throw e;
  }
}

/** A rule without `{agent}` would name one deployment for every agent: refused before anything runs. */
function deploymentRule(rule: string): string {
  try {
    checkDeploymentRule(rule);
  } catch (e) {
    if (!(e instanceof InvalidDeploymentNameError)) throw e;
    throw new GuardSetupError(`${e.message} (--deployment-name, the \`deploymentName\` setting)`);
  }
  return rule;
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value === "" ? null : value;
}

function isHttpUrl(address: string): boolean {
  try {
    const url = new URL(address);
    return (url.protocol === "http:" || url.protocol === "https:") && url.host !== "";
  } catch {
    return false;
  }
}

/** A client for the Vault named by the targets, or null when none is configured. */
export function vaultClientFor(targets: ResolvedTargets, environment: Environment): VaultClient | null {
  const { address, tokenEnv, namespace } = targets.vault;
  if (address === null) return null;
  if (!isHttpUrl(address)) {
    const where = "--vault-addr, vault.address or VAULT_ADDR";
    throw new GuardSetupError(`the Vault address must be an http:// or https:// URL, not \`${address}\` (${where})`);
  }
  const token = environment.env[tokenEnv];
  if (token === undefined || token === "") {
    throw new GuardSetupError(`Vault is configured at ${address} but $${tokenEnv} holds no token`);
  }
  return createVaultClient({ address, token, ...(namespace === undefined ? {} : { namespace }) });
}
