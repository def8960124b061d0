// Where the Kubernetes contract tests run: the cluster of $KUBECONFIG when it is set, otherwise the
// in-process API server double. Real runs create their own deployments and delete them afterwards.

import * as k8s from "@kubernetes/client-node";
import { randomUUID } from "node:crypto";
import { KUBERNETES_DOUBLE_TOKEN, KubernetesDouble } from "../doubles/kubernetes-double.js";

export interface ClusterTarget {
  kind: "real cluster" | "in-process API server double";
  kubeConfig: k8s.KubeConfig;
  namespace: string;
  double: KubernetesDouble | null;
  /** Creates a Deployment `name` selecting `app=<name>` with `replicas` replicas. */
  seedDeployment(name: string, replicas: number): Promise<void>;
  /** A name unique to this run. */
  unique(base: string): string;
  stop(): Promise<void>;
}

export function doubleKubeConfig(address: string, namespace: string): k8s.KubeConfig {
  const kubeConfig = new k8s.KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: "double", server: address, skipTLSVerify: true }],
    users: [{ name: "musgo", token: KUBERNETES_DOUBLE_TOKEN }],
    contexts: [{ name: "double", cluster: "double", user: "musgo", namespace }],
    currentContext: "double",
  });
  return kubeConfig;
}

export async function openClusterTarget(): Promise<ClusterTarget> {
  const run = randomUUID().slice(0, 6);
  const unique = (base: string) => `${base}-${run}`;
  const kubeconfig = process.env.KUBECONFIG;
  if (kubeconfig !== undefined && kubeconfig !== "") {
    const kubeConfig = new k8s.KubeConfig();
    kubeConfig.loadFromFile(kubeconfig);
    const namespace = process.env.MUSGO_TEST_NAMESPACE ?? "default";
    console.log(
      `Kubernetes contract tests: running against the REAL cluster of KUBECONFIG=${kubeconfig}, namespace ${namespace}`,
    );
    const apps = kubeConfig.makeApiClient(k8s.AppsV1Api);
    const created: string[] = [];
    return {
      kind: "real cluster",
      kubeConfig,
      namespace,
      double: null,
      unique,
      async seedDeployment(name, replicas) {
        const labels = { app: name };
        await apps.createNamespacedDeployment({
          namespace,
          body: {
            metadata: { name, labels },
            spec: {
              replicas,
              selector: { matchLabels: labels },
              template: {
                metadata: { labels },
                spec: { containers: [{ name: "agent", image: "registry.k8s.io/pause:3.9" }] },
              },
            },
          },
        });
        created.push(name);
      },
      async stop() {
        for (const name of created) await apps.deleteNamespacedDeployment({ name, namespace });
      },
    };
  }
  const double = new KubernetesDouble();
  const address = await double.start();
  console.log(
    `Kubernetes contract tests: running against the in-process API server double at ${address} (set KUBECONFIG to use a real cluster)`,
  );
  return {
    kind: "in-process API server double",
    kubeConfig: doubleKubeConfig(address, "agents"),
    namespace: "agents",
    double,
    unique,
    seedDeployment: async (name, replicas) => double.addDeployment("agents", name, replicas),
    stop: () => double.stop(),
  };
}
