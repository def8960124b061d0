// The audit options shared by `musgo audit`, `musgo eval --audit-log` and `musgo enforce --audit-log`,
// kept apart from the audit library so that declaring them loads nothing. Secrets are never
// options: the PKCS#11 PIN comes from MUSGO_PKCS11_PIN (see adapters/audit/options.ts), the Vault
// token of the transit signer from $VAULT_TOKEN (see targets.ts).

import type { SignerOptions } from "../adapters/audit/index.js";
import { UsageError, type CliIO } from "./io.js";
import type { TargetValues } from "./targets.js";

export const SIGNER_CLI_OPTIONS = {
  signer: { type: "string" },
  "key-file": { type: "string" },
  "pkcs11-module": { type: "string" },
  "pkcs11-token": { type: "string" },
  "pkcs11-key": { type: "string" },
  "transit-key": { type: "string" },
  "transit-mount": { type: "string" },
} as const;

export const SIGNER_USAGE = `  --signer software|pkcs11|transit  who signs audit records (default: software)
  --key-file KEYFILE         software signer: PKCS#8 PEM key from \`musgo audit keygen --out\`
  --pkcs11-module PATH       PKCS#11 module (default /usr/lib/softhsm/libsofthsm2.so)
  --pkcs11-token LABEL       token label
  --pkcs11-key LABEL         private key label (PIN from the environment variable MUSGO_PKCS11_PIN)
  --transit-key NAME         Vault Transit key (default: vault.transitKey in musgo.config.json)
  --transit-mount PATH       Transit mount (default: vault.transitMount, else \`transit\`)`;

/** Where the transit signer's Vault is, for commands without the target options of `enforce`. */
export const VAULT_CLI_OPTIONS = {
  "vault-addr": { type: "string" },
  config: { type: "string" },
} as const;

export const VAULT_USAGE = `  --vault-addr URL           transit signer: Vault address (default: vault.address in musgo.config.json,
                             else $VAULT_ADDR); the token comes from $VAULT_TOKEN, never from a flag
  --config FILE              settings file (default: ./musgo.config.json when present)`;

export interface SignerValues extends TargetValues {
  signer?: string | undefined;
  "key-file"?: string | undefined;
  "pkcs11-module"?: string | undefined;
  "pkcs11-token"?: string | undefined;
  "pkcs11-key"?: string | undefined;
}

export function signerKind(values: SignerValues): SignerOptions["signer"] {
  const kind = values.signer ?? "software";
  if (kind !== "software" && kind !== "pkcs11" && kind !== "transit") throw new UsageError(`--signer must be software, pkcs11 or transit, not \`${kind}\``);
  return kind;
}

/** The signer the options name. For transit, the Vault is resolved like `musgo enforce` resolves it. */
export async function signerOptions(values: SignerValues, io: CliIO): Promise<SignerOptions> {
  const signer = signerKind(values);
  if (signer === "transit") {
    const { buildVaultClient, resolveTargets } = await import("./targets.js");
    const targets = await resolveTargets(values, io);
    const { transitKey, transitMount } = targets.vault;
    return { signer, vault: buildVaultClient(targets, io) ?? undefined, transitKey, transitMount };
  }
  return {
    signer,
    ...(values["key-file"] === undefined ? {} : { keyFile: values["key-file"] }),
    ...(values["pkcs11-module"] === undefined ? {} : { pkcs11Module: values["pkcs11-module"] }),
    ...(values["pkcs11-token"] === undefined ? {} : { pkcs11Token: values["pkcs11-token"] }),
    ...(values["pkcs11-key"] === undefined ? {} : { pkcs11Key: values["pkcs11-key"] }),
  };
}

export const AUDIT_CLI_OPTIONS = {
  "audit-log": { type: "string" },
  "audit-mode": { type: "string" },
  "log-name": { type: "string" },
} as const;

export const AUDIT_USAGE = `  --audit-log FILE           append a signed audit record of every verdict (printed once
                             durable and covered by a signed checkpoint; a crashed run's
                             uncovered tail is moved aside)
  --audit-mode batch|per-record  batch (default): hash-chained records, signed checkpoints;
                             per-record: every record signed
  --log-name NAME            the log's origin line (default: musgo/<constitution name>)`;

export interface AuditValues extends SignerValues {
  "audit-log"?: string | undefined;
  "audit-mode"?: string | undefined;
  "log-name"?: string | undefined;
}
