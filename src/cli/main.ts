import { EXIT, isLeversError } from '../core/errors.js';
import { registerClv } from './clv.js';
import { Command } from './command.js';
import { useDatabaseOption } from './database-option.js';
import { registerConfig } from './config.js';
import { registerDb } from './db.js';
import { registerDemo } from './demo.js';
import { registerExperiment } from './experiment.js';
import { registerIngest } from './ingest.js';
import { printError } from './output.js';
import { registerRecs } from './recs.js';
import { registerRenderOffer } from './render-offer.js';
import { registerReplay } from './replay.js';
import { registerReport } from './report.js';
import { registerServe } from './serve.js';
import { registerSimulate } from './simulate.js';
import { registerSummary } from './summary.js';

/**
 * The command line. Each command's module declares its flags and help only; its action loads what it uses when it
 * runs (actions/), so `levers --help` or `levers mine` pays for neither Fastify nor DuckDB nor the rest.
 */
export function buildProgram(): Command {
  const program = new Command('levers')
    .description('Levers: lift conversion and order value together, and prove it.')
    .option('--store <dir>', 'store folder (default: $LEVERS_STORE or .levers)')
    .option(
      '--database <url>',
      'keep the analytic tables in PostgreSQL, postgres://… (default: $LEVERS_DATABASE, else DuckDB in the store)',
    )
    .option('--debug', 'print stack traces of unexpected errors');
  registerIngest(program);
  registerSimulate(program);
  registerSummary(program);
  registerReport(program);
  registerClv(program);
  registerExperiment(program);
  registerRecs(program);
  registerRenderOffer(program);
  registerServe(program);
  registerReplay(program);
  registerDemo(program);
  registerDb(program);
  registerConfig(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    const help = await program.run(argv, (cmd) => {
      useDatabaseOption(cmd.optsWithGlobals().database as string | undefined);
    });
    if (help) {
      // Asked for: on stdout, done. A command that only groups others, given none: on stderr, bad usage.
      (help.asked ? process.stdout : process.stderr).write(help.text);
      process.exitCode = help.asked ? EXIT.OK : EXIT.USAGE;
    }
  } catch (e) {
    printError(e, argv.includes('--json'), argv.includes('--debug'));
    process.exitCode = isLeversError(e) ? e.exitCode : EXIT.FAILED;
  }
}
