/**
 * Decoding an L2 transaction and the checks that need no state, done once at RPC intake (and
 * again on every transaction of a proposal from another member, which nobody here has vetted).
 *
 * Transactions come in the three Ethereum envelopes wallets send: legacy with EIP-155 replay
 * protection, EIP-2930 and EIP-1559; each may create a contract (no `to`), carry call data and
 * (typed ones) an access list. Checks run cheapest first, so the secp256k1 recovery (about
 * 1.5 ms) is paid only by a transaction that passed everything else.
 */
import { keccak_256 } from "../crypto/keccak.ts";
import { bytesToHex, hexToBytes, isHex, parseTransaction, serializeTransaction, type Address, type Hex } from "viem";
import { isHighS, recoverAddress } from "../crypto/secp256k1.ts";
import { MAX_TRANSACTION_BYTES } from "./config.ts";
import { ExecutionError } from "./errors.ts";
import { MAX_INITCODE_BYTES, minimumGasLimit } from "./intrinsicGas.ts";

export type TransactionType = "legacy" | "eip2930" | "eip1559";

export interface AccessListEntry {
  readonly address: Address;
  readonly storageKeys: readonly Hex[];
}

/**
 * A decoded, signature-checked transaction (the name is from when the L2 only moved value).
 * Addresses, data and keys are lower-case.
 */
export interface Transfer {
  readonly hash: Hex;
  /** The signed bytes as received: what block data carries and the transactions root commits to. */
  readonly raw: Hex;
  readonly type: TransactionType;
  readonly chainId: bigint;
  readonly from: Address;
  /** null: a contract creation. */
  readonly to: Address | null;
  readonly nonce: bigint;
  readonly value: bigint;
  readonly gasLimit: bigint;
  /** EIP-1559 fee cap; for legacy and EIP-2930 transactions, the gas price. */
  readonly maxFeePerGas: bigint;
  /** EIP-1559 tip cap; for legacy and EIP-2930 transactions, the gas price. */
  readonly maxPriorityFeePerGas: bigint;
  /** Call data, or the init code of a creation ("0x" for none). */
  readonly data: Hex;
  /** EIP-2930 access list (empty for legacy transactions). */
  readonly accessList: readonly AccessListEntry[];
}

export interface TransactionRules {
  readonly chainId: bigint;
  readonly blockGasLimit: bigint;
}

const TYPE_BYTES: Record<TransactionType, number> = { legacy: 0, eip2930: 1, eip1559: 2 };
const UINT256_MAX = (1n << 256n) - 1n;

export function transactionTypeByte(type: TransactionType): number {
  return TYPE_BYTES[type];
}

export function decodeTransaction(raw: Hex, rules: TransactionRules): Transfer {
  if (typeof raw !== "string" || !isHex(raw, { strict: true }) || raw.length % 2 !== 0 || raw.length < 4) {
    throw new ExecutionError("INVALID_ENCODING", "transaction is not hex bytes", `got ${JSON.stringify(String(raw).slice(0, 40))}`);
  }
  const size = (raw.length - 2) / 2;
  if (size > MAX_TRANSACTION_BYTES) {
    throw new ExecutionError("INVALID_ENCODING", "transaction too large", `${size} bytes, at most ${MAX_TRANSACTION_BYTES}`);
  }
  const lower = raw.toLowerCase() as Hex;
  const first = Number.parseInt(lower.slice(2, 4), 16);
  // 0xc0.. is an RLP list, i.e. a legacy transaction; 0x01 and 0x02 are the typed envelopes we take.
  if (first < 0xc0 && first !== 1 && first !== 2) {
    throw new ExecutionError("UNSUPPORTED_TYPE", "unsupported transaction type", `type 0x${first.toString(16).padStart(2, "0")}; only legacy, 0x01 and 0x02 transfers`);
  }

  let parsed: ReturnType<typeof parseTransaction>;
  try {
    parsed = parseTransaction(lower);
  } catch (cause) {
    throw refusalFromParseError(cause);
  }
  const type = parsed.type as TransactionType;
  if (parsed.r === undefined || parsed.s === undefined || parsed.yParity === undefined) {
    throw new ExecutionError("INVALID_SIGNATURE", "transaction is not signed");
  }
  // viem parses nonces into JS numbers; beyond 2^53 they would lose precision, so stop there.
  if (parsed.nonce !== undefined && !Number.isSafeInteger(parsed.nonce)) {
    throw new ExecutionError("INVALID_ENCODING", "nonce out of range", `above ${Number.MAX_SAFE_INTEGER}`);
  }
  // One transaction, one encoding: re-serialising must give the same bytes, otherwise the same
  // transfer could circulate under several hashes (e.g. with leading zeros in an integer).
  const signature = { r: parsed.r, s: parsed.s, yParity: parsed.yParity, ...(type === "legacy" ? { v: parsed.v } : {}) };
  if (serializeOrRefuse(() => serializeTransaction(parsed, signature)) !== lower) {
    throw new ExecutionError("INVALID_ENCODING", "transaction encoding is not canonical");
  }

  if (parsed.chainId === undefined) {
    throw new ExecutionError("MISSING_CHAIN_ID", "legacy transaction without EIP-155 chain id", `expected chain id ${rules.chainId}`);
  }
  const chainId = BigInt(parsed.chainId);
  if (chainId !== rules.chainId) {
    throw new ExecutionError("WRONG_CHAIN_ID", "wrong chain id", `expected ${rules.chainId}, got ${chainId}`);
  }
  const to = parsed.to === undefined || parsed.to === null ? null : (parsed.to.toLowerCase() as Address);
  const data = (parsed.data ?? "0x").toLowerCase() as Hex;
  if (to === null && (data.length - 2) / 2 > MAX_INITCODE_BYTES) {
    throw new ExecutionError("INITCODE_TOO_LARGE", "max initcode size exceeded", `${(data.length - 2) / 2} bytes of init code, at most ${MAX_INITCODE_BYTES} (EIP-3860)`);
  }
  const accessList: AccessListEntry[] = ("accessList" in parsed ? (parsed.accessList ?? []) : []).map((entry) => ({
    address: entry.address.toLowerCase() as Address,
    storageKeys: entry.storageKeys.map((k) => k.toLowerCase() as Hex),
  }));

  const nonce = BigInt(parsed.nonce ?? 0);
  const value = parsed.value ?? 0n;
  const gasLimit = parsed.gas ?? 0n;
  const maxFeePerGas = (parsed.type === "eip1559" ? parsed.maxFeePerGas : parsed.gasPrice) ?? 0n;
  const maxPriorityFeePerGas = (parsed.type === "eip1559" ? parsed.maxPriorityFeePerGas : parsed.gasPrice) ?? 0n;
  for (const [name, field] of [["value", value], ["gas limit", gasLimit], ["fee cap", maxFeePerGas], ["tip", maxPriorityFeePerGas]] as const) {
    if (field > UINT256_MAX) throw new ExecutionError("INVALID_ENCODING", `${name} out of range`, `${field} does not fit 256 bits`);
  }
  const minimum = minimumGasLimit({ to, data, accessList });
  if (gasLimit < minimum) {
    throw new ExecutionError("INTRINSIC_GAS_TOO_LOW", "intrinsic gas too low", `gas limit ${gasLimit}, this transaction needs at least ${minimum}`);
  }
  if (gasLimit > rules.blockGasLimit) {
    throw new ExecutionError("GAS_LIMIT_TOO_HIGH", "gas limit above the block gas limit", `gas limit ${gasLimit}, block limit ${rules.blockGasLimit}`);
  }
  if (maxPriorityFeePerGas > maxFeePerGas) {
    throw new ExecutionError("TIP_ABOVE_FEE_CAP", "max priority fee per gas above max fee per gas", `tip ${maxPriorityFeePerGas}, fee cap ${maxFeePerGas}`);
  }

  const r = BigInt(parsed.r);
  const s = BigInt(parsed.s);
  // EIP-2: (r, n - s) is also a valid signature; only the low-s form is accepted, so a third party
  // cannot re-sign a pending transaction under a different hash.
  if (isHighS(s)) throw new ExecutionError("HIGH_S", "signature s value is in the upper half of the curve order", `s = ${parsed.s}`);
  const unsigned = serializeOrRefuse(() => serializeTransaction({ ...parsed, r: undefined, s: undefined, v: undefined, yParity: undefined }));
  const from = recoverAddress(keccak_256(hexToBytes(unsigned)), r, s, parsed.yParity);
  if (from === undefined) throw new ExecutionError("INVALID_SIGNATURE", "invalid signature", "no public key recovers from (r, s, yParity)");

  return {
    hash: bytesToHex(keccak_256(hexToBytes(lower))),
    raw: lower,
    type,
    chainId,
    from: bytesToHex(from),
    to,
    nonce,
    value,
    gasLimit,
    maxFeePerGas,
    maxPriorityFeePerGas,
    data,
    accessList,
  };
}

/** viem's parser runs a few of our checks itself; keep their distinct codes rather than "does not decode". */
function refusalFromParseError(cause: unknown): ExecutionError {
  const error = cause as { name?: string; message?: string; shortMessage?: string };
  const details = (error.shortMessage ?? error.message ?? String(cause)).split("\n")[0];
  if (error.name === "TipAboveFeeCapError") {
    return new ExecutionError("TIP_ABOVE_FEE_CAP", "max priority fee per gas above max fee per gas", details, { cause });
  }
  if (error.name === "InvalidChainIdError") return new ExecutionError("WRONG_CHAIN_ID", "wrong chain id", details, { cause });
  return new ExecutionError("INVALID_ENCODING", "transaction does not decode", details, { cause });
}

/** viem validates again when serialising; whatever it refuses there is a malformed transaction. */
function serializeOrRefuse(serialize: () => Hex): Hex {
  try {
    return serialize();
  } catch (cause) {
    throw refusalFromParseError(cause);
  }
}
