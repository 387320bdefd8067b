import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { mnemonicToAccount } from "viem/accounts";
import { DEV_MNEMONIC, formatDevAccounts, l1DevAccounts, l2DevAccounts } from "../../src/devnet/accounts.ts";

describe("dev accounts", () => {
  test("L1 accounts are the ones every hardhat node funds", () => {
    const [first, second] = l1DevAccounts(2);
    assert.equal(first!.address, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    assert.equal(first!.privateKey, "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
    assert.equal(second!.address, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    assert.equal(l1DevAccounts().length, 20);
  });

  test("L2 accounts are a separate BIP-44 account of the same mnemonic, deterministic", () => {
    const l2 = l2DevAccounts(5);
    const l1 = new Set(l1DevAccounts().map((a) => a.address));
    l2.forEach((account, i) => {
      assert.equal(account.address, mnemonicToAccount(DEV_MNEMONIC, { accountIndex: 1, addressIndex: i }).address);
      assert.equal(account.path, `m/44'/60'/1'/0/${i}`);
      assert.equal(l1.has(account.address), false);
    });
    assert.deepEqual(l2DevAccounts(5), l2);
  });

  test("the printed list shows address, balance and private key", () => {
    const [account] = l2DevAccounts(1);
    const text = formatDevAccounts("L2 dev accounts", [account!], () => 10n ** 21n);
    assert.match(text, /^L2 dev accounts \(public keys from the Hardhat test mnemonic: devnet only\)/);
    assert.ok(text.includes(`#0 ${account!.address} (1000 ETH)`));
    assert.ok(text.includes(`private key ${account!.privateKey}`));
  });
});
