// The audit options shared by `musgo audit` and `musgo eval --audit-log`, kept apart from the
// audit library so that declaring them loads nothing. The PKCS#11 PIN
// is never an option: it comes from MUSGO_PKCS11_PIN (see adapters/audit/options.ts).

import type { SignerOptions } from "../adapters/audit/index.js";
import { UsageError } from "./io.js";

export const SIGNER_CLI_OPTIONS = {
  signer: { type: "string" },
  "key-file": { type: "string" },
  "pkcs11-module": { type: "string" },
  "pkcs11-token": { type: "string" },
  "pkcs11-key": { type: "string" },
} as const;

export const SIGNER_USAGE = `  --signer software|pkcs11   who signs audit records (default: software)
  --key-file KEYFILE         software signer: PKCS#8 PEM key from \`musgo audit keygen --out\`
  --pkcs11-module PATH       PKCS#11 module (default /usr/lib/softhsm/libsofthsm2.so)
  --pkcs11-token LABEL       token label
  --pkcs11-key LABEL         private key label (PIN from the environment variable MUSGO_PKCS11_PIN)`;

export interface SignerValues {
  signer?: string | undefined;
  "key-file"?: string | undefined;
  "pkcs11-module"?: string | undefined;
  "pkcs11-token"?: string | undefined;
  "pkcs11-key"?: string | undefined;
}

export function signerKind(values: SignerValues): SignerOptions["signer"] {
  const kind = values.signer ?? "software";
  if (kind !== "software" && kind !== "pkcs11") throw new UsageError(`--signer must be software or pkcs11, not \`${kind}\``);
  return kind;
}

export function signerOptions(values: SignerValues): SignerOptions {
  return {
    signer: signerKind(values),
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

export const AUDIT_USAGE = `  --audit-log FILE           append a signed audit record of every verdict (printed once durable)
  --audit-mode batch|per-record  batch (default): hash-chained records, signed checkpoints;
                             per-record: every record signed
  --log-name NAME            the log's origin line (default: musgo/<constitution name>)`;

export interface AuditValues extends SignerValues {
  "audit-log"?: string | undefined;
  "audit-mode"?: string | undefined;
  "log-name"?: string | undefined;
}

