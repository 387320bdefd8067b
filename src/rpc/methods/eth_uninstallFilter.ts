import { filterIdParam, type FilterTable } from "../filters.ts";
import { expectParams } from "../params.ts";
import type { RpcMethod } from "../registry.ts";

/** Removes a filter: true if it existed. */
export function createUninstallFilter(filters: FilterTable): RpcMethod {
  return (params) => {
    expectParams(params, 1, 1, "[filterId]");
    return filters.uninstall(filterIdParam(params[0]));
  };
}
