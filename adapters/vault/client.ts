// node-vault as a plain transport: explicit endpoint and token (never the process environment),
// `GET ?list=1` instead of the LIST verb, and errors classified by HTTP status.

import createNodeVault from "node-vault";

export type VaultClient = createNodeVault.client;

export interface VaultConnection {
  /** e.g. `https://vault.musgo-system:8200`. */
  address: string;
  token: string;
  /** Enterprise namespace, sent as `X-Vault-Namespace`. */
  namespace?: string;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
}

export function createVaultClient(connection: VaultConnection): VaultClient {
  return createNodeVault({
    endpoint: connection.address,
    token: connection.token,
    ...(connection.namespace === undefined ? {} : { namespace: connection.namespace }),
    // Node's HTTP parser rejects the LIST verb; Vault accepts `GET ?list=1` as well.
    noCustomHTTPVerbs: true,
    requestOptions: { timeout: connection.timeoutMs ?? 10_000 },
  });
}

/** The HTTP status of a failed node-vault call, or null when no response arrived (refused, timed out). */
export function vaultStatus(error: unknown): number | null {
  const status = (error as { response?: { statusCode?: unknown } }).response?.statusCode;
  return typeof status === "number" ? status : null;
}

/** A KV v2 write rejected because `options.cas` did not match the current version. */
export function isCasMismatch(error: unknown): boolean {
  return vaultStatus(error) === 400 && /check-and-set parameter did not match/.test((error as Error).message);
}

export function describeVaultError(error: unknown): string {
  const status = vaultStatus(error);
  const message = (error as Error).message ?? String(error);
  return status === null ? `Vault unreachable: ${message}` : `Vault answered ${status}: ${message}`;
}
