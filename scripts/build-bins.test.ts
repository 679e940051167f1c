// The bins run compiled JavaScript (bin/launch.js, scripts/build-bins.mjs): the real bins start
// with tsx unloadable, and launch.js's decision — build when missing or older than a source, run
// what was built otherwise, never rebuild a copy without sources, say what to do when it cannot
// build — checked on a scratch tree whose build script only records that it ran.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..');

describe('the built bins', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tp-bins-'));
    execFileSync(process.execPath, ['scripts/build-bins.mjs', '--quiet'], { cwd: root, stdio: 'pipe' });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every bin starts from out/bin with tsx impossible to load', () => {
    // A preload that makes any require of tsx fail: the bins must not need it at run time.
    const noTsx = join(dir, 'no-tsx.cjs');
    writeFileSync(
      noTsx,
      `const Module = require('node:module'); const resolve = Module._resolveFilename;
       Module._resolveFilename = function (request, ...rest) { if (/^tsx(\\/|$)/.test(request)) throw new Error('tsx is not available'); return resolve.call(this, request, ...rest); };`,
    );
    for (const [bin, usage] of [
      ['tokenplace-relay', 'Usage: tokenplace-relay [options]'],
      ['tokenplace-node', 'Usage: tokenplace-node --relay URL [options]'],
      ['tokenplace-chat', 'Usage: tokenplace-chat --server URL [options] [prompt]'],
      ['tokenplace-gateway', 'Usage: tokenplace-gateway --server URL [options]'],
    ]) {
      const r = spawnSync(process.execPath, ['--require', noTsx, join(root, 'bin', `${bin}.js`), '--help'], { encoding: 'utf8' });
      expect(r.stderr, bin).toBe('');
      expect(r.status, bin).toBe(0);
      expect(r.stdout.split('\n')[0], bin).toBe(usage);
    }
    const info = JSON.parse(readFileSync(join(root, 'out/bin/build-info.json'), 'utf8')) as { inputs: string[] };
    expect(info.inputs).toContain('src-main/relay/cli.ts');
    expect(info.inputs.some((p) => p.includes('node_modules'))).toBe(false); // packages stay external
    expect(existsSync(join(root, 'out/bin/forge-unwrap-worker.js'))).toBe(true);
  });

  it('package.json: tsx is no production dependency, and the build makes the bins', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string>; scripts: Record<string, string>; bin: Record<string, string> };
    expect(pkg.dependencies).not.toHaveProperty('tsx');
    expect(pkg.dependencies).not.toHaveProperty('esbuild');
    expect(pkg.scripts.build).toContain('node scripts/build-bins.mjs');
    expect(Object.keys(pkg.bin).sort()).toEqual(['tokenplace-chat', 'tokenplace-gateway', 'tokenplace-node', 'tokenplace-relay']);
  });
});

describe('bin/launch.js', () => {
  let tree: string;
  const source = () => join(tree, 'src-main/relay/cli.ts');
  const builds = () => (existsSync(join(tree, 'builds')) ? readFileSync(join(tree, 'builds'), 'utf8').length : 0);
  const run = () => spawnSync(process.execPath, [join(tree, 'bin/tokenplace-relay.js')], { encoding: 'utf8' });

  beforeAll(() => {
    tree = mkdtempSync(join(tmpdir(), 'tp-launch-'));
    for (const d of ['bin', 'scripts', 'src-main/relay', 'node_modules/esbuild']) mkdirSync(join(tree, d), { recursive: true });
    copyFileSync(join(root, 'bin/launch.js'), join(tree, 'bin/launch.js'));
    copyFileSync(join(root, 'bin/tokenplace-relay.js'), join(tree, 'bin/tokenplace-relay.js'));
    writeFileSync(source(), '// the source\n');
    // a stand-in build: records that it ran, writes the bundle and the build info
    writeFileSync(
      join(tree, 'scripts/build-bins.mjs'),
      `import { appendFileSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
       const root = new URL('..', import.meta.url).pathname;
       appendFileSync(root + 'builds', 'x');
       mkdirSync(root + 'out/bin', { recursive: true });
       writeFileSync(root + 'out/bin/relay-cli.js', "console.log('built run')");
       const input = 'src-main/relay/cli.ts';
       writeFileSync(root + 'out/bin/build-info.json', JSON.stringify({ builtFrom: statSync(root + input).mtimeMs, inputs: [input] }));`,
    );
    writeFileSync(join(tree, 'node_modules/esbuild/package.json'), '{"name":"esbuild","main":"index.js"}');
    writeFileSync(join(tree, 'node_modules/esbuild/index.js'), '');
  });
  afterAll(() => rmSync(tree, { recursive: true, force: true }));

  it('builds when out/bin is missing, runs the build as it is when it is current, rebuilds when a source is newer', () => {
    expect(run()).toMatchObject({ status: 0, stdout: 'built run\n', stderr: '' });
    expect(builds()).toBe(1);
    expect(run().stdout).toBe('built run\n');
    expect(builds()).toBe(1); // current: no build
    const later = new Date(Date.now() + 60_000);
    utimesSync(source(), later, later);
    expect(run().stdout).toBe('built run\n');
    expect(builds()).toBe(2);
    const info = join(tree, 'out/bin/build-info.json');
    const recorded = JSON.parse(readFileSync(info, 'utf8')) as { inputs: string[] };
    writeFileSync(info, JSON.stringify({ ...recorded, inputs: [...recorded.inputs, 'src-main/relay/gone.ts'] }));
    expect(run().stdout).toBe('built run\n'); // a source the build used is gone: rebuilt
    expect(builds()).toBe(3);
  });

  it('runs what was built in a copy without sources; says what to run when it cannot build', () => {
    rmSync(join(tree, 'src-main'), { recursive: true, force: true });
    const before = builds();
    expect(run().stdout).toBe('built run\n');
    expect(builds()).toBe(before);

    rmSync(join(tree, 'out'), { recursive: true, force: true });
    const unbuilt = run();
    expect(unbuilt.status).toBe(1);
    expect(unbuilt.stderr).toBe(`tokenplace-relay: not built yet: run npm ci && npm run build (in ${tree})\n`);

    mkdirSync(join(tree, 'src-main/relay'), { recursive: true });
    writeFileSync(source(), '// the source\n');
    rmSync(join(tree, 'node_modules'), { recursive: true, force: true });
    const noEsbuild = run();
    expect(noEsbuild.status).toBe(1);
    expect(noEsbuild.stderr).toBe(`tokenplace-relay: not built yet: run npm ci && npm run build (in ${tree})\n`);
    expect(builds()).toBe(before);
  });
});
