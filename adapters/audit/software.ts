// A signer holding its key in process memory (Node crypto): Ed25519 by default, ES256 for parity
// with HSM keys. For local use and demos; production keys belong in an HSM (pkcs11.ts).

import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { fileErrorReason } from "../../contract/file-errors.js";
import { algorithmOf, AuditSignerError, type AuditAlgorithm, type AuditSigner } from "./signer.js";

export function softwareSigner(privateKey: KeyObject): AuditSigner {
  const publicKey = createPublicKey(privateKey);
  const alg = algorithmOf(publicKey);
  return {
    alg,
    publicKey,
    async sign(message) {
      if (alg === "EdDSA") return sign(null, message, privateKey);
      return sign("sha256", message, { key: privateKey, dsaEncoding: "ieee-p1363" });
    },
    async close() {},
  };
}

export function generateSoftwareKey(alg: AuditAlgorithm = "EdDSA"): KeyObject {
  const pair =
    alg === "EdDSA" ? generateKeyPairSync("ed25519") : generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  return pair.privateKey;
}

/** Writes a PKCS#8 PEM private key readable only by its owner; refuses to overwrite a file. */
export async function writeSoftwareKey(path: string, privateKey: KeyObject): Promise<void> {
  const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  await writeFile(path, pem, { mode: 0o600, flag: "wx" });
}

export async function loadSoftwareSigner(path: string): Promise<AuditSigner> {
  let pem: string;
  try {
    pem = await readFile(path, "utf8");
  } catch (e) {
    throw new AuditSignerError(`cannot read audit key file \`${path}\`: ${fileErrorReason(e)}`);
  }
  try {
    return softwareSigner(createPrivateKey(pem));
  } catch (e) {
    if (e instanceof AuditSignerError) throw e;
    throw new AuditSignerError(`\`${path}\` is not a PEM private key: ${(e as Error).message}`);
  }
}
