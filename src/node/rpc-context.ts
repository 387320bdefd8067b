/** The RPC's view of a member (src/rpc/context.ts), answered from the store and the chain. */
import { bytesToHex, type Address, type Hex } from "viem";
import { keccak256 } from "../crypto/keccak.ts";
import { decodeCommitProof, type Block, type QC } from "../consensus/index.ts";
import { quorumSize } from "../crypto/index.ts";
import { overrideState, receiptFromJson, simulateEvmTransaction, type State } from "../execution/index.ts";
import type { RpcBlock, RpcContext, RpcEvents, RpcFinality } from "../rpc/index.ts";
import { FINALIZED_FACT, parseFinality } from "../settlement/index.ts";
import type { Member } from "./member.ts";

export function createRpcContext(member: Member): RpcContext {
  // member.core and member.epoch change when the committee epoch does: read them per call.
  const { chain, store, network, config } = member;
  // Decoding a stored commit proof only deserializes signatures: the chain's decoding signer
  // reads any epoch's (a committee may hold members no config lists).
  const signer = chain.decoder;
  const directory = member.replica.directory;
  const toRpcBlock = (block: Block, hash: Hex): RpcBlock => {
    const rawTransactions = chain.committedTransactions(block);
    return { hash, block, rawTransactions, transactionHashes: rawTransactions.map((r) => keccak256(r)) };
  };
  const finality = (): RpcFinality | undefined => {
    const text = store.getFact(FINALIZED_FACT);
    if (text === undefined) return undefined;
    try {
      return parseFinality(text);
    } catch {
      return undefined; // a fact we cannot read is no finality, not an RPC failure
    }
  };
  /** The committed state after block `at` (the head by default); the RPC checked that it is kept. */
  const stateAt = (at: bigint | undefined): State => {
    if (at === undefined || at === chain.states.committedHead.header.number) return chain.committed;
    const state = chain.states.stateAt(at);
    if (state === undefined) throw new RangeError(`the state at block ${at} is not kept (oldest ${chain.states.oldestState})`);
    return state;
  };
  return {
    chainId: config.domain.chainId,
    events: memberEvents(member),
    committedHeight: () => chain.states.committedHead.header.number,
    finality,
    settlement: (number) => member.l1?.follower.finality(number),
    oldestState: () => chain.states.oldestState,
    account(address, pending, at) {
      const a = stateAt(at).getAccount(address);
      return pending ? { nonce: chain.mempool.pendingNonce(address, a.nonce), balance: a.balance } : a;
    },
    proveAccount: (address, slots, at) => stateAt(at).proveAccount(address, slots),
    code: (address, at) => bytesToHex(stateAt(at).getCode(address.toLowerCase() as Address)),
    storage: (address, slot, at) => stateAt(at).getStorage(address.toLowerCase() as Address, slot),
    simulate(tx, at, overrides = new Map()) {
      const head = chain.states.committedHead.header;
      const header = at === undefined || at === head.number ? head : chain.blockAt(at)?.header;
      if (header === undefined) throw new RangeError(`block ${at} is not a committed block`);
      // A call without a gas price checks no base fee (geth's NoBaseFee for eth_call).
      const baseFee = tx.maxFeePerGas === 0n ? 0n : header.baseFee;
      const env = { chainId: config.execution.chainId, number: header.number, timestamp: header.timestamp, coinbase: header.proposer.toLowerCase() as Address, baseFee, gasLimit: config.execution.blockGasLimit };
      // The call runs on its own thread while blocks commit: it reads a snapshot, never the live state.
      const state = chain.states.stateAt(header.number) ?? stateAt(at);
      return simulateEvmTransaction(overrideState(state, overrides), (n) => store.canonicalHash(n) as Hex | undefined, tx, env, { simulate: true });
    },
    blockGasLimit: config.execution.blockGasLimit,
    sendRawTransaction: (raw) => member.submitTransaction(raw),
    receipt(hash) {
      const found = store.getTransaction(hash);
      return found === undefined ? undefined : { receipt: receiptFromJson(found.receipt), blockHash: found.blockHash as Hex };
    },
    transaction(hash) {
      const found = store.getTransaction(hash);
      if (found === undefined) {
        const pending = chain.mempool.get(hash);
        return pending === undefined ? undefined : { raw: pending.raw };
      }
      const block = chain.blockAt(found.blockNumber);
      // Forced transactions (from the L1 Inbox) are not in the block data: committedTransactions
      // reads them back from the Inbox, at the index their receipts give.
      const raw = block === undefined ? undefined : chain.committedTransactions(block)[found.index];
      if (raw === undefined || keccak256(raw) !== hash.toLowerCase()) return undefined;
      return { raw, block: { hash: found.blockHash as Hex, number: found.blockNumber, index: found.index } };
    },
    blockByNumber(number) {
      const block = chain.blockAt(number);
      return block === undefined ? undefined : toRpcBlock(block, chain.hashOf(block.header));
    },
    blockByHash(hash) {
      const lower = hash.toLowerCase() as Hex;
      if (lower === chain.genesis.hash.toLowerCase()) return toRpcBlock(chain.genesis.block, chain.genesis.hash);
      const stored = store.getBlock(lower);
      if (stored === undefined) return undefined;
      // Only canonical (committed) blocks: a stored proposal that lost its fork is not the chain.
      const block = chain.blockAt(stored.number);
      if (block === undefined || chain.hashOf(block.header).toLowerCase() !== lower) return undefined;
      return toRpcBlock(block, lower);
    },
    withdrawals: (number) => chain.withdrawalsOf(number),
    quorumCertificate(number) {
      const block = chain.blockAt(number);
      if (block === undefined) return undefined;
      const hash = chain.hashOf(block.header).toLowerCase();
      const certifies = (qc: QC | undefined) => (qc !== undefined && qc.signature !== null && qc.blockHash.toLowerCase() === hash ? qc : undefined);
      // Two-chain HotStuff: a committed block's child carries the QC over it (its justify). The
      // committed head's child is not committed yet; the commit proof stored with the head holds it.
      const child = chain.blockAt(number + 1n);
      if (child !== undefined) return certifies(child.justify);
      const proof = store.latestCommitProof(number);
      if (proof === undefined || proof.number !== number) return undefined;
      return certifies(decodeCommitProof(proof.data, signer).child.justify);
    },
    committee: () => {
      const { epoch, members } = member.epoch;
      return {
        epoch,
        quorum: quorumSize(members.length),
        members: members.map((m, index) => ({ index, memberId: m, publicKey: directory.get(m)!.publicKey.toHex(), feeRecipient: directory.get(m)!.feeRecipient })),
      };
    },
    async status() {
      const core = member.core;
      const safety = core.safety;
      const depth = async (f: () => Promise<number>) => {
        try {
          return await f();
        } catch {
          return null; // Redis down: the status still answers, with the depth unknown
        }
      };
      return {
        member: config.member,
        view: core.view.toString(),
        // The leader as a config member index, like `member` (the core counts in the epoch's order).
        leader: member.epoch.members[core.leaderOf(core.view)]!,
        highQcView: safety.highQc.view.toString(),
        lastVotedView: safety.lastVotedView.toString(),
        committedHeight: chain.states.committedHead.header.number.toString(),
        committedHash: chain.states.committedHead.hash,
        finalizedHeight: (finality()?.number ?? 0n).toString(),
        peers: network.connectedPeers(),
        mempool: chain.mempool.size,
        intakeDepth: await depth(() => member.intake.depth()),
        outboxDepth: await depth(() => member.outbox.depth()),
      };
    },
  };
}

/** The member's commit and admission events for subscriptions and filters; a listener's failure is logged, never the member's. */
function memberEvents(member: Member): RpcEvents {
  const listen = <K extends "committed" | "accepted">(event: K, listener: (value: never) => void) => {
    const guarded = (value: never) => {
      try {
        listener(value);
      } catch (e) {
        member.log("error", "rpc.listener_failed", { event, error: e instanceof Error ? e.message : String(e) });
      }
    };
    member.events.on(event, guarded as never);
    return () => void member.events.off(event, guarded as never);
  };
  return {
    onCommitted: (listener) => listen("committed", listener as (value: never) => void),
    onPendingTransaction: (listener) => listen("accepted", listener as (value: never) => void),
  };
}
