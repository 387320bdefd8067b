import { filterIdParam, type FilterTable } from "../filters.ts";
import { expectParams } from "../params.ts";
import type { RpcMethod } from "../registry.ts";

/** What a filter saw since it was last polled (block hashes, pending hashes or logs); -32000 "filter not found" once it expired. */
export function createGetFilterChanges(filters: FilterTable): RpcMethod {
  return (params, ctx) => {
    expectParams(params, 1, 1, "[filterId]");
    return filters.changes(filterIdParam(params[0]), ctx);
  };
}
