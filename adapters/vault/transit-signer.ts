// An ES256 signer backed by Vault Transit (`ecdsa-p256` key). With `marshaling_algorithm: jws`
// Transit returns raw r||s, the same 64 bytes PKCS#11 CKM_ECDSA produces, so one verifier
// (`crypto.verify("sha256", m, {key, dsaEncoding: "ieee-p1363"}, sig)`) serves both.

import { createHash, createPublicKey, type KeyObject } from "node:crypto";
import type { VaultClient } from "./client.js";

const SIGNATURE_PREFIX = "vault:v1:";

export class VaultTransitSigner {
  readonly alg = "ES256";
  private publicKeyCache: KeyObject | null = null;

  constructor(
    private readonly client: VaultClient,
    readonly key: string,
    private readonly mount = "transit",
  ) {}

  /** ECDSA P-256 over SHA-256(message), as 64 raw bytes r||s. */
  async sign(message: Uint8Array): Promise<Buffer> {
    // Ed25519 signatures are 64 bytes as well: check the key type, not just the length.
    await this.publicKey();
    const reply = (await this.client.write(`${this.mount}/sign/${this.key}/sha2-256`, {
      input: Buffer.from(message).toString("base64"),
      marshaling_algorithm: "jws",
    })) as { data: { signature: string } };
    const { signature } = reply.data;
    if (!signature.startsWith(SIGNATURE_PREFIX)) throw new Error(`Transit key ${this.key} returned an unexpected signature format`);
    const raw = Buffer.from(signature.slice(SIGNATURE_PREFIX.length), "base64url");
    if (raw.length !== 64) throw new Error(`Transit key ${this.key} returned a ${raw.length}-byte signature; ES256 needs 64`);
    return raw;
  }

  /** The key's public half (latest version). */
  async publicKey(): Promise<KeyObject> {
    if (this.publicKeyCache !== null) return this.publicKeyCache;
    const reply = (await this.client.read(`${this.mount}/keys/${this.key}`)) as {
      data: { type: string; latest_version: number; keys: Record<string, { public_key: string }> };
    };
    const { type, latest_version, keys } = reply.data;
    if (type !== "ecdsa-p256") throw new Error(`Transit key ${this.key} has type ${type}; ES256 needs ecdsa-p256`);
    this.publicKeyCache = createPublicKey(keys[String(latest_version)]!.public_key);
    return this.publicKeyCache;
  }

  /** Key id as the audit log uses it: base64url SHA-256 of the SPKI DER. */
  async kid(): Promise<string> {
    const spki = (await this.publicKey()).export({ format: "der", type: "spki" });
    return createHash("sha256").update(spki).digest("base64url");
  }
}
