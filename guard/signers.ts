// Builds the audit signer that settings name (software key, PKCS#11 token, Vault Transit key). This
// wiring of the audit and Vault adapters lives above both, so neither imports the other. The PKCS#11 PIN
// comes only from the environment (MUSGO_PKCS11_PIN): a PIN on a command line leaks into shell history
// and `ps`. The Transit signer gets a ready Vault client whose token, too, comes only from the environment.

import type { VaultClient } from "../adapters/vault/client.js";
import type { TransitOptions } from "../adapters/vault/transit-signer.js";
import { openPkcs11Signer } from "../adapters/audit/pkcs11.js";
import { AuditSignerError, type AuditSigner } from "../adapters/audit/signer.js";
import { loadSoftwareSigner } from "../adapters/audit/software.js";

export const PIN_ENV = "MUSGO_PKCS11_PIN";
export const DEFAULT_PKCS11_MODULE = "/usr/lib/softhsm/libsofthsm2.so";

export interface SignerOptions {
  signer: "software" | "pkcs11" | "transit";
  /** Software signer: PKCS#8 PEM private key (from `musgo audit keygen --out`). */
  keyFile?: string;
  /** Default /usr/lib/softhsm/libsofthsm2.so. */
  pkcs11Module?: string;
  pkcs11Token?: string;
  pkcs11Key?: string;
  /** Transit signer: the Vault holding the key. */
  vault?: VaultClient;
  transitKey?: string;
  /** Default `transit`. */
  transitMount?: string;
}

export async function createSignerFromOptions(
  options: SignerOptions,
  env: Record<string, string | undefined>,
): Promise<AuditSigner> {
  if (options.signer === "software") {
    if (options.keyFile === undefined)
      throw new AuditSignerError(
        "the software signer needs a key file (create one with `musgo audit keygen --out FILE`)",
      );
    return loadSoftwareSigner(options.keyFile);
  }
  if (options.signer === "transit") {
    // Loaded only here: the Vault client (node-vault) costs every other audit user start-up time.
    const target = transitTarget(options);
    return (await import("../adapters/vault/transit-signer.js")).openTransitSigner(target);
  }
  return openPkcs11Signer(pkcs11Target(options, env));
}

/** Module, token, key and PIN for a PKCS#11 operation, each required. */
export function pkcs11Target(options: SignerOptions, env: Record<string, string | undefined>) {
  const { pkcs11Token: token, pkcs11Key: key } = options;
  if (token === undefined || key === undefined)
    throw new AuditSignerError("the pkcs11 signer needs --pkcs11-token and --pkcs11-key");
  const pin = env[PIN_ENV];
  if (pin === undefined || pin === "")
    throw new AuditSignerError(`set the token PIN in the environment variable ${PIN_ENV}`);
  return { module: options.pkcs11Module ?? DEFAULT_PKCS11_MODULE, token, key, pin };
}

/** Vault client, key and mount for a Transit operation; client and key required. */
export function transitTarget(options: SignerOptions): TransitOptions {
  const { vault: client, transitKey: key, transitMount: mount } = options;
  if (client === undefined)
    throw new AuditSignerError(
      "the transit signer needs a Vault: pass --vault-addr, set vault.address in musgo.config.json, or set VAULT_ADDR",
    );
  if (key === undefined)
    throw new AuditSignerError("the transit signer needs --transit-key (or vault.transitKey in musgo.config.json)");
  return { client, key, ...(mount === undefined ? {} : { mount }) };
}
