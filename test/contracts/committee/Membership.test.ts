import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { network } from "hardhat";
import { keccak256, toHex } from "viem";
import { SecretKey } from "../../../src/crypto/index.ts";
import { popDigest } from "../../../src/protocol/digests.ts";
import { deploySystem, L2_CHAIN_ID, MINIMUM_BOND, signVote } from "../fixtures.ts";

const { viem } = await network.create();

describe("Committee membership attacks", () => {
  test("a stranger cannot get a seat however many bonds", async () => {
    const { committee, rollup, keys, chain, wallets } = await deploySystem(viem, { n: 4 });
    const stranger = wallets[9]!;
    // 9 keys against 4 honest members: 13 seats, quorum 9, all of it the stranger's.
    for (let i = 0; i < 9; i++) {
      const key = SecretKey.fromSeed(`stranger-${i}`);
      const pk = key.publicKey.toEip2537();
      const pop = key.signPossession(popDigest(L2_CHAIN_ID, committee.address, pk)).toEip2537();
      await committee.write.register([pk, pop, stranger.account.address], { value: MINIMUM_BOND, account: stranger.account });
    }
    for (let i = 0; i < 3; i++) chain.extend();
    await rollup.write.settle(chain.settleArgs(keys, 1, 1));
    const epoch = await committee.read.currentEpoch();
    assert.deepEqual(await committee.read.epochMembers([epoch]), [0, 1, 2, 3], "only the governed members are seated");
  });

  test("a front-run PoP is useless", async () => {
    const { committee, wallets } = await deploySystem(viem, { n: 4 });
    const [operator, thief] = [wallets[7]!, wallets[8]!];
    const key = SecretKey.fromSeed("victim");
    const pk = key.publicKey.toEip2537();
    const pop = key.signPossession(popDigest(L2_CHAIN_ID, committee.address, pk)).toEip2537();
    // The thief copies the pending transaction's key and proof with its own account and fee recipient.
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.register([pk, pop, thief.account.address], { value: MINIMUM_BOND, account: thief.account }),
      committee,
      "InvalidProofOfPossession",
      [pk],
    );
    await committee.write.register([pk, pop, operator.account.address], { value: MINIMUM_BOND, account: operator.account });
  });

  test("no exit leaves a slashed bond withdrawable", async () => {
    const { committee, keys, domain, wallets } = await deploySystem(viem, { n: 4 });
    const operator = wallets[2]!; // member 1's operator (deploySystem's fee recipients are wallets 1..4)
    const [blockA, blockB] = [keccak256(toHex("block A")), keccak256(toHex("block B"))];
    await committee.write.reportDoubleVote([1n, 1n, 7n, blockA, signVote(keys[1]!, domain, 7n, blockA), blockB, signVote(keys[1]!, domain, 7n, blockB)], {
      account: wallets[9]!.account,
    });
    const exit = (committee.write as Record<string, (args: unknown[], o: unknown) => Promise<unknown>>)["announceExit"];
    assert.ok(exit !== undefined, "a member can announce its exit");
    await viem.assertions.revertWithCustomErrorWithArgs(exit([1n], { account: operator.account }) as Promise<never>, committee, "MemberSlashedAlready", [1n]);
  });
});
