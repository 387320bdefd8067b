/** Every RPC method this node serves; a new method is a new file plus one line here. */
import { FilterTable, type FilterOptions } from "../filters.ts";
import { createRegistry, type RpcRegistry } from "../registry.ts";
import { eth_accounts } from "./eth_accounts.ts";
import { eth_blockNumber } from "./eth_blockNumber.ts";
import { eth_call } from "./eth_call.ts";
import { eth_chainId } from "./eth_chainId.ts";
import { eth_estimateGas } from "./eth_estimateGas.ts";
import { createFeeHistory } from "./eth_feeHistory.ts";
import { createGasPrice } from "./eth_gasPrice.ts";
import { eth_getBalance } from "./eth_getBalance.ts";
import { createGetBlockByHash } from "./eth_getBlockByHash.ts";
import { createGetBlockByNumber } from "./eth_getBlockByNumber.ts";
import { eth_getBlockReceipts } from "./eth_getBlockReceipts.ts";
import { eth_getBlockTransactionCountByHash } from "./eth_getBlockTransactionCountByHash.ts";
import { eth_getBlockTransactionCountByNumber } from "./eth_getBlockTransactionCountByNumber.ts";
import { eth_getCode } from "./eth_getCode.ts";
import { createGetFilterChanges } from "./eth_getFilterChanges.ts";
import { createGetFilterLogs } from "./eth_getFilterLogs.ts";
import { eth_getStorageAt } from "./eth_getStorageAt.ts";
import { eth_getLogs } from "./eth_getLogs.ts";
import { eth_getProof } from "./eth_getProof.ts";
import { eth_getTransactionByBlockHashAndIndex } from "./eth_getTransactionByBlockHashAndIndex.ts";
import { eth_getTransactionByBlockNumberAndIndex } from "./eth_getTransactionByBlockNumberAndIndex.ts";
import { eth_getTransactionByHash } from "./eth_getTransactionByHash.ts";
import { eth_getTransactionCount } from "./eth_getTransactionCount.ts";
import { eth_getTransactionReceipt } from "./eth_getTransactionReceipt.ts";
import { eth_maxPriorityFeePerGas } from "./eth_maxPriorityFeePerGas.ts";
import { createNewBlockFilter } from "./eth_newBlockFilter.ts";
import { createNewFilter } from "./eth_newFilter.ts";
import { createNewPendingTransactionFilter } from "./eth_newPendingTransactionFilter.ts";
import { eth_sendRawTransaction } from "./eth_sendRawTransaction.ts";
import { createUninstallFilter } from "./eth_uninstallFilter.ts";
import { eth_syncing } from "./eth_syncing.ts";
import { net_version } from "./net_version.ts";
import { rollup_getCommittee } from "./rollup_getCommittee.ts";
import { rollup_getFinality } from "./rollup_getFinality.ts";
import { rollup_getQuorumCertificate } from "./rollup_getQuorumCertificate.ts";
import { rollup_getWithdrawalProof } from "./rollup_getWithdrawalProof.ts";
import { rollup_status } from "./rollup_status.ts";
import { web3_clientVersion } from "./web3_clientVersion.ts";

/** `filters`: the filter table's clock and bounds (tests); one table per registry, so per node. */
export function createMethods(options: { blockGasLimit: bigint; filters?: FilterOptions }): RpcRegistry {
  const gasLimit = options.blockGasLimit;
  const filters = new FilterTable(options.filters);
  return createRegistry({
    eth_chainId,
    net_version,
    web3_clientVersion,
    eth_blockNumber,
    eth_syncing,
    eth_accounts,
    eth_getBalance,
    eth_getTransactionCount,
    eth_getCode,
    eth_getStorageAt,
    eth_getProof,
    eth_gasPrice: createGasPrice(gasLimit),
    eth_maxPriorityFeePerGas,
    eth_feeHistory: createFeeHistory(gasLimit),
    eth_estimateGas,
    eth_call,
    eth_sendRawTransaction,
    eth_getTransactionReceipt,
    eth_getTransactionByHash,
    eth_getTransactionByBlockHashAndIndex,
    eth_getTransactionByBlockNumberAndIndex,
    eth_getBlockReceipts,
    eth_getBlockByNumber: createGetBlockByNumber(gasLimit),
    eth_getBlockByHash: createGetBlockByHash(gasLimit),
    eth_getBlockTransactionCountByNumber,
    eth_getBlockTransactionCountByHash,
    eth_getLogs,
    eth_newFilter: createNewFilter(filters),
    eth_newBlockFilter: createNewBlockFilter(filters),
    eth_newPendingTransactionFilter: createNewPendingTransactionFilter(filters),
    eth_getFilterChanges: createGetFilterChanges(filters),
    eth_getFilterLogs: createGetFilterLogs(filters),
    eth_uninstallFilter: createUninstallFilter(filters),
    rollup_status,
    rollup_getFinality,
    rollup_getQuorumCertificate,
    rollup_getCommittee,
    rollup_getWithdrawalProof,
  });
}
