/**
 * The devnet's live status: polls one member's JSON-RPC (rollup_status for view, heights and
 * peers; the new committed blocks for their transaction counts) and renders renderStatus's line.
 * On a terminal the line is redrawn in place; otherwise (CI logs, a pipe) one line is printed
 * every `intervalMs`, so a log does not fill with redraws.
 */
import { callRpc } from "./rpc.ts";
import { RateMeter, renderStatus } from "./status.ts";

interface RollupStatus {
  readonly view: string;
  readonly committedHeight: string;
  readonly finalizedHeight: string;
  /** The connected members' indices. */
  readonly peers: readonly number[];
}

export interface WatchStatusOptions {
  readonly rpcUrl: string;
  /** Peers the member should have; default its committee's size minus itself (rollup_getCommittee: it follows admissions and exits). */
  readonly expectedPeers?: number;
  /** Where lines go; `tty` selects in-place redraws. */
  readonly write: (text: string) => void;
  readonly tty: boolean;
  /** Between polls (default 1 s). */
  readonly pollMs?: number;
  /** Between printed lines when not a TTY. */
  readonly intervalMs: number;
}

export interface StatusWatch {
  /** Stops polling; on a TTY ends the redrawn line so later output starts on a fresh one. */
  stop(): Promise<void>;
}

export function watchStatus(o: WatchStatusOptions): StatusWatch {
  const started = Date.now();
  const meter = new RateMeter({ windowMs: 10_000, startMs: started });
  let seenHeight: bigint | undefined;
  let lastPrinted = 0;
  let stopped = false;
  let drawn = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const poll = async (): Promise<string> => {
    const status = await callRpc<RollupStatus>(o.rpcUrl, "rollup_status", [], 5_000);
    const committed = BigInt(status.committedHeight);
    // Transactions of the blocks committed since the last poll (the first poll only sets the mark).
    if (seenHeight !== undefined) {
      for (let n = seenHeight + 1n; n <= committed; n++) {
        const block = await callRpc<{ transactions: unknown[] } | null>(o.rpcUrl, "eth_getBlockByNumber", [`0x${n.toString(16)}`, false], 5_000);
        meter.record(block?.transactions.length ?? 0, Date.now());
      }
    }
    if (seenHeight === undefined || committed > seenHeight) seenHeight = committed;
    const finalized = BigInt(status.finalizedHeight);
    return renderStatus({
      view: BigInt(status.view),
      committed,
      // 0 is genesis, final by construction: nothing has been settled yet.
      finalized: finalized === 0n ? undefined : finalized,
      txPerSec: meter.perSecond(Date.now()),
      peers: status.peers.length,
      expectedPeers: o.expectedPeers ?? (await callRpc<{ members: readonly unknown[] }>(o.rpcUrl, "rollup_getCommittee", [], 5_000)).members.length - 1,
    });
  };

  const tick = async () => {
    let line: string;
    try {
      line = await poll();
    } catch (e) {
      line = `status unavailable from ${o.rpcUrl}: ${(e as Error).message}`;
    }
    if (stopped) return;
    if (o.tty) {
      o.write(`\r\x1b[2K${line}`);
      drawn = true;
    } else if (Date.now() - lastPrinted >= o.intervalMs) {
      lastPrinted = Date.now();
      o.write(`${line}\n`);
    }
  };

  const run = () => {
    running = tick().finally(() => {
      if (!stopped) timer = setTimeout(run, o.pollMs ?? 1_000);
    });
  };
  run();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      clearTimeout(timer);
      if (drawn) o.write("\n");
    },
  };
}
