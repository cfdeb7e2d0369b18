/**
 * decodeText (text-decoding.ts): pure-ASCII chunks take a Latin-1 fast path, the rest a fatal
 * TextDecoder — the text must be the same however the bytes are cut, including a character cut
 * across chunks right before an ASCII chunk, and invalid bytes must still be an encoding error.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../../functions/core/readers/text-decoding.ts';
import { isDmbsError } from '../../../functions/core/errors.ts';

async function* cut(bytes: Uint8Array, sizes: number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (let k = 0; at < bytes.length; k++) {
    const size = sizes[k % sizes.length]!;
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

async function decoded(bytes: Uint8Array, sizes: number[], encoding?: 'utf-8'): Promise<string> {
  let text = '';
  for await (const piece of decodeText(cut(bytes, sizes), () => 'here', encoding)) text += piece;
  return text;
}

const mixed = fc.array(fc.oneof(fc.string({ unit: 'grapheme-ascii', maxLength: 20 }), fc.constantFrom('é', 'Straße', '€', '😀', '\u00a0', '中文', 'x')), { maxLength: 30 }).map((parts) => parts.join(''));
const sizes = fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 6 });

describe('decodeText', () => {
  it('gives the text back however its UTF-8 bytes are cut (property)', async () => {
    await fc.assert(fc.asyncProperty(mixed, sizes, fc.boolean(), async (text, cuts, range) => {
      const bytes = new TextEncoder().encode(text);
      expect(await decoded(bytes, cuts, range ? 'utf-8' : undefined)).toBe(range || text.charCodeAt(0) !== 0xfeff ? text : text.slice(1));
    }), { numRuns: 2000 });
  });

  it('a character cut just before an ASCII chunk is still decoded whole', async () => {
    const bytes = new TextEncoder().encode('ab€cd😀ef');
    expect(await decoded(bytes, [3, 1, 1, 2, 1, 1, 1, 2], 'utf-8')).toBe('ab€cd😀ef');
  });

  it('invalid bytes are an encoding error, whatever the cut (property)', async () => {
    await fc.assert(fc.asyncProperty(mixed, fc.constantFrom([0xff], [0xc3], [0xe2, 0x82], [0x80], [0xed, 0xa0, 0x80]), fc.nat(), sizes, async (text, bad, at, cuts) => {
      const good = new TextEncoder().encode(`${text}z`);
      // (inserted at a character boundary: before an ASCII or lead byte)
      let i = at % good.length;
      while (i > 0 && (good[i]! & 0xc0) === 0x80) i--;
      const bytes = Uint8Array.from([...good.subarray(0, i), ...bad, ...good.subarray(i)]);
      const error = await decoded(bytes, cuts, 'utf-8').then(() => undefined, (e: unknown) => e);
      expect(isDmbsError(error) && error.code).toBe('TAPE_ENCODING');
    }), { numRuns: 1000 });
  });
});
