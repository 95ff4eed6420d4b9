import { execFileSync } from 'node:child_process';

/**
 * How much of a file the OS holds in its page cache, in % (util-linux `fincore`), or null where
 * the tool is missing. Context for lookup timings: on these VMs the cache is reclaimed while the
 * machine is idle, and a query whose index pages are not cached reads the disk.
 */
export function pageCachedPercent(file: string): number | null {
  try {
    const out = execFileSync('fincore', ['--bytes', '--noheadings', '--output', 'RES,SIZE', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const [res, size] = out.trim().split(/\s+/).map(Number);
    return res !== undefined && size ? (100 * res) / size : null;
  } catch {
    return null;
  }
}
