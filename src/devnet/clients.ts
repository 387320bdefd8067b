/** viem clients for an L1 reached by URL, signing locally with a dev account's key. */
import { createPublicClient, createWalletClient, defineChain, http, type Chain, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { callRpc } from "./rpc.ts";

/** A viem chain for whatever chain id the endpoint reports (viem signs with it). */
export async function describeChain(rpcUrl: string): Promise<Chain> {
  const id = Number(await callRpc<string>(rpcUrl, "eth_chainId"));
  return defineChain({
    id,
    name: `devnet L1 ${id}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}

export async function connectL1(rpcUrl: string, privateKey: Hex) {
  const chain = await describeChain(rpcUrl);
  const transport = http(rpcUrl);
  const account = privateKeyToAccount(privateKey);
  return {
    chain,
    publicClient: createPublicClient({ chain, transport }),
    walletClient: createWalletClient({ chain, transport, account }),
  };
}
