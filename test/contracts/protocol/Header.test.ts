import assert from "node:assert/strict";
import { test } from "node:test";
import { hashHeader, type Header } from "../../../src/protocol/header.ts";
import { toSolidityHeader } from "../../../src/protocol/solidity.ts";
import { rng } from "../fixtures.ts";
import { harness, SEED } from "./harness.ts";

test(`random headers hash the same in TypeScript and Solidity (seed ${SEED})`, async () => {
  const r = rng(SEED);
  for (let i = 0; i < 25; i++) {
    const header: Header = {
      number: r.uint(), view: r.uint(), parentHash: r.bytes32(), timestamp: r.uint(40), proposer: r.address(),
      l1Origin: r.uint(), l1OriginHash: r.bytes32(), inboxCursor: r.uint(), inboxHash: r.bytes32(), dataHash: r.bytes32(), stateRoot: r.bytes32(),
      transactionsRoot: r.bytes32(), receiptsRoot: r.bytes32(), withdrawalsRoot: r.bytes32(), baseFee: r.uint(256), gasUsed: r.uint(),
    };
    const chainId = r.uint(32);
    const rollup = r.address();
    assert.equal(await harness.read.hashHeader([toSolidityHeader(header), chainId, rollup]), hashHeader(chainId, rollup, header), `header ${i}, seed ${SEED}`);
  }
});
