// Builds the production app once (npm run build -> out/renderer) and serves the renderer on a
// loopback port for every spec (TP_RENDERER_URL). E2E_SKIP_BUILD=1 reuses an existing build.
import { execSync } from 'node:child_process';
import { resolve } from 'node:path';
import { serveRenderer } from '../../test-support/web/static-server';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const root = resolve(__dirname, '../..');
  if (process.env.E2E_SKIP_BUILD !== '1') {
    const started = Date.now();
    execSync('npm run -s build', { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    console.log(`production build in ${Date.now() - started} ms`);
  }
  const server = await serveRenderer(resolve(root, 'out/renderer'));
  process.env.TP_RENDERER_URL = server.url;
  return () => server.close();
}
