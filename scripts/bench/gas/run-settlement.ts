/**
 * Standalone runner for the settlement gas section, until scripts/bench-gas.ts composes the
 * sections: prints one JSON line.  node --experimental-strip-types scripts/bench/gas/run-settlement.ts
 */
import { network } from "hardhat";
import { measure } from "./settlement.ts";

const { viem } = await network.create();
console.log(JSON.stringify({ settlement: await measure(viem) }));
