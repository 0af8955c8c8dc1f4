import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Calls fn with each line of a file (without its newline), reading 1 MiB at a time: memory holds one chunk
 * and one line, whatever the file's size, and the work is linear in its bytes (a line is split once, where it
 * ends).
 */
export function forEachLine(file: string, fn: (line: string) => void): void {
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.allocUnsafe(1 << 20);
    let carry: Buffer[] = [];
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n <= 0) break;
      let start = 0;
      for (let i = chunk.indexOf(10, 0); i !== -1 && i < n; i = chunk.indexOf(10, start)) {
        const part = chunk.subarray(start, i);
        fn((carry.length ? Buffer.concat([...carry, part]) : part).toString('utf8'));
        carry = [];
        start = i + 1;
      }
      if (start < n) carry.push(Buffer.from(chunk.subarray(start, n)));
    }
    if (carry.length) fn(Buffer.concat(carry).toString('utf8'));
  } finally {
    closeSync(fd);
  }
}

/** Lines that hold anything, counted without decoding them. */
export function countLines(file: string): number {
  let n = 0;
  forEachLine(file, (l) => {
    if (l) n++;
  });
  return n;
}
