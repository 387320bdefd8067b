/**
 * A seeded random chain: a leader builds 15 blocks from a messy mempool (stale nonces, gaps,
 * withdrawals, underfunded senders) plus deposits and forced transactions, and a second member
 * re-executes every block from the block data alone. Both must agree on every header, and money
 * must be conserved: supply changes only by deposits minted, base fees burned and withdrawals.
 * On failure the seed is printed; rerun with that seed to reproduce.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { keccak256, toHex, type Address, type Hex } from "viem";
import { buildBlock } from "../../src/execution/build.ts";
import { executeBlock } from "../../src/execution/execute.ts";
import { createGenesis } from "../../src/execution/genesis.ts";
import { Mempool } from "../../src/execution/mempool.ts";
import { hashHeader, type Header } from "../../src/protocol/header.ts";
import { INBOX_DEPOSIT, INBOX_FORCED_TX, type InboxEntry } from "../../src/protocol/inbox.ts";
import { WITHDRAWAL_ADDRESS } from "../../src/protocol/withdrawals.ts";
import { ETHER, GWEI, key, keys, seededRandom, signTransaction, testConfig, transfer } from "./fixtures.ts";

const ROLLUP: Address = "0x00000000000000000000000000000000000c0ffe";

describe("seeded random chain", () => {
  for (const seed of [1, 2, 3]) {
    test(`seed ${seed}: leader and member agree on every block and money is conserved`, () => {
      const random = seededRandom(seed);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
      const config = testConfig({ maxTransactionsPerBlock: 12, maxInboxEntriesPerBlock: 2 });
      const users = keys(8, `scenario-${seed}`);
      const proposer = key("scenario-proposer");
      const balances = users.map((u, i) => [u.address, i === 7 ? 10n ** 14n : 10n * ETHER] as const);
      const leader = createGenesis({ config, timestamp: 0n, l1Origin: 0n, balances });
      const member = createGenesis({ config, timestamp: 0n, l1Origin: 0n, balances });
      const tracked = [...users.map((u) => u.address), proposer.address];
      const supply = () => tracked.reduce((sum, a) => sum + leader.state.getAccount(a).balance, 0n);
      const nextNonce = new Map<Address, bigint>(users.map((u) => [u.address, 0n]));
      const mempool = new Mempool();
      const inbox: InboxEntry[] = [];
      let parent: Header = leader.header;
      let expectedSupply = supply();
      const seen = { transactions: 0, withdrawals: 0, deposits: 0, forcedExecuted: 0, forcedSkipped: 0, skipped: 0 };
      try {
        for (let b = 1; b <= 15; b++) {
          for (let i = 0; i < 10; i++) {
            const from = pick(users);
            const planned = nextNonce.get(from.address)!;
            // Mostly the next nonce; sometimes a stale or a future one (a gap).
            const r = random();
            const nonce = r < 0.8 ? planned : r < 0.9 ? planned + 2n : planned > 0n ? planned - 1n : planned;
            const to = random() < 0.1 ? WITHDRAWAL_ADDRESS : pick(users).address;
            const tx = transfer(from, { nonce, to, value: BigInt(Math.floor(random() * 1e6)) * GWEI, maxPriorityFeePerGas: BigInt(Math.floor(random() * 3)) * GWEI, maxFeePerGas: 5n * GWEI }, config);
            try {
              mempool.add(tx, leader.state.getAccount(tx.from));
              if (nonce === planned) nextNonce.set(from.address, planned + 1n);
            } catch {
              // Refused at the door (stale, underpriced replacement, too poor): fine, that is tested elsewhere.
            }
          }
          const l1Origin = BigInt(b * 10);
          if (b % 2 === 1) {
            const index = BigInt(inbox.length);
            const signer = pick(users);
            // Forced transactions: usually at the signer's current nonce (valid), sometimes far ahead (skipped).
            const nonce = leader.state.getAccount(signer.address).nonce + (random() < 0.7 ? 0n : 5n);
            inbox.push(b % 4 === 1
              ? { index, kind: INBOX_DEPOSIT, sender: users[0]!.address, recipient: pick(users).address, value: ETHER, data: "0x", l1Block: l1Origin }
              : { index, kind: INBOX_FORCED_TX, sender: users[0]!.address, recipient: "0x0000000000000000000000000000000000000000", value: 0n, l1Block: l1Origin,
                  data: signTransaction(signer, { nonce, to: pick(users).address, value: GWEI }) as Hex });
          }
          const parentHash = hashHeader(config.chainId, ROLLUP, parent);
          const built = buildBlock({ config, parent, parentHash, blockHashes: () => undefined, state: leader.state, view: BigInt(b), timestamp: BigInt(b), proposer: proposer.address, l1Origin, l1OriginHash: l1Origin === 0n ? parent.l1OriginHash : keccak256(toHex(`L1 block ${l1Origin}`)), inbox, mempool: mempool.transactions() });
          const validated = executeBlock({ config, parent, parentHash, blockHashes: () => undefined, state: member.state, header: built.header, blockData: built.blockData, inbox });
          assert.deepEqual(validated.header, built.header, `block ${b}`);

          seen.transactions += built.transactions.length;
          seen.withdrawals += built.withdrawals.length;
          seen.skipped += built.skipped.length;
          for (const o of built.inbox) {
            if (o.kind === "deposit") seen.deposits++;
            else if (o.status === "executed") seen.forcedExecuted++;
            else seen.forcedSkipped++;
          }
          const minted = built.inbox.reduce((sum, o) => sum + (o.kind === "deposit" ? o.value : 0n), 0n);
          const withdrawn = built.withdrawals.reduce((sum, w) => sum + w.amount, 0n);
          expectedSupply += minted - withdrawn - built.header.gasUsed * built.header.baseFee;
          leader.state.commit(built.changes);
          member.state.commit(validated.changes);
          assert.equal(supply(), expectedSupply, `block ${b}: supply`);
          assert.equal(member.state.stateRoot(), leader.state.stateRoot());
          for (const skipped of built.skipped) if (skipped.code === "NONCE_TOO_LOW") mempool.remove(skipped.hash);
          mempool.prune(leader.state, users.map((u) => u.address));
          for (const u of users) if (nextNonce.get(u.address)! < leader.state.getAccount(u.address).nonce) nextNonce.set(u.address, leader.state.getAccount(u.address).nonce);
          parent = built.header;
        }
        // The run must have exercised what it claims to check.
        assert.ok(seen.transactions >= 60 && seen.withdrawals >= 1 && seen.deposits >= 1 && seen.forcedExecuted >= 1, JSON.stringify(seen));
        assert.ok(leader.state.getAccount(proposer.address).balance > 0n);
      } catch (error) {
        console.error(`scenario failed with seed ${seed}`);
        throw error;
      }
    });
  }
});
