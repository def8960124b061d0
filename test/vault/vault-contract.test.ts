// Contract tests for the Vault adapter through node-vault over HTTP: against the in-process double
// by default, against a real Vault when VAULT_ADDR and VAULT_TOKEN are set.

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { verify } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KvV2 } from "../../adapters/vault/kv.js";
import { VaultIncidentStore } from "../../adapters/vault/incident-store.js";
import { CheckpointConflictError, VaultCheckpointAnchor } from "../../adapters/vault/checkpoint-anchor.js";
import { generateTransitKey, openTransitSigner, readTransitPublicKey } from "../../adapters/vault/transit-signer.js";
import { createVaultClient } from "../../adapters/vault/client.js";
import { AuditSignerError, keyIdOf, publicKeyPem } from "../../adapters/audit/index.js";
import { openVaultTarget, type VaultTarget } from "./vault-target.js";
import { incident } from "./fixtures/incidents.js";

let target: VaultTarget;
const spoolFile = () => join(mkdtempSync(join(tmpdir(), "musgo-spool-")), "incidents.jsonl");

beforeAll(async () => {
  target = await openVaultTarget();
});
afterAll(async () => {
  await target.stop();
});

describe(`Vault KV v2 (${process.env.VAULT_ADDR ? "real Vault" : "double"})`, () => {
  it("writes create-only: a second cas:0 write to the same path is refused", async () => {
    const kv = new KvV2(target.client, "secret");
    expect(await kv.create(`${target.prefix}/kv/a`, { v: 1 })).toBe(true);
    expect(await kv.create(`${target.prefix}/kv/a`, { v: 2 })).toBe(false);
    expect(await kv.read(`${target.prefix}/kv/a`)).toEqual({ data: { v: 1 }, version: 1 });
    expect(await kv.writeCas(`${target.prefix}/kv/a`, { v: 3 }, 1)).toBe(true);
    expect(await kv.read(`${target.prefix}/kv/missing`)).toBeNull();
    expect(await kv.list(`${target.prefix}/kv`)).toEqual(["a"]);
    expect(await kv.list(`${target.prefix}/nothing-here`)).toEqual([]);
  });
});

describe("VaultIncidentStore", () => {
  it("stores incidents at <prefix>/<date>_<seq> with agent, action, reason, verdict and audit sequence", async () => {
    const prefix = `${target.prefix}/incidents-a`;
    const store = new VaultIncidentStore({ client: target.client, prefix, spoolFile: spoolFile() });
    const first = await store.record(incident(1));
    const second = await store.record(incident(2));
    expect(first).toEqual({ id: "incident-00001", status: "stored", path: `secret/${prefix}/20241201_001` });
    expect(second.path).toBe(`secret/${prefix}/20241201_002`);
    const stored = await new KvV2(target.client, "secret").read(`${prefix}/20241201_001`);
    expect(stored?.data).toMatchObject({
      id: "incident-00001",
      agent: "advisor_7f2a9c1b",
      action: "quarantine",
      reason: "api_calls_exceeded",
      audit_seq: 1,
    });
    expect((stored?.data.verdict as { action_taken: string }).action_taken).toBe("agent_quarantined");
    expect(store.spool.size).toBe(0);
    store.close();
  });

  it("continues the sequence a previous process left in Vault", async () => {
    const prefix = `${target.prefix}/incidents-b`;
    const first = new VaultIncidentStore({ client: target.client, prefix, spoolFile: spoolFile() });
    await first.record(incident(1));
    first.close();
    const second = new VaultIncidentStore({ client: target.client, prefix, spoolFile: spoolFile() });
    expect((await second.record(incident(2))).path).toBe(`secret/${prefix}/20241201_002`);
    second.close();
  });

  it("moves past a path another writer took, without touching that incident", async () => {
    const prefix = `${target.prefix}/incidents-c`;
    const store = new VaultIncidentStore({ client: target.client, prefix, spoolFile: spoolFile() });
    await store.record(incident(1));
    // Another Guard takes _002 behind this store's back.
    await new KvV2(target.client, "secret").create(`${prefix}/20241201_002`, { id: "someone-else" });
    expect((await store.record(incident(2))).path).toBe(`secret/${prefix}/20241201_003`);
    expect((await new KvV2(target.client, "secret").read(`${prefix}/20241201_002`))?.data).toEqual({
      id: "someone-else",
    });
    store.close();
  });
});

describe("VaultCheckpointAnchor", () => {
  it("anchors create-only, is idempotent, refuses a forked checkpoint and never moves latest back", async () => {
    const anchor = new VaultCheckpointAnchor(target.client, { prefix: `${target.prefix}/audit-checkpoints` });
    const origin = "gov.example/prod";
    const at10 = { origin, size: 10, note: `${origin}\n10\nroot10=\n` };
    await anchor.anchor(at10);
    await anchor.anchor(at10);
    await expect(anchor.anchor({ ...at10, note: `${origin}\n10\nforged=\n` })).rejects.toThrow(CheckpointConflictError);
    const at20 = { origin, size: 20, note: `${origin}\n20\nroot20=\n` };
    await anchor.anchor(at20);
    await anchor.anchor({ origin, size: 15, note: `${origin}\n15\nroot15=\n` });
    expect(await anchor.latest(origin)).toEqual(at20);
    expect(await anchor.latest("unknown.example/log")).toBeNull();
  });
});

describe("Transit audit signer", () => {
  const message = Buffer.from('{"seq":0,"log":"gov.example/prod"}');

  it("ecdsa-p256: 64-byte ES256 r||s signatures that node:crypto verifies in IEEE-P1363 form, like PKCS#11", async () => {
    const key = `${target.prefix}-audit`;
    const created = await generateTransitKey({ client: target.client, key });
    const signer = await openTransitSigner({ client: target.client, key });
    expect(signer.alg).toBe("ES256");
    expect(publicKeyPem(signer.publicKey)).toBe(publicKeyPem(created.publicKey));
    const signature = await signer.sign(message);
    expect(signature).toHaveLength(64);
    expect(verify("sha256", message, { key: signer.publicKey, dsaEncoding: "ieee-p1363" }, signature)).toBe(true);
    expect(
      verify("sha256", Buffer.from("tampered"), { key: signer.publicKey, dsaEncoding: "ieee-p1363" }, signature),
    ).toBe(false);
    expect(keyIdOf(signer.publicKey)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    if (target.double !== null)
      expect(publicKeyPem(target.double.transitPublicKey(key))).toBe(publicKeyPem(signer.publicKey));
  });

  it("ed25519: EdDSA signatures over the message itself", async () => {
    const key = `${target.prefix}-ed`;
    await generateTransitKey({ client: target.client, key, alg: "EdDSA" });
    const signer = await openTransitSigner({ client: target.client, key });
    expect(signer.alg).toBe("EdDSA");
    expect(verify(null, message, signer.publicKey, await signer.sign(message))).toBe(true);
  });

  it("fails with an AuditSignerError naming the cause: key missing, key taken, token refused, Vault unreachable", async () => {
    const missing = `${target.prefix}-missing`;
    await expect(openTransitSigner({ client: target.client, key: missing })).rejects.toThrow(
      new RegExp(`Transit key \`${missing}\` not found at transit/keys/`),
    );
    const taken = `${target.prefix}-taken`;
    await generateTransitKey({ client: target.client, key: taken });
    await expect(generateTransitKey({ client: target.client, key: taken })).rejects.toThrow(/already exists/);
    const badToken = createVaultClient({ address: target.address, token: "not-a-token" });
    await expect(openTransitSigner({ client: badToken, key: taken })).rejects.toThrow(
      /Vault answered 403: permission denied/,
    );
    const nowhere = createVaultClient({ address: "http://127.0.0.1:1", token: target.token });
    await expect(readTransitPublicKey({ client: nowhere, key: taken })).rejects.toThrow(/Vault unreachable/);
    await expect(openTransitSigner({ client: target.client, key: missing })).rejects.toBeInstanceOf(AuditSignerError);
  });

  it("a sealed Vault fails signing closed (double only)", async (ctx) => {
    if (target.double === null) return ctx.skip();
    const key = `${target.prefix}-sealed`;
    await generateTransitKey({ client: target.client, key });
    const signer = await openTransitSigner({ client: target.client, key });
    target.double.faults.sealed = true;
    try {
      await expect(signer.sign(message)).rejects.toThrow(/cannot sign: Vault answered 503: Vault is sealed/);
    } finally {
      target.double.faults.sealed = false;
    }
  });
});
