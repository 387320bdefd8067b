/**
 * What the settlement worker reads of the node's committed chain, behind a small interface so a
 * test or a tool can hand it any source. `StoredChain` is the real one: the node's Store, with
 * blocks and commit proofs in the consensus codec (encodeBlockRecord / encodeCommitProof; stored
 * proposal messages and qc messages are read too).
 */
import type { Hex } from "viem";
import { decodeBlockRecord, decodeCommitProof, type Block, type QC, type Signer } from "../consensus/index.ts";
import { Signature } from "../crypto/index.ts";
import type { Store } from "../store/index.ts";
import { SettlementError } from "./errors.ts";

/** The two-chain over a committed block: its child (whose justify is the QC over it) and the QC over the child. */
export interface CommitProof {
  readonly child: Block;
  readonly childQc: QC;
}

export interface CommittedChain {
  /** The highest committed block, if any. */
  committedHead(): { readonly number: bigint; readonly hash: Hex } | undefined;
  /** The hash of the committed block at `number` (genesis included, even when its block is not stored). */
  hashAt(number: bigint): Hex | undefined;
  /** The committed block at `number`. */
  block(number: bigint): { readonly hash: Hex; readonly block: Block } | undefined;
  /**
   * The commit proof of the highest committed block at or below `atMost` that has one, with the
   * committee epoch its QCs are signed in when the source knows it.
   */
  commitProof(atMost: bigint): { readonly number: bigint; readonly proof: CommitProof; readonly epoch?: bigint } | undefined;
}

/**
 * A Signer that only decodes signatures (BLS, compressed G2): reading stored blocks and proofs
 * needs no key, and their signatures are checked where it matters, by L1.
 */
export function createDecodingSigner(committeeSize: number): Signer {
  const refuse = (): never => {
    throw new TypeError("a decoding signer neither signs nor verifies");
  };
  return {
    scheme: "bls12-381",
    committeeSize,
    sign: refuse,
    verify: refuse,
    aggregate: refuse,
    verifyQuorum: refuse,
    verifyQuorumMulti: refuse,
    decodeSignature: (hex) => Signature.fromBytes(hex),
  };
}

export class StoredChain implements CommittedChain {
  readonly #store: Store;
  readonly #signer: Signer;
  readonly #onUnreadable: (number: bigint, error: unknown) => void;

  /**
   * `signer` decodes signatures (any Signer of the committee, or createDecodingSigner(n));
   * `onUnreadable` hears of stored proofs that do not decode (default: a line on stderr).
   */
  constructor(store: Store, signer: Signer, onUnreadable?: (number: bigint, error: unknown) => void) {
    this.#store = store;
    this.#signer = signer;
    this.#onUnreadable = onUnreadable ?? ((n, e) => console.error(`settlement: the commit proof stored for block ${n} is unreadable (${e instanceof Error ? e.message : String(e)})`));
  }

  committedHead() {
    const head = this.#store.committedHead();
    return head === undefined ? undefined : { number: head.number, hash: head.hash as Hex };
  }

  hashAt(number: bigint): Hex | undefined {
    return this.#store.canonicalHash(number) as Hex | undefined;
  }

  block(number: bigint) {
    const hash = this.#store.canonicalHash(number);
    if (hash === undefined) return undefined;
    const stored = this.#store.getBlock(hash);
    // Genesis is never settled (L1 has it final from the deployment), so a node may keep it in
    // memory only; any other committed block missing is damage.
    if (stored === undefined && number === 0n) return undefined;
    if (stored === undefined) throw new SettlementError("MISSING_BLOCK", `committed block ${number} (${hash}) is not in the store at ${this.#store.path}`);
    return { hash: hash as Hex, block: decodeBlockRecord(stored.data, this.#signer) };
  }

  commitProof(atMost: bigint) {
    for (let limit = atMost; limit >= 0n; ) {
      const stored = this.#store.latestCommitProof(limit);
      if (stored === undefined) return undefined;
      try {
        return { number: stored.number, epoch: stored.epoch, proof: decodeCommitProof(stored.data, this.#signer) };
      } catch (error) {
        // A proof the codec refuses (its child was never stored, or damage) cannot settle
        // anything, but an earlier proof still can: settlement goes on up to it.
        this.#onUnreadable(stored.number, error);
        limit = stored.number - 1n;
      }
    }
    return undefined;
  }
}
