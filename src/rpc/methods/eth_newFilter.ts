import type { FilterTable } from "../filters.ts";
import { expectParams } from "../params.ts";
import type { RpcMethod } from "../registry.ts";
import { logFilterParam } from "./log-filter.ts";

/** Installs a log filter; eth_getFilterChanges then reports matching logs of blocks committed after it (filters.ts). */
export function createNewFilter(filters: FilterTable): RpcMethod {
  return (params, ctx) => {
    expectParams(params, 1, 1, "[filter]");
    return filters.installLogs(logFilterParam(params[0], "filter"), ctx);
  };
}
