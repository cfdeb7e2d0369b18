/** Writes functions/core/generated/*.ts from schemas/ (see schema-types.ts). */
import { writeFile } from 'node:fs/promises';
import { GENERATED_TYPES, renderTypes } from './schema-types.ts';

const root = new URL('..', import.meta.url).pathname;
for (const entry of GENERATED_TYPES) {
  await writeFile(`${root}/${entry.out}`, await renderTypes(root, entry));
  console.log(`wrote ${entry.out}`);
}
