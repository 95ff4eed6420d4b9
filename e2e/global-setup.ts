import { execFileSync } from 'node:child_process';

/** Builds the renderer once; every test's web server then runs with --no-build. */
export default function globalSetup(): void {
  if (process.env.E2E_SKIP_BUILD === '1') return;
  execFileSync('npx', ['vite', 'build'], { stdio: 'inherit' });
}
