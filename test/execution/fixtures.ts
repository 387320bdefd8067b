/** Seeded fixtures for execution tests: deterministic keys, randomness and signed transfers. */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { concatHex, hexToBytes, keccak256, numberToHex, toHex, toRlp, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { ExecutionConfig } from "../../src/execution/config.ts";
import { decodeTransaction, type Transfer } from "../../src/execution/transaction.ts";

export function seededRandom(seed: number): () => number {
  // mulberry32: tiny, fast, good enough to vary test inputs reproducibly.
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomBytes(random: () => number, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => Math.floor(random() * 256));
}


export const CHAIN_ID = 901n;
export const GWEI = 1_000_000_000n;
export const ETHER = 10n ** 18n;

export function testConfig(overrides: Partial<ExecutionConfig> = {}): ExecutionConfig {
  return {
    chainId: CHAIN_ID,
    initialBaseFee: GWEI,
    blockGasLimit: 30_000_000n,
    maxTransactionsPerBlock: 1_000,
    maxInboxEntriesPerBlock: 16,
    inboxInclusionDeadline: 100n,
    ...overrides,
  };
}

export interface Key {
  readonly privateKey: Hex;
  readonly address: Address;
}

/** A deterministic key per seed string, so every run signs the same transactions. */
export function key(seed: string): Key {
  const privateKey = keccak256(toHex(`hotstuff-rollup test key ${seed}`));
  return { privateKey, address: privateKeyToAccount(privateKey).address.toLowerCase() as Address };
}

export const keys = (n: number, prefix = "sender"): Key[] => Array.from({ length: n }, (_, i) => key(`${prefix}-${i}`));

export interface TxFields {
  readonly type?: "legacy" | "eip2930" | "eip1559";
  /** `null`: a legacy transaction without EIP-155 replay protection. */
  readonly chainId?: bigint | null;
  readonly nonce?: bigint;
  readonly to?: Hex;
  readonly value?: bigint;
  readonly gas?: bigint;
  readonly maxFeePerGas?: bigint;
  readonly maxPriorityFeePerGas?: bigint;
  readonly data?: Hex;
  readonly accessList?: [Hex, Hex[]][];
  /** Replace the signature's s with n - s (and flip the parity): a malleated, high-s signature. */
  readonly highS?: boolean;
  /** The value's RLP string as given, e.g. with a leading zero byte (a non-canonical encoding). */
  readonly valueHex?: Hex;
  /** Overwrite r (to make an unrecoverable signature). */
  readonly r?: bigint;
}

const int = (v: bigint): Hex => (v === 0n ? "0x" : numberToHex(v));

/**
 * Signs a transaction by hand (RLP + secp256k1), so tests can produce transactions that viem's
 * own signer refuses to make (tip above fee cap, high s, no chain id) and that we must refuse.
 */
export function signTransaction(signer: Key, fields: TxFields = {}): Hex {
  const type = fields.type ?? "eip1559";
  const chainId = fields.chainId === undefined ? CHAIN_ID : fields.chainId;
  const nonce = int(fields.nonce ?? 0n);
  const to = fields.to ?? "0x00000000000000000000000000000000000000b0";
  const value = fields.valueHex ?? int(fields.value ?? 1n);
  const gas = int(fields.gas ?? 21_000n);
  const fee = int(fields.maxFeePerGas ?? 2n * GWEI);
  const tip = int(fields.maxPriorityFeePerGas ?? GWEI);
  const data = fields.data ?? "0x";
  const accessList = fields.accessList ?? [];
  let body: (Hex | Hex[] | [Hex, Hex[]][])[];
  let prefix: Hex;
  if (type === "eip1559") {
    body = [int(chainId!), nonce, tip, fee, gas, to, value, data, accessList];
    prefix = "0x02";
  } else if (type === "eip2930") {
    body = [int(chainId!), nonce, fee, gas, to, value, data, accessList];
    prefix = "0x01";
  } else {
    body = [nonce, fee, gas, to, value, data];
    prefix = "0x";
  }
  const unsigned = type === "legacy" && chainId !== null ? [...body, int(chainId), "0x", "0x"] : body;
  const digest = hexToBytes(keccak256(concatHex([prefix, toRlp(unsigned as Hex[])])));
  const signature = secp256k1.Signature.fromBytes(
    secp256k1.sign(digest, hexToBytes(signer.privateKey), { prehash: false, format: "recovered" }),
    "recovered",
  );
  const n = secp256k1.Point.CURVE().n;
  let s = signature.s;
  let parity = signature.recovery!;
  if (fields.highS) {
    s = n - s;
    parity ^= 1;
  }
  const r = fields.r ?? signature.r;
  const v = type === "legacy" ? (chainId === null ? BigInt(27 + parity) : chainId * 2n + 35n + BigInt(parity)) : BigInt(parity);
  return concatHex([prefix, toRlp([...body, int(v), int(r), int(s)] as Hex[])]);
}

export function transfer(signer: Key, fields: TxFields = {}, config: ExecutionConfig = testConfig()): Transfer {
  return decodeTransaction(signTransaction(signer, fields), config);
}
