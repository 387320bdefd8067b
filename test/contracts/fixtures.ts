/**
 * Seeded fixtures for the contract tests: a committee of n deterministic keys deployed through
 * the same function as scripts/deploy.ts, a chain builder that makes headers extending the
 * genesis block, and QCs signed and aggregated in TypeScript with src/crypto.
 */
import { keccak256, parseEther, toHex, type Address, type Hex } from "viem";
import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";
import { aggregateSignatures, bitmapFromIndices, SecretKey } from "../../src/crypto/index.ts";
import { popDigest, voteDigest, proposalDigest } from "../../src/protocol/digests.ts";
import { evidenceId, reportCommitment } from "../../src/settlement/report-commitment.ts";
import type { Domain } from "../../src/protocol/domain.ts";
import { hashHeader, type Header } from "../../src/protocol/header.ts";
import {
  toSolidityHeader,
  type SolidityCommitProof,
  type SolidityHeader,
  type SolidityQuorumCertificate,
} from "../../src/protocol/solidity.ts";
import { committeeEntries, predictContractAddress } from "../../src/deployment/committee-keys.ts";
import { committee } from "../fixtures/keys.ts";
import { seededBytes } from "../fixtures/random.ts";
import { deployContracts } from "../../src/deployment/contracts.ts";

export const L2_CHAIN_ID = 901n;
export const MINIMUM_BOND = parseEther("1");
/** Member statuses (Membership.Status), as `Committee.member` returns them. */
export const MemberStatus = { None: 0, Pending: 1, Active: 2, Ejected: 3, Applied: 4, Exiting: 5, Exited: 6, Withdrawn: 7 } as const;

/** The contract tests' unbonding delay, seconds (tests move L1 time with evm_increaseTime). */
export const UNBONDING_DELAY = 3600n;

/** Seeded random protocol values (test/fixtures/random.ts underneath); tests print the seed. */
export function rng(seed: string) {
  let counter = 0;
  const word = (bits: number): bigint => {
    const bytes = seededBytes(seed, `word/${counter++}`, 32);
    return BigInt(`0x${Buffer.from(bytes).toString("hex")}`) & ((1n << BigInt(bits)) - 1n);
  };
  return {
    word,
    bytes32: (): Hex => toHex(word(256), { size: 32 }),
    address: (): Address => toHex(word(160), { size: 20 }),
    uint: (bits = 64): bigint => word(bits),
  };
}

export async function deploySystem(viem: HardhatViemHelpers, options: { n: number; inclusionDeadline?: bigint; seed?: string; unbondingDelay?: bigint }) {
  const publicClient = await viem.getPublicClient();
  const wallets = await viem.getWalletClients();
  const deployer = wallets[0]!;
  const keys = committee(options.n, options.seed);
  const nonce = await publicClient.getTransactionCount({ address: deployer.account.address, blockTag: "pending" });
  const committeeAddress = predictContractAddress(deployer.account.address, nonce);
  const feeRecipients = wallets.slice(1, 5).map((w) => w.account.address);
  const deployed = await deployContracts(viem, {
    keys: {
      l2ChainId: L2_CHAIN_ID.toString(),
      committee: committeeAddress,
      members: committeeEntries(keys, L2_CHAIN_ID, committeeAddress, feeRecipients),
    },
    minimumBond: MINIMUM_BOND,
    inclusionDeadline: options.inclusionDeadline ?? 64n,
    unbondingDelay: options.unbondingDelay ?? UNBONDING_DELAY,
  });
  const domain: Domain = { chainId: L2_CHAIN_ID, rollup: deployed.rollup.address, epoch: 1n };
  const chain = new Chain(domain, deployed.genesis);
  return { ...deployed, keys, domain, chain, publicClient, wallets };
}

/**
 * Header fields naming L1 block `number` as the origin, with its hash as L1 has it now (the
 * Rollup checks it with `blockhash`).
 */
export async function l1Origin(publicClient: { getBlock(args: { blockNumber: bigint }): Promise<{ hash: Hex | null }> }, number: bigint): Promise<Pick<Header, "l1Origin" | "l1OriginHash">> {
  const { hash } = await publicClient.getBlock({ blockNumber: number });
  if (hash === null) throw new Error(`L1 block ${number} has no hash yet`);
  return { l1Origin: number, l1OriginHash: hash };
}

/** A chain of headers from genesis; headers[i] has number i, and block data for each. */
export class Chain {
  readonly headers: Header[] = [];
  readonly hashes: Hex[] = [];
  readonly data: Hex[] = [];
  readonly domain: Domain;

  constructor(domain: Domain, genesis: Header) {
    this.domain = domain;
    this.push(genesis, "0x");
  }

  push(header: Header, data: Hex): Header {
    this.headers.push(header);
    this.hashes.push(hashHeader(this.domain.chainId, this.domain.rollup, header));
    this.data.push(data);
    return header;
  }

  get tip(): Header {
    return this.headers[this.headers.length - 1]!;
  }

  /** Appends the child of the tip: next view, same Inbox position and L1 origin unless overridden. */
  extend(fields: Partial<Header> = {}, data: Hex = toHex(`block ${this.headers.length}`)): Header {
    const parent = this.tip;
    return this.push(
      {
        ...parent,
        number: parent.number + 1n,
        view: parent.view + 1n,
        parentHash: this.hashes[this.hashes.length - 1]!,
        timestamp: parent.timestamp + 1n,
        dataHash: keccak256(data),
        stateRoot: keccak256(toHex(`state ${parent.number + 1n}`)),
        transactionsRoot: keccak256(toHex(`txs ${parent.number + 1n}`)),
        ...fields,
      },
      data,
    );
  }

  /** Arguments of `settle` for blocks from..to, finalized by the child to + 1 (which must exist). */
  settleArgs(keys: readonly SecretKey[], from: number, to: number, signers?: readonly number[]) {
    const headers = this.headers.slice(from, to + 1).map(toSolidityHeader);
    const data = this.data.slice(from, to + 1);
    const proof = commitProof(keys, this.domain, this.headers[to]!, this.headers[to + 1]!, signers);
    return [headers, data, proof] as [SolidityHeader[], Hex[], SolidityCommitProof];
  }
}

/** The order r of the BLS12-381 groups (secret keys are scalars mod r). */
const SCALAR_ORDER = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;

/**
 * The aggregate of the signers' signatures over `digest`. Small committees sign one by one and
 * aggregate (the path the nodes take). Large ones sign once with the sum of the secret keys,
 * which gives the same point, (sum sk_i)·H(m) = sum (sk_i·H(m)), in one signing instead of
 * a hundred: it keeps the 128-member tests and benchmarks fast.
 */
function aggregateSignature(keys: readonly SecretKey[], signers: readonly number[], digest: Hex): Hex {
  if (signers.length <= 16) return aggregateSignatures(signers.map((i) => keys[i]!.sign(digest))).toEip2537();
  const sum = signers.reduce((acc, i) => (acc + BigInt(keys[i]!.toHex())) % SCALAR_ORDER, 0n);
  return SecretKey.fromBytes(toHex(sum, { size: 32 })).sign(digest).toEip2537();
}

/** A QC over `header` signed by `signers` (all members by default) in `domain`. */
export function quorumCertificate(
  keys: readonly SecretKey[],
  domain: Domain,
  header: Header,
  signers: readonly number[] = keys.map((_, i) => i),
): SolidityQuorumCertificate {
  const digest = voteDigest(domain, header.view, hashHeader(domain.chainId, domain.rollup, header));
  return {
    viewNumber: header.view,
    signers: bitmapFromIndices(signers, keys.length),
    signature: aggregateSignature(keys, signers, digest),
  };
}

export function commitProof(
  keys: readonly SecretKey[],
  domain: Domain,
  block: Header,
  child: Header,
  signers?: readonly number[],
): SolidityCommitProof {
  return {
    epoch: domain.epoch,
    child: toSolidityHeader(child),
    justify: quorumCertificate(keys, domain, block, signers),
    childQc: quorumCertificate(keys, domain, child, signers),
  };
}

/** A member's signature over a vote (or proposal) for `blockHash`, EIP-2537 encoded. */
export function signVote(key: SecretKey, domain: Domain, view: bigint, blockHash: Hex, kind: "vote" | "proposal" = "vote"): Hex {
  const digest = kind === "vote" ? voteDigest(domain, view, blockHash) : proposalDigest(domain, view, blockHash);
  return key.sign(digest).toEip2537();
}

/**
 * An application for a seat by `operator` (also its fee recipient) with the key of `seed`:
 * `applyForSeat(...args)` from the operator's account, with a bond.
 */
export function application(committee: Address, operator: Address, seed: string, endpoint = `ws://${seed}.example:9000`) {
  const key = SecretKey.fromSeed(seed);
  const publicKey = key.publicKey.toEip2537();
  const proof = key.signPossession(popDigest(L2_CHAIN_ID, committee, operator, publicKey)).toEip2537();
  return { key, publicKey, proof, args: [publicKey, proof, operator, endpoint] as [Hex, Hex, Address, string] };
}

/** The commitment `reporter` makes before revealing evidence against member `memberId`. */
export function commitmentOf(kind: "vote" | "proposal", memberId: bigint, epoch: bigint, view: bigint, a: Hex, b: Hex, reporter: Address): Hex {
  return reportCommitment(evidenceId(kind, memberId, epoch, view, a, b), reporter);
}
