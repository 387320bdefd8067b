/**
 * A committed chain made the way the node makes it: four real consensus Cores with real BLS keys
 * (the committee the Rollup was deployed with, signing in the deployment's domain) exchange
 * their messages in-process until enough blocks are committed, and member 0 writes every
 * `commit` action into a real Store on disk exactly as the node does: the blocks
 * (encodeBlockRecord), the canonical records, and the commit proof of the last block
 * (encodeCommitProof). Time never advances, so no view times out: every block is a two-chain.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keccak256, zeroHash, type Hex } from "viem";
import {
  cacheVerifications,
  Core,
  createBlsSigner,
  encodeBlockRecord,
  encodeCommitProof,
  type Action,
  type Block,
  type BuildPayload,
  type Evidence,
  type Message,
  type Proposal,
  type Signer,
  type ValidateBlock,
} from "../../src/consensus/index.ts";
import type { SecretKey } from "../../src/crypto/index.ts";
import type { Domain } from "../../src/protocol/domain.ts";
import type { Header } from "../../src/protocol/header.ts";
import { accumulateInboxHash, EMPTY_INBOX_HASH, type InboxEntry } from "../../src/protocol/inbox.ts";
import { Store, type StoreIdentity } from "../../src/store/index.ts";

export interface CommitteeRun {
  readonly cores: readonly Core[];
  readonly signers: readonly Signer[];
  readonly evidence: Evidence[];
  /** Member 0's persist-block proposals by block hash (what the node stores as blocks). */
  readonly proposals: Map<Hex, Proposal>;
  /** Steps the committee until member 0 has committed at least `height` (throws if it stalls). */
  commitUntil(height: bigint): void;
  /** Hands member `to` a message from `from` (what it sends in answer waits in the queue). */
  deliver(to: number, from: number, message: Message): void;
}

export function genesisBlock(header: Header): Block {
  return { header, justify: { view: 0n, blockHash: zeroHash, signers: 0n, signature: null }, payload: "0x" };
}

/** Writes one commit action to the store, as the node does. */
export function recordCommit(store: Store, action: Extract<Action, { type: "commit" }>): void {
  for (const { hash, block } of action.blocks) {
    store.putBlock({ hash, number: block.header.number, view: block.header.view, epoch: 1n, proposer: -1, data: encodeBlockRecord(block) });
    store.commitBlock({ number: block.header.number, hash, transactions: [], accounts: [], withdrawals: [] });
  }
  store.putCommitProof(action.blocks[action.blocks.length - 1]!.block.header.number, encodeCommitProof(action.proof), 1n);
}

/** A store on disk for `identity` (storeIdentityOf(deployment), as the node opens it) holding genesis as block 0. */
export function openStore(identity: StoreIdentity, genesis: Block, options: { withGenesis?: boolean } = {}): { store: Store; path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "settlement-store-"));
  const path = join(dir, "store.sqlite");
  const store = Store.open(path, identity);
  if (options.withGenesis ?? true) {
    // The node records genesis as committed block 0 (L1 has it final from the deployment on).
    store.putBlock({ hash: identity.genesisHash, number: 0n, view: 0n, epoch: 1n, proposer: -1, data: encodeBlockRecord(genesis) });
    store.commitBlock({ number: 0n, hash: identity.genesisHash, transactions: [], accounts: [], withdrawals: [] });
  }
  return { store, path, remove: () => (store.close(), rmSync(dir, { recursive: true, force: true })) };
}

/**
 * Runs a committee of `keys.length` Cores. `onCommit` sees member 0's commit actions;
 * `buildPayload` (default: empty blocks) is every leader's.
 */
export function runCommittee(options: {
  readonly keys: readonly SecretKey[];
  readonly domain: Domain;
  readonly genesis: Block;
  readonly onCommit: (action: Extract<Action, { type: "commit" }>) => void;
  readonly buildPayload?: BuildPayload;
  /** Per-member callbacks (execution keeps per-member state); overrides `buildPayload`. */
  readonly payloadOf?: (member: number) => { buildPayload: BuildPayload; validateBlock: ValidateBlock };
}): CommitteeRun {
  const publicKeys = options.keys.map((k) => k.publicKey);
  const shared = new Map<string, true>();
  const signers = options.keys.map((k) => cacheVerifications(createBlsSigner(k, publicKeys), shared));
  const cores = signers.map(
    (signer, self) =>
      new Core({
        self,
        domain: options.domain,
        signer,
        genesis: options.genesis,
        ...(options.buildPayload === undefined ? {} : { buildPayload: options.buildPayload }),
        ...(options.payloadOf === undefined ? {} : options.payloadOf(self)),
        pacemaker: { baseTimeout: 1_000_000, backoffFactor: 2, maxTimeout: 1_000_000 },
      }),
  );
  const evidence: Evidence[] = [];
  const proposals = new Map<Hex, Proposal>();
  const queue: { to: number; from: number; message: Message }[] = [];
  let committed = 0n;
  const carryOut = (member: number, actions: readonly Action[]) => {
    for (const a of actions) {
      if (a.type === "send") queue.push({ to: a.to, from: member, message: a.message });
      else if (a.type === "broadcast") cores.forEach((_, to) => to !== member && queue.push({ to, from: member, message: a.message }));
      else if (a.type === "report-evidence") evidence.push(a.evidence);
      else if (a.type === "persist-block" && member === 0) proposals.set(a.hash, a.proposal);
      else if (a.type === "commit" && member === 0) {
        options.onCommit(a);
        committed = a.blocks[a.blocks.length - 1]!.block.header.number;
      }
    }
  };
  const drain = (until?: bigint) => {
    while (queue.length > 0 && (until === undefined || committed < until)) {
      const { to, from, message } = queue.shift()!;
      carryOut(to, cores[to]!.step({ type: "message", now: 0, from, message }));
    }
  };
  cores.forEach((core, i) => carryOut(i, core.step({ type: "start", now: 0 })));
  return {
    cores,
    signers,
    evidence,
    proposals,
    commitUntil(height) {
      drain(height);
      if (committed < height) throw new Error(`the committee stalled at height ${committed} before ${height}`);
    },
    deliver(to, from, message) {
      carryOut(to, cores[to]!.step({ type: "message", now: 0, from, message }));
    },
  };
}

/**
 * A leader's payload builder that takes the Inbox the way execution does: l1Origin is the
 * follower's L1 head, and every entry included at or before it is consumed (cursor and
 * accumulated hash), so L1's Inbox checks run against what the follower read.
 */
export function inboxPayloadBuilder(l1: { l1Head(): bigint; hashAt(n: bigint): Hex | undefined; inboxEntries(): readonly InboxEntry[] }): BuildPayload {
  return (parent) => {
    const moves = l1.l1Head() > parent.header.l1Origin;
    const l1Origin = moves ? l1.l1Head() : parent.header.l1Origin;
    const l1OriginHash = moves ? l1.hashAt(l1Origin)! : parent.header.l1OriginHash;
    let inboxHash = EMPTY_INBOX_HASH;
    let inboxCursor = 0n;
    for (const entry of l1.inboxEntries()) {
      if (entry.l1Block > l1Origin) break;
      inboxHash = accumulateInboxHash(inboxHash, entry);
      inboxCursor++;
    }
    return {
      payload: "0x",
      fields: {
        ...parent.header,
        timestamp: parent.header.timestamp + 1n,
        l1Origin,
        l1OriginHash,
        inboxCursor,
        inboxHash,
        dataHash: keccak256("0x"),
        gasUsed: 0n,
      },
    };
  };
}
