// electron-builder configuration for `npm run dist` (validated by electron-builder.config.test.ts
// against app-builder-lib's own JSON schema). CommonJS because electron-builder require()s it.
//
// - The app is dist-electron/ (main + preload bundles) and dist/renderer/ (the screen), in asar.
// - better-sqlite3-multiple-ciphers and @napi-rs/canvas ship Node-API prebuilds (one binary for
//   Node and Electron), so there is no rebuild step, and their .node files are unpacked (a native
//   module cannot be dlopen()ed from inside an asar archive).
// - Electron fuses are flipped at package time; see docs/decisions/electron-shell.md.

/** @type {import('electron-builder').Configuration} */
const config = {
  appId: 'com.example.motopos',
  productName: 'MOTO POS',
  copyright: 'Copyright © MOTO POS authors',
  directories: {
    output: 'release',
    buildResources: 'build',
  },
  files: [
    'dist/renderer/**/*',
    'dist-electron/**/*',
    'package.json',
    // Production dependencies are added by electron-builder itself; trim what no runtime needs.
    // The SQLite module's C sources are only for building from source, which we never do.
    '!**/node_modules/better-sqlite3-multiple-ciphers/{deps,src}{,/**}',
    '!**/node_modules/better-sqlite3-multiple-ciphers/binding.gyp',
    '!**/node_modules/**/*.{md,markdown,map,ts,tsx}',
    '!**/node_modules/**/{test,tests,__tests__,docs,example,examples}/**',
  ],
  asar: true,
  // lib/binding.js loads prebuilds/<platform>-<arch>.node relative to itself; Electron redirects
  // that path into app.asar.unpacked.
  // @napi-rs/canvas (the receipt image, docs/decisions/receipt-printer.md) loads the .node binary of
  // its platform package (@napi-rs/canvas-linux-x64-gnu, …) by require(); the font it draws with is
  // read with fs, which reads inside asar, so it stays packed.
  asarUnpack: ['**/node_modules/better-sqlite3-multiple-ciphers/prebuilds/*.node', '**/node_modules/@napi-rs/canvas-*/*.node'],
  npmRebuild: false,
  nodeGypRebuild: false,
  buildDependenciesFromSource: false,
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    // We serve the screen from app://, never file://: no extra privileges for file:.
    grantFileProtocolExtraPrivileges: false,
  },
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Office',
    maintainer: 'MOTO POS authors <pos@example.com>',
    synopsis: 'Point of sale for telephone, mail and counter orders',
  },
  // deb: electron-builder's default `depends` already lists libsecret-1-0, which safeStorage needs
  // to use the desktop keyring (without it the backend is basic_text and we ask for a passphrase).
  // Overriding `depends` would replace that whole default list, so it is left alone.
  win: {
    target: ['nsis'],
  },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
  },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.business',
    hardenedRuntime: true,
  },
  dmg: {
    sign: false,
  },
  publish: null,
};

module.exports = config;
