/** Writes docs/standard.md from schemas/ (see standard-doc.ts) and the column table of docs/market.md. */
import { readFile, writeFile } from 'node:fs/promises';
import { withMarketColumns } from '../functions/core/market/loan-columns.ts';
import { renderStandardDoc } from './standard-doc.ts';

const root = new URL('..', import.meta.url).pathname;
await writeFile(`${root}/docs/standard.md`, await renderStandardDoc(root));
console.log('wrote docs/standard.md');
const market = `${root}/docs/market.md`;
await writeFile(market, withMarketColumns(await readFile(market, 'utf8')));
console.log('wrote docs/market.md (columns)');
