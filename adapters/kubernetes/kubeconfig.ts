// Loads the cluster connection only from an explicitly named kubeconfig file: musgo never falls back
// to ~/.kube/config or in-cluster credentials on its own.

import * as k8s from "@kubernetes/client-node";
import { fileErrorReason, isFileSystemError } from "../../contract/file-errors.js";

export interface ClusterSelection {
  kubeconfig: string;
  /** A context of that file; default: its current-context. */
  context?: string;
  /** Default: the context's namespace, else `default`. */
  namespace?: string;
}

export interface ClusterConnection {
  kubeConfig: k8s.KubeConfig;
  namespace: string;
}

export class KubeconfigError extends Error {}

export function loadCluster(selection: ClusterSelection): ClusterConnection {
  const kubeConfig = new k8s.KubeConfig();
  try {
    kubeConfig.loadFromFile(selection.kubeconfig);
  } catch (e) {
    throw new KubeconfigError(`cannot load kubeconfig \`${selection.kubeconfig}\`: ${whyUnloadable(e)}`);
  }
  if (selection.context !== undefined) {
    if (kubeConfig.getContextObject(selection.context) === null) {
      const known =
        kubeConfig
          .getContexts()
          .map((c) => c.name)
          .join(", ") || "none";
      throw new KubeconfigError(
        `kubeconfig \`${selection.kubeconfig}\` has no context \`${selection.context}\` (it has: ${known})`,
      );
    }
    kubeConfig.setCurrentContext(selection.context);
  }
  if (kubeConfig.getCurrentCluster() === null)
    throw new KubeconfigError(
      `kubeconfig \`${selection.kubeconfig}\` selects no cluster: set a current-context or pass a context`,
    );
  const contextNamespace = kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace;
  return { kubeConfig, namespace: selection.namespace ?? contextNamespace ?? "default" };
}

/** Why the file did not load, on one line: a file error in words, else the YAML parser's first line. */
function whyUnloadable(e: unknown): string {
  if (isFileSystemError(e)) return fileErrorReason(e);
  return `not a kubeconfig (${(e as Error).message.split("\n")[0]!.trim()})`;
}
