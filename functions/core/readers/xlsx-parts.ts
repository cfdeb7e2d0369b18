/**
 * The parts of an XLSX package (OPC): part names, relationships, the cell styles that show dates,
 * and the error every unreadable part gives. Pure text work; no inflating, no sheet scanning.
 */
import { TapeReadError } from '../errors.ts';
import { decodeXmlAttribute, isBuiltInDateFormat, isDateFormatCode } from './xlsx-values.ts';

/** The `XLSX_INVALID` error, the reason said. */
export const invalid = (reason: string, options: { cause?: unknown; row?: number } = {}): TapeReadError =>
  new TapeReadError('XLSX_INVALID', `The file is not a readable XLSX workbook: ${reason}`, options);

/** Part names compare case-insensitively (OPC), without a leading slash. */
export function normalizePartName(name: string): string {
  return name.replace(/\\/g, '/').replace(/^\/+/, '').toLowerCase();
}

/** Parts that might be the workbook, its relationships, styles, shared strings or a sheet. */
export function mayBeNeeded(name: string): boolean {
  return name.endsWith('.xml') || name.endsWith('.rels');
}

/** xl/workbook.xml → xl/_rels/workbook.xml.rels */
export function relsPathOf(partPath: string): string {
  const slash = partPath.lastIndexOf('/');
  return `${partPath.slice(0, slash + 1)}_rels/${partPath.slice(slash + 1)}.rels`;
}

/** Resolves a relationship target against the folder of its source part (`base` ends with '/'). */
export function resolveTarget(base: string, target: string): string {
  const path = target.startsWith('/') ? target.slice(1) : base + target;
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '..') out.pop();
    else if (segment !== '.' && segment !== '') out.push(segment);
  }
  return normalizePartName(out.join('/'));
}

export function parseRelationships(xml: string, base: string): { id: string; type: string; target: string }[] {
  const rels: { id: string; type: string; target: string }[] = [];
  for (const m of xml.matchAll(/<(?:[\w.-]+:)?Relationship\b([^>]*)>/g)) {
    const attrs = attributes(m[1]!);
    if (attrs.get('TargetMode') === 'External') continue;
    rels.push({
      id: attrs.get('Id') ?? '',
      type: attrs.get('Type') ?? '',
      target: resolveTarget(base, attrs.get('Target') ?? ''),
    });
  }
  return rels;
}

/** Attributes of one start tag's attribute text, entity-decoded. */
export function attributes(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of text.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    map.set(m[1]!, decodeXmlAttribute(m[2] ?? m[3] ?? ''));
  }
  return map;
}

/** For each cell style (cellXfs index): 1 when its number format shows a date. */
export function parseDateStyles(xml: string): Uint8Array {
  const custom = new Map<number, string>();
  for (const m of xml.matchAll(/<(?:[\w.-]+:)?numFmt\b([^>]*)>/g)) {
    const attrs = attributes(m[1]!);
    custom.set(Number(attrs.get('numFmtId')), attrs.get('formatCode') ?? '');
  }
  const section = /<((?:[\w.-]+:)?)cellXfs\b[^>]*?(?:\/>|>([\s\S]*?)<\/\1cellXfs>)/.exec(xml);
  const xfs = [...(section?.[2] ?? '').matchAll(/<(?:[\w.-]+:)?xf\b([^>]*)>/g)];
  const dates = new Uint8Array(xfs.length);
  xfs.forEach((m, i) => {
    const id = Number(attributes(m[1]!).get('numFmtId') ?? 0);
    const code = custom.get(id);
    dates[i] = (code !== undefined ? isDateFormatCode(code) : isBuiltInDateFormat(id)) ? 1 : 0;
  });
  return dates;
}
