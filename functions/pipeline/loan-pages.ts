/**
 * Loan pages: the loan-level results laid out so that one page of `GET /v1/tapes/{id}/loans`,
 * filtered or not, reads a bounded number of bytes. Each filter the route offers has its own list
 * (`all`, `eligible=true`, `eligible=false`, one per criterion a loan fails) cut into blocks of
 * BLOCK_LOANS results; a block is one gzip member of `position TAB result-JSON` lines (position:
 * the result's line in the loan-results artifact, what page tokens hold). Blocks of all lists go
 * into one object as they fill; a small JSON index gives each block's byte range and first
 * position. A page then reads the index and at most three blocks.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { LoanStressFields } from '../core/stress/index.ts';

export const LOAN_PAGES_VERSION = 'dmbs-loan-pages/1';
/** Results per block; a page (at most 1,000 results) spans at most three blocks of its list. */
export const BLOCK_LOANS = 1000;

/** One block: [byte offset, byte length, position of its first result]. */
export type LoanPageBlock = readonly [offset: number, length: number, firstPosition: number];

export interface LoanPagesIndex {
  readonly version: typeof LOAN_PAGES_VERSION;
  readonly blockLoans: number;
  /** List name -> its results count and blocks, in position order. */
  readonly lists: Record<string, { readonly count: number; readonly blocks: LoanPageBlock[] }>;
}

/** What a page carries per loan (the API's LoanResult). */
export interface LoanPageItem extends Partial<LoanStressFields> {
  readonly row: number;
  readonly loanId: string;
  readonly eligible: boolean;
  readonly failures: { criterion: string; reason: string }[];
  /** The loan's watchlist codes (absent on tapes evaluated before the watchlist). */
  readonly watchlist?: string[];
}

/**
 * The list holding exactly the loans a filter selects, or null when no loan can match: a loan
 * failing a criterion is ineligible (core/evaluation/eligibility.ts), so eligible=true with a
 * criterion selects none, and eligible=false with one selects the criterion's list.
 */
export function loanListFor(filter: { eligible?: 'true' | 'false' | undefined; criterion?: string | undefined }): string | null {
  if (filter.criterion !== undefined) return filter.eligible === 'true' ? null : `criterion=${filter.criterion}`;
  if (filter.eligible !== undefined) return `eligible=${filter.eligible}`;
  return 'all';
}

/**
 * Builds the blocks as results arrive in position order; `emit` receives each finished block
 * (append it to the pages object). @example const pages = new LoanPagesBuilder((b) => out.writeBytes(b)); pages.add(0, item); const index = pages.finish();
 */
export class LoanPagesBuilder {
  readonly #emit: (block: Uint8Array) => void;
  readonly #blockLoans: number;
  readonly #open = new Map<string, { lines: string[]; first: number }>();
  readonly #lists: Record<string, { count: number; blocks: LoanPageBlock[] }> = {};
  #offset = 0;

  constructor(emit: (block: Uint8Array) => void, blockLoans = BLOCK_LOANS) {
    this.#emit = emit;
    this.#blockLoans = blockLoans;
  }

  /** `json`: the item as JSON when the caller has it already (it must be exactly the item's fields). */
  add(position: number, item: LoanPageItem, json?: string): void {
    const text = json ?? JSON.stringify({
      row: item.row, loanId: item.loanId, eligible: item.eligible, failures: item.failures.map((f) => ({ criterion: f.criterion, reason: f.reason })),
      ...(item.watchlist ? { watchlist: item.watchlist } : {}),
    });
    const line = `${position}\t${text}\n`;
    this.#append('all', position, line);
    this.#append(`eligible=${item.eligible}`, position, line);
    for (const criterion of new Set(item.failures.map((f) => f.criterion))) this.#append(`criterion=${criterion}`, position, line);
  }

  /** Flushes the open blocks; returns the index. */
  finish(): LoanPagesIndex {
    for (const name of [...this.#open.keys()]) this.#close(name);
    return { version: LOAN_PAGES_VERSION, blockLoans: this.#blockLoans, lists: this.#lists };
  }

  #append(name: string, position: number, line: string): void {
    let block = this.#open.get(name);
    if (!block) this.#open.set(name, (block = { lines: [], first: position }));
    block.lines.push(line);
    if (block.lines.length === this.#blockLoans) this.#close(name);
  }

  #close(name: string): void {
    const block = this.#open.get(name);
    if (!block) return;
    this.#open.delete(name);
    const bytes = gzipSync(block.lines.join(''), { level: 1 });
    const list = (this.#lists[name] ??= { count: 0, blocks: [] });
    list.count += block.lines.length;
    list.blocks.push([this.#offset, bytes.length, block.first]);
    this.#offset += bytes.length;
    this.#emit(bytes);
  }
}

/** The results of one block, with their positions. */
export function decodeLoanPageBlock(bytes: Uint8Array): { position: number; item: LoanPageItem }[] {
  return gunzipSync(bytes).toString('utf8').split('\n').filter((l) => l.length > 0).map((line) => {
    const tab = line.indexOf('\t');
    return { position: Number(line.slice(0, tab)), item: JSON.parse(line.slice(tab + 1)) as LoanPageItem };
  });
}

/**
 * One page of a list: the first `limit` results at or after position `start`, and the position
 * of the next one (null when none). Reads at most ceil((limit + 1) / blockLoans) + 1 blocks.
 * @example await readLoanPage(index, 'eligible=false', 0, 100, (o, n) => store.readRange(key, o, o + n))
 */
export async function readLoanPage(
  index: LoanPagesIndex, list: string | null, start: number, limit: number,
  read: (offset: number, length: number) => Promise<Uint8Array>,
): Promise<{ items: LoanPageItem[]; next: number | null }> {
  const blocks = list === null ? undefined : index.lists[list]?.blocks;
  if (!blocks || blocks.length === 0) return { items: [], next: null };
  // The last block starting at or before `start` (binary search on first positions).
  let lo = 0;
  let hi = blocks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (blocks[mid]![2] <= start) lo = mid;
    else hi = mid - 1;
  }
  const wanted = blocks.slice(lo, lo + Math.ceil((limit + 1) / index.blockLoans) + 1);
  const decoded = await Promise.all(wanted.map(([offset, length]) => read(offset, length).then(decodeLoanPageBlock)));
  const items: LoanPageItem[] = [];
  for (const { position, item } of decoded.flat()) {
    if (position < start) continue;
    if (items.length === limit) return { items, next: position };
    items.push(item);
  }
  return { items, next: null };
}
