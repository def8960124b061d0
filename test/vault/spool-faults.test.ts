// Fault tests for the incident spool, against the Vault double (they need its fault toggles):
// sealed and failing Vault, and a process killed between spooling and replay.

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createVaultClient } from "../../adapters/vault/client.js";
import { VaultIncidentStore } from "../../adapters/vault/incident-store.js";
import { VAULT_DOUBLE_TOKEN, VaultDouble } from "../doubles/vault-double.js";
import { incident } from "./fixtures/incidents.js";

let vault: VaultDouble;
let address: string;
const spoolFile = () => join(mkdtempSync(join(tmpdir(), "musgo-spool-")), "incidents.jsonl");
const storeFor = (file: string) =>
  new VaultIncidentStore({
    client: createVaultClient({ address, token: VAULT_DOUBLE_TOKEN }),
    spoolFile: file,
    retryDelayMs: 60_000,
  });

beforeEach(async () => {
  vault = new VaultDouble();
  address = await vault.start();
});
afterEach(async () => {
  await vault.stop();
});

/** Asserts incidents 1..count are in Vault exactly once each, at _001.._count in their order. */
function expectExactlyOnceInOrder(count: number): void {
  const seqOf = (path: string) => Number(path.split("_").at(-1));
  const paths = vault.paths("secret", "incidents/").sort((a, b) => seqOf(a) - seqOf(b));
  expect(paths).toHaveLength(count);
  paths.forEach((path, i) => {
    expect(path).toBe(`incidents/20241201_${String(i + 1).padStart(3, "0")}`);
    expect(vault.secret("secret", path)?.id).toBe(incident(i + 1).id);
  });
  const accepted = vault.requests.filter((r) => r.method === "POST" && r.path.startsWith("/v1/secret/data/incidents/"));
  const ids = new Set(accepted.map((r) => (r.body as { data: { id: string } }).data.id));
  expect(ids.size).toBe(count);
}

describe("incident spool under faults", () => {
  it("Vault sealed for 1,000 incidents then back: all 1,000 arrive exactly once, in order", async () => {
    const store = storeFor(spoolFile());
    vault.faults.sealed = true;
    for (let n = 1; n <= 1000; n++) expect((await store.record(incident(n))).status).toBe("spooled");
    expect(store.spool.size).toBe(1000);
    expect(vault.paths("secret", "incidents/")).toEqual([]);
    vault.faults.sealed = false;
    const outcome = await store.replay();
    expect(outcome).toMatchObject({ pending: 0, error: null });
    expect(outcome.stored.map((s) => s.id)).toEqual(Array.from({ length: 1000 }, (_, i) => incident(i + 1).id));
    expectExactlyOnceInOrder(1000);
    store.close();
  });

  it("a 500 stops the replay at the failing incident; the rest wait and keep their order", async () => {
    const store = storeFor(spoolFile());
    await store.record(incident(1));
    vault.faults.status = 500;
    const receipt = await store.record(incident(2));
    expect(receipt.status).toBe("spooled");
    expect((await store.replay()).error).toMatch(/Vault answered 500/);
    await store.record(incident(3));
    vault.faults.status = null;
    expect((await store.replay()).stored.map((s) => s.id)).toEqual([incident(2).id, incident(3).id]);
    expectExactlyOnceInOrder(3);
    store.close();
  });

  it("an unreachable Vault spools; a new process replays the spool file", async () => {
    const file = spoolFile();
    await vault.stop();
    const offline = storeFor(file);
    expect((await offline.record(incident(1))).status).toBe("spooled");
    offline.close();
    vault = new VaultDouble();
    address = await vault.start();
    const online = storeFor(file);
    expect(online.spool.size).toBe(1);
    expect((await online.replay()).stored).toHaveLength(1);
    expectExactlyOnceInOrder(1);
    online.close();
  });
});

const child = fileURLToPath(new URL("./fixtures/spool-child.mjs", import.meta.url));
const compiledStore = fileURLToPath(new URL("../../dist/adapters/vault/index.js", import.meta.url));

/** Starts the child and resolves once it printed `marker`. */
function startChild(args: string[], marker: string): Promise<ChildProcess> {
  if (!existsSync(compiledStore)) throw new Error(`missing ${compiledStore}: run \`npm run build\` first`);
  const proc = spawn(process.execPath, [child, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let out = "";
    proc.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(marker)) resolve(proc);
    });
    proc.stderr!.on("data", (chunk: Buffer) => (out += chunk.toString()));
    proc.on("exit", (code) => reject(new Error(`child exited with ${code} before printing "${marker}": ${out}`)));
  });
}

function kill(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    proc.removeAllListeners("exit");
    proc.on("exit", () => resolve());
    proc.kill("SIGKILL");
  });
}

describe("spool durability across a killed process", () => {
  it("a process killed after spooling and before replay loses nothing", async () => {
    const file = spoolFile();
    vault.faults.sealed = true;
    await kill(await startChild(["spool", address, VAULT_DOUBLE_TOKEN, file, "50"], "spooled 50"));
    vault.faults.sealed = false;
    const store = storeFor(file);
    expect(store.spool.size).toBe(50);
    await store.replay();
    expectExactlyOnceInOrder(50);
    store.close();
  });

  it("a process killed in the middle of a replay writes nothing twice", async () => {
    const file = spoolFile();
    vault.faults.sealed = true;
    await kill(await startChild(["spool", address, VAULT_DOUBLE_TOKEN, file, "40"], "spooled 40"));
    vault.faults.sealed = false;
    vault.latencyMs = 15;
    const replaying = spawn(process.execPath, [child, "replay", address, VAULT_DOUBLE_TOKEN, file], {
      stdio: "ignore",
    });
    // Kill it once some, but not all, incidents reached Vault.
    while (vault.paths("secret", "incidents/").length < 10) await new Promise((resolve) => setTimeout(resolve, 5));
    await kill(replaying);
    const written = vault.paths("secret", "incidents/").length;
    expect(written).toBeGreaterThanOrEqual(10);
    expect(written).toBeLessThan(40);
    vault.latencyMs = 0;
    const store = storeFor(file);
    await store.replay();
    expectExactlyOnceInOrder(40);
    store.close();
  });
});
