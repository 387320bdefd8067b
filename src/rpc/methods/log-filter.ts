/**
 * The filter object of eth_getLogs, eth_newFilter and `logs` subscriptions, checked at the
 * boundary, and Ethereum's matching rule: the log's address is one of the filter's addresses (any
 * when none); topic i matches when the filter's entry i is null (wildcard) or lists the log's
 * topic i (an OR-array); a filter with more topic positions than the log has topics does not match.
 */
import type { Hex } from "viem";
import type { ReceiptLog } from "../../execution/index.ts";
import { addressParam, blockTagParam, hashParam, invalidParams, objectParam, type BlockTag } from "../params.ts";

export interface LogMatcher {
  /** Lowercase addresses; undefined for any. */
  readonly addresses: ReadonlySet<string> | undefined;
  /** Per position: lowercase topics one of which must be there, or null for any. */
  readonly topics: readonly (ReadonlySet<string> | null)[];
}

/** The address and topics of a filter object (eth_getLogs, eth_newFilter, `logs` subscriptions), checked. */
export function logMatcherParam(f: Record<string, unknown>, name: string): LogMatcher {
  let addresses: Set<string> | undefined;
  if (Array.isArray(f.address)) addresses = new Set(f.address.map((a, i) => addressParam(a, `${name}.address[${i}]`)));
  else if (f.address !== undefined && f.address !== null) addresses = new Set([addressParam(f.address, `${name}.address`)]);
  // An empty address list matches any address, as geth reads it.
  if (addresses?.size === 0) addresses = undefined;
  const t = f.topics;
  if (t !== undefined && t !== null && (!Array.isArray(t) || t.length > 4)) throw invalidParams(`${name}.topics must be an array of at most 4 entries`, t);
  const topics = ((t ?? []) as unknown[]).map((entry, i) => {
    if (entry === null) return null;
    // An empty OR-array, or one holding null, matches anything there (geth reads them so).
    if (Array.isArray(entry)) {
      const hashes = entry.map((u, j) => (u === null ? null : hashParam(u, `${name}.topics[${i}][${j}]`)));
      return hashes.length === 0 || hashes.includes(null) ? null : new Set(hashes as string[]);
    }
    return new Set([hashParam(entry, `${name}.topics[${i}]`)]);
  });
  return { addresses, topics };
}

export function matchesLog(m: LogMatcher, log: ReceiptLog): boolean {
  if (m.addresses !== undefined && !m.addresses.has(log.address.toLowerCase())) return false;
  if (m.topics.length > log.topics.length) return false;
  return m.topics.every((set, i) => set === null || set.has(log.topics[i]!.toLowerCase()));
}

export interface LogFilter {
  readonly matcher: LogMatcher;
  /** Either a block hash, or a range whose ends default to latest. */
  readonly blockHash: Hex | undefined;
  readonly fromBlock: BlockTag;
  readonly toBlock: BlockTag;
}

/** eth_getLogs / eth_newFilter's filter: a range (fromBlock, toBlock) or one block (blockHash), with address and topics. */
export function logFilterParam(v: unknown, name: string): LogFilter {
  const f = objectParam(v, name, ["fromBlock", "toBlock", "address", "topics", "blockHash"]);
  const matcher = logMatcherParam(f, name);
  const hasRange = (f.fromBlock !== undefined && f.fromBlock !== null) || (f.toBlock !== undefined && f.toBlock !== null);
  if (f.blockHash !== undefined && f.blockHash !== null) {
    if (hasRange) throw invalidParams(`${name}.blockHash excludes fromBlock and toBlock`, f);
    return { matcher, blockHash: hashParam(f.blockHash, `${name}.blockHash`), fromBlock: "latest", toBlock: "latest" };
  }
  return { matcher, blockHash: undefined, fromBlock: blockTagParam(f.fromBlock ?? undefined, `${name}.fromBlock`), toBlock: blockTagParam(f.toBlock ?? undefined, `${name}.toBlock`) };
}
