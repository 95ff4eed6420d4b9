import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { TYPE_AWARE_RULES } from '../eslint.config.js';

/**
 * The boundaries are only as good as their enforcement: every fixture in scripts/boundary-fixtures
 * is a deliberate violation, linted (or typechecked) as if it stood where its first line says.
 * Each line marked ✗ must be reported, and no other line (by the runtime boundaries or, inside
 * electron/core, by core/feature-face: another feature only through its index.ts).
 */
const ROOT = resolve(import.meta.dirname, '..');
const FIXTURES = join(ROOT, 'scripts/boundary-fixtures');

function markedLines(code: string): number[] {
  return code.split('\n').flatMap((line, i) => (line.includes('// ✗') ? [i + 1] : []));
}

describe('import boundaries (eslint)', () => {
  // The fixtures stand at paths no tsconfig holds: boundaries need no types, so the type-aware
  // rules (and the project service they need) are off here.
  const eslint = new ESLint({
    cwd: ROOT,
    overrideConfig: {
      files: ['**/*.ts', '**/*.tsx'],
      languageOptions: { parserOptions: { projectService: false } },
      rules: Object.fromEntries(Object.keys(TYPE_AWARE_RULES).map((r) => [r, 'off'])),
    },
  });
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.ts'));

  it('has fixtures for every runtime', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  it.each(files)('%s: every marked import is refused, nothing else', async (file) => {
    const code = readFileSync(join(FIXTURES, file), 'utf8');
    const as = /^\/\/ as: (\S+)/.exec(code)?.[1];
    expect(as, 'first line names the path to lint as').toBeTruthy();
    const [result] = await eslint.lintText(code, { filePath: join(ROOT, as!) });
    const reported = [...new Set(result!.messages.filter((m) => m.ruleId === 'boundaries/dependencies' || m.ruleId === 'core/feature-face').map((m) => m.line))].sort((a, b) => a - b);
    expect(reported).toEqual(markedLines(code));
  });
});

describe('one tsconfig per runtime', () => {
  const dir = join(FIXTURES, 'types');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

  it.each(files)('%s: a global of another runtime does not typecheck', (file) => {
    const path = join(dir, file);
    const code = readFileSync(path, 'utf8');
    const project = /^\/\/ typecheck-as: (\S+)/.exec(code)?.[1];
    const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, `tsconfig.${project}.json`), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(String(d.messageText)); } });
    const options = { ...config!.options, composite: false, declaration: false, emitDeclarationOnly: false, noEmit: true };
    const program = ts.createProgram({ rootNames: [path], options });
    const errors = ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === path);
    const lines = [...new Set(errors.map((d) => d.file!.getLineAndCharacterOfPosition(d.start!).line + 1))];
    expect(lines).toEqual(markedLines(code));
    expect(errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n')).toMatch(/Cannot find name '(Buffer|document|process)'/);
  });
});
