import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Writes a file whole or not at all: a reader (a server reloading on SIGHUP) never sees half of it. */
export function writeAtomically(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = join(dirname(file), `.${process.pid}.${Date.now()}.tmp`);
  // Store files hold customers' histories and secrets: readable by their owner only.
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
}

export function readJson(file: string): unknown | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as unknown) : undefined;
}

/**
 * What changes when a file is replaced or edited: its inode (an atomic write renames a new file into place), size
 * and modification time; "-" when it does not exist.
 */
export function fileMark(file: string): string {
  const st = statSync(file, { throwIfNoEntry: false });
  return st ? `${st.ino}:${st.size}:${st.mtimeMs}` : '-';
}

/** The `version` a snapshot file says it is: 0 when the file is absent or unreadable (any version is newer). */
export function versionOf(file: string): number {
  try {
    const v = (readJson(file) as { version?: unknown } | undefined)?.version;
    return typeof v === 'number' && Number.isInteger(v) ? v : 0;
  } catch {
    return 0;
  }
}
