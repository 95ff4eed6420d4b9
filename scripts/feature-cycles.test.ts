import { describe, expect, it } from 'vitest';
import { featureCycles, KNOWN_FEATURE_CYCLES, newFeatureCycles, type ImportTree } from './feature-cycles';

const dep = (id: string) => ({ id });

describe('circles among the core features', () => {
  // cards/a imports payments/b, payments/c imports cards/d: no file circle, a feature circle.
  const tree: ImportTree = {
    'electron/core/cards/a.ts': [dep('electron/core/payments/b.ts'), dep('electron/core/ledger/sql.ts')],
    'electron/core/payments/b.ts': [dep('electron/core/ledger/sql.ts')],
    'electron/core/payments/c.ts': [dep('electron/core/cards/d.ts')],
    'electron/core/cards/d.ts': [],
    'electron/core/ledger/sql.ts': [],
    'electron/core/sync/x.ts': [dep('electron/core/payments/b.ts')],
    'electron/core/sync/x.test.ts': [],
    'electron/core/payments/p.test.ts': [dep('electron/core/sync/x.ts')],
  };

  it('finds a circle through different files of two features, ignoring tests', () => {
    expect(featureCycles(tree)).toEqual([['cards', 'payments']]);
  });

  it('reports a circle as new unless a known one holds it', () => {
    expect(newFeatureCycles([['cards', 'payments']], [])).toEqual([['cards', 'payments']]);
    expect(newFeatureCycles([['cards', 'payments']], [['cards', 'orders', 'payments']])).toEqual([]);
    expect(newFeatureCycles([['cards', 'sync']], [['cards', 'orders', 'payments']])).toEqual([['cards', 'sync']]);
  });

  it('the core has no circle beyond the known ones, and none is known any more', async () => {
    expect(KNOWN_FEATURE_CYCLES).toEqual([]);
    const { parseDependencyTree } = await import('dpdm');
    const real = await parseDependencyTree(['electron/core/**/*.ts'], { context: process.cwd(), extensions: ['.ts'], js: ['.ts'], include: /\.ts$/, exclude: /node_modules/, tsconfig: undefined, transform: false, skipDynamicImports: false });
    expect(newFeatureCycles(featureCycles(real))).toEqual([]);
  });

  it('gateway-accounts <-> people is broken for good: back, it fails the check', () => {
    // The circle ran people/session-handlers -> gateway-accounts/model (EMBEDDED_ACCOUNT, now in ledger/account-key.ts).
    const back: ImportTree = {
      'electron/core/gateway-accounts/handlers.ts': [dep('electron/core/people/credentials.ts')],
      'electron/core/people/credentials.ts': [],
      'electron/core/people/session-handlers.ts': [dep('electron/core/gateway-accounts/model.ts')],
      'electron/core/gateway-accounts/model.ts': [],
    };
    expect(KNOWN_FEATURE_CYCLES.some((k) => k.includes('people'))).toBe(false);
    expect(newFeatureCycles(featureCycles(back))).toEqual([['gateway-accounts', 'people']]);
  });

  it('cards <-> payments is broken for good: back, it fails the check', () => {
    // The circle ran cards/card-service -> payments/audit (now ledger/audit-entry.ts) and payments/ports (now ports.ts).
    const back: ImportTree = {
      'electron/core/payments/service.ts': [dep('electron/core/cards/cards-repo.ts')],
      'electron/core/cards/cards-repo.ts': [],
      'electron/core/cards/card-service.ts': [dep('electron/core/payments/audit.ts')],
      'electron/core/payments/audit.ts': [],
    };
    expect(newFeatureCycles(featureCycles(back))).toEqual([['cards', 'payments']]);
  });
});
