/**
 * A minimal Ethereum JSON-RPC client over HTTP, with batches. The load generator uses it
 * instead of a viem client so that what it measures is the endpoint, not client-side
 * machinery: one fetch per request (or per batch), no retries, no request coalescing.
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

async function post(url: string, body: unknown, timeoutMs: number): Promise<unknown> {
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
