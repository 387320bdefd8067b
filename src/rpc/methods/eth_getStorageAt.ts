import { toHex } from "viem";
import { addressParam, blockTagParam, expectParams } from "../params.ts";
import type { RpcMethod } from "../registry.ts";
import { checkHeadState } from "./block-tag.ts";
import { storageSlotParam } from "./storage-slot.ts";

/** A storage slot's value as 32 bytes of hex, as geth returns it, in the committed head's state. */
export const eth_getStorageAt: RpcMethod = (params, ctx) => {
  expectParams(params, 2, 3, "[address, position, block?]");
  const address = addressParam(params[0], "address");
  const slot = storageSlotParam(params[1], "position");
  const tag = blockTagParam(params[2], "block");
  checkHeadState(tag === "pending" ? "latest" : tag, ctx);
  return toHex(ctx.storage(address, slot), { size: 32 });
};
