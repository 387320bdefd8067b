import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { l1DevAccounts, l2DevAccounts } from "../../src/devnet/accounts.ts";
import { DevnetError } from "../../src/devnet/errors.ts";
import { startL1, type DevnetL1 } from "../../src/devnet/l1.ts";
import { callRpcBatch } from "../../src/devnet/rpc.ts";
import { benchSenders, fundSenders } from "../../src/devnet/senders.ts";
import { freePort } from "../fixtures/ports.ts";

let l1: DevnetL1 | undefined;
before(async () => {
  l1 = await startL1({ port: await freePort() });
});
after(async () => {
  await l1?.stop();
});

const balances = async (addresses: readonly string[]) =>
  (await callRpcBatch(l1!.rpcUrl, addresses.map((a) => ({ method: "eth_getBalance", params: [a, "latest"] })))).map((b) => BigInt(b as string));

describe("benchmark senders", () => {
  test("are deterministic and none of the devnet's own accounts", () => {
    const senders = benchSenders(3);
    assert.deepEqual(senders.map((s) => s.address), benchSenders(3).map((s) => s.address));
    const devnet = new Set([...l1DevAccounts(), ...l2DevAccounts(10)].map((a) => a.address));
    assert.ok(senders.every((s) => !devnet.has(s.address)));
    assert.equal(senders[0]!.path, "m/44'/60'/2'/0/0");
  });

  test("each gets the amount, paid by the funders in turn", async () => {
    const senders = benchSenders(5).map((s) => s.address);
    const funders = l1!.accounts.slice(1, 3).map((a) => a.privateKey);
    await fundSenders({ rpcUrl: l1!.rpcUrl, chainId: l1!.chainId, funders, senders, amount: 10n ** 15n });
    assert.deepEqual(await balances(senders), senders.map(() => 10n ** 15n));
  });

  test("funders that cannot pay are refused before anything is sent, naming the funder", async () => {
    const senders = benchSenders(8).slice(5).map((s) => s.address);
    const funder = l1!.accounts[3]!;
    await assert.rejects(
      fundSenders({ rpcUrl: l1!.rpcUrl, chainId: l1!.chainId, funders: [funder.privateKey], senders, amount: 10n ** 24n }),
      (e: unknown) => e instanceof DevnetError && e.message.includes(funder.address) && /not the \d+ wei its 3 senders need/.test(e.message),
    );
    assert.deepEqual(await balances(senders), [0n, 0n, 0n]);
  });
});
