/**
 * An in-memory chain behind an RpcContext, for RPC tests that need blocks with transactions,
 * receipts with logs and commit events without a member: `commit` appends a block (its receipts
 * carry the logs given) and emits the commit event as the member does; `accept` emits a pending
 * transaction. Transactions are real signed ones (test/execution/fixtures.ts), so formatting
 * recovers senders as it does on a member.
 */
import { EventEmitter } from "node:events";
import { keccak256, parseTransaction, recoverTransactionAddress, type Address, type Hex } from "viem";
import type { Block } from "../../../src/consensus/index.ts";
import type { Receipt, ReceiptLog } from "../../../src/execution/index.ts";
import type { Header } from "../../../src/protocol/header.ts";
import type { RpcBlock, RpcContext } from "../../../src/rpc/index.ts";

const word = (n: bigint | number): Hex => `0x${BigInt(n).toString(16).padStart(64, "0")}`;
const TYPES = { legacy: "legacy", eip2930: "eip2930", eip1559: "eip1559" } as const;

export interface ChainTransaction {
  readonly raw: Hex;
  readonly logs?: readonly ReceiptLog[];
}

/** Chains made so far: each one's block hashes are its own (the RPC caches blooms by block hash). */
let chains = 0;

export class MemoryChain {
  readonly blocks: RpcBlock[] = [];
  readonly #id = ++chains;
  readonly #receipts = new Map<Hex, { receipt: Receipt; blockHash: Hex }>();
  readonly #pending = new Map<Hex, Hex>();
  readonly #events = new EventEmitter<{ committed: [bigint]; accepted: [Hex] }>();
  readonly ctx: RpcContext;

  constructor(chainId = 901n) {
    this.blocks.push(this.#block(0n, []));
    const chain = this;
    this.ctx = {
      chainId,
      events: {
        onCommitted: (l) => (chain.#events.on("committed", l), () => void chain.#events.off("committed", l)),
        onPendingTransaction: (l) => (chain.#events.on("accepted", l), () => void chain.#events.off("accepted", l)),
      },
      committedHeight: () => BigInt(chain.blocks.length - 1),
      finality: () => undefined,
      settlement: () => undefined,
      account: () => ({ nonce: 0n, balance: 10n ** 18n }),
      proveAccount: () => {
        throw new Error("not in this fake");
      },
      // This fake serves blocks, receipts and logs; the EVM's state is test/rpc/evm.test.ts's.
      oldestState: () => 0n,
      code: () => "0x",
      storage: () => 0n,
      simulate: () => Promise.reject(new Error("no EVM in this fake")),
      blockGasLimit: 30_000_000n,
      sendRawTransaction: async (raw) => chain.accept(raw),
      receipt: (hash) => chain.#receipts.get(hash.toLowerCase() as Hex),
      transaction(hash) {
        const lower = hash.toLowerCase() as Hex;
        const found = chain.#receipts.get(lower);
        if (found === undefined) {
          const raw = chain.#pending.get(lower);
          return raw === undefined ? undefined : { raw };
        }
        const b = chain.blocks[Number(found.receipt.blockNumber)]!;
        return { raw: b.rawTransactions[found.receipt.transactionIndex]!, block: { hash: b.hash, number: found.receipt.blockNumber, index: found.receipt.transactionIndex } };
      },
      blockByNumber: (n) => (n >= 0n && n < BigInt(chain.blocks.length) ? chain.blocks[Number(n)] : undefined),
      blockByHash: (hash) => chain.blocks.find((b) => b.hash === hash.toLowerCase()),
      withdrawals: () => [],
      quorumCertificate: () => undefined,
      committee: () => ({ epoch: 0n, quorum: 1, members: [] }),
      status: async () => ({}),
    };
  }

  get head(): RpcBlock {
    return this.blocks[this.blocks.length - 1]!;
  }

  /** A transaction enters the mempool: pending until a commit includes it. */
  accept(raw: Hex): Hex {
    const hash = keccak256(raw);
    this.#pending.set(hash, raw);
    this.#events.emit("accepted", hash);
    return hash;
  }

  /** Appends a committed block holding `txs` (their receipts carry the logs given) and emits the commit. */
  async commit(txs: readonly ChainTransaction[] = []): Promise<RpcBlock> {
    const number = BigInt(this.blocks.length);
    const b = this.#block(number, txs.map((t) => t.raw));
    let cumulative = 0n;
    let logCount = 0;
    for (const [index, t] of txs.entries()) {
      const parsed = parseTransaction(t.raw);
      const from = (await recoverTransactionAddress({ serializedTransaction: t.raw as never })).toLowerCase() as Address;
      cumulative += 21_000n;
      const receipt: Receipt = {
        transactionHash: b.transactionHashes[index]!,
        transactionIndex: index,
        blockNumber: number,
        from,
        to: (parsed.to?.toLowerCase() as Address | undefined) ?? null,
        type: TYPES[(parsed.type ?? "legacy") as keyof typeof TYPES],
        status: "success",
        contractAddress: null,
        logs: t.logs ?? [],
        firstLogIndex: logCount,
        gasUsed: 21_000n,
        cumulativeGasUsed: cumulative,
        effectiveGasPrice: 1_000_000_000n,
        inboxIndex: undefined,
      };
      logCount += receipt.logs.length;
      this.#receipts.set(receipt.transactionHash, { receipt, blockHash: b.hash });
      this.#pending.delete(receipt.transactionHash);
    }
    this.blocks.push(b);
    this.#events.emit("committed", number);
    return b;
  }

  /** Appends `n` empty blocks, with one commit event for all of them (a member commits chains of blocks at once). */
  commitEmpty(n: number): void {
    for (let i = 0; i < n; i++) this.blocks.push(this.#block(BigInt(this.blocks.length), []));
    this.#events.emit("committed", BigInt(this.blocks.length - 1));
  }

  #block(number: bigint, rawTransactions: Hex[]): RpcBlock {
    const header: Header = {
      number,
      view: number * 2n,
      parentHash: number === 0n ? word(0) : this.blocks[Number(number) - 1]!.hash,
      timestamp: 1_700_000_000n + number,
      proposer: "0x00000000000000000000000000000000000000fe",
      l1Origin: 0n,
      l1OriginHash: word(0),
      inboxCursor: 0n,
      inboxHash: word(0),
      dataHash: word(number + 1000n),
      stateRoot: word(number + 2000n),
      transactionsRoot: word(number + 3000n),
      receiptsRoot: word(number + 4000n),
      withdrawalsRoot: word(number + 5000n),
      baseFee: 7n,
      gasUsed: 21_000n * BigInt(rawTransactions.length),
    };
    const block = { header, payload: "0x00", justify: undefined } as unknown as Block;
    return { hash: keccak256(`${word(number)}${word(this.#id).slice(2)}`), block, rawTransactions, transactionHashes: rawTransactions.map((r) => keccak256(r)) };
  }
}
