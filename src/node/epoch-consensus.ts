/**
 * A member's consensus core for its current committee epoch, and the switch to the next one
 * (when and where: src/node/epochs.ts). Owns the core, the epoch's signer and domain, and this
 * member's signer index in the epoch; the member (member.ts) routes messages through it.
 */
import type { Hex } from "viem";
import { cacheVerifications, Core, createBlsSigner, hashBlock, initialSafetyState, type Block, type RestoredState, type Signer } from "../consensus/index.ts";
import type { Domain } from "../protocol/domain.ts";
import type { EpochStart } from "../settlement/index.ts";
import { StoreError, type Store } from "../store/index.ts";
import type { Chain } from "./chain.ts";
import type { NodeConfig } from "./config.ts";
import { decodeEpoch, encodeEpoch, EPOCH_FACT, findBoundary, genesisEpoch, nextEpochStart, type EpochState } from "./epochs.ts";
import { encodeSafety } from "./persisted.ts";
import { restoreConsensus } from "./restore.ts";

export interface EpochChange {
  readonly state: EpochState;
  /** The committed head, when the old committee had committed past the boundary (see epochs.ts). */
  readonly committedPastBoundary: bigint | undefined;
}

export class EpochConsensus {
  readonly #config: NodeConfig;
  readonly #store: Store;
  readonly #chain: Chain;
  #epoch!: EpochState;
  #core!: Core;
  #signer!: Signer;
  #domain!: Domain;
  #self = -1;
  /** Committed height up to which the next epoch's boundary was searched. */
  #searched: bigint;

  private constructor(config: NodeConfig, store: Store, chain: Chain, epoch: EpochState, restored: (signer: Signer) => RestoredState | undefined) {
    this.#config = config;
    this.#store = store;
    this.#chain = chain;
    this.#searched = epoch.boundary?.number ?? 0n;
    this.#enter(epoch, restored);
  }

  /** Tells the chain where this epoch ends, from the epochs L1 has started (read at each validation). */
  bindEpochEnd(started: () => readonly EpochStart[]): void {
    this.#chain.setEpochEnd(() => {
      let next;
      try {
        next = nextEpochStart(this.#epoch, started(), this.#config.committee.length);
      } catch {
        return undefined; // an epoch this member cannot join: it stays where it is (follow() says so)
      }
      return next === undefined ? undefined : { l1Block: next.start.l1Block, above: this.#epoch.boundary?.number ?? 0n };
    });
  }

  /**
   * The epoch the store records (the deployment's when none), with its core restored from what
   * was persisted in it; `onRestored` sees the restored state.
   */
  static open(config: NodeConfig, store: Store, chain: Chain, onRestored: (restored: RestoredState) => void): EpochConsensus {
    const fact = store.getFact(EPOCH_FACT);
    let epoch: EpochState;
    try {
      epoch = fact === undefined ? genesisEpoch(config.domain.epoch, config.committee.length) : decodeEpoch(fact);
    } catch (cause) {
      throw new StoreError("STORE_DAMAGED", `the epoch record in ${store.path} cannot be decoded (${(cause as Error).message})`, { cause });
    }
    return new EpochConsensus(config, store, chain, epoch, (signer) => {
      const restored = restoreConsensus(store, chain, signer, epoch.boundary?.view ?? 0n);
      if (restored !== undefined) onRestored(restored);
      return restored;
    });
  }

  get core(): Core {
    return this.#core;
  }
  get epoch(): EpochState {
    return this.#epoch;
  }
  get signer(): Signer {
    return this.#signer;
  }
  get domain(): Domain {
    return this.#domain;
  }
  /** This member's signer index in the epoch; -1 when the epoch left it out (ejected). */
  get self(): number {
    return this.#self;
  }

  /**
   * Switches to the next epoch L1 has `started` once its boundary block is committed (repeatedly,
   * if several are due). Returns the last change made, undefined when none was due. Throws
   * EpochError when L1's next epoch names members this config does not list.
   */
  follow(started: readonly EpochStart[]): EpochChange | undefined {
    let change: EpochChange | undefined;
    for (;;) {
      const next = nextEpochStart(this.#epoch, started, this.#config.committee.length);
      if (next === undefined) return change;
      const head = this.#chain.states.committedHead.header.number;
      const boundary = findBoundary(next.start.l1Block, this.#searched, head, (n) => this.#chain.blockAt(n));
      if (boundary === undefined) {
        // No committed block has reached the epoch's L1 block yet: search on from here next time.
        this.#searched = head;
        return change;
      }
      change = { state: this.#switch(next.start.epoch, next.members, boundary), committedPastBoundary: head > boundary.header.number ? head : undefined };
    }
  }

  /** Persists the new epoch (record, first safety state, old uncommitted blocks dropped), then builds its core. */
  #switch(epoch: bigint, members: readonly number[], boundary: Block): EpochState {
    const hash: Hex = hashBlock(this.#config.domain, boundary);
    const state: EpochState = { epoch, members, boundary: { number: boundary.header.number, hash, view: boundary.header.view } };
    const genesisQc = { view: boundary.header.view, blockHash: hash, signers: 0n, signature: null };
    this.#store.startEpoch(encodeEpoch(state), encodeSafety(initialSafetyState(genesisQc)), boundary.header.number);
    this.#searched = boundary.header.number;
    this.#enter(state, () => undefined);
    return state;
  }

  /** Builds the core of `epoch`, rooted at its boundary block (or genesis). */
  #enter(epoch: EpochState, restore: (signer: Signer) => RestoredState | undefined): void {
    const config = this.#config;
    const keys = epoch.members.map((i) => config.committee[i]!.publicKey);
    this.#epoch = epoch;
    this.#self = epoch.members.indexOf(config.member);
    this.#signer = cacheVerifications(createBlsSigner(config.secretKey, keys));
    this.#domain = { ...config.domain, epoch: epoch.epoch };
    const genesis = epoch.boundary === undefined ? this.#chain.genesis.block : this.#chain.blockAt(epoch.boundary.number)!;
    this.#core = new Core(
      {
        // An ejected member keeps a core only to answer status: the member never steps it.
        self: Math.max(this.#self, 0),
        domain: this.#domain,
        signer: this.#signer,
        genesis,
        pacemaker: { baseTimeout: config.consensus.baseTimeoutMs, backoffFactor: config.consensus.backoffFactor, maxTimeout: config.consensus.maxTimeoutMs },
        buildPayload: this.#chain.buildPayload,
        validateBlock: this.#chain.validateBlock,
        archiveLimit: config.consensus.archiveBlocks,
      },
      restore(this.#signer),
    );
  }
}
