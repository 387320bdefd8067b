/**
 * Equivocation reaches L1: three honest member processes and one Byzantine member (the test
 * harness: the real member 3 in this process, config field `byzantine: "equivocate"`) that signs
 * two blocks in each view it leads. The honest
 * members' cores report the evidence, their outboxes post it with `Committee.reportDoubleProposal`,
 * and the Committee ejects member 3 with its bond slashed. The first report wins; the others find
 * it done (info, not an alert).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { eventually } from "../fixtures/redis.ts";
import { ByzantineMember } from "./support/byzantine.ts";
import { L1TestCluster } from "./support/l1-cluster.ts";

const EJECTED = 3;
let net: L1TestCluster | undefined;
let byzantine: ByzantineMember | undefined;

before(async () => {
  net = await L1TestCluster.create("l1-slashing");
});

after(async () => {
  await byzantine?.stop();
  await net?.stop();
});

test("a member that signs two blocks in one view is slashed on L1 through the evidence its peers submit", async () => {
  const cluster = net!.members;
  assert.equal(await net!.memberStatus(3), 2, "member 3 starts active");
  await cluster.startAll([0, 1, 2]);
  byzantine = await ByzantineMember.start(cluster.devnet.configFiles[3]!, "equivocate");
  await eventually(async () => (await net!.memberStatus(3)) === EJECTED, "member 3 to be ejected on L1", 180_000);
  const honest = [0, 1, 2];
  const reported = () => honest.flatMap((m) => cluster.events(m, "evidence.evidence-reported"));
  // The reporter logs once its receipt is in, which may be just after L1 shows the ejection.
  await eventually(() => reported().length >= 1, "an honest member's evidence worker to log its report", 60_000);
  assert.ok(reported().every((e) => e.kind === "proposal" && e.signer === 3), "the report names member 3's double proposal");
  // The harness equivocates in every view it leads: each honest member catches it sooner or later,
  // and its follower sees the slashing on L1.
  for (const m of honest) {
    await eventually(() => cluster.events(m, "consensus.evidence").some((e) => e.signer === 3), `member ${m} to see the equivocation`, 120_000);
    await eventually(() => cluster.events(m, "l1.slashed").some((e) => e.memberId === "3"), `member ${m} to see the slashing`, 60_000);
    assert.ok(!cluster.events(m, "l1.alert").some((e) => (e.item as { kind?: string } | undefined)?.kind === "evidence"), `member ${m} raised no evidence alert`);
  }
});
