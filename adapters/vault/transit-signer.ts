// An audit signer whose private key never leaves Vault Transit (docs/audit.md, "Keys and signers").
// - `ecdsa-p256` keys sign ES256: `sign/<key>/sha2-256` with `marshaling_algorithm: jws` returns
//   raw r‖s in base64url, the same 64 bytes PKCS#11 CKM_ECDSA produces, so one verifier serves both.
// - `ed25519` keys sign EdDSA over the message itself (Vault ignores the hash for them).
// The public key is read once, at the key's latest version, and pinned: a signature made with another
// version (the key was rotated meanwhile) is refused, since the trust file holds only the pinned key.
// Every failure (Vault unreachable or sealed, token refused, key missing or of the wrong type) is an
// AuditSignerError naming the cause: the caller fails closed.

import { createPublicKey, type KeyObject } from "node:crypto";
import { AuditSignerError, verifySignature, type AuditAlgorithm, type AuditSigner } from "../audit/signer.js";
import { describeVaultError, vaultStatus, type VaultClient } from "./client.js";

export const DEFAULT_TRANSIT_MOUNT = "transit";

const KEY_TYPES: Record<AuditAlgorithm, string> = { ES256: "ecdsa-p256", EdDSA: "ed25519" };
/** Sign requests in flight at once: per-record mode signs every record concurrently. */
const MAX_IN_FLIGHT = 16;
/** Signed at open to prove the token may sign, not only read the key. Not a record or a checkpoint. */
const PROBE = Buffer.from("musgo transit signer probe\n");

export interface TransitOptions {
  client: VaultClient;
  /** Transit key name. */
  key: string;
  /** Transit mount (default `transit`). */
  mount?: string;
}

export interface TransitPublicKey {
  alg: AuditAlgorithm;
  publicKey: KeyObject;
  /** The key version the public key belongs to. */
  version: number;
}

interface KeyReply {
  data?: { type?: string; latest_version?: number; keys?: Record<string, { public_key?: string }> };
}

/** `GET <mount>/keys/<key>`, or null when Vault has no such key (404). */
async function readKey(options: TransitOptions): Promise<KeyReply | null> {
  try {
    return (await options.client.read(`${mountOf(options)}/keys/${options.key}`)) as KeyReply;
  } catch (e) {
    if (vaultStatus(e) === 404) return null;
    throw transitError(`cannot read Transit key \`${options.key}\``, e);
  }
}

/** The public half of the key's latest version (for `musgo audit pubkey`); needs only `read` on the key. */
export async function readTransitPublicKey(options: TransitOptions): Promise<TransitPublicKey> {
  const { key } = options;
  const reply = await readKey(options);
  if (reply === null)
    throw new AuditSignerError(
      `Transit key \`${key}\` not found at ${mountOf(options)}/keys/${key} (create it with \`musgo audit keygen --signer transit\`)`,
    );
  const { type, latest_version: version, keys } = reply.data ?? {};
  const alg = (Object.keys(KEY_TYPES) as AuditAlgorithm[]).find((a) => KEY_TYPES[a] === type);
  if (alg === undefined)
    throw new AuditSignerError(
      `Transit key \`${key}\` has type ${type ?? "unknown"}; audit signing needs ecdsa-p256 (ES256) or ed25519 (EdDSA)`,
    );
  const encoded = keys?.[String(version)]?.public_key;
  if (typeof version !== "number" || typeof encoded !== "string")
    throw new AuditSignerError(`Transit key \`${key}\`: Vault returned no public key for its latest version`);
  try {
    // ecdsa-p256: a PEM SubjectPublicKeyInfo; ed25519: the raw 32 bytes in base64.
    const publicKey =
      alg === "ES256"
        ? createPublicKey(encoded)
        : createPublicKey({
            key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(encoded, "base64").toString("base64url") },
            format: "jwk",
          });
    return { alg, publicKey, version };
  } catch (e) {
    throw new AuditSignerError(`Transit key \`${key}\`: unreadable public key: ${(e as Error).message}`);
  }
}

/** Opens a signer on an existing Transit key and signs a probe with it; rejects (fail closed) when either fails. */
export async function openTransitSigner(options: TransitOptions): Promise<AuditSigner> {
  const signer = new TransitSigner(options, await readTransitPublicKey(options));
  const probe = await signer.sign(PROBE);
  if (!verifySignature(signer.alg, signer.publicKey, PROBE, probe)) {
    throw new AuditSignerError(`Transit key \`${options.key}\`: a signature does not verify with the key's public key`);
  }
  return signer;
}

/** Creates a Transit key (ES256 by default); refuses a name already taken, since Vault would keep the old key silently. */
export async function generateTransitKey(
  options: TransitOptions & { alg?: AuditAlgorithm },
): Promise<TransitPublicKey> {
  const path = `${mountOf(options)}/keys/${options.key}`;
  if ((await readKey(options)) !== null)
    throw new AuditSignerError(
      `Transit key \`${options.key}\` already exists at ${path}; print its public key with \`musgo audit pubkey --signer transit\``,
    );
  try {
    await options.client.write(path, { type: KEY_TYPES[options.alg ?? "ES256"] });
  } catch (e) {
    throw transitError(`cannot create Transit key \`${options.key}\``, e);
  }
  return readTransitPublicKey(options);
}

class TransitSigner implements AuditSigner {
  readonly alg: AuditAlgorithm;
  readonly publicKey: KeyObject;
  private readonly path: string;
  private readonly version: number;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly options: TransitOptions,
    key: TransitPublicKey,
  ) {
    this.alg = key.alg;
    this.publicKey = key.publicKey;
    this.path = `${mountOf(options)}/sign/${options.key}/sha2-256`;
    this.version = key.version;
  }

  async sign(message: Buffer): Promise<Buffer> {
    const body = {
      input: message.toString("base64"),
      ...(this.alg === "ES256" ? { marshaling_algorithm: "jws" } : {}),
    };
    let signature: unknown;
    await this.acquire();
    try {
      signature = ((await this.options.client.write(this.path, body)) as { data?: { signature?: unknown } }).data
        ?.signature;
    } catch (e) {
      throw transitError(`Transit key \`${this.options.key}\` cannot sign`, e);
    } finally {
      this.release();
    }
    const match = typeof signature === "string" ? /^vault:v([0-9]+):(.+)$/.exec(signature) : null;
    if (match === null)
      throw new AuditSignerError(
        `Transit key \`${this.options.key}\` returned no signature of the form vault:v<version>:<base64>`,
      );
    if (Number(match[1]) !== this.version) {
      throw new AuditSignerError(
        `Transit key \`${this.options.key}\` signed with version ${match[1]}, not version ${this.version} whose public key this signer holds: the key was rotated; trust its new public key (musgo audit pubkey --signer transit) and start again`,
      );
    }
    // ES256 comes back base64url (jws), EdDSA in standard base64: Node's base64 decoder reads both.
    const raw = Buffer.from(match[2]!, "base64");
    if (raw.length !== 64)
      throw new AuditSignerError(
        `Transit key \`${this.options.key}\` returned a ${raw.length}-byte signature; ${this.alg} needs 64`,
      );
    return raw;
  }

  async close(): Promise<void> {}

  private async acquire(): Promise<void> {
    if (this.inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.inFlight++;
  }

  /** Hands the slot to the next waiter, or frees it. */
  private release(): void {
    const next = this.waiting.shift();
    if (next !== undefined) next();
    else this.inFlight--;
  }
}

function mountOf(options: TransitOptions): string {
  return options.mount ?? DEFAULT_TRANSIT_MOUNT;
}

function transitError(context: string, e: unknown): AuditSignerError {
  const hint = vaultStatus(e) === 403 ? " (is the Vault token valid, and does its policy allow this key?)" : "";
  return new AuditSignerError(`${context}: ${describeVaultError(e)}${hint}`);
}
