/**
 * Receipts with logs, checked against the Ethereum Foundation's own code (@ethereumjs/vm): the
 * bloom, and the encoding that goes into the receipts root, for successful and reverted ones.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Bloom, encodeReceipt as ejsEncodeReceipt } from "@ethereumjs/vm";
import { bytesToHex, hexToBytes, keccak256, toHex, type Address, type Hex } from "viem";
import { encodeReceipt, logsBloom, receiptFromJson, receiptToJson, type Receipt, type ReceiptLog } from "../../src/execution/index.ts";

const word = (i: number): Hex => keccak256(toHex(i));
const logs: ReceiptLog[] = [
  { address: "0x5fbdb2315678afecb367f032d93f642f64180aa3", topics: [word(1), word(2), word(3)], data: "0x" },
  { address: "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512", topics: [], data: `0x${"ab".repeat(70)}` },
  { address: "0x5fbdb2315678afecb367f032d93f642f64180aa3", topics: [word(4)], data: "0x01" },
];

function receipt(status: Receipt["status"], withLogs: readonly ReceiptLog[]): Receipt {
  return {
    transactionHash: word(9), transactionIndex: 2, blockNumber: 7n, from: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", to: null, type: "eip1559",
    status, contractAddress: "0x5fbdb2315678afecb367f032d93f642f64180aa3", logs: withLogs, firstLogIndex: 0, gasUsed: 90_000n, cumulativeGasUsed: 150_000n, effectiveGasPrice: 7n, inboxIndex: undefined,
  };
}

test("the logs bloom sets the bits Ethereum's Bloom sets for each address and topic", () => {
  const theirs = new Bloom();
  for (const log of logs) {
    theirs.add(hexToBytes(log.address));
    for (const t of log.topics) theirs.add(hexToBytes(t));
  }
  assert.equal(bytesToHex(logsBloom(logs)), bytesToHex(theirs.bitvector));
  assert.equal(bytesToHex(logsBloom([])), bytesToHex(new Uint8Array(256)));
});

test("a receipt with logs, and a reverted one, encode as @ethereumjs/vm encodes them", () => {
  const toEjs = (logs: readonly ReceiptLog[]) => logs.map((l) => [hexToBytes(l.address), l.topics.map((t) => hexToBytes(t)), hexToBytes(l.data)] as [Uint8Array, Uint8Array[], Uint8Array]);
  for (const [status, withLogs] of [["success", logs], ["reverted", []]] as const) {
    const ours = encodeReceipt(receipt(status, withLogs));
    const theirs = ejsEncodeReceipt({ status: status === "success" ? 1 : 0, cumulativeBlockGasUsed: 150_000n, bitvector: logsBloom(withLogs), logs: toEjs(withLogs) }, 2);
    assert.equal(bytesToHex(ours), bytesToHex(theirs), status);
  }
});

test("a receipt survives the store's JSON, and one stored before contracts reads as a successful transfer", () => {
  const r = receipt("reverted", logs);
  assert.deepEqual(receiptFromJson(receiptToJson(r)), r);
  const old = JSON.parse(receiptToJson(receipt("success", []))) as Record<string, unknown>;
  delete old.status; delete old.contractAddress; delete old.logs;
  old.to = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc" satisfies Address;
  const read = receiptFromJson(JSON.stringify(old));
  assert.equal(read.status, "success");
  assert.equal(read.contractAddress, null);
  assert.deepEqual(read.logs, []);
});
