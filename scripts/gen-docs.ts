/** Writes docs/standard.md from schemas/ (see standard-doc.ts). */
import { writeFile } from 'node:fs/promises';
import { renderStandardDoc } from './standard-doc.ts';

const root = new URL('..', import.meta.url).pathname;
await writeFile(`${root}/docs/standard.md`, await renderStandardDoc(root));
console.log('wrote docs/standard.md');
