/**
 * The devnet's infrastructure, composed by `npm start`: Redis, the L1 node, deployment,
 * deposits, dev accounts, the status line and the transfer load, the member processes (whose
 * configs the node's own generator writes), and `npm start`'s composition of all of them. Every
 * process started here is stopped by the caller through the returned stop().
 */
export { DevnetError, type DevnetErrorCode } from "./errors.ts";
export { DEV_MNEMONIC, HARDHAT_ACCOUNT_COUNT, formatDevAccounts, l1DevAccounts, l2DevAccounts, type DevAccount } from "./accounts.ts";
export { ensureRedis, findOnPath, type DevnetRedis, type EnsureRedisOptions } from "./redis.ts";
export { checkPrague, startL1, type DevnetL1, type StartL1Options } from "./l1.ts";
export { deployDevnet, type DeployDevnetOptions, type DevnetDeployment } from "./deploy.ts";
export { bridgeDepositAbi, fundByDeposits, type DepositEntry, type DepositRecipient, type FundByDepositsOptions } from "./fund.ts";
export { RateMeter, formatRate, renderStatus, type StatusFigures } from "./status.ts";
export {
  percentile,
  readNonces,
  runLoad,
  signTransfers,
  type LoadResult,
  type RunLoadOptions,
  type SignTransfersOptions,
  type SignedTransfer,
} from "./load.ts";
export { checkPortFree, findFreePort, findFreePorts } from "./ports.ts";
export { callRpc, callRpcBatch, RpcError } from "./rpc.ts";
export { MEMBER_STOP_GRACE_MS, memberPorts, startMember, stopMember, waitForMember, type MemberPorts, type RunningMember } from "./members.ts";
export { watchStatus, type StatusWatch, type WatchStatusOptions } from "./watch.ts";
export { BYZANTINE_MODES, MAX_NODES, parseStartArgs, START_USAGE, UsageError, type ByzantineMode, type StartOptions } from "./start-options.ts";
export { DATA_DIR_MARKER, DevnetRun, L2_DEV_ACCOUNTS, L2_DEV_BALANCE, prepareDataDir, StartAborted, type DevnetSummary, type StartDevnetIo } from "./start.ts";
