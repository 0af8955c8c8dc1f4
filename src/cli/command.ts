import { LeversError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';

/**
 * The command line's parser and help: commands and subcommands, their arguments and `--flag`, `--flag <value>`
 * and `--no-flag` options, help in the layout commander prints (Usage, Arguments, Options, Commands, wrapped to
 * the terminal). Written here rather than taken from commander because loading commander (CommonJS, with
 * child_process and friends) cost ~30 ms of every command's ~70 ms start-up over bare node, and `levers --help`
 * or `levers mine` should cost little more than node itself; node:util's parseArgs has neither subcommands nor
 * help. Declarations keep commander's shape so each command's module reads the same.
 */

type Handler = (...args: never[]) => unknown;

interface OptionSpec {
  flags: string;
  /** The long name as typed, without dashes: `no-clv`, `min-support`. */
  long: string;
  /** Where the value lands in opts(): `clv`, `minSupport`. */
  key: string;
  /** `<value>` of `--flag <value>`, else undefined (a switch). */
  value: string | undefined;
  negate: boolean;
  description: string;
  defaultValue: string | undefined;
  required: boolean;
}

interface ArgumentSpec {
  name: string;
  required: boolean;
  variadic: boolean;
  description: string;
}

const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

function usageError(cmd: Command, detail: string): LeversError {
  return new LeversError('USAGE', { detail, help: `run ${cmd.path().join(' ')} --help for usage` });
}

export class Command {
  private readonly subcommands: Command[] = [];
  private readonly options: OptionSpec[] = [];
  private readonly args: ArgumentSpec[] = [];
  private text = '';
  private after = '';
  private handler: Handler | undefined;
  private parent: Command | undefined;
  private values: Record<string, unknown> = {};

  constructor(readonly name: string) {}

  /** A subcommand, returned for its own declarations. */
  command(name: string): Command {
    const sub = new Command(name);
    sub.parent = this;
    this.subcommands.push(sub);
    return sub;
  }

  description(text: string): this {
    this.text = text;
    return this;
  }

  /** `<name>` required, `[name]` optional, `[name...]` the rest (an array). */
  argument(spec: string, description: string): this {
    const m = /^([<[])([\w-]+)(\.\.\.)?[>\]]$/.exec(spec);
    if (!m?.[2]) throw new Error(`bad argument spec ${spec}`);
    this.args.push({ name: m[2], required: m[1] === '<', variadic: m[3] !== undefined, description });
    return this;
  }

  option(flags: string, description: string, defaultValue?: string): this {
    return this.addOption(flags, description, defaultValue, false);
  }

  requiredOption(flags: string, description: string): this {
    return this.addOption(flags, description, undefined, true);
  }

  /** Text printed after the generated help. */
  addHelpText(_where: 'after', text: string): this {
    this.after = text;
    return this;
  }

  /** Called with the arguments, then opts(), then the command. */
  action(handler: Handler): this {
    this.handler = handler;
    return this;
  }

  /** The options of this command and of the commands above it (the global --store, --database, --debug). */
  optsWithGlobals(): Record<string, unknown> {
    return this.parent ? { ...this.parent.optsWithGlobals(), ...this.values } : { ...this.values };
  }

  /** `levers`, `levers`, `experiment`, `show`… */
  path(): string[] {
    return this.parent ? [...this.parent.path(), this.name] : [this.name];
  }

  private addOption(
    flags: string,
    description: string,
    defaultValue: string | undefined,
    required: boolean,
  ): this {
    const m = /^--([a-z][\w-]*)(?: <([^>]+)>)?$/.exec(flags);
    if (!m?.[1]) throw new Error(`bad option flags ${flags}`);
    const negate = m[1].startsWith('no-');
    this.options.push({
      flags,
      long: m[1],
      key: camel(negate ? m[1].slice(3) : m[1]),
      value: m[2],
      negate,
      description,
      defaultValue,
      required,
    });
    return this;
  }

  private findOption(long: string): [Command, OptionSpec] | undefined {
    for (let c: Command | undefined = this; c; c = c.parent) {
      const o = c.options.find((x) => x.long === long);
      if (o) return [c, o];
    }
    return undefined;
  }

  private resetValues(): void {
    this.values = {};
    for (const o of this.options) {
      if (o.negate) this.values[o.key] = true;
      else if (o.defaultValue !== undefined) this.values[o.key] = o.defaultValue;
    }
  }

  /**
   * Parses argv (as process.argv: node, script, then the arguments) and runs the chosen command's action. Returns
   * the help text instead when help was asked for (`--help`, `-h`, `help [command]`) or when a command that only
   * groups subcommands is given none (then `asked` is false: the caller prints it as an error). `before` sees the
   * chosen command, its options parsed, before its action runs.
   */
  async run(
    argv: readonly string[],
    before?: (cmd: Command) => void,
  ): Promise<{ text: string; asked: boolean } | undefined> {
    const words = argv.slice(2);
    let cmd: Command = this;
    cmd.resetValues();
    const positional: string[] = [];
    let help = false;
    for (let i = 0; i < words.length; i++) {
      const word = words[i] as string;
      if (word === '--') {
        positional.push(...words.slice(i + 1));
        break;
      }
      if (word === '-h' || word === '--help') {
        help = true;
        continue;
      }
      if (word.startsWith('--')) {
        const eq = word.indexOf('=');
        const long = word.slice(2, eq < 0 ? undefined : eq);
        const found = cmd.findOption(long);
        if (!found) throw usageError(cmd, `unknown option '${word}'${cmd.suggestOption(word)}`);
        const [owner, o] = found;
        if (o.value === undefined) {
          if (eq >= 0) throw usageError(cmd, `option '${o.flags}' takes no value (got '${word}')`);
          owner.values[o.key] = !o.negate;
        } else if (eq >= 0) owner.values[o.key] = word.slice(eq + 1);
        else {
          const value = words[++i];
          if (value === undefined) throw usageError(cmd, `option '${o.flags}' argument missing`);
          owner.values[o.key] = value;
        }
        continue;
      }
      if (word.startsWith('-') && word.length > 1) throw usageError(cmd, `unknown option '${word}'`);
      // The first word of a command with subcommands names one (or `help`).
      if (cmd.subcommands.length > 0 && positional.length === 0) {
        if (word === 'help') {
          const topic = cmd.resolve(words.slice(i + 1).filter((w) => !w.startsWith('-')));
          return { text: topic.helpInformation(), asked: true };
        }
        const sub = cmd.subcommands.find((s) => s.name === word);
        if (!sub) throw usageError(cmd, `unknown command '${word}'${cmd.suggestCommand(word)}`);
        cmd = sub;
        cmd.resetValues();
        continue;
      }
      positional.push(word);
    }
    if (help) return { text: cmd.helpInformation(), asked: true };
    if (!cmd.handler) return { text: cmd.helpInformation(), asked: false };
    for (const o of cmd.options) {
      if (o.required && cmd.values[o.key] === undefined)
        throw usageError(cmd, `required option '${o.flags}' not specified`);
    }
    const values: unknown[] = [];
    for (const a of cmd.args) {
      if (a.variadic) values.push(positional.splice(0));
      else {
        const v = positional.shift();
        if (v === undefined && a.required) throw usageError(cmd, `missing required argument '${a.name}'`);
        values.push(v);
      }
    }
    if (positional.length > 0) {
      const n = cmd.args.length;
      throw usageError(
        cmd,
        `too many arguments for '${cmd.name}': it takes ${n}, got ${n + positional.length}`,
      );
    }
    before?.(cmd);
    await (cmd.handler as (...a: unknown[]) => unknown)(...values, cmd.values, cmd);
    return undefined;
  }

  /** The command a `help a b` names (this one where a word names none). */
  private resolve(names: string[]): Command {
    let c: Command = this;
    for (const n of names) {
      const sub = c.subcommands.find((s) => s.name === n);
      if (!sub) throw usageError(c, `unknown command '${n}'${c.suggestCommand(n)}`);
      c = sub;
    }
    return c;
  }

  private suggestOption(word: string): string {
    const known: string[] = [];
    for (let c: Command | undefined = this; c; c = c.parent)
      known.push(...c.options.map((o) => `--${o.long}`));
    known.push('--help');
    return didYouMean(word.split('=')[0] as string, known);
  }

  private suggestCommand(word: string): string {
    return didYouMean(word, [...this.subcommands.map((s) => s.name), 'help']);
  }

  private usage(): string {
    const parts = [this.path().join(' ')];
    parts.push('[options]');
    if (this.subcommands.length > 0) parts.push('[command]');
    else for (const a of this.args) parts.push(argumentTerm(a));
    return parts.join(' ');
  }

  /** The term a parent's Commands list shows for this command. */
  private term(): string {
    const parts = [this.name];
    if (this.subcommands.length === 0 && this.options.length > 0) parts.push('[options]');
    for (const a of this.args) parts.push(argumentTerm(a));
    return parts.join(' ');
  }

  /** The help page, wrapped to the terminal's width (80 columns when not a terminal). */
  helpInformation(): string {
    const width = process.stdout.isTTY ? process.stdout.columns || 80 : 80;
    const helpItem: [string, string] = ['-h, --help', 'display help for command'];
    const sections: [string, [string, string][]][] = [
      ['Arguments:', this.args.map((a) => [a.name, a.description])],
      ['Options:', [...this.options.map((o): [string, string] => [o.flags, optionDescription(o)]), helpItem]],
    ];
    if (this.parent) {
      const globals: [string, string][] = [];
      for (let c = this.parent; c; c = c.parent as Command)
        for (const o of c.options) globals.push([o.flags, optionDescription(o)]);
      sections.push(['Global options:', globals]);
    }
    if (this.subcommands.length > 0)
      sections.push([
        'Commands:',
        [
          ...this.subcommands.map((s): [string, string] => [s.term(), s.text]),
          ['help [command]', 'display help for command'],
        ],
      ]);
    const termWidth = Math.max(...sections.flatMap(([, items]) => items.map(([t]) => t.length)));
    const out = [`Usage: ${this.usage()}`, ''];
    if (this.text) out.push(wrap(this.text, width), '');
    for (const [title, items] of sections) {
      if (items.length === 0) continue;
      out.push(title, ...items.map(([t, d]) => formatItem(t, termWidth, d, width)), '');
    }
    return `${out.join('\n')}${this.after ? `${this.after}\n` : ''}`;
  }
}

const argumentTerm = (a: ArgumentSpec) =>
  a.required ? `<${a.name}${a.variadic ? '...' : ''}>` : `[${a.name}${a.variadic ? '...' : ''}]`;

const optionDescription = (o: OptionSpec) =>
  o.defaultValue === undefined
    ? o.description
    : `${o.description} (default: ${JSON.stringify(o.defaultValue)})`;

/** `  term    description`, the description wrapped into its column (as commander lays it out). */
function formatItem(term: string, termWidth: number, description: string, width: number): string {
  const room = width - termWidth - 4;
  const body =
    room < 40 ? description : wrap(description, room).replace(/\n/g, `\n${' '.repeat(termWidth + 4)}`);
  return `  ${term.padEnd(termWidth)}  ${body}`;
}

/** Word-wraps each line of text to width columns. */
function wrap(text: string, width: number): string {
  if (width < 40) return text;
  return text
    .split('\n')
    .map((line) => {
      const chunks = line.match(/\s*\S+/g);
      if (!chunks) return '';
      const lines: string[] = [];
      let cur = chunks[0] as string;
      for (const chunk of chunks.slice(1)) {
        if (cur.length + chunk.length <= width) cur += chunk;
        else {
          lines.push(cur);
          cur = chunk.trimStart();
        }
      }
      lines.push(cur);
      return lines.join('\n');
    })
    .join('\n');
}
