/**
 * Renders the API's TypeScript types from schemas/dmbs-api.v1.schema.json, a schema of `$defs`
 * only: a synthetic root referencing each definition makes json-schema-to-typescript emit all of
 * them under their own names. Used by `npm run gen:api-types` and the drift test.
 */
import { readFile } from 'node:fs/promises';
import { compile, type JSONSchema } from 'json-schema-to-typescript';

export const API_TYPES = { schema: 'schemas/dmbs-api.v1.schema.json', out: 'functions/api/generated/api.ts' } as const;

export async function renderApiTypes(root: string): Promise<string> {
  const schema = JSON.parse(await readFile(`${root}/${API_TYPES.schema}`, 'utf8')) as JSONSchema & { $defs: Record<string, JSONSchema> };
  const names = Object.keys(schema.$defs);
  const defs = Object.fromEntries(names.map((n) => [n, { ...schema.$defs[n], title: n }]));
  const { title: _title, description: _description, ...rest } = schema;
  const wrapper = {
    ...rest,
    title: 'DmbsApiDefinitions',
    $defs: defs,
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(names.map((n) => [n, { $ref: `#/$defs/${n}` }])),
  } as JSONSchema;
  const text = await compile(wrapper, 'DmbsApiDefinitions', {
    bannerComment: `/* eslint-disable */\n// GENERATED from ${API_TYPES.schema} by \`npm run gen:api-types\`. Do not edit: change the schema and regenerate.\n`,
    additionalProperties: false,
    unknownAny: true,
    format: true,
    declareExternallyReferenced: true,
    $refOptions: { resolve: { external: false } } as never,
  });
  // The synthetic root is not part of the API.
  return text.replace(/\nexport interface DmbsApiDefinitions \{[\s\S]*?\n\}\n/, '\n');
}
