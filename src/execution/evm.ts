/**
 * Running one transaction in the EVM (@ethereumjs/vm's runTx, Prague rules) over our state.
 *
 * ethereumjs never owns the state: `OverlayState` implements its StateManager interface as a
 * journaled overlay on a synchronous `StateReader` (a block's pending state, or a committed state
 * for eth_call). runTx does everything Ethereum does around the interpreter (intrinsic gas with
 * access lists and the EIP-7623 floor, up-front debit, nonce, refunds, the tip to the coinbase and
 * the base fee burnt by not crediting it, EIP-161 removal of touched empty accounts); what it
 * wrote is handed back as plain values (`EvmOutcome.writes`) for the caller to apply. Roots stay
 * ours: ethereumjs is never asked for one.
 *
 * Withdrawals from contracts: a call that moves value into WITHDRAWAL_ADDRESS and succeeds, in a
 * frame none of whose ancestors reverts, is a withdrawal by that call's `msg.sender`. The frames
 * are followed with the EVM's beforeMessage/afterMessage events, so a reverted frame drops the
 * withdrawals made under it exactly as the journal drops its state.
 */
import { createCustomCommon, Hardfork, Mainnet, type Common } from "@ethereumjs/common";
import { createBlock, type Block } from "@ethereumjs/block";
import type { Message } from "@ethereumjs/evm";
import { createTx, type TypedTransaction } from "@ethereumjs/tx";
import { createAddressFromString, hexToBytes } from "@ethereumjs/util";
import { createVM, runTx, type VM } from "@ethereumjs/vm";
import { bytesToHex, getContractAddress, type Address, type Hex } from "viem";
import { WITHDRAWAL_ADDRESS } from "../protocol/withdrawals.ts";
import { keccak_256 } from "../crypto/keccak.ts";
import { OverlayState } from "./overlayState.ts";
import type { ReceiptLog } from "./receipts.ts";
import type { Account, StateReader } from "./state.ts";
import type { Transfer } from "./transaction.ts";

const WITHDRAWAL = WITHDRAWAL_ADDRESS.toLowerCase() as Address;

/** The transaction fields execution needs: a decoded `Transfer` has them all, a call builds them. */
export type EvmTransaction = Pick<Transfer, "type" | "from" | "to" | "nonce" | "value" | "gasLimit" | "maxFeePerGas" | "maxPriorityFeePerGas" | "data" | "accessList">;

/**
 * BLOCKHASH's source: the hash of block `number` on the chain the transaction's block extends.
 * Asked only for the 256 blocks before it (ethereumjs answers 0 outside that window, as Ethereum
 * does); undefined for a block the caller does not know, which BLOCKHASH also reads as 0.
 */
export type BlockHashes = (number: bigint) => Hex | undefined;

export interface EvmBlock {
  readonly chainId: bigint;
  readonly number: bigint;
  readonly timestamp: bigint;
  /** The proposer's fee recipient: the tip goes there. */
  readonly coinbase: Address;
  readonly baseFee: bigint;
  readonly gasLimit: bigint;
}

export interface EvmWrites {
  /** New account values; an empty account is deleted with its storage. */
  readonly accounts: [Address, Account][];
  readonly code: [Address, Uint8Array][];
  readonly storage: [Address, Hex, bigint][];
}

export type EvmOutcome =
  | {
      readonly kind: "executed";
      readonly status: "success" | "reverted";
      /** Gas charged (after refunds, at least the EIP-7623 floor): the receipt's gasUsed. */
      readonly gasUsed: bigint;
      readonly logs: ReceiptLog[];
      readonly contractAddress: Address | null;
      /** The return data, or the revert data of a reverted transaction. */
      readonly returnData: Hex;
      /** ethereumjs's reason for a failure ("revert", "out of gas", ...). */
      readonly error: string | undefined;
      readonly withdrawals: { recipient: Address; amount: bigint }[];
      readonly writes: EvmWrites;
    }
  /** runTx refused the transaction before executing it (it changes nothing). */
  | { readonly kind: "invalid"; readonly reason: string };

/** Options for calls that are not block transactions (eth_call, eth_estimateGas). */
export interface EvmRunOptions {
  /** Skip the nonce and balance checks (a call from any account, funded or not, as geth does). */
  readonly simulate?: boolean;
}

const commons = new Map<bigint, Common>();
const ZERO_HASH = new Uint8Array(32);
/** The running transaction's BLOCKHASH source (transactions run one at a time). */
let currentHashes: BlockHashes | undefined;
/** What the EVM asks of a blockchain: BLOCKHASH's getBlock(number).hash() only. */
const blockchain = {
  async getBlock(number: number | bigint | Uint8Array) {
    const hash = typeof number === "object" ? undefined : currentHashes?.(BigInt(number));
    return { hash: () => (hash === undefined ? ZERO_HASH : hexToBytes(hash)) };
  },
  shallowCopy() {
    return blockchain;
  },
};
const machines = new Map<bigint, Promise<{ vm: VM; state: OverlayState; frames: Frames }>>();
/** A machine runs one transaction at a time: concurrent callers (RPC calls) wait their turn. */
let turn: Promise<unknown> = Promise.resolve();

/**
 * The KZG point-evaluation precompile (0x0a) needs the KZG trusted setup, which no installed
 * package carries. Without one, ethereumjs aborts the whole transaction; with this stand-in the
 * precompile runs its input checks as Ethereum does and fails a well-formed proof (consuming the
 * call's gas) instead of verifying it. No blob exists on this L2 to make such a proof for.
 */
const KZG_UNAVAILABLE = {
  verifyProof(): boolean {
    throw new Error("KZG point evaluation is not available on this L2 (no trusted setup)");
  },
};

function commonFor(chainId: bigint): Common {
  let common = commons.get(chainId);
  if (common === undefined) {
    common = createCustomCommon({ chainId: Number(chainId), name: `l2-${chainId}` }, Mainnet, {
      hardfork: Hardfork.Prague,
      customCrypto: { kzg: KZG_UNAVAILABLE as unknown as NonNullable<NonNullable<Parameters<typeof createCustomCommon>[2]>["customCrypto"]>["kzg"], keccak256: keccak_256 },
    });
    commons.set(chainId, common);
  }
  return common;
}

/** The withdrawals made in each open call frame, merged into the parent when a frame succeeds. */
class Frames {
  stack: { message: Message; withdrawals: { recipient: Address; amount: bigint }[] }[] = [];
  done: { recipient: Address; amount: bigint }[] = [];

  reset(): void {
    this.stack = [];
    this.done = [];
  }

  enter(message: Message): void {
    this.stack.push({ message, withdrawals: [] });
  }

  leave(failed: boolean): void {
    const frame = this.stack.pop();
    if (frame === undefined || failed) return;
    const { message } = frame;
    if (message.to !== undefined && !message.delegatecall && message.value > 0n && message.to.toString() === WITHDRAWAL) {
      frame.withdrawals.push({ recipient: message.caller.toString() as Address, amount: message.value });
    }
    const parent = this.stack[this.stack.length - 1];
    (parent === undefined ? this.done : parent.withdrawals).push(...frame.withdrawals);
  }
}

/** One VM per chain id, reused across transactions: creating one costs far more than a transfer. */
function machineFor(chainId: bigint): Promise<{ vm: VM; state: OverlayState; frames: Frames }> {
  let machine = machines.get(chainId);
  if (machine === undefined) {
    machine = (async () => {
      const state = new OverlayState();
      const vm = await createVM({ common: commonFor(chainId), stateManager: state, blockchain: blockchain as unknown as NonNullable<Parameters<typeof createVM>[0]>["blockchain"] });
      const frames = new Frames();
      vm.evm.events!.on("beforeMessage", (message: Message) => frames.enter(message));
      vm.evm.events!.on("afterMessage", (result: { execResult: { exceptionError?: unknown } }) => frames.leave(result.execResult.exceptionError !== undefined));
      return { vm, state, frames };
    })();
    machines.set(chainId, machine);
  }
  return machine;
}

function toEvmTransaction(tx: EvmTransaction, common: Common): TypedTransaction {
  const base = {
    nonce: tx.nonce,
    gasLimit: tx.gasLimit,
    to: tx.to ?? undefined,
    value: tx.value,
    data: tx.data,
  };
  const accessList = tx.accessList.map((e) => ({ address: e.address, storageKeys: [...e.storageKeys] }));
  const data =
    tx.type === "eip1559" ? { ...base, type: 2, maxFeePerGas: tx.maxFeePerGas, maxPriorityFeePerGas: tx.maxPriorityFeePerGas, accessList }
    : tx.type === "eip2930" ? { ...base, type: 1, gasPrice: tx.maxFeePerGas, accessList }
    : { ...base, type: 0, gasPrice: tx.maxFeePerGas };
  const evmTx = createTx(data, { common }) as TypedTransaction;
  // The sender was recovered (and the signature checked) when the transaction was decoded;
  // ethereumjs would recover it again for about a millisecond per transaction. The transaction
  // object is frozen, hence a view of it that answers getSenderAddress from what we know.
  const sender = createAddressFromString(tx.from);
  return new Proxy(evmTx, {
    get(target, property) {
      if (property === "getSenderAddress") return () => sender;
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** The last block context made: every transaction of a block shares it (making one costs ~0.25 ms). */
let lastBlock: { key: string; block: Block } | undefined;

function blockFor(env: EvmBlock, common: Common): Block {
  const key = `${env.chainId}:${env.number}:${env.timestamp}:${env.coinbase}:${env.baseFee}:${env.gasLimit}`;
  if (lastBlock?.key === key) return lastBlock.block;
  const block = makeBlock(env, common);
  lastBlock = { key, block };
  return block;
}

function makeBlock(env: EvmBlock, common: Common): Block {
  return createBlock(
    { header: { number: env.number, timestamp: env.timestamp, coinbase: env.coinbase, baseFeePerGas: env.baseFee, gasLimit: env.gasLimit } },
    { common, skipConsensusFormatValidation: true },
  );
}

/**
 * Executes `tx` on top of `reader` in block `env`, BLOCKHASH reading `hashes`. Nothing is written
 * to `reader`: the outcome carries the writes. Calls run one at a time, in the order they were made.
 */
export function runEvmTransaction(reader: StateReader, hashes: BlockHashes, tx: EvmTransaction, env: EvmBlock, options: EvmRunOptions = {}): Promise<EvmOutcome> {
  const run = turn.then(() => runAlone(reader, hashes, tx, env, options));
  turn = run.catch(() => undefined);
  return run;
}

async function runAlone(reader: StateReader, hashes: BlockHashes, tx: EvmTransaction, env: EvmBlock, options: EvmRunOptions): Promise<EvmOutcome> {
  const { vm, state, frames } = await machineFor(env.chainId);
  const common = commonFor(env.chainId);
  state.reset(reader);
  currentHashes = hashes;
  frames.reset();
  try {
    const result = await runTx(vm, {
      tx: toEvmTransaction(tx, common),
      block: blockFor(env, common),
      skipHardForkValidation: true,
      skipBlockGasLimitValidation: options.simulate === true,
      skipBalance: options.simulate === true,
      skipNonce: options.simulate === true,
    });
    const exec = result.execResult;
    const failed = exec.exceptionError !== undefined;
    return {
      kind: "executed",
      status: failed ? "reverted" : "success",
      gasUsed: result.totalGasSpent,
      logs: failed ? [] : (exec.logs ?? []).map(([address, topics, data]) => ({
        address: bytesToHex(address),
        topics: topics.map((t) => bytesToHex(t)),
        data: bytesToHex(data),
      })),
      contractAddress: tx.to === null ? contractAddressOf(tx) : null,
      returnData: bytesToHex(exec.returnValue),
      error: exec.exceptionError?.error,
      withdrawals: failed ? [] : frames.done,
      writes: state.writes(),
    };
  } catch (error) {
    return { kind: "invalid", reason: (error as Error).message.split("\n")[0] ?? String(error) };
  } finally {
    state.reset(undefined);
    currentHashes = undefined;
  }
}

/** CREATE's address (keccak(rlp([sender, nonce]))); geth's receipt names it for a failed creation too. */
function contractAddressOf(tx: EvmTransaction): Address {
  return getContractAddress({ from: tx.from, nonce: tx.nonce }).toLowerCase() as Address;
}
