import { createRequire } from "node:module";
import hardhatToolboxViem from "@nomicfoundation/hardhat-toolbox-viem";
import { defineConfig } from "hardhat/config";
import { DEV_MNEMONIC } from "./src/devnet/accounts.ts";

// The compiler comes from the npm `solc` package (a wasm build), never from a download:
// builds must work on machines without internet access.
const require = createRequire(import.meta.url);
const solcVersion: string = require("solc/package.json").version;
const solcPath = require.resolve("solc/soljson.js");

export default defineConfig({
  plugins: [hardhatToolboxViem],
  solidity: {
    compilers: [
      {
        version: solcVersion,
        path: solcPath,
        settings: {
          // Prague: EIP-2537 BLS12-381 precompiles (0x0b..0x11) exist from this fork on.
          evmVersion: "prague",
          optimizer: { enabled: true, runs: 200 },
          viaIR: false,
        },
      },
    ],
  },
  networks: {
    hardhatMainnet: { type: "edr-simulated", chainType: "l1", hardfork: "prague" },
    default: { type: "edr-simulated", chainType: "l1", hardfork: "prague", allowUnlimitedContractSize: false },
    localhost: { type: "http", chainType: "l1", url: process.env.L1_RPC_URL ?? "http://127.0.0.1:8545" },
    // The L2 of `npm start` (member 0): its chain id (DEVNET_CHAIN_ID in src/node/devnet.ts, not
    // imported here because that module loads the BLS library into every hardhat command) and
    // the ten L2 dev accounts it funds by deposits, m/44'/60'/1'/0/i of the Hardhat mnemonic
    // (src/devnet/accounts.ts). Public keys: devnet only.
    l2devnet: {
      type: "http",
      chainType: "l1",
      url: process.env.L2_RPC_URL ?? "http://127.0.0.1:8645",
      chainId: 901,
      accounts: { mnemonic: DEV_MNEMONIC, path: "m/44'/60'/1'/0", count: 10 },
    },
  },
});
