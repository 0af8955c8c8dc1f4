import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLeversError } from '../core/errors.js';
import { Command } from './command.js';

/** A program shaped like levers: a global option, a leaf with arguments, a group with a subcommand. */
function program(seen: unknown[][]) {
  const p = new Command('tool').description('a tool').option('--store <dir>', 'store folder');
  p.command('load')
    .description('load files')
    .argument('<format>', 'the format')
    .argument('[file...]', 'files')
    .option('--currency <code>', 'currency')
    .option('--min-support <s>', 'minimum support', '0.01')
    .option('--json', 'print as JSON')
    .option('--no-clv', 'skip CLV')
    .action((...a: unknown[]) => seen.push(a));
  const group = p.command('db').description('the database');
  group
    .command('publish')
    .description('publish')
    .requiredOption('--channel <c>', 'the channel')
    .action((...a: unknown[]) => seen.push(a));
  return p;
}

const argv = (...words: string[]) => ['node', 'tool', ...words];

async function usageError(words: string[]): Promise<string> {
  try {
    await program([]).run(argv(...words));
  } catch (e) {
    assert.ok(isLeversError(e) && e.code === 'USAGE', String(e));
    return e.cliMessage;
  }
  assert.fail(`${words.join(' ')} was accepted`);
}

test('arguments, options, defaults, negation and the globals reach the action', async () => {
  const seen: unknown[][] = [];
  const p = program(seen);
  assert.equal(
    await p.run(argv('--store', 's1', 'load', 'orders', 'a.csv', 'b.csv', '--currency=EUR', '--json')),
    undefined,
  );
  const [format, files, opts, cmd] = seen[0] as [string, string[], Record<string, unknown>, Command];
  assert.equal(format, 'orders');
  assert.deepEqual(files, ['a.csv', 'b.csv']);
  assert.deepEqual(opts, { minSupport: '0.01', clv: true, currency: 'EUR', json: true });
  assert.deepEqual(cmd.optsWithGlobals(), {
    store: 's1',
    minSupport: '0.01',
    clv: true,
    currency: 'EUR',
    json: true,
  });

  // A global option after the command, --no-x, a value that looks like a flag, words after --.
  await p.run(argv('load', 'orders', '--no-clv', '--store', 's2', '--min-support', '-1', '--', '--json'));
  const [, files2, opts2, cmd2] = seen[1] as [string, string[], Record<string, unknown>, Command];
  assert.deepEqual(files2, ['--json']);
  assert.deepEqual(opts2, { minSupport: '-1', clv: false });
  assert.equal(cmd2.optsWithGlobals().store, 's2');

  // Options do not leak from one run into the next.
  await p.run(argv('load', 'orders'));
  const third = seen[2] as unknown[];
  assert.deepEqual(third[2], { minSupport: '0.01', clv: true });
  assert.equal((third[3] as Command).optsWithGlobals().store, undefined);
});

test('help is returned, not run: --help, -h, help COMMAND, and a group given no command', async () => {
  const seen: unknown[][] = [];
  const p = program(seen);
  const top = await p.run(argv('--help'));
  assert.equal(top?.asked, true);
  assert.match(top?.text ?? '', /^Usage: tool \[options\] \[command\]\n\na tool\n/);
  assert.match(top?.text ?? '', /\n {2}load \[options\] <format> \[file\.\.\.\] {2}load files\n/);
  assert.match(top?.text ?? '', /\n {2}help \[command\] +display help for command\n/);
  const leaf = await p.run(argv('help', 'load'));
  assert.equal(leaf?.asked, true);
  assert.match(leaf?.text ?? '', /^Usage: tool load \[options\] <format> \[file\.\.\.\]/);
  assert.match(leaf?.text ?? '', /--min-support <s> +minimum support \(default: "0\.01"\)/);
  // The global options are listed on every command's page.
  assert.match(leaf?.text ?? '', /Global options:\n {2}--store <dir> +store folder\n/);
  assert.equal(
    (await p.run(argv('db', 'publish', '-h')))?.text.startsWith('Usage: tool db publish [options]'),
    true,
  );
  const group = await p.run(argv('db'));
  assert.equal(group?.asked, false);
  assert.match(group?.text ?? '', /^Usage: tool db \[options\] \[command\]/);
  assert.equal(seen.length, 0, 'no action ran');
});

test('help wraps descriptions into their column at 80 characters', async () => {
  const p = new Command('tool');
  p.command('x')
    .description('d')
    .option('--long-option <v>', 'word '.repeat(30).trim())
    .action(() => {});
  const text = (await p.run(argv('x', '--help')))?.text ?? '';
  const lines = text.split('\n');
  assert.ok(
    lines.every((l) => l.length <= 80),
    text,
  );
  const at = lines.findIndex((l) => l.startsWith('  --long-option <v>  word'));
  assert.ok(at > 0);
  assert.match(lines[at + 1] ?? '', /^ {21}word/);
});

test('bad command lines are refused with what to fix', async () => {
  assert.match(
    await usageError(['lod']),
    /unknown command 'lod' \(did you mean load\?\); run tool --help for usage/,
  );
  assert.match(
    await usageError(['load', 'x', '--curency', 'EUR']),
    /unknown option '--curency' \(did you mean --currency\?\)/,
  );
  assert.match(await usageError(['load', 'x', '-q']), /unknown option '-q'/);
  assert.match(await usageError(['load', 'x', '--currency']), /option '--currency <code>' argument missing/);
  assert.match(await usageError(['load', 'x', '--json=yes']), /option '--json' takes no value/);
  assert.match(
    await usageError(['load']),
    /missing required argument 'format'; run tool load --help for usage/,
  );
  assert.match(await usageError(['db', 'publish']), /required option '--channel <c>' not specified/);
  assert.match(
    await usageError(['db', 'publish', '--channel', 'e', 'extra']),
    /too many arguments for 'publish': it takes 0, got 1/,
  );
  assert.match(
    await usageError(['db', 'pubish']),
    /unknown command 'pubish' \(did you mean publish\?\); run tool db --help/,
  );
  assert.match(await usageError(['help', 'nope']), /unknown command 'nope'/);
});
