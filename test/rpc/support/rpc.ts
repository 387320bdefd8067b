/** Raw JSON-RPC over HTTP, as ethers or curl would send it: the status, headers and parsed body. */
export interface RawReply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any;
}

export async function post(url: string, body: string, headers: Record<string, string> = { "content-type": "application/json" }): Promise<RawReply> {
  const res = await fetch(url, { method: "POST", headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === "" ? undefined : JSON.parse(text) };
}

/** One request; returns the whole reply object ({result} or {error}). */
export async function call(url: string, method: string, params: unknown[] = [], id: number | string = 1): Promise<any> {
  return (await post(url, JSON.stringify({ jsonrpc: "2.0", id, method, params }))).body;
}

/** The error of a request that must fail. */
export async function refusal(url: string, method: string, params: unknown[] = []): Promise<{ code: number; message: string; data?: any }> {
  const reply = await call(url, method, params);
  if (reply.error === undefined) throw new Error(`${method} ${JSON.stringify(params)} succeeded with ${JSON.stringify(reply.result)}`);
  return reply.error;
}
