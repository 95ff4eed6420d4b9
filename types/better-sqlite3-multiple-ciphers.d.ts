// The package's own index.d.ts is not reachable through its "exports" map, and a tsconfig
// `paths` entry would make tsx load the .d.ts at run time. Its API is better-sqlite3's, so we
// borrow those types (the cipher pragmas are plain `pragma()` calls).
declare module 'better-sqlite3-multiple-ciphers' {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the only form that re-exports an `export =` module
  import Database = require('better-sqlite3');
  export = Database;
}
