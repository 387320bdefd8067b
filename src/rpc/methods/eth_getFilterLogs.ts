import { filterIdParam, type FilterTable } from "../filters.ts";
import { expectParams } from "../params.ts";
import type { RpcMethod } from "../registry.ts";

/** Every log a log filter matches over its whole range, as eth_getLogs with that filter. */
export function createGetFilterLogs(filters: FilterTable): RpcMethod {
  return (params, ctx) => {
    expectParams(params, 1, 1, "[filterId]");
    return filters.logs(filterIdParam(params[0]), ctx);
  };
}
