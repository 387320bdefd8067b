import type { RpcContext } from "../context.ts";
import { ResourceNotFoundError } from "../errors.ts";
import { expectParams, invalidParams, quantity } from "../params.ts";
import type { RpcMethod } from "../registry.ts";
import { matchingLogs, queryLogs } from "./block-logs.ts";
import { resolveBlockNumber } from "./block-tag.ts";
import { logFilterParam, type LogFilter } from "./log-filter.ts";

/**
 * The logs of committed blocks a filter matches, in chain order: one block (blockHash) or a range
 * whose ends are numbers or tags (default latest). A range reaching past the committed head stops
 * there (the blocks above do not exist yet); at most RPC_LIMITS.maxLogBlockRange blocks and
 * RPC_LIMITS.maxLogs logs, refused with -32005 beyond (limits.ts).
 */
export function filterLogs(f: LogFilter, ctx: RpcContext): Record<string, unknown>[] {
  if (f.blockHash !== undefined) {
    const block = ctx.blockByHash(f.blockHash);
    if (block === undefined) throw new ResourceNotFoundError(`block ${f.blockHash} is not a committed block`);
    return matchingLogs(block, f.matcher, ctx);
  }
  const from = resolveBlockNumber(f.fromBlock, ctx);
  const to = resolveBlockNumber(f.toBlock, ctx);
  const head = ctx.committedHeight();
  // A poller asks from its last block + 1 to latest: before the next commit that is empty, not an error.
  if (from > head) return [];
  if (from > to) throw invalidParams(`filter.fromBlock ${quantity(from)} is after filter.toBlock ${quantity(to)}`);
  return queryLogs(ctx, f.matcher, from, to < head ? to : head);
}

export const eth_getLogs: RpcMethod = (params, ctx) => {
  expectParams(params, 1, 1, "[filter]");
  return filterLogs(logFilterParam(params[0], "filter"), ctx);
};
