// PKCS#11 signing against a real SoftHSM2 token created fresh for this run. pkcs11js initialises a
// module once per process (and SOFTHSM2_CONF is read then), so every token test lives in this file.

import { execFileSync, spawnSync } from "node:child_process";
import { createHash, verify } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import pkcs11js from "pkcs11js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AuditSignerError,
  generatePkcs11Key,
  openAuditLog,
  openPkcs11Signer,
  parseTrustFile,
  publicKeyPem,
  verifyAuditLog,
  verifySignature,
  type AuditSigner,
} from "../../adapters/audit/index.js";
import { createSignerFromOptions } from "../../guard/signers.js";
import { runCli } from "../support/cli.js";
import { LOG_NAME, sampleContext, sampleVerdict, tempDir } from "./support.js";

const MODULE = "/usr/lib/softhsm/libsofthsm2.so";
const TOKEN = "musgo-audit-test";
const OTHER_TOKEN = "musgo-audit-other";
const PIN = "1234";
const env = { MUSGO_PKCS11_PIN: PIN };
const target = (key: string) => ({ module: MODULE, token: TOKEN, key, pin: PIN });

function requireSoftHsm(): void {
  const hasUtil = spawnSync("softhsm2-util", ["--version"]).status === 0;
  if (!hasUtil || !existsSync(MODULE)) {
    throw new Error(
      `softhsm2 is not installed (need softhsm2-util and ${MODULE}): run \`apt-get install softhsm2\` (scripts/test.sh does it)`,
    );
  }
}

let es256: AuditSigner;
let eddsa: AuditSigner;

beforeAll(async () => {
  requireSoftHsm();
  const exports = execFileSync("bash", ["scripts/softhsm-fixture.sh", TOKEN, PIN], { encoding: "utf8" });
  const conf = /export SOFTHSM2_CONF=(.+)/.exec(exports)?.[1];
  if (conf === undefined) throw new Error(`scripts/softhsm-fixture.sh printed no SOFTHSM2_CONF:\n${exports}`);
  // Must be set before the first C_Initialize in this process.
  process.env.SOFTHSM2_CONF = conf;
  // The CLI runs in-process with this environment.
  process.env.MUSGO_PKCS11_PIN = PIN;
  execFileSync(
    "softhsm2-util",
    ["--init-token", "--free", "--label", OTHER_TOKEN, "--pin", "9999", "--so-pin", "99999999"],
    { stdio: "ignore" },
  );
  await generatePkcs11Key({ ...target("audit-p256"), alg: "ES256" });
  await generatePkcs11Key({ ...target("audit-ed25519"), alg: "EdDSA" });
  es256 = await openPkcs11Signer(target("audit-p256"));
  eddsa = await openPkcs11Signer(target("audit-ed25519"));
});

afterAll(async () => {
  await es256?.close();
  await eddsa?.close();
  const dir = process.env.SOFTHSM2_CONF?.replace(/\/softhsm2\.conf$/, "");
  if (dir?.includes("musgo-softhsm.")) rmSync(dir, { recursive: true, force: true });
});

describe("PKCS#11 signer on SoftHSM2", () => {
  it("ES256: CKM_ECDSA over the SHA-256 digest verifies with the exported public key", async () => {
    expect(es256.alg).toBe("ES256");
    const message = Buffer.from("audit record");
    const signature = await es256.sign(message);
    expect(signature).toHaveLength(64);
    const pem = publicKeyPem(es256.publicKey);
    expect(verify("sha256", message, { key: pem, dsaEncoding: "ieee-p1363" }, signature)).toBe(true);
    expect(verify("sha256", Buffer.from("audit recorD"), { key: pem, dsaEncoding: "ieee-p1363" }, signature)).toBe(
      false,
    );
  });

  it("EdDSA: CKM_EDDSA signs the message itself", async () => {
    expect(eddsa.alg).toBe("EdDSA");
    const message = Buffer.from("checkpoint text\n");
    const signature = await eddsa.sign(message);
    expect(verify(null, message, publicKeyPem(eddsa.publicKey), signature)).toBe(true);
  });

  it("concurrent signing from many async callers stays correct, and the event loop stays live", async () => {
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 1);
    const messages = Array.from({ length: 300 }, (_, i) => Buffer.from(`record ${i}`));
    const signatures = await Promise.all(messages.map((m) => es256.sign(m)));
    clearInterval(ticker);
    expect(signatures.every((s, i) => verifySignature("ES256", es256.publicKey, messages[i]!, s))).toBe(true);
    // A signature checked against a neighbour's message must fail: no cross-talk between sessions.
    expect(verifySignature("ES256", es256.publicKey, messages[1]!, signatures[0]!)).toBe(false);
    expect(ticks).toBeGreaterThan(0);
  });

  it("a per-record HSM-signed log verifies with the key `musgo audit pubkey` exports", async () => {
    const pubkey = await runCli([
      "audit",
      "pubkey",
      "--signer",
      "pkcs11",
      "--pkcs11-module",
      MODULE,
      "--pkcs11-token",
      TOKEN,
      "--pkcs11-key",
      "audit-p256",
    ]);
    expect(pubkey.code).toBe(0);
    expect(pubkey.stdout).toBe(publicKeyPem(es256.publicKey));
    const path = join(tempDir(), "hsm.jsonl");
    const log = await openAuditLog({ path, logName: LOG_NAME, signer: es256, mode: "per-record" });
    await Promise.all(Array.from({ length: 40 }, (_, i) => log.append(sampleVerdict(i), sampleContext(i))));
    await log.close();
    const result = await verifyAuditLog(path, { trust: parseTrustFile(pubkey.stdout) });
    expect(result).toMatchObject({ status: "ok", records: 40 });
    expect(result.checkpoints).toBeGreaterThanOrEqual(1);
  });

  it("batch mode: the Ed25519 token key signs the checkpoints", async () => {
    const path = join(tempDir(), "hsm-batch.jsonl");
    const log = await openAuditLog({ path, logName: LOG_NAME, signer: eddsa, mode: "batch" });
    await Promise.all(Array.from({ length: 100 }, (_, i) => log.append(sampleVerdict(i), sampleContext(i))));
    await log.close();
    const trust = parseTrustFile(publicKeyPem(eddsa.publicKey));
    expect(await verifyAuditLog(path, { trust })).toEqual({ status: "ok", ok: true, records: 100, checkpoints: 1 });
  });

  it("a session the token dropped is reopened, logged in again and the signature retried once", async () => {
    // A second handle on the same module (already initialised in this process) closes every
    // session of the process on the token, which also logs it out.
    const p11 = new pkcs11js.PKCS11();
    p11.load(MODULE);
    expect(() => p11.C_Initialize()).toThrow(/CKR_CRYPTOKI_ALREADY_INITIALIZED/);
    const slot = p11.C_GetSlotList(true).find((s) => p11.C_GetTokenInfo(s).label.trim() === TOKEN)!;
    p11.C_CloseAllSessions(slot);
    const messages = Array.from({ length: 8 }, (_, i) => Buffer.from(`after reset ${i}`));
    const signatures = await Promise.all(messages.map((m) => es256.sign(m)));
    expect(signatures.every((sig, i) => verifySignature("ES256", es256.publicKey, messages[i]!, sig))).toBe(true);
  });

  it("createSignerFromOptions takes the PIN from MUSGO_PKCS11_PIN only", async () => {
    const options = { signer: "pkcs11" as const, pkcs11Module: MODULE, pkcs11Token: TOKEN, pkcs11Key: "audit-p256" };
    await expect(createSignerFromOptions(options, {})).rejects.toThrow(/MUSGO_PKCS11_PIN/);
    const signer = await createSignerFromOptions(options, env);
    expect(createHash("sha256").update(publicKeyPem(signer.publicKey)).digest("hex")).toBe(
      createHash("sha256").update(publicKeyPem(es256.publicKey)).digest("hex"),
    );
    await signer.close();
  });
});

describe("PKCS#11 failures fail closed", () => {
  it("a wrong PIN is refused with a clear error and not retried", async () => {
    const error = await openPkcs11Signer({ module: MODULE, token: OTHER_TOKEN, key: "k", pin: "0000" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AuditSignerError);
    expect((error as Error).message).toMatch(
      /cannot log in to token `musgo-audit-other`: wrong PIN \(CKR_PIN_INCORRECT\)/,
    );
  });

  it("a missing token is refused", async () => {
    await expect(openPkcs11Signer({ ...target("audit-p256"), token: "no-such-token" })).rejects.toThrow(
      /PKCS#11 token `no-such-token` not found/,
    );
  });

  it("a missing key is refused", async () => {
    await expect(openPkcs11Signer(target("no-such-key"))).rejects.toThrow(/no public key labelled `no-such-key`/);
  });

  it("a missing module is refused", async () => {
    await expect(openPkcs11Signer({ ...target("audit-p256"), module: "/nonexistent/libpkcs11.so" })).rejects.toThrow(
      /cannot load PKCS#11 module/,
    );
  });

  it("the CLI reports a missing token as a user error (exit 1), without a stack", async () => {
    const run = await runCli([
      "audit",
      "pubkey",
      "--signer",
      "pkcs11",
      "--pkcs11-token",
      "no-such-token",
      "--pkcs11-key",
      "k",
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`error: PKCS#11 token \`no-such-token\` not found in \`${MODULE}\`\n`);
  });

  it("keygen refuses to create a second key under an existing label", async () => {
    await expect(generatePkcs11Key(target("audit-p256"))).rejects.toThrow(/already has a key labelled `audit-p256`/);
  });
});
