/**
 * Writes functions/api/generated/api.ts from schemas/dmbs-api.v1.schema.json: every `$defs` entry
 * becomes an exported type (the schema has no root type). Same renderer as `npm run gen:types`;
 * test/api/api-types.test.ts fails when the file drifts from the schema.
 */
import { writeFile } from 'node:fs/promises';
import { API_TYPES, renderApiTypes } from './api-types.ts';

const root = new URL('..', import.meta.url).pathname;
await writeFile(`${root}/${API_TYPES.out}`, await renderApiTypes(root));
console.log(`wrote ${API_TYPES.out}`);
