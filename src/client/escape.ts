/**
 * The escape hatch, from the user's side (issue 10): when the committee stops settling what it
 * owes, anyone puts the Rollup in exit mode (`Rollup.enterExitMode`), and each account claims its
 * L2 balance in the last finalized state from the Bridge with an eth_getProof account proof
 * (`Bridge.claimBalance(account, blockNumber, accountProof)`), paid to the account's own L1
 * address, once. Deposits the finalized state never minted go back to their L1 sender
 * (`Bridge.refundDeposit`).
 *
 * The proof is made from the state rebuilt from L1 (l1-state.ts), not asked of a member: exit
 * mode is for when the members are gone, and L1 is the one party still there. It is checked
 * against the exit block's state root before anything is sent.
 */
import { getAddress, type Address, type Hex } from "viem";
import { verifyAccountProof } from "../execution/index.ts";
import { BRIDGE_ABI, decodeRevert, ROLLUP_ABI } from "../settlement/abi.ts";
import { formatRevert } from "../settlement/errors.ts";
import { walletOn, type Endpoint } from "./endpoints.ts";
import { sendBridgeClaim } from "./bridge-claim.ts";
import { ClientError, shortMessage } from "./errors.ts";
import { rebuildStateFromL1 } from "./l1-state.ts";

export interface ExitState {
  readonly active: boolean;
  /** The exit block: the finalized head when exit mode began (the current finalized head before). */
  readonly blockNumber: bigint;
  readonly stateRoot: Hex;
}

/** Whether the Bridge is in exit mode, and on which block (the finalized head, if not yet). */
export async function readExitState(l1: Endpoint, contracts: { rollup: Address; bridge: Address }): Promise<ExitState> {
  const [active, blockNumber, stateRoot] = (await l1.client.readContract({ address: contracts.bridge, abi: BRIDGE_ABI, functionName: "exitState" })) as readonly [boolean, bigint, Hex, bigint];
  if (active) return { active, blockNumber, stateRoot };
  const [head] = (await l1.client.readContract({ address: contracts.rollup, abi: ROLLUP_ABI, functionName: "finalizedHead" })) as readonly [bigint, Hex];
  const [, root] = (await l1.client.readContract({ address: contracts.rollup, abi: ROLLUP_ABI, functionName: "finalizedBlock", args: [head] })) as readonly [Hex, Hex, Hex];
  return { active: false, blockNumber: head, stateRoot: root };
}

/** Sends Rollup.enterExitMode (simulated first): EXIT_NOT_ALLOWED, saying from which L1 block, while the window is closed. */
export async function enterExitMode(o: { l1: Endpoint; rollup: Address; key: Hex }): Promise<{ transactionHash: Hex; blockNumber: bigint }> {
  const wallet = walletOn(o.l1, o.key);
  const call = { address: o.rollup, abi: ROLLUP_ABI, functionName: "enterExitMode", args: [], account: wallet.account } as const;
  try {
    await o.l1.client.simulateContract(call);
  } catch (cause) {
    const revert = decodeRevert(cause);
    if (revert?.errorName === "ExitModeNotAllowed") {
      const [entry, allowedFrom, l1Block] = revert.args as readonly [bigint, bigint, bigint];
      const when = allowedFrom === 2n ** 256n - 1n ? "never on its own: no Inbox entry is owed (post a forced transaction with Bridge.forceInclude to start the window)" : `from L1 block ${allowedFrom}, ${allowedFrom - l1Block} blocks from now, if Inbox entry ${entry} is still unsettled then`;
      throw new ClientError("EXIT_NOT_ALLOWED", `exit mode is not open at L1 block ${l1Block}: it opens ${when}`, { cause });
    }
    throw new ClientError("REFUSED", `Rollup.enterExitMode was refused: ${revert === undefined ? shortMessage(cause) : formatRevert(revert)}`, { cause });
  }
  const hash = await wallet.writeContract({ ...call, chain: o.l1.chain });
  const receipt = await o.l1.client.waitForTransactionReceipt({ hash, timeout: 60_000 });
  if (receipt.status !== "success") throw new ClientError("REFUSED", `Rollup.enterExitMode transaction ${hash} reverted on L1`);
  return { transactionHash: hash, blockNumber: receipt.blockNumber };
}

export interface EscapeProof {
  readonly account: Address;
  readonly blockNumber: bigint;
  readonly stateRoot: Hex;
  readonly balance: bigint;
  readonly accountProof: readonly Hex[];
}

/** `account`'s proof at exit block `blockNumber`, from the state rebuilt from L1, checked against `stateRoot`. */
export async function proveBalanceFromL1(o: { l1: Endpoint; deploymentsFile: string; account: Address; blockNumber: bigint; stateRoot: Hex; onProgress?: (text: string) => void }): Promise<EscapeProof> {
  const rebuilt = await rebuildStateFromL1({ l1: o.l1, deploymentsFile: o.deploymentsFile, number: o.blockNumber, ...(o.onProgress === undefined ? {} : { onProgress: o.onProgress }) });
  const root = rebuilt.state.stateRoot();
  if (root !== o.stateRoot.toLowerCase()) throw new ClientError("L1_DATA_MISMATCH", `the state rebuilt at L2 block ${o.blockNumber} has root ${root}, but L1 holds ${o.stateRoot}`);
  const proof = rebuilt.state.proveAccount(getAddress(o.account));
  const proven = verifyAccountProof(o.stateRoot, o.account, proof.accountProof);
  return { account: getAddress(o.account), blockNumber: o.blockNumber, stateRoot: o.stateRoot, balance: proven.balance, accountProof: proof.accountProof };
}

/** Whether `account`'s exit-mode balance was paid already (Bridge.hasEscaped). */
export async function isBalanceClaimed(l1: Endpoint, bridge: Address, account: Address): Promise<boolean> {
  return (await l1.client.readContract({ address: bridge, abi: BRIDGE_ABI, functionName: "hasEscaped", args: [account] })) as boolean;
}

export interface BalanceClaim {
  readonly transactionHash: Hex;
  readonly blockNumber: bigint;
  readonly claimer: Address;
  readonly account: Address;
  readonly amount: bigint;
  readonly balanceBefore: bigint;
  readonly balanceAfter: bigint;
}

/**
 * Bridge.claimBalance (simulated first): ALREADY_CLAIMED for `BalanceAlreadyEscaped`,
 * NOTHING_TO_CLAIM for `NothingToEscape`, REFUSED for any other refusal.
 */
export async function claimBalance(o: { l1: Endpoint; bridge: Address; key: Hex; proof: EscapeProof }): Promise<BalanceClaim> {
  const { proof: p } = o;
  const sent = await sendBridgeClaim({
    ...o,
    functionName: "claimBalance",
    args: [p.account, p.blockNumber, p.accountProof],
    payee: p.account,
    what: `Bridge.claimBalance for ${p.account}`,
    refusal: (revert, cause) => {
      if (revert.errorName === "BalanceAlreadyEscaped") {
        return new ClientError("ALREADY_CLAIMED", `the L2 balance of ${p.account} in block ${p.blockNumber} is already claimed: the Bridge refused with ${formatRevert(revert)}`, { cause });
      }
      if (revert.errorName === "NothingToEscape") return new ClientError("NOTHING_TO_CLAIM", `${p.account} has no balance in L2 block ${p.blockNumber}: the Bridge refused with ${formatRevert(revert)}`, { cause });
      return undefined;
    },
  });
  return { ...sent, account: p.account, amount: p.balance };
}
