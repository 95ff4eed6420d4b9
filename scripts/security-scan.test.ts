import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllowlist, unaccepted, type Finding } from './security-scan';

const f = (id: string, severity: string, file = 'electron/main/main.ts'): Finding => ({ id, severity, confidence: 'FIRM', file, line: 1, description: '' });

describe('security-scan allowlist', () => {
  it('reads only justified rows of the decision table', () => {
    const rows = parseAllowlist(['| Check | File | Why |', '|---|---|---|', '| SANDBOX_JS_CHECK | electron/main/main.ts | set by buildWindowOptions and pinned by a test |', '| HTTP_RESOURCES_JS_CHECK | a.ts | ok |'].join('\n'));
    expect(rows).toEqual([{ id: 'SANDBOX_JS_CHECK', file: 'electron/main/main.ts', why: 'set by buildWindowOptions and pinned by a test' }]);
  });
  it('fails HIGH and MEDIUM findings not accepted for that file; LOW never fails', () => {
    const accepted = [{ id: 'SANDBOX_JS_CHECK', file: 'electron/main/main.ts', why: 'x'.repeat(30) }];
    expect(unaccepted([f('SANDBOX_JS_CHECK', 'MEDIUM'), f('SANDBOX_JS_CHECK', 'MEDIUM', 'electron/main/other.ts'), f('CSP_GLOBAL_CHECK', 'LOW'), f('NODE_INTEGRATION_JS_CHECK', 'HIGH')], accepted).map((x) => `${x.id}@${x.file}`)).toEqual([
      'SANDBOX_JS_CHECK@electron/main/other.ts',
      'NODE_INTEGRATION_JS_CHECK@electron/main/main.ts',
    ]);
  });
  it('the project decision record parses and every accepted row is justified', () => {
    const rows = parseAllowlist(readFileSync('docs/decisions/electronegativity.md', 'utf8'));
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.why.length).toBeGreaterThan(40);
  });
});
