/** The small JSON-schema validator the conformance tests use, against the spec's own schemas and hand-made ones. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { schemaErrors, type Schema } from "./json-schema.ts";

const spec = JSON.parse(readFileSync(new URL("../fixtures/execution-apis/eth-methods.json", import.meta.url), "utf8"));
const schemas: Record<string, Schema> = spec.components.schemas;
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const h32 = `0x${"ab".repeat(32)}`;

test("quantities: no leading zeros, lowercase hex; patterns are checked", () => {
  assert.deepEqual(schemaErrors("0x0", ref("uint"), schemas), []);
  assert.deepEqual(schemaErrors("0x1c", ref("uint"), schemas), []);
  assert.equal(schemaErrors("0x01", ref("uint"), schemas).length, 1);
  assert.equal(schemaErrors("0x1C", ref("uint"), schemas).length, 1);
  assert.equal(schemaErrors(28, ref("uint"), schemas).length, 1, "a JSON number is not a quantity");
  assert.match(schemaErrors("0x01", ref("uint"), schemas)[0]!, /does not match/);
});

test("allOf needs every part, oneOf one branch (read as anyOf), required and additionalProperties are enforced", () => {
  const signed = { type: "0x2", nonce: "0x0", gas: "0x5208", value: "0x1", input: "0x", maxFeePerGas: "0x2", maxPriorityFeePerGas: "0x1", gasPrice: "0x2", chainId: "0x1", accessList: [], yParity: "0x1", r: "0x1", s: "0x2" };
  assert.deepEqual(schemaErrors(signed, ref("TransactionSigned"), schemas), []);
  const { yParity: _, ...noParity } = signed;
  const errors = schemaErrors(noParity, ref("Transaction1559Signed"), schemas);
  assert.deepEqual(errors, ["$: missing yParity"]);
  assert.equal(schemaErrors({ ...signed, r: "0x0abc" }, ref("TransactionSigned"), schemas).length, 1, "r with a leading zero");
  assert.deepEqual(schemaErrors([], ref("FilterResults"), schemas), [], "an empty log list matches two branches");
  assert.match(schemaErrors({ transactionHash: h32, extra: 1 }, ref("Log"), schemas)[0]!, /unexpected property extra/);
  assert.match(schemaErrors({}, ref("Log"), schemas)[0]!, /missing transactionHash/);
});

test("null, boolean, enum, const, not, patternProperties and additionalProperties schemas", () => {
  assert.deepEqual(schemaErrors(null, ref("notFound"), schemas), []);
  assert.equal(schemaErrors(false, ref("notFound"), schemas).length, 1);
  assert.deepEqual(schemaErrors("latest", ref("BlockTag"), schemas), []);
  assert.match(schemaErrors("newest", ref("BlockTag"), schemas)[0]!, /not one of/);
  const s: Schema = { type: "object", not: { required: ["x"] }, patternProperties: { "^0x": { type: "boolean" } }, additionalProperties: { const: 1 } };
  assert.deepEqual(schemaErrors({ "0xa": true, y: 1 }, s, schemas), []);
  assert.deepEqual(schemaErrors({ "0xa": "no", y: 2 }, s, schemas), ['$.0xa: not a boolean: "no"', "$.y: 2 is not 1"]);
  assert.deepEqual(schemaErrors({ x: 1 }, s, schemas), ["$: matches a schema it must not"]);
  assert.match(schemaErrors(1, { $ref: "#/components/schemas/Nope" }, schemas)[0]!, /unknown \$ref/);
});
