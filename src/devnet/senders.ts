/**
 * The benchmark's senders: many accounts, funded before anything is timed by transfers from
 * accounts the endpoint already funds (the devnet's L2 dev accounts, a hardhat node's dev
 * accounts).
 *
 * Why many: the load sends each sender's transfers in nonce order, one request outstanding per
 * sender, so with k senders at most k / (request latency) transfers per second can be offered.
 * Ten senders and a member that answers eth_sendRawTransaction in ~80 ms cap the offered load
 * near 125 transfers/s, which measures the client, not the devnet. Real traffic comes from many
 * wallets, each sending a few transactions.
 *
 * The senders are the same keys on every endpoint (BIP-44 account 2 of the public dev mnemonic),
 * so both halves of bench:e2e send byte-for-byte the same kind of load.
 */
import type { Address, Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { devAccounts, type DevAccount } from "./accounts.ts";
import { DevnetError } from "./errors.ts";
import { readNonces, runLoad, signTransfers } from "./load.ts";
import { callRpcBatch } from "./rpc.ts";

/** What one load transfer can cost at most: 21,000 gas at the load's 10 gwei fee cap, plus its 1 gwei value. */
export const MAX_TRANSFER_COST = 21_000n * 10_000_000_000n + 1_000_000_000n;

/** The benchmark's sender accounts (m/44'/60'/2'/0/i of the dev mnemonic): none of the devnet's own. */
export function benchSenders(count: number): DevAccount[] {
  return devAccounts(2, count);
}

export interface FundSendersOptions {
  readonly rpcUrl: string;
  readonly chainId: number | bigint;
  /** Private keys of accounts the endpoint funds; sender i is paid by funder i mod length. */
  readonly funders: readonly Hex[];
  readonly senders: readonly Address[];
  /** Wei each sender gets. */
  readonly amount: bigint;
}

/**
 * One transfer of `amount` to each sender, sent and waited for (nothing here is timed).
 * Refuses up front when the funders cannot pay it all, naming what is missing.
 */
export async function fundSenders(o: FundSendersOptions): Promise<void> {
  if (o.funders.length === 0) throw new RangeError("fundSenders needs at least one funder");
  const funders = o.funders.map((key) => privateKeyToAccount(key).address);
  const balances = (await callRpcBatch(o.rpcUrl, funders.map((a) => ({ method: "eth_getBalance", params: [a, "latest"] })))).map((b) => BigInt(b as string));
  for (const [j, funder] of funders.entries()) {
    const paid = BigInt(o.senders.filter((_, i) => i % funders.length === j).length);
    const needed = paid * (o.amount + MAX_TRANSFER_COST);
    if (balances[j]! < needed) {
      throw new DevnetError("LOAD_FAILED", `funder ${funder} holds ${balances[j]} wei at ${o.rpcUrl}, not the ${needed} wei its ${paid} senders need`);
    }
  }
  const transfers = await signTransfers({
    chainId: o.chainId,
    senders: o.funders,
    startNonces: await readNonces(o.rpcUrl, funders),
    count: o.senders.length,
    recipients: o.senders,
    value: o.amount,
  });
  const result = await runLoad({ rpcUrl: o.rpcUrl, transfers, concurrency: 512, maxInFlightPerSender: 64 });
  if (result.failed > 0) throw new DevnetError("LOAD_FAILED", `funding the senders at ${o.rpcUrl} failed:\n${result.errors.join("\n")}`);
}
