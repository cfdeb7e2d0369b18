/**
 * Writes a small XLSX whose shared-string table inflates to gigabytes while every documented
 * per-part limit holds (each string under the field limit, the part under the compression-ratio
 * limit, the total under the uncompressed limit): the workbook `XlsxLimits.maxSharedStringChars`
 * refuses. Measure what `dmbs check` costs on it:
 *
 *   npx tsx bench/xlsx-string-bomb.ts --strings 1900 --chars 1000000 --out /tmp/string-bomb.xlsx
 *   /usr/bin/time -v node --max-old-space-size=512 bin/dmbs.mjs check /tmp/string-bomb.xlsx
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { xlsxParts, zipParts } from './xlsx-writer.ts';

const { values } = parseArgs({ options: { strings: { type: 'string', default: '1900' }, chars: { type: 'string', default: '1000000' }, out: { type: 'string', default: 'string-bomb.xlsx' } } });
const strings = Number(values.strings);
const chars = Number(values.chars);
const encoder = new TextEncoder();
// Mostly one letter, with enough random text that deflate gets ≈ 160:1, under the 200:1 ratio limit.
const noise = randomBytes(Math.ceil(chars / 170)).toString('base64').slice(0, Math.ceil(chars / 128));
const block = encoder.encode(noise + 'a'.repeat(chars - noise.length));
const parts = xlsxParts([['loanId'], ['L1']]);
const shared = parts.find((p) => p.name === 'xl/sharedStrings.xml')!;
const open = encoder.encode('<si><t>');
const close = encoder.encode('</t></si>');
shared.data = [
  encoder.encode(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings + 2}" uniqueCount="${strings + 2}">`),
  encoder.encode('<si><t>loanId</t></si><si><t>L1</t></si>'),
  ...Array.from({ length: strings }, () => [open, block, close]).flat(),
  encoder.encode('</sst>'),
];
const bytes = zipParts(parts, { level: 6 });
writeFileSync(values.out, bytes);
const inflated = strings * (chars + 17);
process.stdout.write(`${values.out}: ${(bytes.length / 1e6).toFixed(1)} MB, shared strings ${(inflated / 1e9).toFixed(2)} GB inflated (${Math.round(inflated / bytes.length)}:1 over the file)\n`);
