import { expectParams } from "../params.ts";
import type { RpcMethod } from "../registry.ts";

/** No keys live on a node: wallets sign locally and send raw transactions. */
export const eth_accounts: RpcMethod = (params) => {
  expectParams(params, 0, 0, "no params");
  return [];
};
