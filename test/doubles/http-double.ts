// The plumbing the Vault and Kubernetes doubles share: an in-process node:http server on
// 127.0.0.1:0 with a request log, injectable latency, and JSON replies.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface LoggedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  contentType: string | null;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or null when there was none. */
  body: unknown;
}

export interface Reply {
  status: number;
  /** JSON-serialised; undefined sends no body (204). */
  body?: unknown;
}

export type Handler = (request: LoggedRequest) => Reply | Promise<Reply>;

/** An HTTP server on 127.0.0.1 that logs every request; each double implements `route`. */
export abstract class HttpDouble {
  readonly requests: LoggedRequest[] = [];
  /** Milliseconds to wait before answering each request. */
  latencyMs = 0;
  /** `http://127.0.0.1:<port>` once started. */
  address = "";
  private server: Server | null = null;

  protected abstract route(request: LoggedRequest): Reply | Promise<Reply>;

  async start(): Promise<string> {
    const server = createServer((req, res) => void this.serve(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.address;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === null) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  clearLog(): void {
    this.requests.length = 0;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://double");
    const text = await readBody(req);
    let body: unknown = null;
    let malformed = false;
    try {
      body = text === "" ? null : JSON.parse(text);
    } catch {
      malformed = true;
    }
    const request: LoggedRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      contentType: req.headers["content-type"]?.split(";")[0]?.trim() ?? null,
      headers: req.headers,
      body,
    };
    this.requests.push(request);
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const reply = malformed ? { status: 400, body: { message: "malformed JSON body" } } : await this.route(request);
    if (reply.body === undefined) {
      res.writeHead(reply.status).end();
    } else {
      res.writeHead(reply.status, { "content-type": "application/json" }).end(JSON.stringify(reply.body));
    }
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
