// An in-process Kubernetes API server for tests, faithful to the Kubernetes API for
// the calls musgo makes: Deployments (GET, PATCH, /scale GET|PUT|PATCH), Pods (list by label
// selector, GET, PATCH), NetworkPolicies (POST, GET, PUT, DELETE). Merge and strategic-merge patches
// merge maps per RFC 7386; lists under SMP are not modelled (400, loud). 404 NotFound,
// 409 AlreadyExists, 415 UnsupportedMediaType, 422 Invalid, `dryRun=All` without state change,
// Status bodies, resourceVersion/generation bumps. Faults: `failWhen` rules and latency.

import { randomUUID } from "node:crypto";
import { HttpDouble, type LoggedRequest, type Reply } from "./http-double.js";

export const KUBERNETES_DOUBLE_TOKEN = "double-bearer-token";

type Json = Record<string, unknown>;

const PATCH_TYPES = new Set([
  "application/json-patch+json",
  "application/merge-patch+json",
  "application/strategic-merge-patch+json",
  "application/apply-patch+yaml",
]);

export interface FaultRule {
  /** Which requests fail, e.g. `(r) => r.method === "POST"`. */
  match: (request: LoggedRequest) => boolean;
  status: number;
  /** How many matching requests fail before the rule expires (default: all). */
  times?: number;
}

interface Resource {
  group: string;
  kind: string;
  plural: string;
}

const DEPLOYMENTS: Resource = { group: "apps", kind: "Deployment", plural: "deployments" };
const PODS: Resource = { group: "", kind: "Pod", plural: "pods" };
const NETWORK_POLICIES: Resource = { group: "networking.k8s.io", kind: "NetworkPolicy", plural: "networkpolicies" };

export class KubernetesDouble extends HttpDouble {
  readonly namespaces = new Set(["agents"]);
  readonly faults: FaultRule[] = [];
  private readonly objects = new Map<string, Json>();
  private resourceVersion = 1000;

  /** Requests that could change state (everything but GET), for idempotence assertions. */
  writes(): LoggedRequest[] {
    return this.requests.filter((r) => r.method !== "GET");
  }

  /** Seeds a Deployment selecting `app=<name>` and `replicas` running pods of it. */
  addDeployment(namespace: string, name: string, replicas = 2, extraTemplateSpec: Json = {}): void {
    this.namespaces.add(namespace);
    const labels = { app: name };
    this.put(DEPLOYMENTS, namespace, name, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name, namespace, uid: randomUUID(), resourceVersion: this.nextVersion(), generation: 1, labels },
      spec: {
        replicas,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: { containers: [{ name: "agent", image: "musgo/agent:1" }], ...extraTemplateSpec },
        },
      },
      status: { replicas },
    });
    for (let i = 0; i < replicas; i++) {
      const pod = `${name}-6d4f9-${i}`;
      this.put(PODS, namespace, pod, {
        apiVersion: "v1",
        kind: "Pod",
        metadata: {
          name: pod,
          namespace,
          uid: randomUUID(),
          resourceVersion: this.nextVersion(),
          labels: { ...labels },
        },
        spec: { containers: [{ name: "agent", image: "musgo/agent:1" }] },
      });
    }
  }

  deployment(namespace: string, name: string): Json | undefined {
    return this.objects.get(key(DEPLOYMENTS, namespace, name));
  }

  networkPolicy(namespace: string, name: string): Json | undefined {
    return this.objects.get(key(NETWORK_POLICIES, namespace, name));
  }

  pods(namespace: string): Json[] {
    return [...this.objects.entries()].filter(([k]) => k.startsWith(`${PODS.plural}/${namespace}/`)).map(([, v]) => v);
  }

  /** Everything the double holds, for before/after equality in idempotence tests. */
  snapshot(): string {
    return JSON.stringify([...this.objects.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  protected override route(request: LoggedRequest): Reply {
    if (request.headers.authorization !== `Bearer ${KUBERNETES_DOUBLE_TOKEN}`)
      return status(401, "Unauthorized", "Unauthorized");
    const fault = this.faults.find((rule) => rule.match(request) && (rule.times === undefined || rule.times > 0));
    if (fault !== undefined) {
      if (fault.times !== undefined) fault.times--;
      return status(
        fault.status,
        fault.status === 500 ? "InternalError" : "ServiceUnavailable",
        `injected fault ${fault.status}`,
      );
    }
    const dryRun = request.query.dryRun;
    if (dryRun !== undefined && dryRun !== "All")
      return status(400, "BadRequest", `Unsupported value: "${dryRun}": supported values: "All"`);
    const match =
      /^\/(?:api\/v1|apis\/(apps|networking\.k8s\.io)\/v1)\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?(?:\/(scale))?$/.exec(
        request.path,
      );
    if (match === null)
      return status(
        404,
        "NotFound",
        `the server could not find the requested resource (${request.method} ${request.path})`,
      );
    const [, group = "", namespace = "", plural, name, sub] = match;
    const resource = [DEPLOYMENTS, PODS, NETWORK_POLICIES].find((r) => r.plural === plural && r.group === group);
    if (resource === undefined) return status(404, "NotFound", `the server could not find the requested resource`);
    if (!this.namespaces.has(namespace))
      return status(404, "NotFound", `namespaces "${namespace}" not found`, { name: namespace, kind: "namespaces" });
    const commit = dryRun !== "All";
    if (sub === "scale")
      return resource === DEPLOYMENTS && name !== undefined
        ? this.routeScale(request, namespace, name, commit)
        : status(404, "NotFound", "no such subresource");
    if (name === undefined) return this.routeCollection(request, resource, namespace, commit);
    return this.routeObject(request, resource, namespace, name, commit);
  }

  private routeCollection(request: LoggedRequest, resource: Resource, namespace: string, commit: boolean): Reply {
    if (request.method === "GET") {
      const selector = parseSelector(request.query.labelSelector);
      const items = [...this.objects.entries()]
        .filter(([k]) => k.startsWith(`${resource.plural}/${namespace}/`))
        .map(([, v]) => v)
        .filter((item) => selector.every(([k, v]) => labelsOf(item)[k] === v));
      return {
        status: 200,
        body: {
          apiVersion: "v1",
          kind: `${resource.kind}List`,
          metadata: { resourceVersion: String(this.resourceVersion) },
          items,
        },
      };
    }
    if (request.method !== "POST" || resource !== NETWORK_POLICIES)
      return status(405, "MethodNotAllowed", `${request.method} is not supported here`);
    if (request.contentType !== "application/json") return unsupportedMediaType(request);
    const body = request.body as Json;
    const name = (body.metadata as Json | undefined)?.name;
    if (typeof name !== "string") return status(422, "Invalid", "metadata.name: Required value");
    if (this.objects.has(key(resource, namespace, name)))
      return status(409, "AlreadyExists", `${resource.plural}.${resource.group} "${name}" already exists`, {
        name,
        group: resource.group,
        kind: resource.plural,
      });
    const problem = invalidLabels(body);
    if (problem !== null) return status(400, "BadRequest", problem);
    const resourceVersion = commit ? this.nextVersion() : this.peekVersion();
    const metadata = {
      ...(body.metadata as Json),
      namespace,
      uid: randomUUID(),
      resourceVersion,
      creationTimestamp: new Date().toISOString(),
      generation: 1,
    };
    const created = { ...body, metadata };
    if (commit) this.objects.set(key(resource, namespace, name), created);
    return { status: 201, body: created };
  }

  private routeObject(
    request: LoggedRequest,
    resource: Resource,
    namespace: string,
    name: string,
    commit: boolean,
  ): Reply {
    const current = this.objects.get(key(resource, namespace, name));
    if (current === undefined) return notFound(resource, name);
    switch (request.method) {
      case "GET":
        return { status: 200, body: current };
      case "PATCH":
        return this.patch(request, resource, namespace, name, current, commit);
      case "PUT": {
        if (request.contentType !== "application/json") return unsupportedMediaType(request);
        const body = request.body as Json;
        const sent = (body.metadata as Json | undefined)?.resourceVersion;
        if (sent !== undefined && sent !== (current.metadata as Json).resourceVersion) {
          return status(
            409,
            "Conflict",
            `Operation cannot be fulfilled on ${resource.plural} "${name}": the object has been modified`,
          );
        }
        return this.store(
          resource,
          namespace,
          name,
          current,
          { ...body, metadata: { ...(current.metadata as Json), ...(body.metadata as Json) } },
          commit,
        );
      }
      case "DELETE":
        if (commit) this.objects.delete(key(resource, namespace, name));
        return {
          status: 200,
          body: {
            kind: "Status",
            apiVersion: "v1",
            metadata: {},
            status: "Success",
            details: { name, group: resource.group, kind: resource.plural },
          },
        };
      default:
        return status(405, "MethodNotAllowed", `${request.method} is not supported here`);
    }
  }

  private patch(
    request: LoggedRequest,
    resource: Resource,
    namespace: string,
    name: string,
    current: Json,
    commit: boolean,
  ): Reply {
    if (request.contentType === null || !PATCH_TYPES.has(request.contentType)) return unsupportedMediaType(request);
    if (
      request.contentType === "application/json-patch+json" ||
      request.contentType === "application/apply-patch+yaml"
    ) {
      return status(400, "BadRequest", `the double does not model ${request.contentType}`);
    }
    if (request.contentType === "application/strategic-merge-patch+json" && containsList(request.body)) {
      return status(400, "BadRequest", "the double does not model strategic merge patches of lists");
    }
    return this.store(resource, namespace, name, current, mergePatch(current, request.body) as Json, commit);
  }

  private routeScale(request: LoggedRequest, namespace: string, name: string, commit: boolean): Reply {
    const deployment = this.objects.get(key(DEPLOYMENTS, namespace, name));
    if (deployment === undefined) return notFound(DEPLOYMENTS, name);
    const scale = scaleOf(deployment);
    let desired: Json;
    if (request.method === "GET") return { status: 200, body: scale };
    if (request.method === "PATCH") {
      if (request.contentType === null || !PATCH_TYPES.has(request.contentType)) return unsupportedMediaType(request);
      if (
        request.contentType !== "application/merge-patch+json" &&
        request.contentType !== "application/strategic-merge-patch+json"
      ) {
        return status(400, "BadRequest", `the double does not model ${request.contentType}`);
      }
      desired = mergePatch(scale, request.body) as Json;
    } else if (request.method === "PUT") {
      if (request.contentType !== "application/json") return unsupportedMediaType(request);
      desired = request.body as Json;
    } else {
      return status(405, "MethodNotAllowed", `${request.method} is not supported here`);
    }
    const replicas = (desired.spec as Json | undefined)?.replicas;
    if (typeof replicas !== "number" || !Number.isInteger(replicas))
      return status(400, "BadRequest", "spec.replicas: must be an integer");
    if (replicas < 0)
      return status(
        422,
        "Invalid",
        `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${replicas}: must be greater than or equal to 0`,
      );
    const reply = this.store(
      DEPLOYMENTS,
      namespace,
      name,
      deployment,
      mergePatch(deployment, { spec: { replicas } }) as Json,
      commit,
    );
    return reply.status === 200 ? { status: 200, body: scaleOf(reply.body as Json) } : reply;
  }

  /** Validates and (unless dry run) stores `next`, bumping resourceVersion and, on spec changes, generation. */
  private store(
    resource: Resource,
    namespace: string,
    name: string,
    current: Json,
    next: Json,
    commit: boolean,
  ): Reply {
    const problem = invalidLabels(next);
    if (problem !== null) return status(400, "BadRequest", problem);
    if (typeof (next.spec as Json | undefined)?.replicas === "number" && ((next.spec as Json).replicas as number) < 0) {
      return status(
        422,
        "Invalid",
        `${resource.kind} "${name}" is invalid: spec.replicas: must be greater than or equal to 0`,
      );
    }
    const { metadata: _old, ...currentRest } = current;
    const { metadata: _new, ...nextRest } = next;
    if (JSON.stringify(currentRest) === JSON.stringify(nextRest) && JSON.stringify(_old) === JSON.stringify(_new))
      return { status: 200, body: current };
    const specChanged = JSON.stringify(current.spec) !== JSON.stringify(next.spec);
    const metadata: Json = {
      ...(next.metadata as Json),
      resourceVersion: commit ? this.nextVersion() : this.peekVersion(),
    };
    if (specChanged && typeof metadata.generation === "number") metadata.generation = metadata.generation + 1;
    const stored = { ...next, metadata };
    if (commit) this.objects.set(key(resource, namespace, name), stored);
    return { status: 200, body: stored };
  }

  private put(resource: Resource, namespace: string, name: string, object: Json): void {
    if (
      typeof (object.metadata as Json).resourceVersion !== "string" ||
      (object.metadata as Json).resourceVersion === ""
    ) {
      (object.metadata as Json).resourceVersion = this.nextVersion();
    }
    this.objects.set(key(resource, namespace, name), object);
  }

  private nextVersion(): string {
    return String(++this.resourceVersion);
  }

  private peekVersion(): string {
    return String(this.resourceVersion + 1);
  }
}

function key(resource: Resource, namespace: string, name: string): string {
  return `${resource.plural}/${namespace}/${name}`;
}

function labelsOf(object: Json): Record<string, unknown> {
  return ((object.metadata as Json | undefined)?.labels as Record<string, unknown> | undefined) ?? {};
}

function scaleOf(deployment: Json): Json {
  const metadata = deployment.metadata as Json;
  const spec = deployment.spec as Json;
  const selector = Object.entries(((spec.selector as Json).matchLabels as Record<string, string>) ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  return {
    apiVersion: "autoscaling/v1",
    kind: "Scale",
    metadata: {
      name: metadata.name,
      namespace: metadata.namespace,
      uid: metadata.uid,
      resourceVersion: metadata.resourceVersion,
    },
    spec: { replicas: spec.replicas },
    status: { replicas: (deployment.status as Json | undefined)?.replicas ?? 0, selector },
  };
}

/** RFC 7386 JSON merge patch: objects merge, `null` deletes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) return patch;
  const result: Json =
    typeof target === "object" && target !== null && !Array.isArray(target) ? { ...(target as Json) } : {};
  for (const [k, v] of Object.entries(patch as Json)) {
    if (v === null) delete result[k];
    else result[k] = mergePatch(result[k], v);
  }
  return result;
}

function containsList(value: unknown): boolean {
  if (Array.isArray(value)) return true;
  return typeof value === "object" && value !== null && Object.values(value).some(containsList);
}

/** Label, annotation and nodeSelector values must be strings (a decode error on a real server). */
function invalidLabels(object: Json): string | null {
  const maps: [string, unknown][] = [];
  const collect = (path: string, node: unknown): void => {
    if (typeof node !== "object" || node === null || Array.isArray(node)) return;
    for (const [k, v] of Object.entries(node as Json)) {
      const here = path === "" ? k : `${path}.${k}`;
      if (k === "labels" || k === "annotations" || k === "nodeSelector" || k === "matchLabels") maps.push([here, v]);
      else collect(here, v);
    }
  };
  collect("", object);
  for (const [path, map] of maps) {
    for (const [k, v] of Object.entries((map ?? {}) as Json)) {
      if (typeof v !== "string")
        return `json: cannot unmarshal ${typeof v} into Go struct field ${path}.${k} of type string`;
    }
  }
  return null;
}

function parseSelector(selector: string | undefined): [string, string][] {
  if (selector === undefined || selector === "") return [];
  return selector.split(",").map((part) => {
    const [k = "", v = ""] = part.split("=");
    return [k, v];
  });
}

function status(code: number, reason: string, message: string, details: Json = {}): Reply {
  return {
    status: code,
    body: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, details, code },
  };
}

function notFound(resource: Resource, name: string): Reply {
  const kind = resource.group === "" ? resource.plural : `${resource.plural}.${resource.group}`;
  return status(404, "NotFound", `${kind} "${name}" not found`, { name, group: resource.group, kind: resource.plural });
}

function unsupportedMediaType(request: LoggedRequest): Reply {
  return status(
    415,
    "UnsupportedMediaType",
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got ${request.contentType})`,
  );
}
