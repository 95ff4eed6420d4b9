import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';

/**
 * The station's data directory and everything in it are private to the user (0700 / 0600),
 * whoever creates them first: the ledger, the settings store or the embedded sandbox (issue 15:
 * the sandbox used to create the directory 0755 and its database 0644). One helper so every
 * creator applies the same rule. Modes are best effort where the filesystem has none (Windows).
 * It lives in the gateway folder because that is the one place both the core and the embedded
 * sandbox may import (docs/development.md, "Where code goes").
 */

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

function chmodQuietly(path: string, mode: number): void {
  try {
    chmodSync(path, mode);
  } catch {
    /* a filesystem without POSIX modes */
  }
}

/** Creates the directory (and missing parents) 0700, and makes an existing one 0700. */
export function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodQuietly(dir, PRIVATE_DIR_MODE);
}

/**
 * An SQLite database file and its companions (-wal, -shm, -journal) 0600. Called before opening
 * (an empty file created 0600, so SQLite, which gives its WAL and journal the database file's
 * mode, never creates anything readable by others) and again after (files of an older run).
 */
export function privateSqliteFiles(dbPath: string): void {
  if (!existsSync(dbPath)) closeSync(openSync(dbPath, 'a', PRIVATE_FILE_MODE));
  for (const suffix of ['', '-wal', '-shm', '-journal']) if (existsSync(dbPath + suffix)) chmodQuietly(dbPath + suffix, PRIVATE_FILE_MODE);
}
