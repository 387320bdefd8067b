/**
 * Waiting for a transaction's receipt on a devnet by the chain's progress, not by the clock, and
 * saying where it got stuck when it fails.
 *
 * With a member down, every rotation of leaders loses views to timeouts (a dead leader's view,
 * and the view whose votes it should have collected), and a loaded two-core CI machine slows
 * every view: a fixed "receipt within N s" then fails on a chain that is merely slow. So the wait
 * fails only when (a) the chain stops committing blocks for `stallMs`, or (b) `maxBlocks` blocks
 * commit after the transaction was accepted without including it (it is being left out: a bug,
 * e.g. only a member that never gets a block committed holds it). Either way the error says, per
 * member: its height and view, whether it holds the transaction (pending or in which block), and
 * what its log says about it (tx.refused / tx.deferred).
 */
import { existsSync, readFileSync } from "node:fs";
import type { Hex, PublicClient, TransactionReceipt } from "viem";
import { callRpc } from "../../src/devnet/rpc.ts";

export interface MemberEndpoint {
  readonly index: number;
  readonly rpcUrl: string;
  /** Its log (JSON lines), as a file or as lines kept in memory. */
  readonly logFile?: string;
  readonly logLines?: () => readonly string[];
}

/** One line per member: height, view, the transaction's whereabouts and its log lines. */
export async function describeTransaction(members: readonly MemberEndpoint[], hash: Hex): Promise<string> {
  const lines = await Promise.all(
    members.map(async (m) => {
      const head = await callRpc<string>(m.rpcUrl, "eth_blockNumber", [], 2_000).then((h) => `#${BigInt(h)}`, (e: Error) => `no answer (${e.message.split("\n")[0]})`);
      const status = await callRpc<{ view?: unknown; leader?: unknown; mempool?: unknown }>(m.rpcUrl, "rollup_status", [], 2_000).catch(() => undefined);
      const tx = await callRpc<{ blockNumber: string | null } | null>(m.rpcUrl, "eth_getTransactionByHash", [hash], 2_000).catch(() => undefined);
      const where = tx === undefined ? "?" : tx === null ? "unknown to it (not in its mempool)" : tx.blockNumber === null ? "pending in its mempool" : `in block #${BigInt(tx.blockNumber)}`;
      const all = m.logLines?.() ?? (m.logFile !== undefined && existsSync(m.logFile) ? readFileSync(m.logFile, "utf8").split("\n") : []);
      const logged = all.filter((l) => l.includes(hash.slice(2, 18))).slice(-3);
      const view = status === undefined ? "" : `, status ${JSON.stringify(status).slice(0, 200)}`;
      return `  member ${m.index}: head ${head}${view}; the transaction is ${where}${logged.length === 0 ? "" : `; its log:\n    ${logged.join("\n    ")}`}`;
    }),
  );
  return `transaction ${hash}, as each member sees it:\n${lines.join("\n")}`;
}

export interface WaitForInclusionOptions {
  readonly client: PublicClient;
  readonly hash: Hex;
  readonly members: readonly MemberEndpoint[];
  /** Fails when no block commits for this long (default 60 s). */
  readonly stallMs?: number;
  /** Fails when this many blocks commit after acceptance without it (default 100). */
  readonly maxBlocks?: bigint;
  readonly pollMs?: number;
}

export async function waitForInclusion(o: WaitForInclusionOptions): Promise<TransactionReceipt> {
  const stallMs = o.stallMs ?? 60_000;
  const maxBlocks = o.maxBlocks ?? 100n;
  let start: bigint | undefined;
  let head = -1n;
  let advancedAt = Date.now();
  const fail = async (why: string) => new Error(`${why}\n${await describeTransaction(o.members, o.hash)}`);
  for (;;) {
    const receipt = await o.client.getTransactionReceipt({ hash: o.hash }).catch(() => undefined);
    if (receipt !== undefined) return receipt;
    const now = await o.client.getBlockNumber({ cacheTime: 0 }).catch(() => undefined);
    if (now !== undefined && now > head) {
      head = now;
      advancedAt = Date.now();
      start ??= now;
    }
    if (Date.now() - advancedAt > stallMs) throw await fail(`no receipt, and the chain committed nothing for ${stallMs / 1000} s (stuck at #${head})`);
    if (start !== undefined && head - start > maxBlocks) throw await fail(`no receipt after ${head - start} blocks committed since it was accepted (#${start} to #${head}): it is being left out`);
    await new Promise((resolve) => setTimeout(resolve, o.pollMs ?? 250));
  }
}
