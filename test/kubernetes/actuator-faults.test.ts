// Behaviour only the API server double can show: the exact requests on the wire, injected faults,
// and the double's own fidelity (status codes and Status bodies as the Kubernetes API sends them).

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KubernetesActuator } from "../../adapters/kubernetes/actuator.js";
import { KUBERNETES_DOUBLE_TOKEN, KubernetesDouble } from "../doubles/kubernetes-double.js";
import { doubleKubeConfig } from "./cluster-target.js";

let double: KubernetesDouble;
let address: string;
let actuator: KubernetesActuator;

beforeEach(async () => {
  double = new KubernetesDouble();
  address = await double.start();
  actuator = new KubernetesActuator({ kubeConfig: doubleKubeConfig(address, "agents"), namespace: "agents" });
  double.addDeployment("agents", "advisor-7f2a9c1b", 2);
});
afterEach(async () => {
  await double.stop();
});

const wire = () =>
  double.requests.map(
    (r) => `${r.method} ${r.path}${r.query.dryRun ? "?dryRun=" + r.query.dryRun : ""} ${r.contentType ?? "-"}`,
  );

describe("quarantine on the wire", () => {
  it("sends exactly these requests, with bearer auth and fieldManager=musgo on writes", async () => {
    await actuator.quarantine("advisor_7f2a9c1b", { dryRun: false });
    expect(wire()).toEqual([
      "GET /apis/apps/v1/namespaces/agents/deployments/advisor-7f2a9c1b -",
      "GET /apis/networking.k8s.io/v1/namespaces/agents/networkpolicies/quarantine-advisor-7f2a9c1b -",
      "POST /apis/networking.k8s.io/v1/namespaces/agents/networkpolicies application/json",
      "GET /api/v1/namespaces/agents/pods -",
      "PATCH /api/v1/namespaces/agents/pods/advisor-7f2a9c1b-6d4f9-0 application/merge-patch+json",
      "PATCH /api/v1/namespaces/agents/pods/advisor-7f2a9c1b-6d4f9-1 application/merge-patch+json",
      "PATCH /apis/apps/v1/namespaces/agents/deployments/advisor-7f2a9c1b application/strategic-merge-patch+json",
    ]);
    expect(double.requests.every((r) => r.headers.authorization === `Bearer ${KUBERNETES_DOUBLE_TOKEN}`)).toBe(true);
    expect(double.writes().every((r) => r.query.fieldManager === "musgo")).toBe(true);
    expect(double.requests[3]!.query.labelSelector).toBe("app=advisor-7f2a9c1b");
    expect(double.requests[6]!.body).toEqual({
      spec: {
        template: { metadata: { labels: { quarantine: "true" } }, spec: { nodeSelector: { quarantine: "true" } } },
      },
    });
  });

  it("keeps nodeSelector entries it did not set (map merge)", async () => {
    double.addDeployment("agents", "pooled", 1, { nodeSelector: { pool: "general" } });
    await actuator.quarantine("pooled", { dryRun: false });
    expect(
      (double.deployment("agents", "pooled")!.spec as { template: { spec: { nodeSelector: object } } }).template.spec
        .nodeSelector,
    ).toEqual({ pool: "general", quarantine: "true" });
  });
});

describe("a 500 on step 2 of 4", () => {
  it("reports the partial state, and a retry completes the quarantine", async () => {
    double.faults.push({
      match: (r) => r.method === "POST" && r.path.endsWith("/networkpolicies"),
      status: 500,
      times: 1,
    });
    const first = await actuator.quarantine("advisor_7f2a9c1b", { dryRun: false });
    expect(first.complete).toBe(false);
    expect(first.steps.map((s) => [s.step, s.status])).toEqual([
      ["read-deployment", "done"],
      ["create-network-policy", "failed"],
    ]);
    expect(first.remaining).toEqual(["label-pods", "pin-to-quarantine-nodes"]);
    expect(first.error).toMatch(/^step 2 of 4 \(create-network-policy\) failed: 500 InternalError/);
    expect(double.networkPolicy("agents", "quarantine-advisor-7f2a9c1b")).toBeUndefined();
    const retry = await actuator.quarantine("advisor_7f2a9c1b", { dryRun: false });
    expect(retry.complete).toBe(true);
    expect(retry.steps.map((s) => s.status)).toEqual(["done", "done", "done", "done"]);
    expect(double.networkPolicy("agents", "quarantine-advisor-7f2a9c1b")).toBeDefined();
  });
});

describe("the API server double", () => {
  const call = (method: string, path: string, body?: unknown, contentType = "application/json") =>
    fetch(`${address}${path}`, {
      method,
      headers: { authorization: `Bearer ${KUBERNETES_DOUBLE_TOKEN}`, "content-type": contentType },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }).then(async (res) => ({ status: res.status, body: (await res.json()) as { reason?: string; kind?: string } }));
  const deployment = "/apis/apps/v1/namespaces/agents/deployments/advisor-7f2a9c1b";

  it("answers 401 without the bearer token", async () => {
    expect((await fetch(`${address}${deployment}`)).status).toBe(401);
  });

  it("answers 415 UnsupportedMediaType for a patch in an unknown format", async () => {
    const reply = await call("PATCH", deployment, { spec: {} }, "text/plain");
    expect(reply).toMatchObject({ status: 415, body: { kind: "Status", reason: "UnsupportedMediaType" } });
  });

  it("answers 409 AlreadyExists for a second network policy of the same name", async () => {
    const policy = { metadata: { name: "p" }, spec: { podSelector: {} } };
    expect((await call("POST", "/apis/networking.k8s.io/v1/namespaces/agents/networkpolicies", policy)).status).toBe(
      201,
    );
    expect(await call("POST", "/apis/networking.k8s.io/v1/namespaces/agents/networkpolicies", policy)).toMatchObject({
      status: 409,
      body: { reason: "AlreadyExists" },
    });
  });

  it("answers 422 Invalid for negative replicas, 400 for a non-string label, 404 for a missing namespace", async () => {
    expect(
      await call("PATCH", `${deployment}/scale`, { spec: { replicas: -1 } }, "application/merge-patch+json"),
    ).toMatchObject({ status: 422, body: { reason: "Invalid" } });
    expect(
      (await call("PATCH", deployment, { metadata: { labels: { x: 1 } } }, "application/merge-patch+json")).status,
    ).toBe(400);
    expect((await call("GET", "/apis/apps/v1/namespaces/nowhere/deployments/x")).status).toBe(404);
  });

  it("rejects dryRun values other than All", async () => {
    expect(
      (await call("PATCH", `${deployment}?dryRun=Some`, { spec: {} }, "application/merge-patch+json")).status,
    ).toBe(400);
  });
});
