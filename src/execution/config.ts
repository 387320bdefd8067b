/** Chain parameters that every member must agree on: a block is valid only under the same config. */
export interface ExecutionConfig {
  /** The L2 chain id; transactions signed for another chain are refused (EIP-155 replay defence). */
  readonly chainId: bigint;
  /** The genesis block's base fee (wei per gas); later blocks follow EIP-1559 from it. */
  readonly initialBaseFee: bigint;
  /** Gas a block may use; the EIP-1559 target is half of it. */
  readonly blockGasLimit: bigint;
  /** Mempool transactions per block, on top of the gas limit: bounds block data posted to L1. */
  readonly maxTransactionsPerBlock: number;
  /**
   * Inbox entries a block may consume beyond the ones that are due (due ones are always consumed,
   * whatever their number); forced transactions among them also count toward gas.
   */
  readonly maxInboxEntriesPerBlock: number;
  /**
   * L1 blocks within which the L2 must consume an Inbox entry: the Rollup contract's
   * `inclusionDeadline`. Entry i is due at L1 block l1Block_i + deadline, and L1 refuses to settle
   * a header whose l1Origin has reached that while its inboxCursor has not passed i.
   */
  readonly inboxInclusionDeadline: bigint;
}

/** A plain value transfer to an account without code costs exactly this (intrinsic gas). */
export const TRANSFER_GAS = 21_000n;
/** EIP-1559: the gas target is the limit divided by the elasticity multiplier. */
export const ELASTICITY_MULTIPLIER = 2n;
/** EIP-1559: the base fee moves by at most 1/8 per block. */
export const BASE_FEE_MAX_CHANGE_DENOMINATOR = 8n;
/**
 * geth's limit (txMaxSize, 4 x 32 KiB): room for a contract creation at the EIP-3860 init code
 * limit, while a hostile sender still cannot make us parse megabytes.
 */
export const MAX_TRANSACTION_BYTES = 131_072;
