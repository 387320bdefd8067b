/**
 * What the settlement worker reads from a member's store: blocks and commit proofs in the codec's
 * record forms (encodeBlockRecord / encodeCommitProof), and also as the node stores them today
 * (proposal messages, and a proof of a proposal message plus a qc message), with genesis only
 * in the canonical table. Every form decodes to the same blocks and the same two-chain.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { encodeCommitProof, encodeMessage, hashBlock, type Action } from "../../src/consensus/index.ts";
import { createGenesisBlock } from "../../src/consensus/index.ts";
import { Store } from "../../src/store/index.ts";
import { StoredChain, toSolidityCommitProof } from "../../src/settlement/index.ts";
import { committee } from "../fixtures/keys.ts";
import { recordCommit, runCommittee } from "./harness.ts";

const domain = { chainId: 901n, rollup: "0x00000000000000000000000000000000000000a1", epoch: 1n } as const;
const genesis = createGenesisBlock();
const genesisHash = hashBlock(domain, genesis);
const dir = mkdtempSync(join(tmpdir(), "settlement-records-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("stored blocks and commit proofs", () => {
  test("the record forms and the node's message forms decode to the same chain and proof", () => {
    const commits: Extract<Action, { type: "commit" }>[] = [];
    const run = runCommittee({ keys: committee(4, "records"), domain, genesis, onCommit: (a) => commits.push(a) });
    run.commitUntil(3n);
    const identity = { chainId: "901", rollup: domain.rollup, genesisHash };
    const records = Store.open(join(dir, "records.sqlite"), identity);
    const messages = Store.open(join(dir, "messages.sqlite"), identity);
    const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    messages.commitBlock({ number: 0n, hash: genesisHash, transactions: [], accounts: [], withdrawals: [] });
    for (const commit of commits) {
      recordCommit(records, commit);
      for (const { hash, block } of commit.blocks) {
        messages.putBlock({ hash, number: block.header.number, view: block.header.view, epoch: 1n, proposer: -1, data: text(encodeMessage({ kind: "proposal", proposal: run.proposals.get(hash)! })) });
        messages.commitBlock({ number: block.header.number, hash, transactions: [], accounts: [], withdrawals: [] });
      }
      const childProposal = run.proposals.get(hashBlock(domain, commit.proof.child))!;
      const nodeForm = { child: JSON.parse(text(encodeMessage({ kind: "proposal", proposal: childProposal }))), childQc: JSON.parse(text(encodeMessage({ kind: "qc", qc: commit.proof.childQc }))) };
      messages.putCommitProof(commit.blocks[commit.blocks.length - 1]!.block.header.number, JSON.stringify(nodeForm), 1n);
    }
    const a = new StoredChain(records, run.signers[0]!);
    const b = new StoredChain(messages, run.signers[0]!);
    const head = a.committedHead()!;
    assert.deepEqual(b.committedHead(), head);
    assert.equal(b.hashAt(0n), genesisHash);
    assert.equal(b.block(0n), undefined, "the node keeps genesis in memory only");
    for (let n = 1n; n <= head.number; n++) {
      assert.equal(hashBlock(domain, a.block(n)!.block), a.hashAt(n));
      assert.deepEqual(hashBlock(domain, b.block(n)!.block), a.hashAt(n));
      assert.equal(b.block(n)!.block.payload, a.block(n)!.block.payload);
    }
    const last = commits[commits.length - 1]!;
    const fromRecords = a.commitProof(head.number)!;
    const fromMessages = b.commitProof(head.number)!;
    assert.equal(fromRecords.number, head.number);
    assert.deepEqual(toSolidityCommitProof(fromMessages.proof, 1n), toSolidityCommitProof(fromRecords.proof, 1n));
    assert.deepEqual(toSolidityCommitProof(fromRecords.proof, 1n), toSolidityCommitProof(last.proof, 1n));
    assert.equal(encodeCommitProof(fromRecords.proof), encodeCommitProof(last.proof), "the record form round-trips exactly");

    // A proof whose child was never stored (the node writes null then) is skipped, loudly, for the one below.
    const unreadable: bigint[] = [];
    const c = new StoredChain(messages, run.signers[0]!, (n) => unreadable.push(n));
    messages.putCommitProof(head.number + 1n, JSON.stringify({ child: null, childQc: null }), 1n);
    assert.equal(c.commitProof(head.number + 1n)?.number, head.number);
    assert.deepEqual(unreadable, [head.number + 1n]);
    records.close();
    messages.close();
  });
});
