import type { FilterTable } from "../filters.ts";
import { expectParams } from "../params.ts";
import type { RpcMethod } from "../registry.ts";

/** Installs a block filter: eth_getFilterChanges then reports the hashes of blocks committed after it. */
export function createNewBlockFilter(filters: FilterTable): RpcMethod {
  return (params, ctx) => {
    expectParams(params, 0, 0, "no params");
    return filters.installBlocks(ctx);
  };
}
