/** One ProtocolHarness per test process, and the seed the randomized cross tests use. */
import { network } from "hardhat";
import { testSeed } from "../../fixtures/random.ts";

const { viem } = await network.create();
export const harness = await viem.deployContract("ProtocolHarness");
/** TEST_SEED=<seed> replays a failure; every test prints the seed it used. */
export const SEED = testSeed();
