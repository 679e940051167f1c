// The flag parser every bin uses: what it accepts, every refusal naming the flag, env fallbacks,
// --help from the table, and the process entry (exit codes, stop signals).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliUsageError, formatHelp, numberFrom, oneOf, parseFlags, positiveSeconds, urlItMeant, wholeNumber } from './index';

const TABLE = {
  port: { type: 'string', value: 'N', env: ['APP_PORT', 'LEGACY_PORT'], help: 'TCP port' },
  tag: { type: 'string', multiple: true, env: ['APP_TAGS'], help: 'a tag (repeatable)' },
  quiet: { type: 'boolean', env: ['APP_QUIET'], help: ['no log', 'at all'] },
} as const;

function refusal(run: () => unknown): CliUsageError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(CliUsageError);
    return err as CliUsageError;
  }
  throw new Error('accepted');
}

describe('parseFlags', () => {
  it('reads flags, repeats, inline values, -h and positionals after --', () => {
    const p = parseFlags(TABLE, ['--port=0', '--tag', 'a', '--tag=b', '--quiet', 'hello', '--', '--not-a-flag'], { positionals: true });
    expect(p.values).toEqual({ port: '0', tag: ['a', 'b'], quiet: true });
    expect(p.positionals).toEqual(['hello', '--not-a-flag']);
    expect(p.help).toBe(false);
    expect(parseFlags(TABLE, ['-h']).help).toBe(true);
    expect(parseFlags(TABLE, ['--help']).help).toBe(true);
    expect(parseFlags(TABLE, ['--port', '1', '--port', '2']).values.port).toBe('2'); // last one wins
    expect(parseFlags(TABLE, ['--port=-1']).values.port).toBe('-1'); // the explicit way to pass a dash
  });

  it('falls back to the environment: flag first, then the first non-empty variable', () => {
    const env = { APP_PORT: '', LEGACY_PORT: '7', APP_TAGS: 'x,y', APP_QUIET: 'yes' };
    const p = parseFlags(TABLE, [], { env });
    expect(p.values).toEqual({ port: '7', tag: ['x,y'], quiet: true });
    expect(p.source('port')).toBe('LEGACY_PORT');
    const flagWins = parseFlags(TABLE, ['--port', '1'], { env });
    expect(flagWins.values.port).toBe('1');
    expect(flagWins.source('port')).toBe('--port');
    expect(parseFlags(TABLE, [], { env: { APP_QUIET: 'off' } }).values.quiet).toBe(false);
    expect(parseFlags(TABLE, []).source('quiet')).toBe('--quiet');
    expect(parseFlags(TABLE, [], {}).values).toEqual({});
  });

  it('refuses bad command lines with a message naming the flag', () => {
    const cases: [string[], string, string | undefined][] = [
      [['--nope'], "Unknown option '--nope'", '--nope'],
      [['-x'], "Unknown option '-x'", '-x'],
      [['--toString'], "Unknown option '--toString'", '--toString'],
      [['--port'], '--port needs a value', '--port'],
      [['--port', '--quiet'], '--port needs a value (write --port=VALUE for a value that starts with "-")', '--port'],
      [['--port', '-1'], '--port needs a value (write --port=VALUE for a value that starts with "-")', '--port'],
      [['--quiet=yes'], '--quiet takes no value', '--quiet'],
      [['--help=1'], '--help takes no value', '--help'],
      [['extra'], "Unexpected argument 'extra': this command takes no arguments besides its options", undefined],
    ];
    for (const [argv, message, flag] of cases) {
      const err = refusal(() => parseFlags(TABLE, argv));
      expect(err.message, argv.join(' ')).toBe(message);
      expect(err.flag, argv.join(' ')).toBe(flag);
    }
    const env = refusal(() => parseFlags(TABLE, [], { env: { APP_QUIET: 'maybe' } }));
    expect(env).toMatchObject({ message: 'APP_QUIET: expected true/false, got "maybe"', flag: 'APP_QUIET' });
  });
});

describe('value readers', () => {
  it('accept what is allowed and name the flag otherwise', () => {
    expect(oneOf('--tier', 'b', ['a', 'b'])).toBe('b');
    expect(oneOf('--tier', undefined, ['a'])).toBeUndefined();
    expect(() => oneOf('--tier', 'c', ['a', 'b'])).toThrow(expect.objectContaining({ message: '--tier must be one of: a, b', flag: '--tier' }));
    expect(wholeNumber('--n', '128', { min: 1, max: 128 })).toBe(128);
    for (const bad of ['0', '129', '1.5', '', ' ', 'x']) expect(() => wholeNumber('--n', bad, { min: 1, max: 128 }), bad).toThrow('--n must be a whole number from 1 to 128');
    expect(numberFrom('--t', '0.5', { min: 0, max: 2 })).toBe(0.5);
    for (const bad of ['-0.1', '2.5', '', 'hot', 'Infinity']) expect(() => numberFrom('--t', bad, { min: 0, max: 2 }), bad).toThrow('--t must be a number from 0 to 2');
    expect(positiveSeconds('--timeout', '2.5')).toBe(2.5);
    for (const [typed, meant] of [['127.0.0.1:5010', 'http://127.0.0.1:5010'], ['localhost:11434/v1', 'http://localhost:11434/v1'], ['relay.example', 'http://relay.example']] as const) {
      expect(urlItMeant(typed), typed).toBe(meant);
    }
    for (const url of ['http://127.0.0.1:5010', 'https://relay.example/x', 'ftp://x', 'a b', 'user@host']) expect(urlItMeant(url), url).toBeUndefined();
    for (const bad of ['0', '-1', '', 'soon']) expect(() => positiveSeconds('--timeout', bad), bad).toThrow('--timeout must be a positive number of seconds');
    expect(() => positiveSeconds('APP_TIMEOUT', 'x')).toThrow(expect.objectContaining({ flag: 'APP_TIMEOUT' }));
  });
});

describe('formatHelp', () => {
  it('lists every flag of the table with its placeholder and help lines, then -h', () => {
    const text = formatHelp(TABLE, {
      usage: 'Usage: app [options]',
      about: 'Does things.',
      sections: [
        { title: 'Network:', flags: ['port'] },
        { title: 'Other:', flags: ['tag', 'quiet'] },
      ],
      footer: 'Bye.',
    });
    expect(text).toBe(
      [
        'Usage: app [options]',
        '',
        'Does things.',
        '',
        'Network:',
        '  --port N     TCP port',
        '',
        'Other:',
        '  --tag VALUE  a tag (repeatable)',
        '  --quiet      no log',
        '               at all',
        '  -h, --help   show this help',
        '',
        'Bye.',
      ].join('\n'),
    );
  });

  it('refuses a layout that leaves a flag out or lists one twice', () => {
    expect(() => formatHelp(TABLE, { usage: 'u', sections: [{ title: 'x', flags: ['port', 'quiet'] }] })).toThrow(/not listed tag/);
    expect(() => formatHelp(TABLE, { usage: 'u', sections: [{ title: 'x', flags: ['port', 'tag', 'quiet', 'port'] }] })).toThrow(/listed twice port/);
  });
});

describe('runBin', () => {
  const entry = join(__dirname, 'bin.ts');
  // A program that reports its stop signal and then takes `stopMs` to stop.
  const program = (body: string) => `require('tsx/cjs'); require(${JSON.stringify(entry)}).runBin('demo', async (io) => { ${body} });`;
  const start = (body: string) => {
    const child = spawn(process.execPath, ['-e', program(body)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const said = async (text: string) => {
      for (let i = 0; i < 200 && !out.includes(text); i++) await new Promise((r) => setTimeout(r, 25));
      expect(out).toContain(text);
    };
    return { child, exit, said, output: () => ({ out, err }) };
  };
  // (a signal listener does not keep a process alive: the interval stands for the bin's server)
  const waitForStop = `const alive = setInterval(() => {}, 1000); io.stdout.write('ready\\n'); await new Promise((r) => io.signal.addEventListener('abort', r)); clearInterval(alive); io.stdout.write('stopping on ' + io.signal.reason + '\\n');`;

  it('ends with the program’s code; the first stop signal aborts, a second exits with 130', async () => {
    const clean = start(`${waitForStop} return 3;`);
    await clean.said('ready');
    clean.child.kill('SIGTERM');
    expect(await clean.exit).toBe(3);
    expect(clean.output().out).toContain('stopping on SIGTERM');

    const stuck = start(`${waitForStop} await new Promise((r) => setTimeout(r, 10000)); return 0;`);
    await stuck.said('ready');
    stuck.child.kill('SIGINT');
    await stuck.said('stopping on SIGINT');
    stuck.child.kill('SIGINT');
    expect(await stuck.exit).toBe(130);
  });

  it('reports a program that throws as an unexpected failure with exit code 1', async () => {
    const failing = start(`throw new Error('boom');`);
    expect(await failing.exit).toBe(1);
    expect(failing.output().err).toBe('demo: unexpected failure: boom\n');
  });
});
