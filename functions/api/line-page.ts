/**
 * A page of an NDJSON artifact read from a line position: the lines a filter keeps, up to `limit`,
 * and the position the next page starts at (null at the end). Tokens carry that position.
 */
export async function linePage<T, R = T>(
  lines: AsyncIterable<string>, start: number, limit: number, keep: (item: T) => boolean, shape: (item: T) => R = (item) => item as unknown as R,
): Promise<{ items: R[]; next: number | null }> {
  const items: R[] = [];
  let position = 0;
  for await (const line of lines) {
    const at = position++;
    if (at < start) continue;
    const item = JSON.parse(line) as T;
    if (!keep(item)) continue;
    if (items.length === limit) return { items, next: at };
    items.push(shape(item));
  }
  return { items, next: null };
}
