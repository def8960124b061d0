// musgo.config.json: where enforcement acts (Kubernetes), where incidents go (Vault), where state
// lives. Validated field by field; every error names the file and the offending key. Secrets never
// live in the file: the Vault token comes from the environment variable the file names.

import { readFile } from "node:fs/promises";
import { fileErrorReason } from "../contract/file-errors.js";

export const CONFIG_FILE = "musgo.config.json";

export interface KubernetesConfig {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  /** Naming rule with `{agent}`; default `{agent}` (advisor_7f2a9c1b → advisor-7f2a9c1b). */
  deploymentName?: string;
}

export interface VaultConfig {
  address?: string;
  /** Environment variable holding the token (default VAULT_TOKEN). */
  tokenEnv?: string;
  namespace?: string;
  kvMount?: string;
  incidentPath?: string;
  checkpointPath?: string;
  /** Transit key that signs audit records (`--signer transit`). */
  transitKey?: string;
  /** Transit mount (default `transit`). */
  transitMount?: string;
  spoolFile?: string;
}

export interface MusgoConfig {
  kubernetes: KubernetesConfig;
  vault: VaultConfig;
  state: { dir?: string };
}

export class ConfigError extends Error {}

type FieldSpec = Record<string, "string">;

const SECTIONS: Record<keyof MusgoConfig, FieldSpec> = {
  kubernetes: { kubeconfig: "string", context: "string", namespace: "string", deploymentName: "string" },
  vault: {
    address: "string",
    tokenEnv: "string",
    namespace: "string",
    kvMount: "string",
    incidentPath: "string",
    checkpointPath: "string",
    transitKey: "string",
    transitMount: "string",
    spoolFile: "string",
  },
  state: { dir: "string" },
};

export function emptyConfig(): MusgoConfig {
  return { kubernetes: {}, vault: {}, state: {} };
}

/** Reads and validates `path`; a missing file is an error only when `required`. */
export async function loadConfig(path: string, required: boolean): Promise<MusgoConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if (!required && (e as NodeJS.ErrnoException).code === "ENOENT") return emptyConfig();
    throw new ConfigError(`cannot read config \`${path}\`: ${fileErrorReason(e)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${path}: not valid JSON: ${(e as Error).message}`);
  }
  return parseConfig(value, path);
}

export function parseConfig(value: unknown, file: string): MusgoConfig {
  const fail = (key: string, problem: string): never => {
    throw new ConfigError(`${file}: ${key}: ${problem}`);
  };
  if (!isObject(value)) return fail("(top level)", `expected an object, got ${kindOf(value)}`);
  const config = emptyConfig();
  for (const [section, sectionValue] of Object.entries(value)) {
    if (section === "$schema") continue;
    const fields = SECTIONS[section as keyof MusgoConfig];
    if (fields === undefined) fail(section, `unknown section (expected one of: ${Object.keys(SECTIONS).join(", ")})`);
    if (!isObject(sectionValue)) fail(section, `expected an object, got ${kindOf(sectionValue)}`);
    for (const [field, fieldValue] of Object.entries(sectionValue as Record<string, unknown>)) {
      const key = `${section}.${field}`;
      if (fields![field] === undefined) fail(key, `unknown key (expected one of: ${Object.keys(fields!).join(", ")})`);
      if (typeof fieldValue !== "string" || fieldValue === "")
        fail(key, `expected a non-empty string, got ${kindOf(fieldValue)}`);
      (config[section as keyof MusgoConfig] as Record<string, string>)[field] = fieldValue as string;
    }
  }
  if (config.vault.address !== undefined && !/^https?:\/\//.test(config.vault.address)) {
    fail("vault.address", `expected an http:// or https:// URL, got \`${config.vault.address}\``);
  }
  if (config.kubernetes.deploymentName !== undefined && !config.kubernetes.deploymentName.includes("{agent}")) {
    fail("kubernetes.deploymentName", "the naming rule must contain `{agent}`");
  }
  return config;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "string" && value === "") return "an empty string";
  return typeof value;
}
