import { LeversError } from '../core/errors.js';

export const ENCODINGS = ['utf-8', 'windows-1252', 'latin1', 'utf-16le', 'utf-16be'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/**
 * Turns a byte stream into text: honours a byte-order mark (UTF-8, UTF-16), otherwise decodes as the given
 * encoding. UTF-8 is decoded strictly, because a file re-saved by Excel in Windows-1252 would otherwise load
 * with mangled names and nobody would notice. CRLF becomes LF so line numbers are exact.
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
      const bad = firstBadUtf8(bytes);
      let line = this.linesSeen;
      for (let i = 0; i < bad; i++) if (bytes[i] === 0x0a) line++;
      throw new LeversError('FILE_ENCODING', { file: this.file, offset: this.bytesSeen + bad, line });
    }
    this.bytesSeen += chunk.length;
    if (this.pendingCR) text = `\r${text}`;
    this.pendingCR = !final && text.endsWith('\r');
    if (this.pendingCR) text = text.slice(0, -1);
    text = text.replace(/\r\n?/g, '\n');
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.linesSeen++;
    return text;
  }
}

/** Index of the first byte that starts an invalid UTF-8 sequence (RFC 3629 well-formed table). */
function firstBadUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    let n = 0;
    let lo = 0x80;
    let hi = 0xbf;
    if (c < 0x80) n = 0;
    else if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= n; k++) {
      const x = b[i + k];
      if (x === undefined) return i;
      if (x < (k === 1 ? lo : 0x80) || x > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return b.length;
}
