// The verifier's trust store: the public keys allowed to sign records and checkpoints. A trust file
// is one or more PEM `PUBLIC KEY` blocks (what `musgo audit pubkey` prints); each key's algorithm
// comes from its type, never from the records it is asked to verify.

import { createPublicKey, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { algorithmOf, keyIdOf, type AuditAlgorithm } from "./signer.js";

export interface TrustedKey {
  kid: string;
  alg: AuditAlgorithm;
  publicKey: KeyObject;
}

export class TrustStore {
  private readonly byKid = new Map<string, TrustedKey>();

  constructor(publicKeys: readonly KeyObject[]) {
    for (const publicKey of publicKeys) {
      const key = { kid: keyIdOf(publicKey), alg: algorithmOf(publicKey), publicKey };
      this.byKid.set(key.kid, key);
    }
  }

  get(kid: string): TrustedKey | undefined {
    return this.byKid.get(kid);
  }

  keys(): TrustedKey[] {
    return [...this.byKid.values()];
  }
}

const PEM_BLOCK = /-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g;

export function parseTrustFile(text: string): TrustStore {
  const blocks = text.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) throw new Error("no `-----BEGIN PUBLIC KEY-----` block found");
  return new TrustStore(blocks.map((pem) => createPublicKey(pem)));
}

export async function loadTrustFile(path: string): Promise<TrustStore> {
  const text = await readFile(path, "utf8");
  try {
    return parseTrustFile(text);
  } catch (e) {
    throw new Error(`trust file \`${path}\`: ${(e as Error).message}`);
  }
}
