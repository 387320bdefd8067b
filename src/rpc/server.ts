/**
 * The JSON-RPC 2.0 endpoint over HTTP (express): POST / with one request or a batch, and over
 * WebSocket on the same port (websocket.ts, as hardhat node serves both). The server
 * never crashes on input: a body that is not JSON is -32700, a request of the wrong shape -32600,
 * an unknown method -32601, bad params -32602, and anything a method throws is mapped by
 * `toRpcError` (an unexpected failure is -32603 and logged, never a stack to the client).
 */
import express, { type NextFunction, type Request, type Response } from "express";
import type { Server } from "node:http";
import type { RpcContext } from "./context.ts";
import { InvalidParamsError, InvalidRequestError, MethodNotFoundError, ParseError, RPC_ERRORS, RpcError, toRpcError } from "./errors.ts";
import type { RpcMethod, RpcRegistry } from "./registry.ts";
import { attachWebSocket, closeWebSockets, type WebSocketOptions } from "./websocket.ts";

export interface RpcServerOptions {
  readonly registry: RpcRegistry;
  readonly context: RpcContext;
  /** Largest request body, in bytes. */
  readonly bodyLimit?: number;
  /** Largest batch, in requests. */
  readonly maxBatch?: number;
  readonly log?: (event: string, fields: Record<string, unknown>) => void;
  /** The block gas limit `newHeads` headers carry (as eth_getBlockByNumber's); default 30M. */
  readonly blockGasLimit?: bigint;
  /** The WebSocket endpoint's bounds (websocket.ts). */
  readonly webSocket?: WebSocketOptions;
}

type Id = string | number | null;
export type Reply = { jsonrpc: "2.0"; id: Id; result: unknown } | { jsonrpc: "2.0"; id: Id; error: { code: number; message: string; data?: unknown } };

export function errorReply(id: Id, e: RpcError): Reply {
  const error = e.data === undefined ? { code: e.code, message: e.message } : { code: e.code, message: e.message, data: e.data };
  return { jsonrpc: "2.0", id, error };
}

/** `methods`: a connection's own methods (eth_subscribe over WebSocket), looked up before the registry. */
async function answer(request: unknown, o: RpcServerOptions, methods?: ReadonlyMap<string, RpcMethod>): Promise<Reply | undefined> {
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
  const method = methods?.get(r.method) ?? o.registry.get(r.method);
  let reply: Reply;
  if (method === undefined) {
    const subscription = r.method === "eth_subscribe" || r.method === "eth_unsubscribe";
    reply = errorReply(replyId, subscription ? new RpcError(RPC_ERRORS.METHOD_NOT_FOUND, `${r.method} needs a WebSocket connection: connect to ws:// at this same host and port`) : new MethodNotFoundError(r.method));
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

/**
 * One JSON-RPC message as parsed JSON (a request or a batch): the reply, or undefined when none is
 * due (notifications only). Shared by HTTP and WebSocket, so both refuse alike.
 */
export async function answerMessage(body: unknown, o: RpcServerOptions, methods?: ReadonlyMap<string, RpcMethod>): Promise<Reply | Reply[] | undefined> {
  if (!Array.isArray(body)) return await answer(body, o, methods);
  const maxBatch = o.maxBatch ?? 100;
  if (body.length === 0) return errorReply(null, new InvalidRequestError("empty batch"));
  if (body.length > maxBatch) return errorReply(null, new InvalidRequestError(`batch of ${body.length} requests, at most ${maxBatch}`));
  const replies = (await Promise.all(body.map((r) => answer(r, o, methods)))).filter((r) => r !== undefined);
  return replies.length === 0 ? undefined : replies;
}

export function createRpcApp(o: RpcServerOptions): express.Express {
  const limit = o.bodyLimit ?? 1024 * 1024;
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
    const reply = await answerMessage(body, o);
    if (reply === undefined) res.status(204).end();
    else res.json(reply);
  });
  // Anything but POST (a browser opening the URL, a health probe): say how to talk to it. A
  // WebSocket upgrade never reaches express: websocket.ts takes it from the HTTP server.
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

/** HTTP and WebSocket JSON-RPC on one port. Close it with closeRpc (it ends WebSocket connections too). */
export async function serveRpc(o: RpcServerOptions, host: string, port: number): Promise<Server> {
  const app = createRpcApp(o);
  const server = await new Promise<Server>((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => (error === undefined ? resolve(server) : reject(error)));
    server.once("error", reject);
  });
  attachWebSocket(server, o);
  return server;
}

/** Stops taking requests: WebSocket connections are ended, HTTP ones closed, then the server. */
export async function closeRpc(server: Server): Promise<void> {
  closeWebSockets(server);
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
