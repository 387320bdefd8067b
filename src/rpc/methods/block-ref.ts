/** Resolves a rollup method's block argument (number, tag or hash) to a committed block. */
import type { RpcBlock, RpcContext } from "../context.ts";
import type { BlockTag } from "../params.ts";
import { resolveBlockNumber } from "./block-tag.ts";

/** The committed block, or undefined for an unknown hash or a number above the committed head. */
export function committedBlock(ref: BlockTag | { hash: `0x${string}` }, ctx: RpcContext): RpcBlock | undefined {
  if (typeof ref === "object") return ctx.blockByHash(ref.hash);
  return ctx.blockByNumber(resolveBlockNumber(ref, ctx));
}
