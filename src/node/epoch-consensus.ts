/**
 * A member's consensus core for its current committee epoch, and the switch to the next one
 * (when and where: src/node/epochs.ts). Owns the core, the epoch's signer and domain, and this
 * member's signer index in the epoch; the replica (replica.ts) routes messages through it.
 */
import type { Hex } from "viem";
import { Core, hashBlock, initialSafetyState, type Block, type CommittedBlock, type Proposal, type QC, type RestoredState, type Signer } from "../consensus/index.ts";
import type { Domain } from "../protocol/domain.ts";
import type { EpochStart } from "../settlement/index.ts";
import { StoreError, type Store } from "../store/index.ts";
import type { Chain } from "./chain.ts";
import type { NodeConfig } from "./config.ts";
import { decodeEpoch, encodeEpoch, encodeEpochChangeProof, EPOCH_FACT, genesisEpoch, nextEpochStart, type EpochEnd, type EpochState } from "./epochs.ts";
import { encodeSafety } from "./persisted.ts";
import { restoreConsensus } from "./restore.ts";

/** Makes the signer of an epoch from its members (member ids, in the epoch's order). */
export type SignerFactory = (members: readonly number[]) => Signer;

/** Whether this node has a key for member `id` (the member directory, directory.ts). */
export type KnownMember = (id: number) => boolean;

export class EpochConsensus {
  readonly #config: NodeConfig;
  readonly #store: Store;
  readonly #chain: Chain;
  readonly #signerFor: SignerFactory;
  readonly #known: KnownMember;
  #epoch!: EpochState;
  #core!: Core;
  #signer!: Signer;
  #domain!: Domain;
  #self = -1;

  private constructor(config: NodeConfig, store: Store, chain: Chain, signerFor: SignerFactory, known: KnownMember, epoch: EpochState, restored: (signer: Signer) => RestoredState | undefined) {
    this.#config = config;
    this.#known = known;
    this.#store = store;
    this.#chain = chain;
    this.#signerFor = signerFor;
    this.#enter(epoch, restored);
  }

  /**
   * The epoch the store records (the deployment's when none), with its core restored from what
   * was persisted in it; `onRestored` sees the restored state.
   */
  static open(config: NodeConfig, store: Store, chain: Chain, signerFor: SignerFactory, known: KnownMember, onRestored: (restored: RestoredState) => void): EpochConsensus {
    const fact = store.getFact(EPOCH_FACT);
    let epoch: EpochState;
    try {
      epoch = fact === undefined ? genesisEpoch(config.domain.epoch, config.genesisMembers) : decodeEpoch(fact);
    } catch (cause) {
      throw new StoreError("STORE_DAMAGED", `the epoch record in ${store.path} cannot be decoded (${(cause as Error).message})`, { cause });
    }
    return new EpochConsensus(config, store, chain, signerFor, known, epoch, (signer) => {
      const restored = restoreConsensus(store, chain, signer, epoch);
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
  /** This member's signer index in the epoch; -1 when the epoch left it out. */
  get self(): number {
    return this.#self;
  }

  /** Where the current epoch ends, from the epochs L1 has `started`; throws EpochError for a committee this config cannot follow. */
  end(started: readonly EpochStart[]): EpochEnd | undefined {
    return nextEpochStart(this.#epoch, started, this.#known);
  }

  /**
   * Leaves the current epoch at the epoch-change block `boundary` (committed): `suffix` are the
   * old epoch's blocks committed above it and `child` certified by `qc` (the two-chain that
   * committed it), kept as the epoch-change proof. `apply` commits the blocks up to the boundary;
   * it runs in the same store transaction as the epoch record, so a crash leaves the member
   * either wholly before the switch or wholly after it.
   */
  switchAt(end: EpochEnd, boundary: CommittedBlock, proofProposals: readonly Proposal[], qc: QC, apply: () => void): EpochState {
    const hash: Hex = boundary.hash;
    const state: EpochState = { epoch: end.epoch, members: end.members, boundary: { number: boundary.block.header.number, hash, view: boundary.block.header.view } };
    const genesisQc = { view: boundary.block.header.view, blockHash: hash, signers: 0n, signature: null };
    const proof = encodeEpochChangeProof({ epoch: this.#epoch.epoch, proposals: proofProposals, qc });
    this.#store.atomically(() => {
      apply();
      this.#store.startEpoch(encodeEpoch(state), encodeSafety(initialSafetyState(genesisQc)), boundary.block.header.number, { epoch: this.#epoch.epoch, data: proof });
    });
    this.#enter(state, () => undefined);
    return state;
  }

  /** Builds the core of `epoch`, rooted at its boundary block (or genesis). */
  #enter(epoch: EpochState, restore: (signer: Signer) => RestoredState | undefined): void {
    const config = this.#config;
    this.#epoch = epoch;
    this.#self = epoch.members.indexOf(config.member);
    this.#signer = this.#signerFor(epoch.members);
    this.#domain = { ...config.domain, epoch: epoch.epoch };
    const genesis: Block = epoch.boundary === undefined ? this.#chain.genesis.block : this.#chain.blockAt(epoch.boundary.number)!;
    if (epoch.boundary !== undefined && hashBlock(this.#domain, genesis) !== epoch.boundary.hash) {
      throw new StoreError("STORE_DAMAGED", `the epoch record in ${this.#store.path} names boundary block ${epoch.boundary.hash} at height ${epoch.boundary.number}, which is not the committed block there`);
    }
    this.#core = new Core(
      {
        // A member left out of the epoch follows it as an observer (it may be admitted again later).
        self: this.#self,
        domain: this.#domain,
        signer: this.#signer,
        genesis,
        pacemaker: { baseTimeout: config.consensus.baseTimeoutMs, backoffFactor: config.consensus.backoffFactor, maxTimeout: config.consensus.maxTimeoutMs },
        buildPayload: this.#chain.buildPayload,
        validateBlock: this.#chain.validateBlock,
        mayPropose: this.#chain.mayPropose,
        archiveLimit: config.consensus.archiveBlocks,
      },
      restore(this.#signer),
    );
  }
}
