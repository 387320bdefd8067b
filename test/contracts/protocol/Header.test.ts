import assert from "node:assert/strict";
import { test } from "node:test";
import { toHex, type Hex } from "viem";
import { encodeHeader, hashHeader, type Header } from "../../../src/protocol/header.ts";
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

test("a pinned header vector: 16 words, l1OriginHash after l1Origin, the same hash in TypeScript and Solidity", async () => {
  const w = (byte: string): Hex => `0x${byte.repeat(32)}`;
  const header: Header = {
    number: 7n, view: 9n, parentHash: w("01"), timestamp: 1_700_000_000n, proposer: "0x00000000000000000000000000000000000000aa",
    l1Origin: 123n, l1OriginHash: w("0b"), inboxCursor: 2n, inboxHash: w("02"), dataHash: w("03"), stateRoot: w("04"),
    transactionsRoot: w("05"), receiptsRoot: w("06"), withdrawalsRoot: w("07"), baseFee: 1_000_000_000n, gasUsed: 21_000n,
  };
  const words = encodeHeader(header).slice(2).match(/.{64}/g)!;
  assert.equal(words.length, 16);
  assert.equal(`0x${words[5]}`, toHex(123n, { size: 32 }), "word 5: l1Origin");
  assert.equal(`0x${words[6]}`, w("0b"), "word 6: l1OriginHash");
  // Pinned: a change of the header layout on either side shows here, not only as a disagreement.
  const pinned = "0x76c0a6550dc39a5ed96fded6c4b9b9d2016aef5535658664bfaabd603f3e797b";
  const rollup = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
  assert.equal(hashHeader(901n, rollup, header), pinned);
  assert.equal(await harness.read.hashHeader([toSolidityHeader(header), 901n, rollup]), pinned);
});
