import type { Command } from './command.js';

export function registerDb(program: Command): void {
  const db = program.command('db').description('the PostgreSQL store: its schema version and migrations');
  db.command('migrate')
    .description('bring the schema to the version this Levers knows (idempotent; refuses a newer schema)')
    .option('--json', 'print as JSON')
    .action(async (_o: unknown, cmd: Command) => (await import('./actions/db.js')).runMigrate(cmd));
  db.command('status')
    .description('schema version, migrations applied, rows per table, the newest versions published')
    .option('--json', 'print as JSON')
    .action(async (_o: unknown, cmd: Command) => (await import('./actions/db.js')).runStatus(cmd));
}
