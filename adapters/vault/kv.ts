// The KV v2 calls musgo makes (docs/enforcement.md, "Vault"): create-only and check-and-set writes, reads, lists.

import { isCasMismatch, vaultStatus, type VaultClient } from "./client.js";

export interface KvEntry {
  data: Record<string, unknown>;
  version: number;
}

/** The body of a KV v2 write with check-and-set (`cas: 0` = create-only), as Vault's API takes it. */
export function kvWriteBody(
  data: Record<string, unknown>,
  cas: number,
): { data: Record<string, unknown>; options: { cas: number } } {
  return { data, options: { cas } };
}

/** The API path of a KV v2 entry's data. */
export function kvDataPath(mount: string, path: string): string {
  return `${mount}/data/${path}`;
}

export class KvV2 {
  constructor(
    private readonly client: VaultClient,
    readonly mount: string,
  ) {}

  /** Writes `path` only if it has never been written (`cas: 0`); false when it already exists. */
  async create(path: string, data: Record<string, unknown>): Promise<boolean> {
    return this.writeCas(path, data, 0);
  }

  /** Writes `path` if its current version is `cas` (0: absent); false on a CAS mismatch. */
  async writeCas(path: string, data: Record<string, unknown>, cas: number): Promise<boolean> {
    try {
      await this.client.write(kvDataPath(this.mount, path), kvWriteBody(data, cas));
      return true;
    } catch (e) {
      if (isCasMismatch(e)) return false;
      throw e;
    }
  }

  /** The latest version of `path`, or null when it was never written or is deleted. */
  async read(path: string): Promise<KvEntry | null> {
    try {
      const reply = (await this.client.read(kvDataPath(this.mount, path))) as {
        data: { data: Record<string, unknown>; metadata: { version: number } };
      };
      return { data: reply.data.data, version: reply.data.metadata.version };
    } catch (e) {
      if (vaultStatus(e) === 404) return null;
      throw e;
    }
  }

  /** The keys directly under `dir` (sub-directories end in `/`); empty when there are none. */
  async list(dir: string): Promise<string[]> {
    try {
      const reply = (await this.client.list(`${this.mount}/metadata/${dir}`)) as { data: { keys: string[] } };
      return reply.data.keys;
    } catch (e) {
      if (vaultStatus(e) === 404) return [];
      throw e;
    }
  }
}
