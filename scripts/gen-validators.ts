/** Writes functions/core/generated/validators/*.ts (see validator-code.ts). */
import { writeFile } from 'node:fs/promises';
import { GENERATED_VALIDATORS, renderValidator } from './validator-code.ts';

const root = new URL('..', import.meta.url).pathname;
for (const entry of GENERATED_VALIDATORS) {
  await writeFile(`${root}/${entry.out}`, renderValidator(entry));
  console.log(`wrote ${entry.out}`);
}
