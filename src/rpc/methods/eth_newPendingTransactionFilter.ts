import type { FilterTable } from "../filters.ts";
import { expectParams } from "../params.ts";
import type { RpcMethod } from "../registry.ts";

/** Installs a pending-transaction filter: the hashes this member accepts into its mempool from now on. */
export function createNewPendingTransactionFilter(filters: FilterTable): RpcMethod {
  return (params, ctx) => {
    // geth ignores a `fullTransactions` flag here; hashes only.
    expectParams(params, 0, 1, "no params");
    return filters.installPending(ctx);
  };
}
