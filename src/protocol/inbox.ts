/**
 * Inbox entries: what L1 hands the L2. The `Inbox` contract appends entries and keeps an
 * accumulated hash
 *   acc_0 = 0x00..00
 *   acc_i = keccak256(abi.encode(acc_{i-1}, entryHash(entry_i)))     (i = 1, 2, ...)
 * so that one 32-byte value commits to the whole ordered history. A header's `inboxCursor` says
 * how many entries the chain has consumed and its `inboxHash` must equal acc_cursor: this is how
 * L1 checks, without replaying anything, that the committee consumed exactly the Inbox's entries
 * in the Inbox's order (contracts/Inbox.sol mirrors this file).
 */
import { encodeAbiParameters, zeroHash, type Address, type Hex } from "viem";
import { keccak256 } from "../crypto/keccak.ts";

export const INBOX_DEPOSIT = 0;
export const INBOX_FORCED_TX = 1;
export type InboxEntryKind = typeof INBOX_DEPOSIT | typeof INBOX_FORCED_TX;

export interface InboxEntry {
  /** 0-based position in the Inbox. */
  readonly index: bigint;
  readonly kind: InboxEntryKind;
  /** The L1 account that made the entry. */
  readonly sender: Address;
  /** Deposit: who is credited on L2. Forced transaction: the zero address. */
  readonly recipient: Address;
  /** Deposit: wei minted on L2. Forced transaction: 0. */
  readonly value: bigint;
  /** Forced transaction: the signed L2 transaction, as sent to eth_sendRawTransaction. Deposit: 0x. */
  readonly data: Hex;
  /** The L1 block that included the entry; the inclusion deadline counts from here. */
  readonly l1Block: bigint;
}

export function inboxEntryHash(entry: InboxEntry): Hex {
  return keccak256(
    encodeAbiParameters(
      [
        { type: "uint256" },
        { type: "uint8" },
        { type: "address" },
        { type: "address" },
        { type: "uint256" },
        { type: "bytes32" },
        { type: "uint256" },
      ],
      [entry.index, entry.kind, entry.sender, entry.recipient, entry.value, keccak256(entry.data), entry.l1Block],
    ),
  );
}

export const EMPTY_INBOX_HASH: Hex = zeroHash;

export function accumulateInboxHash(previous: Hex, entry: InboxEntry): Hex {
  return keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "bytes32" }], [previous, inboxEntryHash(entry)]));
}
