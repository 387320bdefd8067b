/** `npm run devnet -- admit | exit | withdraw`'s command line (src/devnet/membership-command.ts): pure parsing, every refusal named. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { UsageError } from "../../src/devnet/cli-args.ts";
import { parseDevnetArgs } from "../../src/devnet/membership-command.ts";

describe("npm run devnet command line", () => {
  test("admit, exit and withdraw with their options", () => {
    assert.deepEqual(parseDevnetArgs(["admit"], "/w"), { command: "admit", dataDir: "/w/.devnet", operatorAccount: undefined, wait: true });
    assert.deepEqual(parseDevnetArgs(["admit", "--data-dir", "d", "--operator-account", "12", "--no-wait"], "/w"), { command: "admit", dataDir: "/w/d", operatorAccount: 12, wait: false });
    assert.deepEqual(parseDevnetArgs(["exit", "--member", "4"], "/w"), { command: "exit", dataDir: "/w/.devnet", member: 4, wait: true });
    assert.deepEqual(parseDevnetArgs(["withdraw", "--member", "0"], "/w"), { command: "withdraw", dataDir: "/w/.devnet", member: 0, wait: true });
    assert.deepEqual(parseDevnetArgs(["--help"]), { help: true });
    assert.deepEqual(parseDevnetArgs(["exit", "--help"]), { help: true });
  });

  test("a missing or unknown command, a missing or stray --member, and bad numbers are refused by name", () => {
    const refused = (argv: string[], message: RegExp) => assert.throws(() => parseDevnetArgs(argv), (e: unknown) => e instanceof UsageError && message.test(e.message), argv.join(" "));
    refused([], /expected a command, admit, exit or withdraw/);
    refused(["join"], /expected a command.*"join"/);
    refused(["exit"], /exit needs --member <id>/);
    refused(["admit", "--member", "4"], /admit takes no --member/);
    refused(["exit", "--member", "four"], /--member must be an integer/);
    refused(["exit", "--member", "4", "--operator-account", "3"], /--operator-account is for admit/);
    refused(["admit", "--operator-account", "0"], /--operator-account must be an integer from 1 to 19/);
    refused(["admit", "--bogus"], /bogus/);
  });
});
