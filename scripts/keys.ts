/**
 * Writes a devnet committee keys file (the input of scripts/deploy.ts and the Ignition module):
 *
 *   node --experimental-strip-types scripts/keys.ts [--size 4] [--seed devnet] [--l2-chain-id 901]
 *        [--deployer 0x..] [--nonce 0] [--out .devnet/committee-keys.json]
 *
 * Member i's key is SecretKey.fromSeed(`${seed}-${i}`); its proof of possession is made for the
 * Committee address that `deployer` creates at `nonce` (by default Hardhat's first account on a
 * fresh node, so `npx hardhat node` + `scripts/deploy.ts` works as is). Fee recipients are
 * Hardhat's accounts 1..size. The file holds the secret keys: devnet only.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { mnemonicToAccount } from "viem/accounts";
import { devnetKeysFile, predictContractAddress, writeKeysFile } from "../src/deployment/committee-keys.ts";

/** Hardhat's default development mnemonic: the accounts every local node funds. */
export const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";

const { values } = parseArgs({
  options: {
    size: { type: "string", default: "4" },
    seed: { type: "string", default: "devnet" },
    "l2-chain-id": { type: "string", default: "901" },
    deployer: { type: "string" },
    nonce: { type: "string", default: "0" },
    out: { type: "string", default: ".devnet/committee-keys.json" },
  },
});
const size = Number(values.size);
if (!Number.isInteger(size) || size < 1 || size > 256) throw new RangeError(`--size must be 1..256, got ${values.size}`);
const deployer = (values.deployer ?? mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: 0 }).address) as `0x${string}`;
const committee = predictContractAddress(deployer, BigInt(values.nonce));
const feeRecipients = Array.from({ length: size }, (_, i) => mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: 1 + (i % 19) }).address);
const file = devnetKeysFile({ size, seed: values.seed, l2ChainId: BigInt(values["l2-chain-id"]), committee, feeRecipients });
mkdirSync(dirname(values.out), { recursive: true });
writeKeysFile(values.out, file);
console.log(`wrote ${size} members for Committee ${committee} (deployer ${deployer}, nonce ${values.nonce}) to ${values.out}`);
