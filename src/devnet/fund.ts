/**
 * Funds L2 accounts the way a user would: real `Bridge.deposit` transactions on L1. Each one
 * appends an Inbox entry; the members' L1 followers pick the entries up and the L2 mints the
 * value in the first block that consumes them (DESIGN §5). Nothing is minted by fiat in the
 * L2 genesis, so the devnet exercises the deposit path from its first second.
 */
import { getAddress, isAddress, parseAbi, parseEventLogs, type Address, type Hex } from "viem";
import { INBOX_DEPOSIT, type InboxEntry } from "../protocol/inbox.ts";
import { connectL1 } from "./clients.ts";
import { DevnetError } from "./errors.ts";

/** The part of contracts/Bridge.sol (and Inbox.sol) a deposit needs. */
export const bridgeDepositAbi = parseAbi([
  "function deposit(address l2Recipient) payable returns (uint256 index)",
  "event InboxEntryAppended(uint256 indexed index, uint8 indexed kind, address indexed sender, address recipient, uint256 value, bytes data, uint256 l1Block, bytes32 accumulatedHash)",
]);

export interface DepositRecipient {
  readonly address: Address;
  /** Wei, > 0. */
  readonly amount: bigint;
}

export interface FundByDepositsOptions {
  readonly rpcUrl: string;
  /** The Bridge (= Inbox) address from the deployment. */
  readonly bridge: Address;
  /** Private key of a funded L1 account that pays the deposits. */
  readonly from: Hex;
  readonly recipients: readonly DepositRecipient[];
}

/** An Inbox entry made by a deposit, with the L1 transaction and the Inbox's hash after it. */
export interface DepositEntry extends InboxEntry {
  readonly transactionHash: Hex;
  /** acc_(index+1) as the Inbox emitted it. */
  readonly accumulatedHash: Hex;
}

export async function fundByDeposits(options: FundByDepositsOptions): Promise<DepositEntry[]> {
  options.recipients.forEach((r, i) => {
    if (!isAddress(r.address)) throw new TypeError(`recipients[${i}].address is not an address: ${String(r.address)}`);
    if (r.amount <= 0n) throw new RangeError(`recipients[${i}].amount must be > 0 wei, got ${r.amount}`);
  });
  const { publicClient, walletClient } = await connectL1(options.rpcUrl, options.from);
  // Explicit consecutive nonces let all deposits go out before waiting for any receipt, and
  // fix their order in the Inbox to the order of `recipients`.
  const first = await publicClient.getTransactionCount({ address: walletClient.account.address, blockTag: "pending" });
  const hashes: Hex[] = [];
  for (const [i, recipient] of options.recipients.entries()) {
    hashes.push(
      await walletClient.writeContract({
        address: options.bridge,
        abi: bridgeDepositAbi,
        functionName: "deposit",
        args: [recipient.address],
        value: recipient.amount,
        nonce: first + i,
      }),
    );
  }
  const entries: DepositEntry[] = [];
  for (const [i, hash] of hashes.entries()) {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") {
      throw new DevnetError("DEPOSIT_FAILED", `deposit of ${options.recipients[i]!.amount} wei to ${options.recipients[i]!.address} reverted (L1 transaction ${hash})`);
    }
    const [log] = parseEventLogs({ abi: bridgeDepositAbi, eventName: "InboxEntryAppended", logs: receipt.logs }).filter(
      (l) => getAddress(l.address) === getAddress(options.bridge),
    );
    if (log === undefined) throw new DevnetError("DEPOSIT_FAILED", `deposit ${hash} succeeded but appended no Inbox entry at ${options.bridge}`);
    entries.push({
      index: log.args.index,
      kind: INBOX_DEPOSIT,
      sender: getAddress(log.args.sender),
      recipient: getAddress(log.args.recipient),
      value: log.args.value,
      data: log.args.data,
      l1Block: log.args.l1Block,
      transactionHash: hash,
      accumulatedHash: log.args.accumulatedHash,
    });
  }
  return entries;
}
