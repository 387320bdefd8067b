/**
 * The JSON-RPC 2.0 endpoint over HTTP (express): POST / with one request or a batch. The server
 * never crashes on input: a body that is not JSON is -32700, a request of the wrong shape -32600,
 * an unknown method -32601, bad params -32602, and anything a method throws is mapped by
 * `toRpcError` (an unexpected failure is -32603 and logged, never a stack to the client).
 */
import express, { type NextFunction, type Request, type Response } from "express";
import type { Server } from "node:http";
import type { RpcContext } from "./context.ts";
import { InvalidParamsError, InvalidRequestError, MethodNotFoundError, ParseError, RPC_ERRORS, RpcError, toRpcError } from "./errors.ts";
import type { RpcRegistry } from "./registry.ts";

export interface RpcServerOptions {
  readonly registry: RpcRegistry;
  readonly context: RpcContext;
  /** Largest request body, in bytes. */
  readonly bodyLimit?: number;
  /** Largest batch, in requests. */
  readonly maxBatch?: number;
  readonly log?: (event: string, fields: Record<string, unknown>) => void;
}

type Id = string | number | null;
type Reply = { jsonrpc: "2.0"; id: Id; result: unknown } | { jsonrpc: "2.0"; id: Id; error: { code: number; message: string; data?: unknown } };

function errorReply(id: Id, e: RpcError): Reply {
  const error = e.data === undefined ? { code: e.code, message: e.message } : { code: e.code, message: e.message, data: e.data };
  return { jsonrpc: "2.0", id, error };
}

async function answer(request: unknown, o: RpcServerOptions): Promise<Reply | undefined> {
  if (typeof request !== "object" || request === null || Array.isArray(request)) {
    return errorReply(null, new InvalidRequestError(`expected a JSON-RPC 2.0 request object, got ${Array.isArray(request) ? "an array" : request === null ? "null" : typeof request}`));
  }
  const r = request as Record<string, unknown>;
  const hasId = "id" in r;
  const id = r.id;
  if (hasId && id !== null && typeof id !== "string" && !(typeof id === "number" && Number.isFinite(id))) {
    return errorReply(null, new InvalidRequestError("id must be a string, a number or null"));
  }
  const replyId = (hasId ? id : null) as Id;
  if (r.jsonrpc !== "2.0") return errorReply(replyId, new InvalidRequestError('jsonrpc must be "2.0"'));
  if (typeof r.method !== "string") return errorReply(replyId, new InvalidRequestError("method must be a string"));
  if (r.params !== undefined && !Array.isArray(r.params)) {
    return errorReply(replyId, new InvalidParamsError("params must be an array (by-position)", r.params));
  }
  const method = o.registry.get(r.method);
  let reply: Reply;
  if (method === undefined) {
    reply = errorReply(replyId, new MethodNotFoundError(r.method));
  } else {
    try {
      reply = { jsonrpc: "2.0", id: replyId, result: await method((r.params ?? []) as unknown[], o.context) };
    } catch (e) {
      const rpc = toRpcError(e);
      if (rpc.code === RPC_ERRORS.INTERNAL_ERROR) o.log?.("rpc.internal_error", { method: r.method, error: e instanceof Error ? e.message : String(e) });
      reply = errorReply(replyId, rpc);
    }
  }
  // A notification (no id) gets no reply, per JSON-RPC 2.0.
  return hasId ? reply : undefined;
}

export function createRpcApp(o: RpcServerOptions): express.Express {
  const limit = o.bodyLimit ?? 1024 * 1024;
  const maxBatch = o.maxBatch ?? 100;
  const app = express();
  app.disable("x-powered-by");
  // CORS for browser wallets and dapps: any origin may call (the RPC holds no cookies or keys, so
  // there is nothing a foreign page could borrow); preflight answered here, no dependency needed.
  app.use((req: Request, res: Response, next: NextFunction) => {
    res.setHeader("Access-Control-Allow-Origin", "*");
    res.setHeader("Access-Control-Allow-Methods", "POST, OPTIONS");
    res.setHeader("Access-Control-Allow-Headers", req.header("access-control-request-headers") ?? "content-type");
    res.setHeader("Access-Control-Max-Age", "86400");
    if (req.method === "OPTIONS") return void res.status(204).end();
    next();
  });
  app.post("/", express.raw({ type: () => true, limit }), async (req: Request, res: Response) => {
    let body: unknown;
    try {
      body = JSON.parse(Buffer.isBuffer(req.body) ? req.body.toString("utf8") : "");
    } catch (e) {
      res.json(errorReply(null, new ParseError((e as Error).message)));
      return;
    }
    if (Array.isArray(body)) {
      if (body.length === 0) return void res.json(errorReply(null, new InvalidRequestError("empty batch")));
      if (body.length > maxBatch) return void res.json(errorReply(null, new InvalidRequestError(`batch of ${body.length} requests, at most ${maxBatch}`)));
      const replies = (await Promise.all(body.map((r) => answer(r, o)))).filter((r) => r !== undefined);
      if (replies.length === 0) return void res.status(204).end();
      res.json(replies);
      return;
    }
    const reply = await answer(body, o);
    if (reply === undefined) res.status(204).end();
    else res.json(reply);
  });
  // Anything but POST (a browser opening the URL, a health probe): say how to talk to it.
  app.all("/", (req: Request, res: Response) => {
    res.status(405).setHeader("Allow", "POST, OPTIONS");
    res.json(errorReply(null, new InvalidRequestError(`${req.method} is not JSON-RPC: POST a JSON-RPC 2.0 request to this URL`)));
  });
  // Body-parser failures (too large, aborted) and anything else that escaped: still JSON-RPC.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = err as { type?: string; status?: number };
    if (e.type === "entity.too.large") {
      res.status(413).json(errorReply(null, new InvalidRequestError(`body larger than ${limit} bytes`)));
      return;
    }
    o.log?.("rpc.internal_error", { error: err instanceof Error ? err.message : String(err) });
    res.status(e.status !== undefined && e.status >= 400 && e.status < 500 ? e.status : 500).json(errorReply(null, new InvalidRequestError("the request could not be read")));
  });
  return app;
}

export async function serveRpc(o: RpcServerOptions, host: string, port: number): Promise<Server> {
  const app = createRpcApp(o);
  return await new Promise<Server>((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => (error === undefined ? resolve(server) : reject(error)));
    server.once("error", reject);
  });
}
