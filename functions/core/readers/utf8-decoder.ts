/** Streaming UTF-8 decoding of a workbook part, with an ASCII fast path. */
import { Buffer, isAscii } from 'node:buffer';
import { TapeReadError } from '../errors.ts';
import { endsInsideSequence } from './text-decoding.ts';

/**
 * Streaming UTF-8 decoding with a fast path: a chunk that is pure ASCII (most sheet XML) and does not
 * continue a multi-byte sequence is read as Latin-1, several times faster than TextDecoder.
 */
export class Utf8Decoder {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  /** True when the last chunk given to `decoder` may have ended inside a multi-byte sequence. */
  private pending = false;

  constructor(private readonly part: string) {}

  decode(bytes: Uint8Array): string {
    if (!this.pending && isAscii(bytes)) {
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
    }
    this.pending = endsInsideSequence(bytes);
    return this.run(bytes, true);
  }

  end(): string {
    return this.run(new Uint8Array(0), false);
  }

  private run(bytes: Uint8Array, stream: boolean): string {
    try {
      return this.decoder.decode(bytes, { stream });
    } catch (error) {
      throw new TapeReadError(
        'TAPE_ENCODING',
        `The workbook part ${this.part} is not valid UTF-8; re-save the workbook.`,
        {
          cause: error,
        },
      );
    }
  }
}
