import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { network } from "hardhat";
import { getAddress } from "viem";
import { application, deploySystem, MINIMUM_BOND } from "../fixtures.ts";

const { viem } = await network.create();

describe("Committee governance", () => {
  test("governance is handed over in two steps: propose, then the successor accepts", async () => {
    const { committee, wallets } = await deploySystem(viem, { n: 4 });
    const [governance, successor, typo] = [getAddress(wallets[0]!.account.address), wallets[5]!, wallets[6]!];
    const { args } = application(committee.address, wallets[7]!.account.address, "later");
    await committee.write.applyForSeat(args, { value: MINIMUM_BOND, account: wallets[7]!.account });
    await viem.assertions.revertWithCustomErrorWithArgs(committee.write.proposeGovernance([typo.account.address], { account: successor.account }), committee, "NotGovernance", [successor.account.address]);
    await viem.assertions.emitWithArgs(committee.write.proposeGovernance([successor.account.address]), committee, "GovernanceProposed", [governance, successor.account.address]);
    await viem.assertions.revertWithCustomErrorWithArgs(committee.write.acceptGovernance({ account: typo.account }), committee, "NotPendingGovernance", [typo.account.address, successor.account.address]);
    assert.equal(await committee.read.governance(), governance, "nothing moves before the successor accepts");
    await viem.assertions.emitWithArgs(committee.write.acceptGovernance({ account: successor.account }), committee, "GovernanceTransferred", [governance, successor.account.address]);
    assert.equal(await committee.read.governance(), getAddress(successor.account.address));
    assert.equal(await committee.read.pendingGovernance(), "0x0000000000000000000000000000000000000000");
    await viem.assertions.revertWithCustomErrorWithArgs(committee.write.admit([4n]), committee, "NotGovernance", [governance]);
    await viem.assertions.emitWithArgs(committee.write.admit([4n], { account: successor.account }), committee, "MemberAdmitted", [4n]);
  });

});
