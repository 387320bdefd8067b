import { readFileSync } from "node:fs";
import { expectParams } from "../params.ts";
import type { RpcMethod } from "../registry.ts";

const { version } = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };

/** name/version/platform, the shape Ethereum clients answer with (geth: Geth/v1.x/linux-amd64/go1.x). */
export const web3_clientVersion: RpcMethod = (params) => {
  expectParams(params, 0, 0, "no params");
  return `hotstuff-rollup/v${version}/${process.platform}-${process.arch}/node${process.versions.node}`;
};
