/**
 * A minimal Ethereum JSON-RPC client over HTTP, with batches. The load generator uses it
 * instead of a viem client so that what it measures is the endpoint, not client-side
 * machinery: one fetch per request (or per batch), no request coalescing, and no retries but
 * one: a request sent on a kept-alive connection that the server closed meanwhile fails with
 * "other side closed" without ever reaching it (the server's idle timeout and the client's
 * reuse race, widely on a loaded machine). HTTP lets a client send such a request again on a
 * new connection when it is idempotent (RFC 9112 §9.3.1): reads are, so they are sent once
 * more; a transaction is not, and its error stands.
 */
import { DevnetError } from "./errors.ts";

export interface RpcCall {
  readonly method: string;
  readonly params: readonly unknown[];
}

interface RpcResponse {
  readonly id: number;
  readonly result?: unknown;
  readonly error?: { readonly code: number; readonly message: string; readonly data?: unknown };
}

/** A JSON-RPC error answer (the endpoint understood the call and refused it). */
export class RpcError extends DevnetError {
  readonly rpcCode: number;
  readonly method: string;

  constructor(method: string, rpcCode: number, message: string) {
    super("RPC_ERROR", `${method} failed: ${message} (JSON-RPC error ${rpcCode})`);
    this.rpcCode = rpcCode;
    this.method = method;
  }
}

let nextId = 1;

/** JSON-RPC methods that change nothing on the endpoint: safe to send again (see above). */
const IDEMPOTENT = /^(eth_(chainId|accounts|blockNumber|call|estimateGas|get\w+|gasPrice|feeHistory|maxPriorityFeePerGas|syncing)|net_\w+|web3_clientVersion|rollup_(get\w+|status))$/;

/** The connection was closed before any answer came: the request never reached the server. */
function closedBeforeAnswer(cause: unknown): boolean {
  const code = (cause as { cause?: { code?: string } }).cause?.code;
  return code === "UND_ERR_SOCKET" || code === "ECONNRESET";
}

async function post(url: string, body: unknown, timeoutMs: number): Promise<unknown> {
  const calls = Array.isArray(body) ? (body as { method: string }[]) : [body as { method: string }];
  const idempotent = calls.every((c) => IDEMPOTENT.test(c.method));
  try {
    return await postOnce(url, body, timeoutMs);
  } catch (error) {
    if (!idempotent || !(error instanceof DevnetError) || !closedBeforeAnswer(error.cause)) throw error;
    return await postOnce(url, body, timeoutMs);
  }
}

async function postOnce(url: string, body: unknown, timeoutMs: number): Promise<unknown> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
  } catch (cause) {
    // fetch's own message is only "fetch failed"; the reason (ECONNREFUSED, a reset...) is its cause.
    const reason = (cause as { cause?: { message?: string } }).cause?.message ?? (cause as Error).message;
    throw new DevnetError("RPC_ERROR", `${url} did not answer: ${reason}`, { cause });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new DevnetError("RPC_ERROR", `${url} answered HTTP ${response.status} with non-JSON: ${text.slice(0, 200)}`);
  }
}

function unwrap(call: RpcCall, response: RpcResponse | undefined): unknown {
  if (response === undefined) throw new DevnetError("RPC_ERROR", `no answer to ${call.method} in the batch`);
  if (response.error !== undefined) throw new RpcError(call.method, response.error.code, response.error.message);
  return response.result;
}

export async function callRpc<T = unknown>(url: string, method: string, params: readonly unknown[] = [], timeoutMs = 30_000): Promise<T> {
  const call = { method, params };
  return unwrap(call, (await post(url, { jsonrpc: "2.0", id: nextId++, method, params }, timeoutMs)) as RpcResponse) as T;
}

/**
 * Sends `calls` as one JSON-RPC batch and returns each result in order; throws on the first
 * error answer. Answers are matched by id: a batch's answers may come in any order.
 */
export async function callRpcBatch(url: string, calls: readonly RpcCall[], timeoutMs = 30_000): Promise<unknown[]> {
  if (calls.length === 0) return [];
  const ids = calls.map(() => nextId++);
  const answer = await post(url, calls.map((c, i) => ({ jsonrpc: "2.0", id: ids[i], method: c.method, params: c.params })), timeoutMs);
  if (!Array.isArray(answer)) throw new DevnetError("RPC_ERROR", `${url} did not answer a batch with an array: ${JSON.stringify(answer).slice(0, 200)}`);
  const byId = new Map((answer as RpcResponse[]).map((r) => [r.id, r]));
  return calls.map((call, i) => unwrap(call, byId.get(ids[i]!)));
}
