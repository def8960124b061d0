// The audit options shared by `musgo audit`, `musgo eval --audit-log` and `musgo enforce --audit-log`,
// kept apart from the audit library so that declaring them loads nothing. Secrets are never
// options: the PKCS#11 PIN comes from MUSGO_PKCS11_PIN (see adapters/audit/options.ts), the Vault
// token of the transit signer from $VAULT_TOKEN (see targets.ts).

import type { AuditMode } from "../adapters/audit/index.js";
import type { SignerOptions } from "../guard/signers.js";
import {
  AUDIT_MODES,
  SIGNER_KINDS,
  signerOptionsFor,
  type AuditSettings,
  type SignerKind,
  type SignerSettings,
} from "../guard/audit-log.js";
import { UsageError, type CliIO } from "./io.js";
import { targetSettings, type TargetValues } from "./targets.js";

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

export function signerKind(values: SignerValues): SignerKind {
  const kind = values.signer ?? "software";
  if (!(SIGNER_KINDS as readonly string[]).includes(kind)) {
    throw new UsageError(`--signer must be software, pkcs11 or transit, not \`${kind}\``);
  }
  return kind as SignerKind;
}

/** The signer flags as the library's settings. */
export function signerSettings(values: SignerValues): SignerSettings {
  const settings: SignerSettings = { signer: signerKind(values) };
  if (values["key-file"] !== undefined) settings.keyFile = values["key-file"];
  if (values["pkcs11-module"] !== undefined) settings.pkcs11Module = values["pkcs11-module"];
  if (values["pkcs11-token"] !== undefined) settings.pkcs11Token = values["pkcs11-token"];
  if (values["pkcs11-key"] !== undefined) settings.pkcs11Key = values["pkcs11-key"];
  return settings;
}

/** The signer the options name (for `musgo audit keygen|pubkey`). Transit's Vault is resolved like enforce's. */
export function signerOptions(values: SignerValues, io: CliIO): Promise<SignerOptions> {
  return signerOptionsFor(signerSettings(values), io, targetSettings(values));
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

/** The audit flags as the library's settings, or undefined without `--audit-log`. */
export function auditSettings(values: AuditValues): AuditSettings | undefined {
  if (values["audit-log"] === undefined) return undefined;
  const settings: AuditSettings = {
    log: values["audit-log"],
    mode: auditMode(values["audit-mode"]),
    ...signerSettings(values),
  };
  if (values["log-name"] !== undefined) settings.logName = values["log-name"];
  return settings;
}

function auditMode(value: string | undefined): AuditMode {
  const mode = value ?? "batch";
  if (!(AUDIT_MODES as readonly string[]).includes(mode))
    throw new UsageError(`--audit-mode must be batch or per-record, not \`${mode}\``);
  return mode as AuditMode;
}
