/** Writes docs/standard.md and docs/compute-standard.md from schemas/ (see standard-doc.ts, compute-standard-doc.ts). */
import { writeFile } from 'node:fs/promises';
import { renderComputeStandardDoc } from './compute-standard-doc.ts';
import { renderStandardDoc } from './standard-doc.ts';

const root = new URL('..', import.meta.url).pathname;
await writeFile(`${root}/docs/standard.md`, await renderStandardDoc(root));
console.log('wrote docs/standard.md');
await writeFile(`${root}/docs/compute-standard.md`, await renderComputeStandardDoc(root));
console.log('wrote docs/compute-standard.md');
