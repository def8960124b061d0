// Where the Vault contract tests run: a real Vault when VAULT_ADDR and VAULT_TOKEN are set,
// otherwise the in-process double. Each run writes under a fresh prefix so real runs never collide.

import { randomUUID } from "node:crypto";
import { createVaultClient, type VaultClient } from "../../adapters/vault/client.js";
import { VAULT_DOUBLE_TOKEN, VaultDouble } from "../doubles/vault-double.js";

export interface VaultTarget {
  kind: "real Vault" | "in-process Vault double";
  address: string;
  token: string;
  client: VaultClient;
  /** Set only for the double. */
  double: VaultDouble | null;
  /** A KV directory unique to this run. */
  prefix: string;
  stop(): Promise<void>;
}

export async function openVaultTarget(): Promise<VaultTarget> {
  const prefix = `musgo-contract-${randomUUID().slice(0, 8)}`;
  const { VAULT_ADDR, VAULT_TOKEN } = process.env;
  if (VAULT_ADDR !== undefined && VAULT_ADDR !== "" && VAULT_TOKEN !== undefined && VAULT_TOKEN !== "") {
    console.log(
      `Vault contract tests: running against the REAL Vault at ${VAULT_ADDR} (VAULT_ADDR is set), under secret/${prefix}`,
    );
    const client = createVaultClient({ address: VAULT_ADDR, token: VAULT_TOKEN });
    return {
      kind: "real Vault",
      address: VAULT_ADDR,
      token: VAULT_TOKEN,
      client,
      double: null,
      prefix,
      stop: async () => undefined,
    };
  }
  const double = new VaultDouble();
  const address = await double.start();
  console.log(
    `Vault contract tests: running against the in-process Vault double at ${address} (set VAULT_ADDR and VAULT_TOKEN to use a real Vault)`,
  );
  const client = createVaultClient({ address, token: VAULT_DOUBLE_TOKEN });
  return {
    kind: "in-process Vault double",
    address,
    token: VAULT_DOUBLE_TOKEN,
    client,
    double,
    prefix,
    stop: () => double.stop(),
  };
}
