/**
 * The execution side of a member: the L2 state (committed MemoryState + uncommitted blocks in
 * BlockStates), the mempool, and the two callbacks consensus calls (buildPayload at the leader,
 * validateBlock at every member), plus applying commits to the store.
 *
 * All of it is synchronous, like the core: the node's event loop calls into it between awaits,
 * so the state a proposal is validated against cannot change under it.
 */
import { zeroHash, type Address, type Hex } from "viem";
import { keccak256 } from "../crypto/keccak.ts";
import type { Block, BuildPayload, CommittedBlock, MayPropose, QC, Signer, ValidateBlock } from "../consensus/index.ts";
import { encodeCommitProof } from "../consensus/index.ts";
import {
  BlockStates,
  buildBlock,
  createGenesis,
  decodeBlockData,
  encodeBlockData,
  executeBlock,
  ExecutionError,
  maxTransactionCost,
  Mempool,
  MemoryState,
  receiptFromJson,
  receiptToJson,
  type BlockHashes,
  type BlockResult,
  type Transfer,
} from "../execution/index.ts";
import { hashHeader, type Header } from "../protocol/header.ts";
import type { Withdrawal } from "../protocol/withdrawals.ts";
import type { Store } from "../store/index.ts";
import type { NodeConfig } from "./config.ts";
import { decodeProposal } from "./persisted.ts";
import { loadState, stateRecord } from "./state-store.ts";
import { isEpochSuffix, type EpochEnd } from "./epochs.ts";
import { originFor, originRefusal, type L1View } from "./origin.ts";
import { storeIdentityOf } from "../deployment/contracts.ts";

/** A proposal's timestamp may run ahead of this member's clock by at most this (clock skew). */
const MAX_FUTURE_SECONDS = 15n;

/**
 * The identity the store is opened with. With L1 it is the deployment's, spelled as every other
 * process that opens a member's store spells it (scripts/settle.ts); the config's genesis was
 * rebuilt from the same deployment and checked against its hash (config.ts).
 */
export function storeIdentity(config: NodeConfig): { chainId: string; rollup: string; genesisHash: string } {
  if (config.l1 !== undefined) return storeIdentityOf(config.l1.deployment);
  return { chainId: config.domain.chainId.toString(), rollup: config.domain.rollup.toLowerCase(), genesisHash: genesisOf(config).hash };
}

export function genesisOf(config: NodeConfig): { block: Block; hash: Hex; state: MemoryState } {
  const { header, state } = createGenesis({ config: config.execution, timestamp: config.genesis.timestamp, l1Origin: config.genesis.l1Origin, l1OriginHash: config.genesis.l1OriginHash, balances: config.genesis.balances });
  const block: Block = { header, justify: { view: 0n, blockHash: zeroHash, signers: 0n, signature: null }, payload: encodeBlockData([]) };
  return { block, hash: hashHeader(config.domain.chainId, config.domain.rollup, header), state };
}

export type { L1View } from "./origin.ts";

/** What a commit wrote, for logs and metrics. */
export interface AppliedCommit {
  readonly number: bigint;
  readonly hash: Hex;
  readonly transactions: number;
}

export class Chain {
  readonly #config: NodeConfig;
  readonly #store: Store;
  readonly #signer: Signer;
  readonly #l1: L1View | undefined;
  readonly #feeRecipientOf: (member: number) => Address | undefined;
  /** Where the current committee epoch ends, once L1 has started the next one (epochs.ts). */
  #epochEnd: () => EpochEnd | undefined = () => undefined;
  #proposeGate: MayPropose | undefined;
  readonly genesis: { readonly block: Block; readonly hash: Hex };
  /** Decodes stored blocks and proofs of any epoch (replica.ts: a decoding-only signer as wide as any committee). */
  readonly decoder: Signer;
  readonly committed: MemoryState;
  readonly states: BlockStates;
  readonly mempool: Mempool;

  /**
   * Opens the chain from the store: the committed accounts and head. A fresh store gets the
   * genesis block committed at height 0, so that accounts() is always the whole committed state.
   */
  /**
   * `feeRecipientOf`: where a member's priority fees go, by member id (the directory: a member
   * admitted on L1 has its fee recipient there, not in a config); default the config's committee.
   */
  constructor(config: NodeConfig, store: Store, signer: Signer, l1?: L1View, feeRecipientOf?: (member: number) => Address | undefined) {
    this.#config = config;
    this.#feeRecipientOf = feeRecipientOf ?? ((id) => config.committee[id]?.feeRecipient);
    this.#l1 = l1;
    this.#store = store;
    this.#signer = signer;
    this.decoder = signer;
    const genesis = genesisOf(config);
    this.genesis = { block: genesis.block, hash: genesis.hash };
    if (store.committedHead() === undefined) {
      store.commitBlock({
        number: 0n,
        hash: genesis.hash,
        transactions: [],
        ...stateRecord(new Map(genesis.state.accounts())),
        withdrawals: [],
      });
    }
    const head = store.committedHead()!;
    this.committed = loadState(store);
    const header = head.number === 0n ? genesis.block.header : this.blockAt(head.number)!.header;
    this.states = new BlockStates(this.committed, { hash: head.hash as Hex, header });
    this.mempool = new Mempool(config.mempool);
  }

  /**
   * The highest L2 block final on L1, from the settlement follower's store fact `l1:finalized`
   * (src/settlement/follower.ts: JSON with a decimal `number`); 0 until settlement runs.
   */
  finalizedHeight(): bigint {
    const text = this.#store.getFact("l1:finalized");
    if (text === undefined) return 0n;
    try {
      const n = (JSON.parse(text) as { number?: unknown }).number;
      return typeof n === "string" && /^\d+$/.test(n) ? BigInt(n) : 0n;
    } catch {
      return 0n;
    }
  }

  hashOf(header: Header): Hex {
    return hashHeader(this.#config.domain.chainId, this.#config.domain.rollup, header);
  }

  /** This member's fee recipient: a member proposes only in an epoch that names it, and the directory knows every such member. */
  #proposer(): Address {
    const recipient = this.#feeRecipientOf(this.#config.member);
    if (recipient === undefined) throw new Error(`member ${this.#config.member} has no fee recipient: neither its config nor L1 names it`);
    return recipient;
  }

  /** A committed block by height, from the store (genesis included). */
  blockAt(number: bigint): Block | undefined {
    if (number === 0n) return this.genesis.block;
    const hash = this.#store.canonicalHash(number);
    if (hash === undefined) return undefined;
    const stored = this.#store.getBlock(hash);
    if (stored === undefined) return undefined;
    return decodeProposal(stored.data, this.#signer).block;
  }

  /** The raw transactions a block's data carries, in order. */
  rawTransactions(block: Block): Hex[] {
    return decodeBlockData(block.payload, this.#config.execution.maxTransactionsPerBlock);
  }

  /**
   * A committed block's whole transaction list, as execution made it (the order of its
   * transactions root and of its receipts' transactionIndex): the forced transactions it took
   * from the L1 Inbox and executed, then the transactions of its block data. The forced ones are
   * not in the block data (L1 holds them), so they are read back from the Inbox entries their
   * receipts name. A standalone member (no L1) has none.
   */
  committedTransactions(block: Block): Hex[] {
    const data = this.rawTransactions(block);
    const number = block.header.number;
    // Forced transactions come first; when the store holds no more than the block data, there are none.
    const count = this.#store.transactionCountOf(number);
    if (count <= data.length) return data;
    const forced = this.#store.transactionsOf(number).slice(0, count - data.length).map((t) => {
      const index = receiptFromJson(t.receipt).inboxIndex;
      const entry = index === undefined ? undefined : this.#l1?.inboxEntries()[Number(index)];
      if (entry === undefined || keccak256(entry.data) !== t.hash.toLowerCase()) {
        throw new Error(`block ${number}: transaction ${t.index} (${t.hash}) is not the forced transaction of Inbox entry ${index} as this member read it from L1`);
      }
      return entry.data;
    });
    return [...forced, ...data];
  }

  /** The withdrawals a committed block recorded, in leaf order (as applyCommit stored them). */
  withdrawalsOf(number: bigint): Withdrawal[] {
    return this.#store.withdrawalsOf(number).map((text) => {
      const w = JSON.parse(text) as Record<keyof Withdrawal, string | undefined>;
      const withdrawal: Withdrawal = { blockNumber: BigInt(w.blockNumber!), index: BigInt(w.index!), recipient: w.recipient as Address, amount: BigInt(w.amount!) };
      return w.transactionHash === undefined ? withdrawal : { ...withdrawal, transactionHash: w.transactionHash as Hex };
    });
  }


  /** Hashes of the transactions a block's data carries, in order. */
  transactionHashes(block: Block): Hex[] {
    return this.rawTransactions(block).map((raw) => keccak256(raw));
  }

  readonly buildPayload: BuildPayload = (parent, view, now) => {
    const parentHash = this.hashOf(parent.header);
    const clock = BigInt(Math.floor(now / 1000));
    // Past the epoch-change block the old committee only certifies: no transactions, no Inbox
    // entries, the parent's l1Origin (epochs.ts). What would go in stays in the mempool and the
    // Inbox for the next epoch's first blocks.
    const suffix = isEpochSuffix(parent.header, this.#epochEnd());
    const origin = suffix ? { number: parent.header.l1Origin, hash: parent.header.l1OriginHash } : originFor(parent.header, this.#l1, now);
    const built = buildBlock({
      config: this.#config.execution,
      parent: parent.header,
      parentHash,
      blockHashes: this.#branchHashes(parentHash),
      state: this.states.stateAfter(parentHash),
      view,
      timestamp: clock > parent.header.timestamp ? clock : parent.header.timestamp,
      proposer: this.#proposer(),
      l1Origin: origin.number,
      l1OriginHash: origin.hash,
      inbox: suffix ? [] : (this.#l1?.inboxEntries() ?? []),
      mempool: suffix ? [] : this.mempool.transactions(),
    });
    // Consensus fills number, view and parentHash with the values buildBlock used, so the block
    // hash computed here is the one consensus will give the block.
    this.states.add(this.hashOf(built.header), built);
    const { number: _n, view: _v, parentHash: _p, ...fields } = built.header;
    return { payload: built.blockData, fields };
  };

  /** Who decides when this member's proposals are built (the replica's pacing); unset: at once. */
  setProposeGate(gate: MayPropose): void {
    this.#proposeGate = gate;
  }

  readonly mayPropose: MayPropose = (parent, view, now) => this.#proposeGate?.(parent, view, now) ?? true;

  /** Where the member's current epoch ends, once L1 has started the next one (src/node/epochs.ts). */
  setEpochEnd(source: () => EpochEnd | undefined): void {
    this.#epochEnd = source;
  }

  readonly validateBlock: ValidateBlock = (block, parent, now) => {
    const limit = BigInt(Math.floor(now / 1000)) + MAX_FUTURE_SECONDS;
    if (block.header.timestamp > limit) return { ok: false, reason: `timestamp ${block.header.timestamp} is more than ${MAX_FUTURE_SECONDS}s ahead of this member's clock` };
    const refusal = originRefusal(block.header, this.#l1);
    if (refusal !== undefined) return { ok: false, reason: refusal };
    try {
      // Past the epoch-change block, blocks only certify it: the suffix is dropped at the switch,
      // so anything it carried would be lost (epochs.ts).
      if (isEpochSuffix(parent.header, this.#epochEnd())) {
        const h = block.header;
        if (h.l1Origin !== parent.header.l1Origin || h.l1OriginHash !== parent.header.l1OriginHash || h.inboxCursor !== parent.header.inboxCursor || this.rawTransactions(block).length > 0) {
          return { ok: false, reason: `block ${h.number} follows the epoch-change block (L1 started the next epoch): it must carry no transactions, no Inbox entries and its parent's l1Origin ${parent.header.l1Origin}` };
        }
      }
      this.#execute(block, parent);
      return { ok: true };
    } catch (e) {
      if (e instanceof ExecutionError) return { ok: false, reason: `${e.code}: ${e.message}` };
      if (e instanceof RangeError) return { ok: false, reason: e.message };
      throw e;
    }
  };

  #execute(block: Block, parent: Block): BlockResult {
    const parentHash = this.hashOf(parent.header);
    const result = executeBlock({
      config: this.#config.execution,
      parent: parent.header,
      parentHash,
      blockHashes: this.#branchHashes(parentHash),
      state: this.states.stateAfter(parentHash),
      header: block.header,
      blockData: block.payload,
      inbox: this.#l1?.inboxEntries() ?? [],
      knownTransaction: (h) => this.mempool.get(h),
    });
    this.states.add(this.hashOf(block.header), result);
    return result;
  }

  /** BLOCKHASH for a child of block `tip`: the hashes on the branch that ends at it. */
  #branchHashes(tip: Hex): BlockHashes {
    return (number) => this.states.hashOnBranch(tip, number, (n) => this.#store.canonicalHash(n) as Hex | undefined);
  }

  /**
   * After a restart: re-executes the uncommitted blocks the store holds (they were validated
   * before they were stored), so their children can be validated and they can commit later.
   */
  restorePending(blocks: readonly Block[]): number {
    let restored = 0;
    const sorted = [...blocks].sort((a, b) => (a.header.number < b.header.number ? -1 : a.header.number > b.header.number ? 1 : 0));
    for (const block of sorted) {
      const hash = this.hashOf(block.header);
      if (this.states.has(hash) || !this.states.has(block.header.parentHash)) continue;
      const parentHeader = this.states.header(block.header.parentHash)!;
      try {
        this.#execute(block, { header: parentHeader, justify: block.justify, payload: "0x" });
        restored++;
      } catch {
        // A block that no longer executes (its fork died) is simply not restored.
      }
    }
    return restored;
  }

  /**
   * Applies committed blocks: the committed state, the store (one transaction per block:
   * canonical entry, receipts, accounts, withdrawals), the commit proof of the last block when
   * `proof` is its two-chain, and the mempool.
   */
  applyCommit(blocks: readonly CommittedBlock[], proof: { child: Block; childQc: QC } | undefined, epoch: bigint): AppliedCommit[] {
    const last = blocks[blocks.length - 1];
    if (last === undefined) return [];
    const results = this.states.commit(last.hash);
    const applied: AppliedCommit[] = [];
    const senders = new Set<Address>();
    for (const result of results) {
      const hash = this.hashOf(result.header);
      this.#store.commitBlock({
        number: result.header.number,
        hash,
        transactions: result.receipts.map((r) => ({ hash: r.transactionHash, index: r.transactionIndex, receipt: receiptToJson(r) })),
        ...stateRecord(result.changes),
        withdrawals: result.withdrawals.map((w) => JSON.stringify(w, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))),
      });
      for (const tx of result.transactions) senders.add(tx.from);
      applied.push({ number: result.header.number, hash, transactions: result.transactions.length });
    }
    // The two-chain that finalizes the last block, as the settlement worker reads it, with the
    // epoch its QCs were signed in (L1 settles only proofs of its current epoch).
    // (None when the commit was cut at an epoch-change block: that proof certifies a later block.)
    if (proof !== undefined) this.#store.putCommitProof(last.block.header.number, encodeCommitProof(proof), epoch);
    this.mempool.prune(this.committed, senders);
    return applied;
  }

  /**
   * The stateful admission check behind eth_sendRawTransaction, against the committed state and
   * this member's pending transactions: the same refusals mempool.add would give, before the
   * transaction is queued, so the sender hears them.
   */
  checkAdmission(tx: Transfer): void {
    if (this.mempool.has(tx.hash)) throw new ExecutionError("ALREADY_KNOWN", "already known", `transaction ${tx.hash}`);
    const account = this.committed.getAccount(tx.from);
    if (tx.nonce < account.nonce) throw new ExecutionError("NONCE_TOO_LOW", "nonce too low", `expected at least ${account.nonce}, got ${tx.nonce}`);
    const ahead = BigInt(this.#config.mempool.maxPerSender);
    if (tx.nonce >= account.nonce + ahead) {
      throw new ExecutionError("NONCE_TOO_HIGH", "nonce too far ahead", `account nonce ${account.nonce}, got ${tx.nonce}, at most ${account.nonce + ahead - 1n}`);
    }
    const cost = maxTransactionCost(tx);
    if (account.balance < cost) throw new ExecutionError("INSUFFICIENT_FUNDS", "insufficient funds for gas * price + value", `balance ${account.balance}, cost ${cost}`);
  }

  /** Adds to the mempool against the committed state (nonce gaps wait there for their turn). */
  addToMempool(tx: Transfer): void {
    this.mempool.add(tx, this.committed.getAccount(tx.from));
  }
}
