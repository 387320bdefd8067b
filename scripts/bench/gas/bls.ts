/**
 * Gas of the BLS library (contracts/bls/BLS.sol) through contracts/test/BLSHarness.sol.
 *
 * Main figures are the library call alone: gasleft() before minus after, inside the harness, so
 * they leave out the 21,000 transaction base, calldata and ABI decoding (which depend on the
 * calling contract). `blsVerifyTxGas` is the whole call as a transaction (eth_estimateGas − 21,000,
 * calldata and decoding included), for comparison with figures published that way.
 */
import { aggregatePublicKeys, aggregateSignatures, SIGNATURE_DST } from "../../../src/crypto/index.ts";
import { popDigest } from "../../../src/protocol/digests.ts";
import { committee } from "../../../test/fixtures/keys.ts";
import { seededDigest } from "../../../test/fixtures/random.ts";
import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";
import { stringToHex } from "viem";

const AGGREGATE_SIZES = [4, 16, 64, 128];

export async function measure(viem: HardhatViemHelpers): Promise<Record<string, unknown>> {
  const harness = await viem.deployContract("BLSHarness", []);
  const publicClient = await viem.getPublicClient();
  const members = committee(128, "bench");
  const digest = seededDigest("bench-gas", 0);
  const signer = members[0]!;
  const pk = signer.publicKey.toEip2537();
  const sig = signer.sign(digest).toEip2537();

  const [, hashToG2Gas] = await harness.read.hashToG2Gas([digest, stringToHex(SIGNATURE_DST)]);
  const [valid, blsVerifyGas] = await harness.read.verifyGas([pk, digest, sig]);
  if (!valid) throw new Error("benchmark signature did not verify");
  const blsVerifyTxGas =
    (await publicClient.estimateContractGas({ address: harness.address, abi: harness.abi, functionName: "verify", args: [pk, digest, sig] })) -
    21_000n;

  const pop = popDigest(31337n, harness.address, "0x0000000000000000000000000000000000000a11", pk);
  const [popValid, popVerifyGas] = await harness.read.verifyPossessionGas([pk, pop, signer.signPossession(pop).toEip2537()]);
  if (!popValid) throw new Error("benchmark proof of possession did not verify");

  const aggregateVerifyGas: Record<string, number> = {};
  const sigs = members.map((m) => m.sign(digest));
  for (const k of AGGREGATE_SIZES) {
    const keys = members.slice(0, k).map((m) => m.publicKey.toEip2537());
    const [ok, gas] = await harness.read.verifyAggregateGas([keys, digest, aggregateSignatures(sigs.slice(0, k)).toEip2537()]);
    if (!ok) throw new Error(`benchmark aggregate of ${k} did not verify`);
    aggregateVerifyGas[String(k)] = Number(gas);
  }

  const validateG1Gas = await harness.read.validateG1Gas([pk]);
  const sum = aggregatePublicKeys(members.slice(0, 4).map((m) => m.publicKey)).toEip2537();
  const [, removeKeyGas] = await harness.read.removeG1Gas([sum, members[1]!.publicKey.toEip2537()]);

  return {
    blsGasMethod:
      "library call only: gasleft() delta inside BLSHarness (no 21000 base, calldata or ABI decoding); blsVerifyTxGas = eth_estimateGas - 21000",
    blsVerifyGas: Number(blsVerifyGas),
    blsVerifyTxGas: Number(blsVerifyTxGas),
    hashToG2Gas: Number(hashToG2Gas),
    popVerifyGas: Number(popVerifyGas),
    aggregateVerifyGas,
    aggregatePerKeyGas: Math.round((aggregateVerifyGas["128"]! - aggregateVerifyGas["4"]!) / 124),
    validateG1Gas: Number(validateG1Gas),
    removeKeyFromAggregateGas: Number(removeKeyGas),
  };
}
