import { existsSync, readFileSync } from 'node:fs';
import { LeversError } from '../core/errors.js';

/** One basket per line, items separated by commas (the Groceries file's shape). */
export function readBasketFile(file: string): string[][] {
  if (!existsSync(file)) throw new LeversError('FILE_NOT_FOUND', { file });
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .map((l) =>
      l
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    );
}
