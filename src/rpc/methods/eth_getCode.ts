import { addressParam, blockTagParam, expectParams } from "../params.ts";
import type { RpcMethod } from "../registry.ts";

/** Every account is code-free: this L2 refuses contract creation, at every block. */
export const eth_getCode: RpcMethod = (params) => {
  expectParams(params, 1, 2, "[address, block?]");
  addressParam(params[0], "address");
  blockTagParam(params[1], "block");
  return "0x";
};
