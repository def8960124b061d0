// The one interface every audit signer implements (software key, PKCS#11 token), and the key
// facts a verifier derives from a public key alone: algorithm, key id, signature check.

import { createHash, verify, type KeyObject } from "node:crypto";

/** ES256 = ECDSA P-256 over SHA-256, raw r‖s; EdDSA = Ed25519 over the message itself. */
export type AuditAlgorithm = "ES256" | "EdDSA";

export interface AuditSigner {
  readonly alg: AuditAlgorithm;
  readonly publicKey: KeyObject;
  /** ES256: 64-byte r‖s over SHA-256(message); EdDSA: 64-byte Ed25519 signature of message. Rejects when signing is impossible. */
  sign(message: Buffer): Promise<Buffer>;
  /** Releases sessions or handles; the signer is unusable afterwards. */
  close(): Promise<void>;
}

/** A signing failure that must stop the decision it was for (fail closed). */
export class AuditSignerError extends Error {}

/** The algorithm a public key can verify, from its type; other keys are rejected. */
export function algorithmOf(publicKey: KeyObject): AuditAlgorithm {
  if (publicKey.asymmetricKeyType === "ed25519") return "EdDSA";
  if (publicKey.asymmetricKeyType === "ec" && publicKey.asymmetricKeyDetails?.namedCurve === "prime256v1")
    return "ES256";
  throw new AuditSignerError(
    `unsupported audit key type ${publicKey.asymmetricKeyType ?? "unknown"}: use Ed25519 or ECDSA P-256`,
  );
}

export function spkiDer(publicKey: KeyObject): Buffer {
  return publicKey.export({ format: "der", type: "spki" });
}

/** `kid`: base64url SHA-256 of the DER SubjectPublicKeyInfo. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash("sha256").update(spkiDer(publicKey)).digest("base64url");
}

export function publicKeyPem(publicKey: KeyObject): string {
  return publicKey.export({ format: "pem", type: "spki" }).toString();
}

/** Checks a raw signature as `AuditSigner.sign` produces it. */
export function verifySignature(
  alg: AuditAlgorithm,
  publicKey: KeyObject,
  message: Buffer,
  signature: Buffer,
): boolean {
  try {
    if (alg === "EdDSA") return verify(null, message, publicKey, signature);
    return verify("sha256", message, { key: publicKey, dsaEncoding: "ieee-p1363" }, signature);
  } catch {
    return false;
  }
}
