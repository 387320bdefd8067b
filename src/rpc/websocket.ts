/**
 * JSON-RPC over WebSocket on the HTTP port (as hardhat node and geth serve it): every method, one
 * request or a batch per text frame, plus eth_subscribe / eth_unsubscribe (subscriptions.ts).
 *
 * Bounded, because any client may connect: at most `maxConnections` connections (beyond, the
 * upgrade is refused with 503), `maxSubscriptions` per connection, `maxInFlight` requests being
 * answered per connection, frames of at most the HTTP body limit. A consumer that does not read
 * is disconnected as soon as what waits to be sent to it passes `maxBufferedBytes`: its
 * notifications would otherwise pile up in this member's memory. A connection that does not
 * answer a ping within `pingIntervalMs` (a client gone without closing: a crashed host, a dropped
 * network) is ended, so it does not hold a place forever. A frame that is not JSON-RPC gets a
 * JSON-RPC error, like an HTTP body would.
 */
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import type { Hex } from "viem";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { InvalidRequestError, ParseError } from "./errors.ts";
import { LimitExceededError } from "./limits.ts";
import { expectParams, invalidParams } from "./params.ts";
import type { RpcMethod } from "./registry.ts";
import { answerMessage, errorReply, type Reply, type RpcServerOptions } from "./server.ts";
import { newSubscriptionId, SubscriptionHub } from "./subscriptions.ts";

export interface WebSocketOptions {
  readonly maxConnections?: number;
  readonly maxSubscriptions?: number;
  readonly maxInFlight?: number;
  readonly maxBufferedBytes?: number;
  readonly pingIntervalMs?: number;
}

export const WEBSOCKET_LIMITS = { maxConnections: 1_000, maxSubscriptions: 100, maxInFlight: 64, maxBufferedBytes: 4 * 1024 * 1024, pingIntervalMs: 30_000 } as const;

const endpoints = new WeakMap<Server, { wss: WebSocketServer; heartbeat: NodeJS.Timeout }>();

/** Serves WebSocket upgrades of `server` (any path). */
export function attachWebSocket(server: Server, o: RpcServerOptions): void {
  const limits = { ...WEBSOCKET_LIMITS, ...o.webSocket };
  const wss = new WebSocketServer({ noServer: true, maxPayload: o.bodyLimit ?? 1024 * 1024 });
  const hub = new SubscriptionHub(o.context, gasLimitOf(o), o.log);
  // Connections that answered the last ping; the others are ended at the next one.
  const alive = new WeakSet<WebSocket>();
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        o.log?.("rpc.ws_unresponsive", { note: "no pong to the last ping: connection ended" });
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, limits.pingIntervalMs).unref();
  wss.on("connection", (ws: WebSocket) => {
    alive.add(ws);
    ws.on("pong", () => alive.add(ws));
  });
  endpoints.set(server, { wss, heartbeat });
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    if (wss.clients.size >= limits.maxConnections) {
      socket.end(`HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\nat most ${limits.maxConnections} WebSocket connections\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      wss.emit("connection", ws, req);
      serveConnection(ws, o, hub, limits);
    });
  });
}

/** Ends every WebSocket connection of `server` (before the HTTP server closes: upgraded sockets are not its connections any more). */
export function closeWebSockets(server: Server): void {
  const endpoint = endpoints.get(server);
  if (endpoint === undefined) return;
  clearInterval(endpoint.heartbeat);
  for (const ws of endpoint.wss.clients) ws.terminate();
  endpoint.wss.close();
}

function serveConnection(ws: WebSocket, o: RpcServerOptions, hub: SubscriptionHub, limits: Required<WebSocketOptions>): void {
  const subscriptions = new Map<Hex, () => void>();
  let inFlight = 0;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    for (const stop of subscriptions.values()) stop();
    subscriptions.clear();
  };
  /** Sends unless the consumer lags: past the bound, it is cut off and nothing more is queued for it. */
  const send = (message: unknown) => {
    if (closed || ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > limits.maxBufferedBytes) {
      o.log?.("rpc.ws_slow_consumer", { bufferedBytes: ws.bufferedAmount, limit: limits.maxBufferedBytes });
      close();
      ws.terminate();
      return;
    }
    ws.send(JSON.stringify(message));
  };
  const methods = new Map<string, RpcMethod>([
    [
      "eth_subscribe",
      (params) => {
        if (subscriptions.size >= limits.maxSubscriptions) throw new LimitExceededError(`at most ${limits.maxSubscriptions} subscriptions per connection: eth_unsubscribe unused ones`);
        const id = newSubscriptionId();
        const stop = hub.subscribe(params, (result) => send({ jsonrpc: "2.0", method: "eth_subscription", params: { subscription: id, result } }));
        subscriptions.set(id, stop);
        return id;
      },
    ],
    [
      "eth_unsubscribe",
      (params) => {
        expectParams(params, 1, 1, "[subscriptionId]");
        const id = params[0];
        if (typeof id !== "string") throw invalidParams("subscriptionId must be the 0x id eth_subscribe returned", id);
        const stop = subscriptions.get(id.toLowerCase() as Hex);
        if (stop === undefined) return false;
        stop();
        subscriptions.delete(id.toLowerCase() as Hex);
        return true;
      },
    ],
  ]);
  ws.on("message", (data: RawData, isBinary: boolean) => {
    let body: unknown;
    try {
      body = JSON.parse(rawText(data, isBinary));
    } catch (e) {
      send(errorReply(null, new ParseError((e as Error).message)));
      return;
    }
    if (inFlight >= limits.maxInFlight) {
      send(errorReply(null, new LimitExceededError(`at most ${limits.maxInFlight} requests in flight per connection: wait for answers`)));
      return;
    }
    inFlight++;
    answerMessage(body, o, methods)
      .then((reply: Reply | Reply[] | undefined) => reply !== undefined && send(reply))
      .catch((e: unknown) => {
        o.log?.("rpc.internal_error", { error: e instanceof Error ? e.message : String(e) });
        send(errorReply(null, new InvalidRequestError("the request could not be answered")));
      })
      .finally(() => inFlight--);
  });
  ws.on("close", close);
  // A frame over maxPayload or a protocol violation: ws closes the connection; nothing to crash.
  ws.on("error", (e) => {
    o.log?.("rpc.ws_error", { error: e.message });
    close();
  });
}

function rawText(data: RawData, isBinary: boolean): string {
  void isBinary; // binary frames carrying JSON text are read like text frames (some clients send them)
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  return Buffer.from(data as ArrayBuffer).toString("utf8");
}

function gasLimitOf(o: RpcServerOptions): bigint {
  return o.blockGasLimit ?? 30_000_000n;
}
