// An in-process Vault HTTP server for tests, faithful to Vault's HTTP API: KV v2
// (data, metadata, list, config, CAS exactly like validateCheckAndSetOption), Transit with real
// Node keys, /sys/health, Vault's envelopes and `{"errors":[…]}` failures. Fault toggles: sealed,
// a forced status (500, 429…), latency, a create-only ACL. Every request lands in `requests`.

import { generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from "node:crypto";
import { HttpDouble, type LoggedRequest, type Reply } from "./http-double.js";

export const VAULT_DOUBLE_TOKEN = "double-root-token";

interface KvVersion {
  data: Record<string, unknown> | null;
  created_time: string;
  deletion_time: string;
  destroyed: boolean;
}

interface KvSecret {
  versions: KvVersion[];
  cas_required: boolean;
  custom_metadata: Record<string, string> | null;
  created_time: string;
  updated_time: string;
}

interface TransitKey {
  type: "ecdsa-p256" | "ed25519";
  privateKey: KeyObject;
  publicKey: KeyObject;
  created: string;
}

export interface VaultFaults {
  /** Answer everything with 503 "Vault is sealed" (health: 503 with sealed:true). */
  sealed: boolean;
  /** Answer every authenticated request with this status and a generic error. */
  status: number | null;
  /** ACL with only create+read on KV data: updating an existing secret is 403. */
  createOnly: boolean;
}

export class VaultDouble extends HttpDouble {
  readonly tokens = new Set([VAULT_DOUBLE_TOKEN]);
  readonly faults: VaultFaults = { sealed: false, status: null, createOnly: false };
  readonly kvMounts = new Set(["secret"]);
  readonly transitMounts = new Set(["transit"]);
  private readonly kv = new Map<string, KvSecret>();
  private readonly kvConfig = new Map<string, { cas_required: boolean }>();
  /** Keyed by `<mount>/<name>`. */
  private readonly transit = new Map<string, TransitKey>();

  /** The latest live data at `mount/path` (test inspection, bypassing HTTP), or null. */
  secret(mount: string, path: string): Record<string, unknown> | null {
    const secret = this.kv.get(`${mount}/${path}`);
    const latest = secret?.versions.at(-1);
    return latest === undefined || latest.deletion_time !== "" || latest.destroyed ? null : latest.data;
  }

  /** Every KV path under `mount/prefix`, sorted (test inspection). */
  paths(mount: string, prefix: string): string[] {
    const start = `${mount}/${prefix}`;
    return [...this.kv.keys()]
      .filter((key) => key.startsWith(start))
      .map((key) => key.slice(mount.length + 1))
      .sort();
  }

  protected override route(request: LoggedRequest): Reply {
    const path = request.path.replace(/^\/v1\//, "");
    if (path === "sys/health" && request.method === "GET") return this.health();
    if (this.faults.sealed) return failure(503, "Vault is sealed");
    const token = request.headers["x-vault-token"];
    if (typeof token !== "string" || !this.tokens.has(token)) return failure(403, "permission denied");
    if (this.faults.status !== null) return failure(this.faults.status, "internal error");
    if (path === "auth/token/lookup-self" && request.method === "GET")
      return ok({ id: token, policies: ["root"], ttl: 0 }, "token");
    const [mount = "", kind = "", ...rest] = path.split("/");
    const key = rest.join("/");
    if (this.kvMounts.has(mount)) return this.routeKv(request, mount, kind, key);
    if (this.transitMounts.has(mount)) return this.routeTransit(request, mount, kind, rest);
    return noHandler(request);
  }

  private health(): Reply {
    const body = {
      initialized: true,
      sealed: this.faults.sealed,
      standby: false,
      version: "1.17.0-double",
      cluster_name: "double",
    };
    return { status: this.faults.sealed ? 503 : 200, body };
  }

  private routeKv(request: LoggedRequest, mount: string, kind: string, key: string): Reply {
    const listing = request.query.list === "true" || request.query.list === "1";
    switch (`${request.method} ${kind}`) {
      case "POST config":
      case "PUT config":
        this.kvConfig.set(mount, {
          cas_required: Boolean((request.body as { cas_required?: boolean } | null)?.cas_required),
        });
        return { status: 204 };
      case "POST data":
      case "PUT data":
        return this.writeKv(mount, key, request.body);
      case "GET data":
        return this.readKv(mount, key, request.query.version);
      case "DELETE data":
        return this.deleteLatest(mount, key);
      case "GET metadata":
        return listing ? this.listKv(mount, key) : this.readMetadata(mount, key);
      case "POST metadata":
      case "PUT metadata":
        return this.writeMetadata(mount, key, request.body);
      case "DELETE metadata":
        this.kv.delete(`${mount}/${key}`);
        return { status: 204 };
      case "POST destroy":
      case "PUT destroy":
        return this.destroyVersions(mount, key, request.body);
      default:
        return noHandler(request);
    }
  }

  private writeKv(mount: string, key: string, body: unknown): Reply {
    const { data, options } = (body ?? {}) as { data?: unknown; options?: { cas?: unknown } };
    if (typeof data !== "object" || data === null || Array.isArray(data)) return failure(400, "no data provided");
    const existing = this.kv.get(`${mount}/${key}`);
    if (existing !== undefined && this.faults.createOnly) return failure(403, "permission denied");
    const currentVersion = existing?.versions.length ?? 0;
    const casRequired = (this.kvConfig.get(mount)?.cas_required ?? false) || (existing?.cas_required ?? false);
    const cas = options?.cas;
    if (casRequired && cas === undefined) return failure(400, "check-and-set parameter required for this call");
    if (cas !== undefined && cas !== currentVersion)
      return failure(400, "check-and-set parameter did not match the current version");
    const now = new Date().toISOString();
    const secret: KvSecret = existing ?? {
      versions: [],
      cas_required: false,
      custom_metadata: null,
      created_time: now,
      updated_time: now,
    };
    secret.versions.push({
      data: data as Record<string, unknown>,
      created_time: now,
      deletion_time: "",
      destroyed: false,
    });
    secret.updated_time = now;
    this.kv.set(`${mount}/${key}`, secret);
    return ok(versionMetadata(secret, secret.versions.length), "kv");
  }

  private readKv(mount: string, key: string, versionText: string | undefined): Reply {
    const secret = this.kv.get(`${mount}/${key}`);
    if (secret === undefined || secret.versions.length === 0) return failure(404);
    const version = versionText === undefined || versionText === "0" ? secret.versions.length : Number(versionText);
    const entry = secret.versions[version - 1];
    if (entry === undefined) return failure(404);
    const body = envelope({ data: entry.data, metadata: versionMetadata(secret, version) }, "kv");
    // Deleted or destroyed versions are 404 *with* their metadata.
    if (entry.deletion_time !== "" || entry.destroyed)
      return { status: 404, body: { ...body, data: { data: null, metadata: versionMetadata(secret, version) } } };
    return { status: 200, body };
  }

  private deleteLatest(mount: string, key: string): Reply {
    const latest = this.kv.get(`${mount}/${key}`)?.versions.at(-1);
    if (latest !== undefined) latest.deletion_time = new Date().toISOString();
    return { status: 204 };
  }

  private listKv(mount: string, prefix: string): Reply {
    const start = prefix === "" || prefix.endsWith("/") ? `${mount}/${prefix}` : `${mount}/${prefix}/`;
    const keys = new Set<string>();
    for (const path of this.kv.keys()) {
      if (!path.startsWith(start)) continue;
      const rest = path.slice(start.length);
      const slash = rest.indexOf("/");
      keys.add(slash === -1 ? rest : rest.slice(0, slash + 1));
    }
    if (keys.size === 0) return failure(404);
    return ok({ keys: [...keys].sort() }, "kv");
  }

  private readMetadata(mount: string, key: string): Reply {
    const secret = this.kv.get(`${mount}/${key}`);
    if (secret === undefined) return failure(404);
    const versions = Object.fromEntries(
      secret.versions.map((v, i) => [
        String(i + 1),
        { created_time: v.created_time, deletion_time: v.deletion_time, destroyed: v.destroyed },
      ]),
    );
    return ok(
      {
        current_version: secret.versions.length,
        oldest_version: secret.versions.length === 0 ? 0 : 1,
        versions,
        cas_required: secret.cas_required,
        max_versions: 0,
        delete_version_after: "0s",
        custom_metadata: secret.custom_metadata,
        created_time: secret.created_time,
        updated_time: secret.updated_time,
      },
      "kv",
    );
  }

  private writeMetadata(mount: string, key: string, body: unknown): Reply {
    const now = new Date().toISOString();
    const secret = this.kv.get(`${mount}/${key}`) ?? {
      versions: [],
      cas_required: false,
      custom_metadata: null,
      created_time: now,
      updated_time: now,
    };
    const { cas_required, custom_metadata } = (body ?? {}) as {
      cas_required?: boolean;
      custom_metadata?: Record<string, string>;
    };
    if (cas_required !== undefined) secret.cas_required = cas_required;
    if (custom_metadata !== undefined) secret.custom_metadata = custom_metadata;
    this.kv.set(`${mount}/${key}`, secret);
    return { status: 204 };
  }

  private destroyVersions(mount: string, key: string, body: unknown): Reply {
    const secret = this.kv.get(`${mount}/${key}`);
    const versions = (body as { versions?: number[] } | null)?.versions;
    if (!Array.isArray(versions)) return failure(400, "no versions provided");
    for (const version of versions) {
      const entry = secret?.versions[version - 1];
      if (entry !== undefined) {
        entry.destroyed = true;
        entry.data = null;
      }
    }
    return { status: 204 };
  }

  private routeTransit(request: LoggedRequest, mount: string, kind: string, rest: string[]): Reply {
    const [name = "", hash = "sha2-256"] = rest;
    const id = `${mount}/${name}`;
    if (hash !== "sha2-256")
      return failure(400, `unsupported hash algorithm ${hash} (the double models sha2-256 only)`);
    switch (`${request.method} ${kind}`) {
      case "POST keys":
      case "PUT keys":
        return this.createTransitKey(id, request.body);
      case "GET keys":
        return this.readTransitKey(id, name);
      case "POST sign":
      case "PUT sign":
        return this.transitSign(id, request.body);
      case "POST verify":
      case "PUT verify":
        return this.transitVerify(id, request.body);
      default:
        return noHandler(request);
    }
  }

  private createTransitKey(id: string, body: unknown): Reply {
    const type = (body as { type?: string } | null)?.type ?? "aes256-gcm96";
    if (type !== "ecdsa-p256" && type !== "ed25519")
      return failure(400, `the double models only ecdsa-p256 and ed25519 keys, not ${type}`);
    if (!this.transit.has(id)) {
      const pair =
        type === "ed25519" ? generateKeyPairSync("ed25519") : generateKeyPairSync("ec", { namedCurve: "P-256" });
      this.transit.set(id, {
        type,
        privateKey: pair.privateKey,
        publicKey: pair.publicKey,
        created: new Date().toISOString(),
      });
    }
    return { status: 204 };
  }

  private readTransitKey(id: string, name: string): Reply {
    const key = this.transit.get(id);
    if (key === undefined) return failure(404);
    const publicKey =
      key.type === "ed25519"
        ? (key.publicKey.export({ format: "der", type: "spki" }) as Buffer).subarray(-32).toString("base64")
        : (key.publicKey.export({ format: "pem", type: "spki" }) as string);
    return ok(
      {
        name,
        type: key.type,
        latest_version: 1,
        keys: {
          "1": {
            name: key.type === "ed25519" ? "ed25519" : "P-256",
            public_key: publicKey,
            creation_time: key.created,
          },
        },
      },
      "transit",
    );
  }

  private transitSign(id: string, body: unknown): Reply {
    const key = this.transit.get(id);
    if (key === undefined) return failure(400, "signing key not found");
    const { input, prehashed, marshaling_algorithm } = (body ?? {}) as {
      input?: string;
      prehashed?: boolean;
      marshaling_algorithm?: string;
    };
    if (typeof input !== "string") return failure(400, "missing input to process");
    if (prehashed === true) return failure(400, "the double does not model prehashed input");
    const message = Buffer.from(input, "base64");
    if (key.type === "ed25519")
      return ok(
        { signature: `vault:v1:${sign(null, message, key.privateKey).toString("base64")}`, key_version: 1 },
        "transit",
      );
    const jws = marshaling_algorithm === "jws";
    const signature = sign("sha256", message, { key: key.privateKey, dsaEncoding: jws ? "ieee-p1363" : "der" });
    return ok({ signature: `vault:v1:${signature.toString(jws ? "base64url" : "base64")}`, key_version: 1 }, "transit");
  }

  private transitVerify(id: string, body: unknown): Reply {
    const key = this.transit.get(id);
    if (key === undefined) return failure(400, "signature verification key not found");
    const { input, signature, marshaling_algorithm } = (body ?? {}) as {
      input?: string;
      signature?: string;
      marshaling_algorithm?: string;
    };
    if (typeof input !== "string" || typeof signature !== "string" || !signature.startsWith("vault:v1:"))
      return failure(400, "invalid input or signature");
    const message = Buffer.from(input, "base64");
    const jws = marshaling_algorithm === "jws";
    const raw = Buffer.from(signature.slice("vault:v1:".length), jws ? "base64url" : "base64");
    const valid =
      key.type === "ed25519"
        ? verify(null, message, key.publicKey, raw)
        : verify("sha256", message, { key: key.publicKey, dsaEncoding: jws ? "ieee-p1363" : "der" }, raw);
    return ok({ valid }, "transit");
  }

  /** The public key of a Transit key as a KeyObject (test inspection). */
  transitPublicKey(name: string, mount = "transit"): KeyObject {
    const key = this.transit.get(`${mount}/${name}`);
    if (key === undefined) throw new Error(`no transit key ${name}`);
    return key.publicKey;
  }
}

function versionMetadata(secret: KvSecret, version: number) {
  const entry = secret.versions[version - 1]!;
  return {
    version,
    created_time: entry.created_time,
    deletion_time: entry.deletion_time,
    destroyed: entry.destroyed,
    custom_metadata: secret.custom_metadata,
  };
}

function envelope(data: unknown, mountType: string) {
  return {
    request_id: randomUUID(),
    lease_id: "",
    renewable: false,
    lease_duration: 0,
    data,
    wrap_info: null,
    warnings: null,
    auth: null,
    mount_type: mountType,
  };
}

function ok(data: unknown, mountType: string): Reply {
  return { status: 200, body: envelope(data, mountType) };
}

/** Vault's failure shape; a 404 without a message has an empty `errors`. */
function failure(status: number, message?: string): Reply {
  return { status, body: { errors: message === undefined ? [] : [message] } };
}

function noHandler(request: LoggedRequest): Reply {
  return failure(404, `no handler for route "${request.path.replace(/^\/v1\//, "")}". route entry not found.`);
}
