// How every bin reads its command line: one table of flags per CLI, node:util parseArgs as the
// tokenizer, and one set of messages that name the flag as the user typed it (`--port`), or the
// environment variable a value came from — never an internal key.
import { parseArgs } from 'node:util';

export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  /** A string flag that may be repeated: the value is the list of every occurrence. */
  readonly multiple?: boolean;
  /** Placeholder shown in --help after the flag (`--port N`); string flags only. */
  readonly value?: string;
  /** Help text, one entry per line. */
  readonly help: string | readonly string[];
  /**
   * Environment variables that supply the value when the flag is absent, first non-empty one
   * wins (flags win over the environment). A boolean reads 1/true/yes/on and 0/false/no/off.
   */
  readonly env?: readonly string[];
}

/** Flag name without the leading dashes → spec. `help` (`-h`) is part of every table implicitly. */
export type FlagTable = Readonly<Record<string, FlagSpec>>;

type ValueOf<S extends FlagSpec> = FlagSpec extends S
  ? string | string[] | boolean // a table built at run time: any kind
  : S['type'] extends 'boolean'
    ? boolean
    : S['multiple'] extends true
      ? string[]
      : string;

export type FlagValues<T extends FlagTable> = { -readonly [K in keyof T]?: ValueOf<T[K]> };

export interface ParsedFlags<T extends FlagTable> {
  /** `-h` / `--help` was given. */
  help: boolean;
  values: FlagValues<T>;
  positionals: string[];
  /** Where a flag's value came from, for messages: `--port`, or the environment variable's name. */
  source(flag: keyof T & string): string;
}

export interface ParseFlagsOptions {
  /** Environment for the flags' `env` fallbacks (omit: flags only). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Whether arguments that are not flags are allowed (default: no). */
  positionals?: boolean;
}

/** A command line that cannot run: the message names the flag; bins print it and exit 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
  /** The flag (`--port`) or environment variable the problem is about, when there is one. */
  readonly flag: string | undefined;

  constructor(message: string, flag?: string) {
    super(message);
    this.flag = flag;
  }
}

const TRUE_WORDS = /^(1|true|yes|on)$/i;
const FALSE_WORDS = /^(0|false|no|off|)$/i;

/** Reads an environment variable as a boolean flag would be: 1/true/yes/on, 0/false/no/off. */
export function envBoolean(name: string, raw: string): boolean {
  if (TRUE_WORDS.test(raw)) return true;
  if (FALSE_WORDS.test(raw)) return false;
  throw new CliUsageError(`${name}: expected true/false, got "${raw}"`, name);
}

/** A string flag's value that is itself option-like (`--port --quiet`, `--timeout -1`): parseArgs' strict rule. */
const looksLikeAnOption = (value: string) => value.length > 1 && value.startsWith('-');

export function parseFlags<const T extends FlagTable>(table: T, argv: readonly string[], opts: ParseFlagsOptions = {}): ParsedFlags<T> {
  const specOf = (name: string): FlagSpec | undefined => (Object.hasOwn(table, name) ? table[name] : undefined);
  // Non-strict tokens, so that every refusal below is ours and names the flag.
  const { tokens } = parseArgs({
    args: [...argv],
    strict: false,
    allowPositionals: true,
    tokens: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      ...Object.fromEntries(Object.entries(table).map(([name, spec]) => [name, { type: spec.type }])),
    },
  });
  const values: Record<string, string | string[] | boolean> = {};
  const sources: Record<string, string> = {};
  const positionals: string[] = [];
  let help = false;
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      if (!opts.positionals) throw new CliUsageError(`Unexpected argument '${token.value}': this command takes no arguments besides its options`);
      positionals.push(token.value);
      continue;
    }
    const flag = token.rawName;
    if (token.name === 'help') {
      if (token.value !== undefined) throw new CliUsageError(`${flag} takes no value`, flag);
      help = true;
      continue;
    }
    const spec = specOf(token.name);
    if (!spec) throw new CliUsageError(`Unknown option '${flag}'`, flag);
    if (spec.type === 'boolean') {
      if (token.value !== undefined) throw new CliUsageError(`${flag} takes no value`, flag);
      values[token.name] = true;
    } else {
      if (token.value === undefined) throw new CliUsageError(`${flag} needs a value`, flag);
      if (!token.inlineValue && looksLikeAnOption(token.value)) {
        throw new CliUsageError(`${flag} needs a value (write ${flag}=VALUE for a value that starts with "-")`, flag);
      }
      const previous = values[token.name];
      values[token.name] = spec.multiple ? [...(Array.isArray(previous) ? previous : []), token.value] : token.value;
    }
    sources[token.name] = flag;
  }
  for (const [name, spec] of Object.entries(table)) {
    if (values[name] !== undefined || !spec.env) continue;
    const envName = spec.env.find((n) => opts.env?.[n] !== undefined && opts.env[n] !== '');
    if (!envName) continue;
    const raw = opts.env![envName]!;
    values[name] = spec.type === 'boolean' ? envBoolean(envName, raw) : spec.multiple ? [raw] : raw;
    sources[name] = envName;
  }
  return {
    help,
    values: values as FlagValues<T>,
    positionals,
    source: (flag) => sources[flag] ?? `--${flag}`,
  };
}
