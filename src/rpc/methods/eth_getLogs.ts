import { ResourceNotFoundError } from "../errors.ts";
import { addressParam, blockTagParam, expectParams, hashParam, invalidParams, objectParam, quantity } from "../params.ts";
import type { RpcMethod } from "../registry.ts";
import { resolveBlockNumber } from "./block-tag.ts";

function topicsParam(v: unknown): void {
  if (v === undefined || v === null) return;
  if (!Array.isArray(v) || v.length > 4) throw invalidParams("filter.topics must be an array of at most 4 entries", v);
  v.forEach((t, i) => {
    if (t === null) return;
    if (Array.isArray(t)) t.forEach((u, j) => void (u === null || hashParam(u, `filter.topics[${i}][${j}]`)));
    else hashParam(t, `filter.topics[${i}]`);
  });
}

/**
 * Payments emit no logs, so every valid filter matches nothing ([]). The filter is still checked
 * in full, so a client with a malformed filter hears what is wrong instead of an empty answer.
 */
export const eth_getLogs: RpcMethod = (params, ctx) => {
  expectParams(params, 1, 1, "[filter]");
  const f = objectParam(params[0], "filter", ["fromBlock", "toBlock", "address", "topics", "blockHash"]);
  if (Array.isArray(f.address)) f.address.forEach((a, i) => addressParam(a, `filter.address[${i}]`));
  else if (f.address !== undefined && f.address !== null) addressParam(f.address, "filter.address");
  topicsParam(f.topics);
  if (f.blockHash !== undefined && f.blockHash !== null) {
    if (f.fromBlock !== undefined || f.toBlock !== undefined) throw invalidParams("filter.blockHash excludes fromBlock and toBlock", f);
    const hash = hashParam(f.blockHash, "filter.blockHash");
    if (ctx.blockByHash(hash) === undefined) throw new ResourceNotFoundError(`block ${hash} is not a committed block`);
    return [];
  }
  const from = resolveBlockNumber(blockTagParam(f.fromBlock ?? undefined, "filter.fromBlock"), ctx);
  const to = resolveBlockNumber(blockTagParam(f.toBlock ?? undefined, "filter.toBlock"), ctx);
  if (from > to) throw invalidParams(`filter.fromBlock ${quantity(from)} is after filter.toBlock ${quantity(to)}`);
  return [];
};
