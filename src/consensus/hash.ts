/** The block hash as consensus uses it: hashHeader over the deployment's domain (src/protocol). */
import type { Hex } from "viem";
import type { Domain } from "../protocol/domain.ts";
import { hashHeader } from "../protocol/header.ts";
import type { Block } from "./types.ts";

const hashes = new WeakMap<Block, { domain: Domain; hash: Hex }>();

/** The block hash (hashHeader); memoized per block object, since every member hashes each block often. */
export function hashBlock(domain: Domain, block: Block): Hex {
  const cached = hashes.get(block);
  if (cached !== undefined && cached.domain === domain) return cached.hash;
  const hash = hashHeader(domain.chainId, domain.rollup, block.header);
  hashes.set(block, { domain, hash });
  return hash;
}
