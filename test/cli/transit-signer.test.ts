// `--signer transit` end to end through the CLI: `audit keygen|pubkey`, `eval --audit-log`, `audit
// verify`, and fail-closed start-up. Against the in-process Vault double by default, against a real
// Vault when VAULT_ADDR and VAULT_TOKEN are set (a Transit engine mounted at `transit/`); the
// sealed-Vault case needs the double and is skipped then.

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { openVaultTarget, type VaultTarget } from "../vault/vault-target.js";

const EXAMPLE_3 = "constitution/examples/example3-classified.json";

let target: VaultTarget;
beforeAll(async () => {
  target = await openVaultTarget();
});
afterAll(async () => {
  await target.stop();
});

/** The CLI with only the Vault token in its environment, pointed at the target by `--vault-addr`. */
const musgo = (argv: string[], env: Record<string, string> = { VAULT_TOKEN: target.token }) =>
  runCli([...argv, "--vault-addr", target.address], "", env);
const tempDir = () => mkdtempSync(join(tmpdir(), "musgo-transit-"));

describe("musgo --signer transit", () => {
  it.each([
    ["ES256", "per-record"],
    ["EdDSA", "batch"],
  ])(
    "keygen creates a %s Transit key, pubkey prints it, and eval --audit-log (%s) writes a log audit verify accepts",
    async (alg, mode) => {
      const dir = tempDir();
      const key = `${target.prefix}-${alg}`;
      const transit = ["--signer", "transit", "--transit-key", key];
      const keygen = await musgo(["audit", "keygen", ...transit, "--alg", alg]);
      expect(keygen.stderr).toBe("");
      expect(keygen.code).toBe(0);
      expect(keygen.stdout).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
      const pubkey = await musgo(["audit", "pubkey", ...transit]);
      expect(pubkey.code).toBe(0);
      expect(pubkey.stdout).toBe(keygen.stdout);
      const trust = join(dir, "trust.pem");
      writeFileSync(trust, pubkey.stdout);

      const example = readFileSync(EXAMPLE_3, "utf8").trim();
      const inputs = join(dir, "inputs.jsonl");
      writeFileSync(inputs, `${example}\n{broken\n${example}\n`);
      const log = join(dir, "audit.jsonl");
      target.double?.clearLog();
      const run = await musgo([
        "eval",
        "constitution/",
        "--inputs",
        inputs,
        "--audit-log",
        log,
        "--audit-mode",
        mode,
        ...transit,
      ]);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(run.stdout.trim().split("\n")).toHaveLength(3);
      const records = readFileSync(log, "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line));
      expect(records.map((r) => [r.seq, r.alg, "sig" in r])).toEqual(
        [0, 1, 2].map((seq) => [seq, alg, mode === "per-record"]),
      );
      if (target.double !== null) {
        // Every signature came from Vault: the probe at start-up, then the records (per-record) and the checkpoints.
        const signs = target.double.requests.filter((r) => r.path === `/v1/transit/sign/${key}/sha2-256`);
        expect(signs.length).toBeGreaterThanOrEqual(mode === "per-record" ? 1 + 3 + 1 : 1 + 1);
        expect(signs[0]!.body).toEqual(
          alg === "ES256" ? { input: expect.any(String), marshaling_algorithm: "jws" } : { input: expect.any(String) },
        );
      }
      const verify = await runCli(["audit", "verify", log, "--trust", trust], "", {});
      expect(verify.stdout).toMatch(/^ok: 3 records/);
      expect(verify.code).toBe(0);
    },
  );

  it("keygen never replaces an existing key", async () => {
    const transit = ["--signer", "transit", "--transit-key", `${target.prefix}-once`];
    expect((await musgo(["audit", "keygen", ...transit])).code).toBe(0);
    const again = await musgo(["audit", "keygen", ...transit]);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe("");
    expect(again.stderr).toMatch(
      /^error: Transit key `.+-once` already exists at transit\/keys\/.+-once; print its public key with `musgo audit pubkey --signer transit`\n$/,
    );
  });

  it("takes the Vault address, key and mount from musgo.config.json; flags win", async () => {
    const key = `${target.prefix}-config`;
    const keygen = await musgo(["audit", "keygen", "--signer", "transit", "--transit-key", key]);
    expect(keygen.code).toBe(0);
    const config = join(tempDir(), "musgo.config.json");
    writeFileSync(
      config,
      JSON.stringify({ vault: { address: target.address, transitKey: key, transitMount: "transit" } }),
    );
    const viaConfig = await runCli(["audit", "pubkey", "--signer", "transit", "--config", config], "", {
      VAULT_TOKEN: target.token,
    });
    expect(viaConfig.stderr).toBe("");
    expect(viaConfig.stdout).toBe(keygen.stdout);
    const flagWins = await runCli(
      ["audit", "pubkey", "--signer", "transit", "--config", config, "--transit-key", `${key}-other`],
      "",
      { VAULT_TOKEN: target.token },
    );
    expect(flagWins.code).toBe(1);
    expect(flagWins.stderr).toContain(`Transit key \`${key}-other\` not found at transit/keys/${key}-other`);
  });

  it("signs with a key under another mount (--transit-mount; double only)", async (ctx) => {
    if (target.double === null) return ctx.skip();
    target.double.transitMounts.add("audit-transit");
    const transit = ["--signer", "transit", "--transit-key", "k", "--transit-mount", "audit-transit"];
    const keygen = await musgo(["audit", "keygen", ...transit]);
    expect(keygen.code).toBe(0);
    const dir = tempDir();
    writeFileSync(join(dir, "trust.pem"), keygen.stdout);
    const run = await musgo([
      "eval",
      "constitution/",
      "--input",
      EXAMPLE_3,
      "--audit-log",
      join(dir, "a.jsonl"),
      ...transit,
    ]);
    expect(run.code).toBe(0);
    expect(target.double.requests.some((r) => r.path === "/v1/audit-transit/sign/k/sha2-256")).toBe(true);
    expect(
      (await runCli(["audit", "verify", join(dir, "a.jsonl"), "--trust", join(dir, "trust.pem")], "", {})).code,
    ).toBe(0);
  });
});

describe("musgo eval --audit-log --signer transit fails closed: exit 1, no verdict, no log, a clear error", () => {
  let key: string;
  beforeAll(async () => {
    key = `${target.prefix}-closed`;
    expect((await musgo(["audit", "keygen", "--signer", "transit", "--transit-key", key])).code).toBe(0);
  });

  const evalWith = async (transitKey: string, env?: Record<string, string>, vaultAddr?: string) => {
    const log = join(tempDir(), "audit.jsonl");
    const argv = [
      "eval",
      "constitution/",
      "--input",
      EXAMPLE_3,
      "--audit-log",
      log,
      "--signer",
      "transit",
      "--transit-key",
      transitKey,
    ];
    const run =
      vaultAddr === undefined
        ? await musgo(argv, env)
        : await runCli([...argv, "--vault-addr", vaultAddr], "", env ?? { VAULT_TOKEN: target.token });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(existsSync(log)).toBe(false);
    return run.stderr;
  };

  it("the key is missing", async () => {
    expect(await evalWith("no-such-key")).toBe(
      "error: audit: Transit key `no-such-key` not found at transit/keys/no-such-key (create it with `musgo audit keygen --signer transit`)\n",
    );
  });

  it("Vault is sealed (double only)", async (ctx) => {
    if (target.double === null) return ctx.skip();
    target.double.faults.sealed = true;
    try {
      expect(await evalWith(key)).toBe(
        `error: audit: cannot read Transit key \`${key}\`: Vault answered 503: Vault is sealed\n`,
      );
    } finally {
      target.double.faults.sealed = false;
    }
  });

  it("the token is wrong", async () => {
    expect(await evalWith(key, { VAULT_TOKEN: "not-a-token" })).toMatch(
      new RegExp(
        `^error: audit: cannot read Transit key \`${key}\`: Vault answered 403: permission denied \\(is the Vault token valid`,
      ),
    );
  });

  it("the token is missing", async () => {
    expect(await evalWith(key, {})).toBe(
      `error: Vault is configured at ${target.address} but $VAULT_TOKEN holds no token\n`,
    );
  });

  it("Vault is unreachable", async () => {
    expect(await evalWith(key, undefined, "http://127.0.0.1:1")).toMatch(
      /^error: audit: cannot read Transit key `.+`: Vault unreachable: .*ECONNREFUSED/,
    );
  });

  it("no Vault is configured", async () => {
    const run = await runCli(
      [
        "eval",
        "constitution/",
        "--input",
        EXAMPLE_3,
        "--audit-log",
        join(tempDir(), "a.jsonl"),
        "--signer",
        "transit",
        "--transit-key",
        key,
      ],
      "",
      { VAULT_TOKEN: target.token },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      "error: audit: the transit signer needs a Vault: pass --vault-addr, set vault.address in musgo.config.json, or set VAULT_ADDR\n",
    );
  });
});
