// End to end on the REAL reference constitution (constitution/musgo.constitution) and the seed's
// examples: the CLI (`musgo enforce|plan|release`) and the Guard drive the Kubernetes and Vault
// doubles over HTTP, and the tests assert the exact requests each double received.

import { createHash } from "node:crypto";
import * as nodeFs from "node:fs/promises";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { main } from "../../cli/main.js";
import { runCli } from "../support/cli.js";
import type { CliIO } from "../../cli/io.js";
import { loadEngine } from "../../cli/engine.js";
import { KubernetesActuator } from "../../adapters/kubernetes/actuator.js";
import { createVaultClient } from "../../adapters/vault/client.js";
import { publicKeyPem } from "../../adapters/audit/index.js";
import { VaultIncidentStore } from "../../adapters/vault/incident-store.js";
import { Guard } from "../../guard/guard.js";
import { KUBERNETES_DOUBLE_TOKEN, KubernetesDouble } from "../doubles/kubernetes-double.js";
import { VAULT_DOUBLE_TOKEN, VaultDouble } from "../doubles/vault-double.js";
import { doubleKubeConfig } from "../kubernetes/cluster-target.js";

const EXAMPLE_2 = "constitution/examples/example2-threat.json";
const EXAMPLE_3 = "constitution/examples/example3-classified.json";
const DEPLOYMENT = "/apis/apps/v1/namespaces/agents/deployments/advisor-7f2a9c1b";

let k8s: KubernetesDouble;
let vault: VaultDouble;
let work: string;
let kubeconfig: string;

beforeEach(async () => {
  k8s = new KubernetesDouble();
  vault = new VaultDouble();
  const [k8sAddress] = await Promise.all([k8s.start(), vault.start()]);
  k8s.addDeployment("agents", "advisor-7f2a9c1b", 2);
  work = mkdtempSync(join(tmpdir(), "musgo-enforce-"));
  kubeconfig = join(work, "kubeconfig.yaml");
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters: [{name: double, cluster: {server: "${k8sAddress}", insecure-skip-tls-verify: true}}]
users: [{name: musgo, user: {token: ${KUBERNETES_DOUBLE_TOKEN}}}]
contexts: [{name: double, context: {cluster: double, user: musgo, namespace: agents}}]
current-context: double
`,
  );
});
afterEach(async () => {
  await Promise.all([k8s.stop(), vault.stop()]);
});

/** Runs the CLI with an environment holding only what the test configures. */
async function musgo(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CliIO = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readStdin: async () => new Uint8Array(0),
    cwd: process.cwd(),
    fs: nodeFs,
    env: { VAULT_TOKEN: VAULT_DOUBLE_TOKEN },
  };
  const targets = [
    "--kubeconfig",
    kubeconfig,
    "--vault-addr",
    vault.address,
    "--spool-file",
    join(work, "spool.jsonl"),
    "--state-dir",
    join(work, "state"),
  ];
  const code = await main([...argv, ...targets], io);
  return { code, stdout, stderr };
}

const k8sWire = () =>
  k8s.requests.map(
    (r) => `${r.method} ${r.path}${r.query.dryRun ? "?dryRun=" + r.query.dryRun : ""} ${r.contentType ?? "-"}`,
  );
const vaultWire = () =>
  vault.requests.map((r) => `${r.method} ${r.path}${r.query.list ? "?list=" + r.query.list : ""}`);
const today = () => new Date().toISOString().slice(0, 10).replace(/-/g, "");

describe("seed Example 2: threat response → quarantine", () => {
  it("musgo enforce patches the nodeSelector, creates the network policy and stores the incident in Vault", async () => {
    const run = await musgo("enforce", "constitution/", "--input", EXAMPLE_2);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.verdict).toMatchObject({
      permitted: false,
      violation: "excessive_api_calls",
      constitutional_article: "Article_III_Resource_Limits",
      action_taken: "agent_quarantined",
    });
    expect(k8sWire()).toEqual([
      `GET ${DEPLOYMENT} -`,
      "GET /apis/networking.k8s.io/v1/namespaces/agents/networkpolicies/quarantine-advisor-7f2a9c1b -",
      "POST /apis/networking.k8s.io/v1/namespaces/agents/networkpolicies application/json",
      "GET /api/v1/namespaces/agents/pods -",
      "PATCH /api/v1/namespaces/agents/pods/advisor-7f2a9c1b-6d4f9-0 application/merge-patch+json",
      "PATCH /api/v1/namespaces/agents/pods/advisor-7f2a9c1b-6d4f9-1 application/merge-patch+json",
      `PATCH ${DEPLOYMENT} application/strategic-merge-patch+json`,
    ]);
    expect(k8s.requests[6]!.body).toEqual({
      spec: {
        template: { metadata: { labels: { quarantine: "true" } }, spec: { nodeSelector: { quarantine: "true" } } },
      },
    });
    expect(k8s.requests[2]!.body).toMatchObject({
      kind: "NetworkPolicy",
      spec: { podSelector: { matchLabels: { app: "advisor-7f2a9c1b" } }, policyTypes: ["Ingress", "Egress"] },
    });
    const path = `incidents/${today()}_001`;
    expect(vaultWire()).toEqual(["GET /v1/secret/metadata/incidents?list=1", `POST /v1/secret/data/${path}`]);
    expect(vault.requests[1]!.body).toMatchObject({
      data: { agent: "advisor_7f2a9c1b", action: "quarantine", reason: "excessive_api_calls" },
      options: { cas: 0 },
    });
    expect(result.incident).toMatchObject({ status: "stored", path: `secret/${path}` });
  });

  it("the declared limit (100 api calls per minute per agent) quarantines the 101st call as api_calls_exceeded", async () => {
    const engine = await loadEngine(["constitution/"], { engine: "interp" });
    const actuator = new KubernetesActuator({
      kubeConfig: doubleKubeConfig(k8s.address, "agents"),
      namespace: "agents",
    });
    const incidents = new VaultIncidentStore({
      client: createVaultClient({ address: vault.address, token: VAULT_DOUBLE_TOKEN }),
      spoolFile: join(work, "spool.jsonl"),
    });
    const guard = new Guard({ engine, actuator, incidents, clock: () => Date.UTC(2024, 11, 1, 12) });
    const agent = {
      id: "advisor_7f2a9c1b",
      type: "strategic_advisor",
      clearance: "enterprise",
      capabilities: ["market_analysis", "trend_prediction"],
    };
    const call = { type: "api_call", method: "POST", path: "/api/v1/execute" };
    for (let i = 0; i < 100; i++) expect((await guard.validateAction(agent, call)).verdict.permitted).toBe(true);
    expect(k8s.requests).toEqual([]);
    const result = await guard.validateAction(agent, call);
    expect(result.verdict).toMatchObject({
      permitted: false,
      violation: "api_calls_exceeded",
      constitutional_article: "Article_III_Resource_Limits",
      action_taken: "agent_quarantined",
    });
    expect(result.actions[0]).toMatchObject({ operation: "quarantine", complete: true });
    expect(vault.secret("secret", "incidents/20241201_001")).toMatchObject({
      agent: "advisor_7f2a9c1b",
      action: "quarantine",
      reason: "api_calls_exceeded",
    });
    incidents.close();
  });

  it("musgo plan prints the quarantine as YAML documents and contacts nothing", async () => {
    const run = await musgo("plan", "constitution/", "--input", EXAMPLE_2);
    expect(run.code).toBe(0);
    const docs = parseAllDocuments(run.stdout).map((d) => d.toJS());
    expect(docs[0]).toMatchObject({
      remedy: "quarantine",
      agent: "advisor_7f2a9c1b",
      verdict: { violation: "excessive_api_calls" },
    });
    expect(docs.slice(1).map((d) => d.action)).toEqual([
      "create-network-policy",
      "label-pods",
      "pin-to-quarantine-nodes",
      "record-incident",
    ]);
    expect(docs[3]).toMatchObject({
      request: {
        method: "PATCH",
        path: `${DEPLOYMENT}?fieldManager=musgo`,
        contentType: "application/strategic-merge-patch+json",
      },
    });
    expect(k8s.requests).toEqual([]);
    expect(vault.requests).toEqual([]);
  });
});

describe("seed Example 3: classified access → suspension", () => {
  it("musgo enforce scales the deployment to 0, keeps the appeal in the verdict and stores the incident", async () => {
    const run = await musgo("enforce", "constitution/", "--input", EXAMPLE_3);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.verdict).toMatchObject({
      permitted: false,
      violation: "unauthorized_classified_access",
      constitutional_article: "Article_VII_Data_Protection",
      action_taken: "agent_suspended",
      appeal_process: "submit_to_ethics_committee",
    });
    expect(k8sWire()).toEqual([
      `GET ${DEPLOYMENT} -`,
      `PATCH ${DEPLOYMENT} application/merge-patch+json`,
      `PATCH ${DEPLOYMENT}/scale application/merge-patch+json`,
    ]);
    expect(k8s.requests[1]!.body).toEqual({ metadata: { annotations: { "musgo.dev/replicas-before": "2" } } });
    expect(k8s.requests[2]!.body).toEqual({ spec: { replicas: 0 } });
    expect((k8s.deployment("agents", "advisor-7f2a9c1b")!.spec as { replicas: number }).replicas).toBe(0);
    const path = `incidents/${today()}_001`;
    expect(vaultWire()).toEqual(["GET /v1/secret/metadata/incidents?list=1", `POST /v1/secret/data/${path}`]);
    expect(vault.secret("secret", path)).toMatchObject({
      agent: "advisor_7f2a9c1b",
      action: "suspend",
      reason: "unauthorized_classified_access",
      verdict: { appeal_process: "submit_to_ethics_committee" },
    });
  });

  it("with --audit-log, the enforced verdict is a signed audit record and the incident carries its sequence", async () => {
    const key = join(work, "audit.key");
    const keygen = await runCli(["audit", "keygen", "--out", key]);
    expect(keygen.code).toBe(0);
    writeFileSync(join(work, "trust.pem"), keygen.stdout);
    const log = join(work, "audit.jsonl");
    const run = await musgo("enforce", "constitution/", "--input", EXAMPLE_3, "--audit-log", log, "--key-file", key);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).audit).toEqual({ status: "written", seq: 0 });
    expect(vault.secret("secret", `incidents/${today()}_001`)).toMatchObject({ audit_seq: 0 });
    // The closing checkpoint is anchored in Vault, create-only, plus the moving `latest` pointer.
    expect(vault.secret("secret", "audit-checkpoints/musgo/musgo/1")).toMatchObject({ origin: "musgo/musgo", size: 1 });
    expect(String(vault.secret("secret", "audit-checkpoints/musgo/musgo/1")!.note)).toMatch(/^musgo\/musgo\n1\n/);
    const verify = await runCli(["audit", "verify", log, "--trust", join(work, "trust.pem")]);
    expect(verify.stdout).toMatch(/^ok: 1 record/);
  });

  it("with --signer transit, a Vault Transit key signs the audit record; without the key nothing is contained", async () => {
    const log = join(work, "audit.jsonl");
    const transit = ["--audit-log", log, "--audit-mode", "per-record", "--signer", "transit"];
    const missing = await musgo("enforce", "constitution/", "--input", EXAMPLE_3, ...transit, "--transit-key", "audit");
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe("");
    expect(missing.stderr).toMatch(/^error: audit: Transit key `audit` not found at transit\/keys\/audit/);
    expect(k8s.requests).toEqual([]);
    await createVaultClient({ address: vault.address, token: VAULT_DOUBLE_TOKEN }).write("transit/keys/audit", {
      type: "ecdsa-p256",
    });
    writeFileSync(join(work, "trust.pem"), publicKeyPem(vault.transitPublicKey("audit")));
    const run = await musgo("enforce", "constitution/", "--input", EXAMPLE_3, ...transit, "--transit-key", "audit");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).audit).toEqual({ status: "written", seq: 0 });
    expect(vault.requests.filter((r) => r.path === "/v1/transit/sign/audit/sha2-256").length).toBeGreaterThanOrEqual(3); // probe, record, checkpoint
    const verify = await runCli(["audit", "verify", log, "--trust", join(work, "trust.pem")]);
    expect(verify.stdout).toMatch(/^ok: 1 record/);
  });

  it("a malformed request is judged fail-closed (invalid_input), audited, and touches no cluster", async () => {
    const key = join(work, "audit.key");
    expect((await runCli(["audit", "keygen", "--out", key])).code).toBe(0);
    const raw = '{"agent": {"id": "advisor_7f2a9c1b"}, "action": ';
    writeFileSync(join(work, "broken.json"), raw);
    const log = join(work, "audit.jsonl");
    const run = await musgo(
      "enforce",
      "constitution/",
      "--input",
      join(work, "broken.json"),
      "--audit-log",
      log,
      "--key-file",
      key,
    );
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      permitted: false,
      actions: [],
      incident: null,
      audit: { status: "written", seq: 0 },
    });
    expect(result.verdict).toMatchObject({ permitted: false, violation: "invalid_input", action_taken: "none" });
    expect(result.verdict.error).toMatch(/^input: malformed JSON \(/);
    expect(k8s.requests).toEqual([]);
    const record = JSON.parse(readFileSync(log, "utf8").split("\n")[0]!);
    expect(record.body).toMatchObject({
      violation: "invalid_input",
      input_sha256: createHash("sha256").update(raw).digest("hex"),
    });
  });

  it("is idempotent: enforcing twice leaves the same cluster state and sends no conflicting writes", async () => {
    await musgo("enforce", "constitution/", "--input", EXAMPLE_3);
    const state = k8s.snapshot();
    k8s.clearLog();
    vault.clearLog();
    const again = await musgo("enforce", "constitution/", "--input", EXAMPLE_3);
    expect(again.code).toBe(0);
    expect(k8s.snapshot()).toBe(state);
    expect(k8s.writes()).toEqual([]);
    // The second decision is a second incident: a fresh path, written create-only exactly once.
    expect(vaultWire()).toEqual([
      "GET /v1/secret/metadata/incidents?list=1",
      `POST /v1/secret/data/incidents/${today()}_002`,
    ]);
  });

  it("--dry-run sends every write with dryRun=All and records no incident; release restores the replicas", async () => {
    const dry = await musgo("enforce", "constitution/", "--input", EXAMPLE_3, "--dry-run");
    expect(dry.code).toBe(0);
    expect(k8s.writes().map((w) => w.query.dryRun)).toEqual(["All", "All"]);
    expect(vault.requests).toEqual([]);
    expect((k8s.deployment("agents", "advisor-7f2a9c1b")!.spec as { replicas: number }).replicas).toBe(2);
    await musgo("enforce", "constitution/", "--input", EXAMPLE_3);
    const released = await musgo("release", "advisor_7f2a9c1b");
    expect(released.code).toBe(0);
    expect((k8s.deployment("agents", "advisor-7f2a9c1b")!.spec as { replicas: number }).replicas).toBe(2);
  });
});

describe("release with --audit-log", () => {
  it("appends the release to the log the enforcement wrote (its name read from the file); the chain verifies", async () => {
    const key = join(work, "audit.key");
    const keygen = await runCli(["audit", "keygen", "--out", key]);
    writeFileSync(join(work, "trust.pem"), keygen.stdout);
    const log = join(work, "audit.jsonl");
    expect(
      (await musgo("enforce", "constitution/", "--input", EXAMPLE_3, "--audit-log", log, "--key-file", key)).code,
    ).toBe(0);
    const released = await musgo("release", "advisor_7f2a9c1b", "--audit-log", log, "--key-file", key);
    expect(released.code).toBe(0);
    expect(JSON.parse(released.stdout)).toMatchObject({
      operation: "release",
      complete: true,
      audit: { status: "written", seq: 1 },
    });
    const records = readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(records.map((r) => [r.seq, r.kind, r.log])).toEqual([
      [0, "verdict", "musgo/musgo"],
      [1, "release", "musgo/musgo"],
    ]);
    expect(records[1].body).toMatchObject({
      agent: "advisor_7f2a9c1b",
      complete: true,
      error: null,
      target: "deployment agents/advisor-7f2a9c1b",
    });
    const verify = await runCli(["audit", "verify", log, "--trust", join(work, "trust.pem")]);
    expect(verify.stdout).toMatch(/^ok: 2 records/);
  });

  it("a new log without --log-name is refused before anything is released", async () => {
    const key = join(work, "audit.key");
    await runCli(["audit", "keygen", "--out", key]);
    await musgo("enforce", "constitution/", "--input", EXAMPLE_3);
    const writes = k8s.writes().length;
    const run = await musgo("release", "advisor_7f2a9c1b", "--audit-log", join(work, "new.jsonl"), "--key-file", key);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/holds no record to take the log's name from: pass --log-name/);
    expect(k8s.writes()).toHaveLength(writes);
    expect((k8s.deployment("agents", "advisor-7f2a9c1b")!.spec as { replicas: number }).replicas).toBe(0);
  });
});

describe("enforcement configuration", () => {
  it("rejects a malformed musgo.config.json with the offending key", async () => {
    const config = join(work, "musgo.config.json");
    writeFileSync(config, JSON.stringify({ vault: { kvMount: 3 } }));
    const run = await musgo("plan", "constitution/", "--input", EXAMPLE_3, "--config", config);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("musgo.config.json: vault.kvMount: expected a non-empty string, got number");
  });

  it("without a configured cluster, release says how to configure one", async () => {
    const io: CliIO = {
      stdout: () => undefined,
      stderr: (t) => void (err += t),
      readStdin: async () => new Uint8Array(0),
      cwd: work,
      fs: nodeFs,
      env: {},
    };
    let err = "";
    expect(await main(["release", "advisor_7f2a9c1b"], io)).toBe(1);
    expect(err).toMatch(/no Kubernetes cluster configured: pass --kubeconfig/);
  });
});
