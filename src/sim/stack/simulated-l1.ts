/**
 * The simulated L1: a block every `blockTimeMs` of virtual time, and the committee epochs it
 * starts (`EpochStarted` at an L1 block), scripted by the run. Each host reads it through its
 * own follower, `lagMs` behind the tip, as a real member polls on its own schedule; what a host
 * has read of the head and of the epochs always agree (a real follower reads both in one range).
 * No Inbox entries: deposits and forced transactions are not what this simulator is about.
 */
import { toHex, type Hex } from "viem";
import { keccak256 } from "../../crypto/keccak.ts";
import type { InboxEntry } from "../../protocol/inbox.ts";
import type { EpochStart } from "../../settlement/index.ts";
import type { ReplicaL1 } from "../../node/io.ts";

/** The simulated L1's hash of block `number` (one L1 history: every host reads the same hashes). */
export function simulatedL1Hash(number: bigint): Hex {
  return keccak256(toHex(`simulated L1 block ${number}`));
}

export class SimulatedL1 {
  readonly blockTimeMs: number;
  readonly #epochs: EpochStart[] = [];
  readonly #now: () => number;

  constructor(now: () => number, blockTimeMs: number, genesisMembers: readonly number[]) {
    this.#now = now;
    this.blockTimeMs = blockTimeMs;
    this.#epochs.push({ epoch: 1n, members: [...genesisMembers], l1Block: 0n });
  }

  /** The L1 block mined at or before `time`. */
  headAt(time: number): bigint {
    return BigInt(Math.max(0, Math.floor(time / this.blockTimeMs)));
  }

  /** L1 starts the next epoch with `members` in the next L1 block (as the Rollup does in a settlement's block). */
  startEpoch(members: readonly number[]): EpochStart {
    const last = this.#epochs[this.#epochs.length - 1]!;
    const start = { epoch: last.epoch + 1n, members: [...members], l1Block: this.headAt(this.#now()) + 1n };
    this.#epochs.push(start);
    return start;
  }

  get epochs(): readonly EpochStart[] {
    return this.#epochs;
  }

  /** A host's view, `lagMs` behind; a leader picks an l1Origin `originDelayMs` older still (as members do). */
  viewFor(lagMs: number, originDelayMs: number): ReplicaL1 {
    const head = () => this.headAt(this.#now() - lagMs);
    return {
      head,
      originAt: (now) => this.headAt(now - lagMs - originDelayMs),
      hashAt: (n) => (n <= head() ? simulatedL1Hash(n) : undefined),
      inboxEntries: (): readonly InboxEntry[] => [],
      refresh: () => {},
      epochs: () => {
        const h = head();
        return this.#epochs.filter((e) => e.l1Block <= h);
      },
    };
  }
}
