/**
 * When each L2 height became final on L1, as seen by polling `Rollup.finalizedHead()` on the L1
 * node itself: the truth a user checking `Rollup.isFinalized` would see, without the members'
 * follower poll (and its 250 ms period) between the settlement and the measurement.
 *
 * The watcher records the first poll that saw the finalized head reach or pass each height;
 * `finalizedAt(n)` answers from that record. Times are `performance.now()` values, the clock
 * the load generator stamps submissions with.
 */
import { decodeFunctionResult, encodeFunctionData, parseAbi, type Address } from "viem";
import { DevnetError } from "./errors.ts";
import { callRpc } from "./rpc.ts";

const ROLLUP_FINALIZED_HEAD_ABI = parseAbi(["function finalizedHead() view returns (uint256 number, bytes32 hash)"]);
const FINALIZED_HEAD_CALL = encodeFunctionData({ abi: ROLLUP_FINALIZED_HEAD_ABI, functionName: "finalizedHead" });

/** The Rollup's finalized L2 height at L1's latest block. */
export async function readFinalizedHeight(l1RpcUrl: string, rollup: Address): Promise<bigint> {
  const data = await callRpc<`0x${string}`>(l1RpcUrl, "eth_call", [{ to: rollup, data: FINALIZED_HEAD_CALL }, "latest"], 5_000);
  const [number] = decodeFunctionResult({ abi: ROLLUP_FINALIZED_HEAD_ABI, functionName: "finalizedHead", data });
  return number;
}

export interface FinalityWatchOptions {
  readonly l1RpcUrl: string;
  readonly rollup: Address;
  /** Default 50 ms: the resolution of the finality latencies. */
  readonly pollIntervalMs?: number;
}

export interface FinalityWatch {
  /** When the finalized head was first seen at or above `height`; undefined if not yet. */
  finalizedAt(height: bigint): number | undefined;
  /** The highest finalized height seen so far. */
  readonly height: () => bigint;
  /** Resolves true once `height` is final, false after `timeoutMs`. */
  waitFor(height: bigint, timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

export async function watchFinality(options: FinalityWatchOptions): Promise<FinalityWatch> {
  const pollIntervalMs = options.pollIntervalMs ?? 50;
  // (height reached, first seen at), heights increasing.
  const steps: { height: bigint; at: number }[] = [];
  let height = await readFinalizedHeight(options.l1RpcUrl, options.rollup);
  let stopped = false;
  let failures = 0;
  let lastError: Error | undefined;

  const loop = (async () => {
    while (!stopped) {
      try {
        const now = await readFinalizedHeight(options.l1RpcUrl, options.rollup);
        const at = performance.now();
        if (now > height) {
          height = now;
          steps.push({ height: now, at });
        }
        failures = 0;
      } catch (error) {
        // A busy L1 may miss a poll; only a run of failures means it is gone.
        lastError = error as Error;
        if (++failures >= 100) throw new DevnetError("LOAD_FAILED", `cannot read Rollup.finalizedHead at ${options.l1RpcUrl}: ${lastError.message}`);
      }
      await new Promise((r) => setTimeout(r, pollIntervalMs));
    }
  })();
  let failed: Error | undefined;
  loop.catch((error: Error) => (failed = error));

  const finalizedAt = (h: bigint) => steps.find((s) => s.height >= h)?.at;
  return {
    finalizedAt,
    height: () => height,
    async waitFor(h, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      while (height < h) {
        if (failed !== undefined) throw failed;
        if (performance.now() > deadline) return false;
        await new Promise((r) => setTimeout(r, pollIntervalMs));
      }
      return true;
    },
    async stop() {
      stopped = true;
      await loop.catch(() => {});
    },
  };
}
