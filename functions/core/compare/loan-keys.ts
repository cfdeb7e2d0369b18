/**
 * Loan keys: the compact per-loan list a tape's compare reads, written once when the tape is
 * evaluated. One line per distinct loanId, sorted by loanId (UTF-16 code unit order, as `<`
 * compares strings), `loanId TAB cents TAB ordinal`: the balance in integer cents (toCents of the
 * first row carrying the id) and the ordinal of that first row among the tape's distinct loan
 * ids (file order, so compare lists come out in the order the old route gives). A loanId holding a
 * tab, line break, quote or backslash is written as a JSON string.
 */
import { toCents } from './money.ts';

export interface LoanKey {
  readonly loanId: string;
  readonly cents: bigint;
  readonly ordinal: number;
}

/** The order loan keys are sorted in (and merged by). */
export const compareLoanIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const NEEDS_QUOTES = /[\t\r\n"\\]/;

export function encodeLoanKey(key: LoanKey): string {
  const id = NEEDS_QUOTES.test(key.loanId) ? JSON.stringify(key.loanId) : key.loanId;
  return `${id}\t${key.cents}\t${key.ordinal}`;
}

const TAIL = /^-?\d+\t\d+$/;

/** Parses one line; throws naming the line when it is not a loan key. */
export function decodeLoanKey(line: string): LoanKey {
  // indexOf and one test of the tail: this runs once per loan of both tapes on every compare.
  const tab = line.indexOf('\t');
  const tab2 = line.indexOf('\t', tab + 1);
  if (tab < 1 || !TAIL.test(line.slice(tab + 1))) throw new Error(`not a loan key line: '${line.slice(0, 80)}'`);
  const id = line.slice(0, tab);
  return { loanId: id.charCodeAt(0) === 34 ? (JSON.parse(id) as string) : id, cents: BigInt(line.slice(tab + 1, tab2)), ordinal: Number(line.slice(tab2 + 1)) };
}

/** Decodes batches of lines (a batch per chunk read: the merge then awaits once per batch, not per loan). */
export async function* decodeLoanKeys(batches: AsyncIterable<readonly string[]>): AsyncGenerator<LoanKey[]> {
  for await (const lines of batches) yield lines.map(decodeLoanKey);
}

/**
 * Collects a tape's loans in file order and gives back their loan keys sorted.
 * Memory: one id and one balance per distinct loan id.
 * @example const keys = new LoanKeysBuilder(); for (const l of loans) keys.add(l.loanId, l.currentBalance); for (const line of keys.lines()) out.write(line + '\n');
 */
export class LoanKeysBuilder {
  readonly #seen = new Set<string>();
  readonly #ids: string[] = [];
  readonly #cents: bigint[] = [];

  /** The first row carrying a loan id stands for it; later ones are ignored. */
  add(loanId: string, currentBalance: unknown): void {
    if (this.#seen.has(loanId)) return;
    this.#seen.add(loanId);
    this.#ids.push(loanId);
    this.#cents.push(toCents(currentBalance));
  }

  get size(): number {
    return this.#ids.length;
  }

  /** The encoded lines (without line ends), sorted by loanId. */
  *lines(): Generator<string> {
    const ids = this.#ids;
    const order = Uint32Array.from(ids.keys()).sort((i, j) => compareLoanIds(ids[i]!, ids[j]!));
    for (const i of order) yield encodeLoanKey({ loanId: ids[i]!, cents: this.#cents[i]!, ordinal: i });
  }
}
