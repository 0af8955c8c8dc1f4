import type { Command } from '../command.js';
import { migrate, status } from '../../app/database.js';
import { LeversError } from '../../core/errors.js';
import { databaseUrl } from '../database-option.js';
import { printJson } from '../output.js';

/** `levers db migrate`. */
export async function runMigrate(cmd: Command): Promise<void> {
  const r = await migrate(databaseUrl());
  if (cmd.optsWithGlobals().json) return printJson(r);
  const lines = [`${r.database}: schema version ${r.from} → ${r.to}`];
  for (const m of r.applied) lines.push(`  applied ${m.version}: ${m.name}`);
  if (r.applied.length === 0) lines.push('  already current: nothing to do');
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** `levers db status`. */
export async function runStatus(cmd: Command): Promise<void> {
  const r = await status(databaseUrl());
  if (cmd.optsWithGlobals().json) printJson(r);
  else {
    const lines = [
      `${r.database} (PostgreSQL ${r.server})`,
      `  schema version ${r.schemaVersion} (this Levers knows ${r.knownVersion}): ${r.state}`,
      ...r.migrations.map(
        (m) =>
          `  ${m.appliedAt ? `applied ${m.appliedAt}` : 'pending             '}  ${m.version}: ${m.name}`,
      ),
      ...Object.entries(r.rows ?? {}).map(([t, n]) => `  ${t.padEnd(12)} ${n.toLocaleString('en-US')} rows`),
    ];
    const p = r.published;
    const newest = [
      ...(p.model != null ? [`model v${p.model}`] : []),
      ...(p.offers != null ? [`offers v${p.offers}`] : []),
      ...Object.entries(p.weights).map(([e, v]) => `weights ${e} v${v}`),
    ];
    if (r.schemaVersion > 0)
      lines.push(`  published    ${newest.length ? newest.join(', ') : 'nothing yet'}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  // A schema this Levers cannot use is a failure for scripts that check before they deploy.
  if (r.state === 'newer')
    throw new LeversError('DB_SCHEMA_NEWER', { version: r.schemaVersion, known: r.knownVersion });
  if (r.state === 'needs-migrate')
    throw new LeversError('DB_NOT_MIGRATED', { version: r.schemaVersion, latest: r.knownVersion });
}
