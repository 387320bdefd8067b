import { toHex } from "viem";
import { addressParam, blockTagParam, expectParams } from "../params.ts";
import type { RpcMethod } from "../registry.ts";
import { stateBlock } from "./block-tag.ts";
import { storageSlotParam } from "./storage-slot.ts";

/** A storage slot's value as 32 bytes of hex, as geth returns it, at a kept block (block-tag.ts). */
export const eth_getStorageAt: RpcMethod = (params, ctx) => {
  expectParams(params, 2, 3, "[address, position, block?]");
  const address = addressParam(params[0], "address");
  const slot = storageSlotParam(params[1], "position");
  const tag = blockTagParam(params[2], "block");
  const at = stateBlock(tag, ctx);
  return toHex(ctx.storage(address, slot, at), { size: 32 });
};
