import { execFileSync } from 'node:child_process';
import { buildWeb } from '../scripts/build-web';

/** Builds the renderer and the web-mode bundle once; every test's web server then runs with --no-build. */
export default async function globalSetup(): Promise<void> {
  await buildWeb();
  if (process.env.E2E_SKIP_BUILD === '1') return;
  execFileSync('npx', ['vite', 'build'], { stdio: 'inherit' });
}
