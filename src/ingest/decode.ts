import { LeversError } from '../core/errors.js';

export const ENCODINGS = ['utf-8', 'windows-1252', 'latin1', 'utf-16le', 'utf-16be'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/**
 * Turns a byte stream into text: honours a byte-order mark (UTF-8, UTF-16), otherwise decodes as the
 * given encoding. UTF-8 is decoded strictly, because a file re-saved by Excel in Windows-1252 would
 * otherwise load with mangled names and nobody would notice. CRLF becomes LF so line numbers are exact.
 */
export class TextStreamDecoder {
  private decoder: TextDecoder | null = null;
  private bytesSeen = 0;
  private linesSeen = 1;
  private pendingCR = false;

  constructor(
    private readonly file: string,
    private readonly encoding: Encoding = 'utf-8',
  ) {}

  decode(chunk: Uint8Array, final = false): string {
    let bytes = chunk;
    if (!this.decoder) {
      let enc: string = this.encoding;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
        enc = 'utf-8';
        bytes = bytes.subarray(3);
      } else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
        enc = 'utf-16le';
        bytes = bytes.subarray(2);
      } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
        enc = 'utf-16be';
        bytes = bytes.subarray(2);
      }
      this.decoder = new TextDecoder(enc, { fatal: enc === 'utf-8' });
    }
    let text: string;
    try {
      text = this.decoder.decode(bytes, { stream: !final });
    } catch {
      const offset = this.bytesSeen + firstBadUtf8(bytes);
      throw new LeversError('FILE_ENCODING', {
        file: this.file,
        offset: `${offset}, near line ${this.linesSeen}; pass --encoding windows-1252 if it was saved by Excel`,
      });
    }
    this.bytesSeen += chunk.length;
    if (this.pendingCR) text = '\r' + text;
    this.pendingCR = !final && text.endsWith('\r');
    if (this.pendingCR) text = text.slice(0, -1);
    text = text.replace(/\r\n?/g, '\n');
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.linesSeen++;
    return text;
  }
}

function firstBadUtf8(bytes: Uint8Array): number {
  const d = new TextDecoder('utf-8', { fatal: true });
  let lo = 0;
  let hi = bytes.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    try {
      d.decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid;
    }
  }
  return lo;
}
