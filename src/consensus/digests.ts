/**
 * Memoized signing digests. The same (view, block) digest is needed by every vote check, QC
 * check and signature of a view, and keccak256 in JavaScript is the core's largest cost after
 * the pairings; the digests themselves are src/protocol/digests.ts, unchanged.
 */
import type { Hex } from "viem";
import type { Domain } from "../protocol/domain.ts";
import { proposalDigest, timeoutDigest, voteDigest } from "../protocol/digests.ts";

const LIMIT = 8192;
const caches = new WeakMap<Domain, Map<string, Hex>>();

function memo(domain: Domain, key: string, compute: () => Hex): Hex {
  let cache = caches.get(domain);
  if (cache === undefined) caches.set(domain, (cache = new Map()));
  let digest = cache.get(key);
  if (digest === undefined) {
    if (cache.size >= LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(key, (digest = compute()));
  }
  return digest;
}

export const voteDigestOf = (domain: Domain, view: bigint, blockHash: Hex): Hex =>
  memo(domain, `v${view}:${blockHash}`, () => voteDigest(domain, view, blockHash));

export const proposalDigestOf = (domain: Domain, view: bigint, blockHash: Hex): Hex =>
  memo(domain, `p${view}:${blockHash}`, () => proposalDigest(domain, view, blockHash));

export const timeoutDigestOf = (domain: Domain, view: bigint, highQcView: bigint): Hex =>
  memo(domain, `t${view}:${highQcView}`, () => timeoutDigest(domain, view, highQcView));
