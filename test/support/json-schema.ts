/**
 * The subset of JSON Schema the execution-apis schemas use: type (string, array, object, null,
 * boolean, number, integer), pattern, enum, const, minimum/maximum, required, properties,
 * additionalProperties (false or a schema), patternProperties, items, $ref into
 * #/components/schemas, allOf, anyOf, oneOf and not; enough to check an RPC answer against its
 * method's result schema. `oneOf` is read as `anyOf`: the spec's branches overlap (an empty
 * eth_getLogs answer matches two), as ../shared/conformance/README.md notes.
 */
export type Schema = {
  $ref?: string;
  type?: string;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  required?: string[];
  additionalProperties?: boolean | Schema;
  properties?: Record<string, Schema>;
  patternProperties?: Record<string, Schema>;
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  not?: Schema;
};

const TYPES: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === "string",
  boolean: (v) => typeof v === "boolean",
  null: (v) => v === null,
  number: (v) => typeof v === "number" && Number.isFinite(v),
  integer: (v) => Number.isInteger(v),
  array: (v) => Array.isArray(v),
  object: (v) => typeof v === "object" && v !== null && !Array.isArray(v),
};

/** The reasons `value` does not match `schema` (empty when it does), each naming its JSON path. */
export function schemaErrors(value: unknown, schema: Schema, schemas: Record<string, Schema>, path = "$"): string[] {
  if (schema.$ref !== undefined) {
    const name = schema.$ref.replace("#/components/schemas/", "");
    const target = schemas[name];
    if (target === undefined) return [`${path}: unknown $ref ${schema.$ref}`];
    return schemaErrors(value, target, schemas, path);
  }
  const errors: string[] = [];
  const branches = schema.oneOf ?? schema.anyOf;
  if (branches !== undefined) {
    const results = branches.map((b) => schemaErrors(value, b, schemas, path));
    if (!results.some((r) => r.length === 0)) errors.push(`${path}: matches none of ${branches.length} branches (${results.map((r) => r[0]).join("; ")})`);
  }
  for (const part of schema.allOf ?? []) errors.push(...schemaErrors(value, part, schemas, path));
  if (schema.not !== undefined && schemaErrors(value, schema.not, schemas, path).length === 0) errors.push(`${path}: matches a schema it must not`);
  if (schema.enum !== undefined && !schema.enum.includes(value)) errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if ("const" in schema && schema.const !== value) errors.push(`${path}: ${JSON.stringify(value)} is not ${JSON.stringify(schema.const)}`);
  if (schema.type !== undefined) {
    const check = TYPES[schema.type];
    if (check === undefined) return [...errors, `${path}: schema type ${schema.type} is not supported by this validator`];
    if (!check(value)) return [...errors, `${path}: not ${schema.type === "array" || schema.type === "object" || schema.type === "integer" ? "an" : "a"} ${schema.type}: ${JSON.stringify(value)?.slice(0, 80)}`];
  }
  if (typeof value === "string" && schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) errors.push(`${path}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${path}: ${value} is below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${path}: ${value} is above ${schema.maximum}`);
  }
  if (Array.isArray(value) && schema.items !== undefined) value.forEach((item, i) => errors.push(...schemaErrors(item, schema.items!, schemas, `${path}[${i}]`)));
  if (TYPES.object!(value)) {
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in record)) errors.push(`${path}: missing ${key}`);
    for (const [key, v] of Object.entries(record)) {
      const property = schema.properties?.[key];
      const patterned = Object.entries(schema.patternProperties ?? {}).filter(([p]) => new RegExp(p).test(key));
      if (property !== undefined) errors.push(...schemaErrors(v, property, schemas, `${path}.${key}`));
      for (const [, s] of patterned) errors.push(...schemaErrors(v, s, schemas, `${path}.${key}`));
      if (property !== undefined || patterned.length > 0) continue;
      if (schema.additionalProperties === false) errors.push(`${path}: unexpected property ${key}`);
      else if (typeof schema.additionalProperties === "object") errors.push(...schemaErrors(v, schema.additionalProperties, schemas, `${path}.${key}`));
    }
  }
  return errors;
}
