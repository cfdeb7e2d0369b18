/**
 * Walks the ZIP of a workbook once, learning its structure (relationships, the chosen sheet, shared
 * strings, styles) as parts arrive, and reads the chosen sheet into records. Parts needed before
 * their turn are kept compressed. Pure: bytes in, records out.
 */
import { TapeReadError } from '../errors.ts';
import type { ByteSource, TapeRecord } from './types.ts';
import { Utf8Decoder } from './utf8-decoder.ts';
import { attributes, invalid, mayBeNeeded, normalizePartName, parseDateStyles, parseRelationships, relsPathOf } from './xlsx-parts.ts';
import type { XlsxLimits } from './xlsx-reader.ts';
import { SheetScanner } from './xlsx-sheet-scanner.ts';
import { SharedStringScanner } from './xlsx-shared-strings.ts';
import { inflateEntry, ZipStreamReader, type InflateBudget, type ZipEntry } from './zip-stream.ts';

const REL_OFFICE_DOCUMENT = /\/officeDocument$/;
const REL_WORKSHEET = /\/worksheet$/;
const REL_SHARED_STRINGS = /\/sharedStrings$/;
const REL_STYLES = /\/styles$/;

interface SheetRef {
  name: string;
  relId: string;
}

interface Plan {
  sheetName: string;
  sheetPath: string;
  sharedStringsPath: string | undefined;
  stylesPath: string | undefined;
}

type Role = 'rootRels' | 'workbook' | 'workbookRels' | 'sharedStrings' | 'styles' | 'sheet' | 'defer' | 'skip';

interface Deferred {
  name: string;
  entry: ZipEntry;
  chunks: Uint8Array[];
}

/** Walks the ZIP once, learning the workbook's structure as parts arrive, and reads the chosen sheet. */
export class WorkbookReader {
  private readonly zip: ZipStreamReader;
  private readonly budget: InflateBudget;
  private rootRelsSeen = false;
  private workbookPath: string | undefined;
  private sheets: SheetRef[] | undefined;
  private date1904 = false;
  private rels: Map<string, { type: string; target: string }> | undefined;
  private plan: Plan | undefined;
  private sharedStrings: string[] | undefined;
  private dateStyles: Uint8Array | undefined;
  private sheetStarted = false;
  private atEnd = false;
  private readonly deferred: Deferred[] = [];

  constructor(
    source: ByteSource,
    private readonly sheetName: string | undefined,
    private readonly limits: XlsxLimits,
  ) {
    this.zip = new ZipStreamReader(source);
    this.budget = {
      remainingBytes: limits.maxUncompressedBytes,
      maxUncompressedBytes: limits.maxUncompressedBytes,
      maxCompressionRatio: limits.maxCompressionRatio,
    };
  }

  async *records(): AsyncGenerator<TapeRecord[], void, undefined> {
    const zip = this.zip;
    for (let entry = await zip.nextEntry(); entry; entry = await zip.nextEntry()) {
      if (this.sheetStarted) break; // the rest is only checked for completeness by finish()
      const name = normalizePartName(entry.name);
      const role = this.roleOf(name);
      if (role === 'skip') {
        await zip.skip();
      } else if (role === 'defer' || (role === 'sheet' && !this.ready())) {
        this.deferred.push({ name, entry, chunks: await copyAll(zip.data()) });
      } else if (role === 'sheet') {
        yield* this.readSheet(entry, zip.data());
      } else {
        await this.readPart(role, entry, zip.data());
        yield* this.resolveDeferred();
      }
    }
    if (!this.sheetStarted) {
      this.atEnd = true;
      yield* this.resolveDeferred();
      if (!this.sheetStarted) {
        this.explainMissing();
        yield* this.resolveDeferred();
      }
      if (!this.sheetStarted) this.explainMissing(true);
    }
    await zip.finish();
  }

  async close(): Promise<void> {
    await this.zip.close();
  }

  /** What to do with a part, given what is known so far. */
  private roleOf(name: string): Role {
    if (name === '_rels/.rels') return this.rootRelsSeen ? 'skip' : 'rootRels';
    // Without package relationships, fall back to the conventional path once everything has been seen.
    const workbookPath = this.workbookPath ?? (this.atEnd && !this.rootRelsSeen ? 'xl/workbook.xml' : undefined);
    if (workbookPath === undefined) return mayBeNeeded(name) ? 'defer' : 'skip';
    if (name === workbookPath) return this.sheets ? 'skip' : 'workbook';
    if (name === relsPathOf(workbookPath)) return this.rels ? 'skip' : 'workbookRels';
    if (!this.plan) return mayBeNeeded(name) ? 'defer' : 'skip';
    if (name === this.plan.sheetPath) return this.sheetStarted ? 'skip' : 'sheet';
    if (name === this.plan.sharedStringsPath) return this.sharedStrings ? 'skip' : 'sharedStrings';
    if (name === this.plan.stylesPath) return this.dateStyles ? 'skip' : 'styles';
    return 'skip';
  }

  /** True when the sheet can be read: its shared strings and styles (if any) are loaded. */
  private ready(): boolean {
    const plan = this.plan;
    return (
      plan !== undefined &&
      (plan.sharedStringsPath === undefined || this.sharedStrings !== undefined) &&
      (plan.stylesPath === undefined || this.dateStyles !== undefined)
    );
  }

  /** Processes kept parts that have become useful (or useless) now that more is known. */
  private async *resolveDeferred(): AsyncGenerator<TapeRecord[], void, undefined> {
    for (let progress = true; progress && !this.sheetStarted;) {
      progress = false;
      for (let i = 0; i < this.deferred.length; i++) {
        const part = this.deferred[i]!;
        const role = this.roleOf(part.name);
        if (role === 'defer' || (role === 'sheet' && !this.ready())) continue;
        this.deferred.splice(i, 1);
        progress = true;
        if (role === 'sheet') yield* this.readSheet(part.entry, replay(part.chunks));
        else if (role !== 'skip') await this.readPart(role, part.entry, replay(part.chunks));
        break;
      }
    }
    if (this.sheetStarted) this.deferred.length = 0;
  }

  /** Called at the end of the archive when the sheet could not be read: says which part is missing. */
  private explainMissing(final = false): void {
    if (!this.sheets) {
      throw invalid(`it has no workbook part (${this.workbookPath ?? 'xl/workbook.xml'}).`);
    }
    if (!this.rels) throw invalid(`it has no workbook relationships part (${relsPathOf(this.workbookPath!)}).`);
    const plan = this.plan!;
    const present = (path: string | undefined): boolean =>
      path !== undefined && this.deferred.some((part) => part.name === path);
    if (plan.stylesPath !== undefined && !this.dateStyles && !present(plan.stylesPath)) {
      this.dateStyles = new Uint8Array(0); // lenient: without styles no cell is a date
      if (!final) return;
    }
    if (plan.sharedStringsPath !== undefined && !this.sharedStrings && !present(plan.sharedStringsPath)) {
      throw invalid(`its shared-string table (${plan.sharedStringsPath}) is missing.`);
    }
    throw invalid(`the part of sheet '${plan.sheetName}' (${plan.sheetPath}) is missing.`);
  }

  /** Reads a metadata part (whole, it is small) or the shared strings (streamed) and learns from it. */
  private async readPart(role: Role, entry: ZipEntry, compressed: AsyncIterable<Uint8Array>): Promise<void> {
    const name = normalizePartName(entry.name);
    if (role === 'sharedStrings') {
      const scanner = new SharedStringScanner(this.limits);
      await decodeEntry(entry, compressed, this.budget, (text) => scanner.push(text));
      this.sharedStrings = scanner.end();
      return;
    }
    const pieces: string[] = [];
    await decodeEntry(entry, compressed, this.budget, (text) => pieces.push(text));
    const xml = pieces.join('');
    if (role === 'rootRels') {
      this.rootRelsSeen = true;
      const office = parseRelationships(xml, '').find((rel) => REL_OFFICE_DOCUMENT.test(rel.type));
      if (!office) throw invalid('its package relationships (_rels/.rels) name no workbook.');
      this.workbookPath = office.target;
    } else if (role === 'workbook') {
      this.workbookPath ??= name;
      this.readWorkbook(xml);
    } else if (role === 'workbookRels') {
      const base = this.workbookPath!.slice(0, this.workbookPath!.lastIndexOf('/') + 1);
      this.rels = new Map(parseRelationships(xml, base).map((rel) => [rel.id, rel]));
    } else if (role === 'styles') {
      this.dateStyles = parseDateStyles(xml);
    }
    if (this.sheets && this.rels && !this.plan) this.plan = this.makePlan();
  }

  private readWorkbook(xml: string): void {
    const pr = /<(?:[\w.-]+:)?workbookPr\b([^>]*)>/.exec(xml);
    const date1904 = pr ? attributes(pr[1]!).get('date1904') : undefined;
    this.date1904 = date1904 === '1' || date1904 === 'true';
    const sheets: SheetRef[] = [];
    for (const m of xml.matchAll(/<(?:[\w.-]+:)?sheet\b([^>]*)>/g)) {
      const attrs = attributes(m[1]!);
      let relId = '';
      for (const [key, value] of attrs) if (key.endsWith(':id')) relId = value;
      sheets.push({ name: attrs.get('name') ?? '', relId });
    }
    if (sheets.length === 0) throw invalid('its workbook lists no sheets.');
    this.sheets = sheets;
    if (this.sheetName !== undefined) this.findSheet(this.sheetName); // fail fast on an unknown name
  }

  private findSheet(wanted: string): SheetRef {
    const sheets = this.sheets!;
    const found =
      sheets.find((sheet) => sheet.name === wanted) ??
      sheets.find((sheet) => sheet.name.toLowerCase() === wanted.toLowerCase());
    if (!found) {
      throw new TapeReadError(
        'XLSX_SHEET_NOT_FOUND',
        `The workbook has no sheet named '${wanted}'; its sheets are: ${sheets.map((s) => `'${s.name}'`).join(', ')}.`,
      );
    }
    return found;
  }

  private makePlan(): Plan {
    const rels = this.rels!;
    let sheet: SheetRef | undefined;
    if (this.sheetName !== undefined) {
      sheet = this.findSheet(this.sheetName);
      if (!REL_WORKSHEET.test(rels.get(sheet.relId)?.type ?? '')) {
        throw invalid(`sheet '${sheet.name}' is not a worksheet (a chart sheet or dialog sheet has no rows).`);
      }
    } else {
      sheet = this.sheets!.find((s) => REL_WORKSHEET.test(rels.get(s.relId)?.type ?? ''));
      if (!sheet) throw invalid('its workbook has no worksheet.');
    }
    const target = (pattern: RegExp): string | undefined =>
      [...rels.values()].find((rel) => pattern.test(rel.type))?.target;
    return {
      sheetName: sheet.name,
      sheetPath: rels.get(sheet.relId)!.target,
      sharedStringsPath: target(REL_SHARED_STRINGS),
      stylesPath: target(REL_STYLES),
    };
  }

  private async *readSheet(
    entry: ZipEntry,
    compressed: AsyncIterable<Uint8Array>,
  ): AsyncGenerator<TapeRecord[], void, undefined> {
    this.sheetStarted = true;
    const scanner = new SheetScanner({
      sheetName: this.plan!.sheetName,
      sharedStrings: this.sharedStrings ?? [],
      dateStyles: this.dateStyles ?? new Uint8Array(0),
      date1904: this.date1904,
      limits: this.limits,
    });
    const decoder = new Utf8Decoder(normalizePartName(entry.name));
    for await (const bytes of inflateEntry(entry, compressed, this.budget)) {
      scanner.push(decoder.decode(bytes));
      if (scanner.out.length > 0) {
        yield scanner.out;
        scanner.out = [];
      }
    }
    scanner.push(decoder.end());
    scanner.end();
    if (scanner.out.length > 0) yield scanner.out;
    scanner.out = [];
  }
}

async function copyAll(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const chunk of chunks) out.push(chunk.slice());
  return out;
}

async function* replay(chunks: Uint8Array[]): AsyncGenerator<Uint8Array, void, undefined> {
  while (chunks.length > 0) yield chunks.shift()!; // release each kept chunk as it is inflated
}

/** Inflates an entry and hands its text, decoded chunk by chunk, to `sink`. */
async function decodeEntry(
  entry: ZipEntry,
  compressed: AsyncIterable<Uint8Array>,
  budget: InflateBudget,
  sink: (text: string) => void,
): Promise<void> {
  const decoder = new Utf8Decoder(normalizePartName(entry.name));
  for await (const bytes of inflateEntry(entry, compressed, budget)) sink(decoder.decode(bytes));
  sink(decoder.end());
}
