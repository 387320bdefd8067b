/**
 * The subset of JSON Schema the execution-apis result schemas use (type, pattern, required,
 * additionalProperties: false, properties, items, $ref into #/components/schemas, oneOf/anyOf),
 * enough to check an RPC answer against its method's result schema. `oneOf` is read as `anyOf`:
 * the spec's branches overlap (test/vectors README note from ../shared/conformance).
 */
type Schema = {
  $ref?: string;
  type?: string;
  pattern?: string;
  required?: string[];
  additionalProperties?: boolean;
  properties?: Record<string, Schema>;
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
};

/** The reasons `value` does not match `schema` (empty when it does), each naming its JSON path. */
export function schemaErrors(value: unknown, schema: Schema, schemas: Record<string, Schema>, path = "$"): string[] {
  if (schema.$ref !== undefined) {
    const name = schema.$ref.replace("#/components/schemas/", "");
    const target = schemas[name];
    if (target === undefined) return [`${path}: unknown $ref ${schema.$ref}`];
    return schemaErrors(value, target, schemas, path);
  }
  const branches = schema.oneOf ?? schema.anyOf;
  if (branches !== undefined) {
    const results = branches.map((b) => schemaErrors(value, b, schemas, path));
    return results.some((r) => r.length === 0) ? [] : [`${path}: matches none of ${branches.length} branches (${results.map((r) => r[0]).join("; ")})`];
  }
  const errors: string[] = [];
  if (schema.type === "string") {
    if (typeof value !== "string") return [`${path}: not a string`];
    if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) errors.push(`${path}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
  } else if (schema.type === "array") {
    if (!Array.isArray(value)) return [`${path}: not an array`];
    if (schema.items !== undefined) value.forEach((item, i) => errors.push(...schemaErrors(item, schema.items!, schemas, `${path}[${i}]`)));
  } else if (schema.type === "object") {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${path}: not an object`];
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in record)) errors.push(`${path}: missing ${key}`);
    for (const [key, v] of Object.entries(record)) {
      const property = schema.properties?.[key];
      if (property === undefined) {
        if (schema.additionalProperties === false) errors.push(`${path}: unexpected property ${key}`);
        continue;
      }
      errors.push(...schemaErrors(v, property, schemas, `${path}.${key}`));
    }
  } else if (schema.type !== undefined) {
    errors.push(`${path}: schema type ${schema.type} is not supported by this validator`);
  }
  return errors;
}
