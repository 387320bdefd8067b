import { expectParams } from "../params.ts";
import type { RpcMethod } from "../registry.ts";

/**
 * Always false: a member cannot tell how far peers are ahead (it learns of newer blocks only
 * through proposals and sync answers, and serves its committed head meanwhile), so it never
 * claims a highest block it does not know.
 */
export const eth_syncing: RpcMethod = (params) => {
  expectParams(params, 0, 0, "no params");
  return false;
};
