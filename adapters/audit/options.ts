// Builds the signer named by command-line style options. The PKCS#11 PIN comes only from the
// environment (MUSGO_PKCS11_PIN): a PIN on a command line leaks into shell history and `ps`.

import { openPkcs11Signer } from "./pkcs11.js";
import { AuditSignerError, type AuditSigner } from "./signer.js";
import { loadSoftwareSigner } from "./software.js";

export const PIN_ENV = "MUSGO_PKCS11_PIN";
export const DEFAULT_PKCS11_MODULE = "/usr/lib/softhsm/libsofthsm2.so";

export interface SignerOptions {
  signer: "software" | "pkcs11";
  /** Software signer: PKCS#8 PEM private key (from `musgo audit keygen --out`). */
  keyFile?: string;
  /** Default /usr/lib/softhsm/libsofthsm2.so. */
  pkcs11Module?: string;
  pkcs11Token?: string;
  pkcs11Key?: string;
}

export async function createSignerFromOptions(options: SignerOptions, env: Record<string, string | undefined>): Promise<AuditSigner> {
  if (options.signer === "software") {
    if (options.keyFile === undefined) throw new AuditSignerError("the software signer needs a key file (create one with `musgo audit keygen --out FILE`)");
    return loadSoftwareSigner(options.keyFile);
  }
  return openPkcs11Signer(pkcs11Target(options, env));
}

/** Module, token, key and PIN for a PKCS#11 operation, each required. */
export function pkcs11Target(options: SignerOptions, env: Record<string, string | undefined>) {
  const { pkcs11Token: token, pkcs11Key: key } = options;
  if (token === undefined || key === undefined) throw new AuditSignerError("the pkcs11 signer needs --pkcs11-token and --pkcs11-key");
  const pin = env[PIN_ENV];
  if (pin === undefined || pin === "") throw new AuditSignerError(`set the token PIN in the environment variable ${PIN_ENV}`);
  return { module: options.pkcs11Module ?? DEFAULT_PKCS11_MODULE, token, key, pin };
}
