// Contract tests for the Kubernetes actuator through @kubernetes/client-node over HTTP: against the
// API server double by default, a real cluster when KUBECONFIG is set. Exact-request assertions
// need the double's request log and run only there.

import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KubernetesActuator } from "../../adapters/kubernetes/actuator.js";
import { openClusterTarget, type ClusterTarget } from "./cluster-target.js";

let target: ClusterTarget;
let actuator: KubernetesActuator;
let apps: k8s.AppsV1Api;
let net: k8s.NetworkingV1Api;
const live = { dryRun: false };

beforeAll(async () => {
  target = await openClusterTarget();
  actuator = new KubernetesActuator({ kubeConfig: target.kubeConfig, namespace: target.namespace });
  apps = target.kubeConfig.makeApiClient(k8s.AppsV1Api);
  net = target.kubeConfig.makeApiClient(k8s.NetworkingV1Api);
});
afterAll(async () => {
  await target.stop();
});

async function readDeployment(name: string): Promise<k8s.V1Deployment> {
  return apps.readNamespacedDeployment({ name, namespace: target.namespace });
}

describe(`KubernetesActuator (${process.env.KUBECONFIG ? "real cluster" : "double"})`, () => {
  it("quarantines: network policy from the deployment's selector, pods labelled, template pinned to quarantine nodes", async () => {
    const agent = target.unique("advisor_q1");
    const name = agent.replaceAll("_", "-");
    await target.seedDeployment(name, 2);
    const report = await actuator.quarantine(agent, live);
    expect(report).toMatchObject({ operation: "quarantine", complete: true, error: null, remaining: [] });
    expect(report.steps.map((s) => [s.step, s.status])).toEqual([
      ["read-deployment", "done"],
      ["create-network-policy", "done"],
      ["label-pods", target.double ? "done" : expect.any(String)],
      ["pin-to-quarantine-nodes", "done"],
    ]);
    const deployment = await readDeployment(name);
    expect(deployment.spec?.template.spec?.nodeSelector).toEqual({ quarantine: "true" });
    expect(deployment.spec?.template.metadata?.labels?.quarantine).toBe("true");
    const policy = await net.readNamespacedNetworkPolicy({ name: `quarantine-${name}`, namespace: target.namespace });
    expect(policy.spec).toEqual({ podSelector: { matchLabels: { app: name } }, policyTypes: ["Ingress", "Egress"] });
  });

  it("is idempotent: a second quarantine changes nothing and sends no writes", async () => {
    const agent = target.unique("advisor_q2");
    await target.seedDeployment(agent.replaceAll("_", "-"), 1);
    await actuator.quarantine(agent, live);
    const before = target.double?.snapshot();
    target.double?.clearLog();
    const again = await actuator.quarantine(agent, live);
    expect(again.complete).toBe(true);
    expect(again.steps.slice(1).map((s) => s.status)).toEqual(["unchanged", "unchanged", "unchanged"]);
    if (target.double) {
      expect(target.double.writes()).toEqual([]);
      expect(target.double.snapshot()).toBe(before);
    }
  });

  it("suspends to 0 replicas remembering the count, and release restores everything", async () => {
    const agent = target.unique("advisor_s1");
    const name = agent.replaceAll("_", "-");
    await target.seedDeployment(name, 3);
    await actuator.quarantine(agent, live);
    const suspended = await actuator.suspend(agent, live);
    expect(suspended.complete).toBe(true);
    let deployment = await readDeployment(name);
    expect(deployment.spec?.replicas).toBe(0);
    expect(deployment.metadata?.annotations?.["musgo.dev/replicas-before"]).toBe("3");
    // Suspending again must not overwrite the remembered count with 0.
    expect((await actuator.suspend(agent, live)).steps.slice(1).map((s) => s.status)).toEqual([
      "unchanged",
      "unchanged",
    ]);
    const released = await actuator.release(agent, live);
    expect(released.complete).toBe(true);
    deployment = await readDeployment(name);
    expect(deployment.spec?.replicas).toBe(3);
    expect(deployment.metadata?.annotations?.["musgo.dev/replicas-before"]).toBeUndefined();
    expect(deployment.spec?.template.spec?.nodeSelector?.quarantine).toBeUndefined();
    expect(deployment.spec?.template.metadata?.labels?.quarantine).toBeUndefined();
    await expect(
      net.readNamespacedNetworkPolicy({ name: `quarantine-${name}`, namespace: target.namespace }),
    ).rejects.toMatchObject({ code: 404 });
    expect((await actuator.release(agent, live)).steps.slice(1).every((s) => s.status === "unchanged")).toBe(true);
  });

  it("dry run: every write goes out with dryRun=All and nothing changes", async () => {
    const agent = target.unique("advisor_d1");
    const name = agent.replaceAll("_", "-");
    await target.seedDeployment(name, 2);
    target.double?.clearLog();
    const report = await actuator.quarantine(agent, { dryRun: true });
    expect(report.complete).toBe(true);
    expect(report.steps.slice(1).map((s) => s.status)).toEqual(["dry-run", "dry-run", "dry-run"]);
    expect((await readDeployment(name)).spec?.template.spec?.nodeSelector).toBeUndefined();
    await expect(
      net.readNamespacedNetworkPolicy({ name: `quarantine-${name}`, namespace: target.namespace }),
    ).rejects.toMatchObject({ code: 404 });
    if (target.double) {
      const writes = target.double.writes();
      expect(writes.length).toBe(4);
      expect(writes.every((w) => w.query.dryRun === "All")).toBe(true);
    }
  });

  it("reports a missing deployment as a failed first step", async () => {
    const report = await actuator.quarantine(target.unique("ghost_agent"), live);
    expect(report).toMatchObject({
      complete: false,
      remaining: ["create-network-policy", "label-pods", "pin-to-quarantine-nodes"],
    });
    expect(report.error).toMatch(/step 1 of 4 \(read-deployment\) failed: 404 NotFound/);
  });

  it("refuses an agent id that cannot name a deployment, without contacting the cluster", async () => {
    const report = await actuator.suspend("__Bad.Agent", live);
    expect(report.complete).toBe(false);
    expect(report.error).toMatch(/cannot be mapped to a Kubernetes deployment name/);
  });
});
