/**
 * The user's side of the devnet, shared by the scripts in scripts/ and by tests: sending a
 * transfer, checking where a transaction is final, depositing from L1, withdrawing to L1. Plain
 * viem clients over the endpoints `npm start` prints (the defaults here).
 */
export { ClientError, shortMessage, type ClientErrorCode } from "./errors.ts";
export { connect, DEFAULT_DEPLOYMENTS, DEFAULT_L1_RPC_URL, DEFAULT_L2_RPC_URL, loadDeployment, walletOn, type DeployedContracts, type Endpoint } from "./endpoints.ts";
export { sendTransfer, type SendTransferOptions, type TransferResult } from "./transfer.ts";
export { checkFinality, type FinalityReport, type FinalityStatus } from "./finality.ts";
export { depositToL2, type DepositOptions, type DepositResult } from "./deposit.ts";
export { claimWithdrawal, getWithdrawalProof, sendWithdrawal, waitUntilFinal, WITHDRAWAL_ADDRESS, type ClaimResult, type WithdrawalProof } from "./withdraw.ts";
export { claimBalance, enterExitMode, isBalanceClaimed, proveBalanceFromL1, readExitState, type BalanceClaim, type EscapeProof, type ExitState } from "./escape.ts";
export { rebuildStateFromL1, type RebuiltState } from "./l1-state.ts";
