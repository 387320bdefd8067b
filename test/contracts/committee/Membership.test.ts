import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { network } from "hardhat";
import { getAddress } from "viem";
import { readEpochRecords } from "../../../src/settlement/committee-records.ts";
import { application, deploySystem, L2_CHAIN_ID, MemberStatus as Status, MINIMUM_BOND, UNBONDING_DELAY } from "../fixtures.ts";

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

const { viem } = await network.create();


describe("Committee membership attacks", () => {
  test("a stranger cannot get a seat however many bonds", async () => {
    const { committee, rollup, keys, chain, wallets } = await deploySystem(viem, { n: 4 });
    const stranger = wallets[9]!;
    // 9 keys against 4 honest members would be 13 seats, quorum 9: all of it the stranger's.
    for (let i = 0; i < 9; i++) {
      const { args } = application(committee.address, stranger.account.address, `stranger-${i}`);
      await committee.write.applyForSeat(args, { value: MINIMUM_BOND, account: stranger.account });
    }
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.admit([4n], { account: stranger.account }),
      committee,
      "NotGovernance",
      [stranger.account.address],
    );
    for (let i = 0; i < 3; i++) chain.extend();
    await rollup.write.settle(chain.settleArgs(keys, 1, 1));
    assert.equal(await committee.read.currentEpoch(), 1n, "applications alone change no epoch");
    assert.deepEqual(await committee.read.epochMembers([1n]), [0, 1, 2, 3]);
    const [, , bond, status] = await committee.read.member([12n]);
    assert.deepEqual([bond, status], [MINIMUM_BOND, Status.Applied]);
  });

  test("a front-run PoP is useless", async () => {
    const { committee, wallets } = await deploySystem(viem, { n: 4 });
    const [operator, thief] = [wallets[7]!, wallets[8]!];
    const { publicKey, proof, args } = application(committee.address, operator.account.address, "victim");
    // The thief copies the pending application with its own account and fee recipient.
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.applyForSeat([publicKey, proof, thief.account.address, "ws://thief:1"], { value: MINIMUM_BOND, account: thief.account }),
      committee,
      "InvalidProofOfPossession",
      [publicKey],
    );
    // Copied verbatim, it still names the operator's fee recipient, but the thief would own the
    // bond: refused just the same, since the proof names the sender.
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.applyForSeat(args, { value: MINIMUM_BOND, account: thief.account }),
      committee,
      "InvalidProofOfPossession",
      [publicKey],
    );
    await viem.assertions.emitWithArgs(
      committee.write.applyForSeat(args, { value: MINIMUM_BOND, account: operator.account }),
      committee,
      "MemberApplied",
      [4n, operator.account.address, operator.account.address, publicKey, MINIMUM_BOND, args[3]],
    );
  });

});

describe("Committee applications and admissions", () => {
  test("governance admits an applicant; it joins at the next boundary with its endpoint on record", async () => {
    const { committee, rollup, keys, chain, wallets, publicClient } = await deploySystem(viem, { n: 4 });
    const operator = wallets[7]!;
    const { args, key } = application(committee.address, operator.account.address, "newcomer", "ws://newcomer.example:9000");
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.applyForSeat([args[0], args[1], args[2], "http://newcomer.example"], { value: MINIMUM_BOND, account: operator.account }),
      committee,
      "InvalidEndpoint",
      ["http://newcomer.example"],
    );
    await committee.write.applyForSeat(args, { value: MINIMUM_BOND, account: operator.account });
    await viem.assertions.emitWithArgs(committee.write.admit([4n]), committee, "MemberAdmitted", [4n]);
    assert.equal((await committee.read.member([4n]))[3], Status.Pending);
    await viem.assertions.revertWithCustomErrorWithArgs(committee.write.admit([4n]), committee, "WrongStatus", [4n, Status.Pending]);
    for (let i = 0; i < 3; i++) chain.extend();
    await viem.assertions.emitWithArgs(rollup.write.settle(chain.settleArgs(keys, 1, 1)), committee, "EpochStarted", [2n, [0, 1, 2, 3, 4]]);
    const records = await readEpochRecords(publicClient, committee.address, 2n);
    assert.deepEqual(records[4], { memberId: 4, publicKey: key.publicKey.toEip2537(), feeRecipient: getAddress(operator.account.address), endpoint: "ws://newcomer.example:9000" });
    assert.equal(records[0]!.endpoint, undefined, "genesis members of deploySystem gave no endpoint");
  });

  test("only governance seats genesis members, before the seal, with proofs naming their operators", async () => {
    const wallets = await viem.getWalletClients();
    const [governance, operator, stranger] = [wallets[0]!, wallets[1]!, wallets[9]!];
    const committee = await viem.deployContract("Committee", [L2_CHAIN_ID, MINIMUM_BOND, UNBONDING_DELAY, governance.account.address]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      viem.deployContract("Committee", [L2_CHAIN_ID, MINIMUM_BOND, 0n, governance.account.address]),
      committee,
      "InvalidUnbondingDelay",
      [0n],
    );
    const { publicKey, proof } = application(committee.address, operator.account.address, "genesis-0");
    const seat = (o: `0x${string}`) => ({ publicKey, proof, operator: o, feeRecipient: operator.account.address, endpoint: "" });
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.addGenesisMembers([[seat(operator.account.address)]], { value: MINIMUM_BOND, account: stranger.account }),
      committee,
      "NotGovernance",
      [getAddress(stranger.account.address)],
    );
    await viem.assertions.revertWithCustomError(committee.write.addGenesisMembers([[seat(ZERO_ADDRESS)]], { value: MINIMUM_BOND }), committee, "ZeroOperator");
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.addGenesisMembers([[seat(stranger.account.address)]], { value: MINIMUM_BOND }),
      committee,
      "InvalidProofOfPossession",
      [publicKey],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.addGenesisMembers([[seat(operator.account.address)]], { value: 2n * MINIMUM_BOND }),
      committee,
      "WrongGenesisBonds",
      [2n * MINIMUM_BOND, MINIMUM_BOND],
    );
    await viem.assertions.emitWithArgs(committee.write.addGenesisMembers([[seat(operator.account.address)]], { value: MINIMUM_BOND }), committee, "MemberAdmitted", [0n]);
    // An applicant cannot be admitted before the genesis is sealed: epoch 1 is the genesis members.
    const later = application(committee.address, stranger.account.address, "genesis-later");
    await committee.write.applyForSeat(later.args, { value: MINIMUM_BOND, account: stranger.account });
    await viem.assertions.revertWithCustomError(committee.write.admit([1n]), committee, "GenesisNotSealed");
    assert.equal(await committee.read.currentEpoch(), 0n);
  });

});
