import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

/**
 * The accessibility scan (docs/decisions/accessibility-scan.md), shared by e2e/a11y.spec.ts (LTR)
 * and e2e/rtl.spec.ts (both directions): WCAG 2.1 A/AA and axe's best practices; a finding is any
 * serious or critical violation, or one of the landmark rules (axe rates those moderate, issue 13
 * found them).
 */
export const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
export const ALWAYS = new Set(['region', 'landmark-no-duplicate-main', 'landmark-one-main', 'landmark-unique', 'landmark-no-duplicate-banner', 'landmark-complementary-is-top-level', 'landmark-main-is-top-level']);

export interface Finding {
  screen: string;
  rule: string;
  impact: string;
  help: string;
  nodes: string[];
}

/** Scans the page as it is now and adds what counts to `findings`. */
export async function scan(page: Page, screen: string, findings: Finding[]): Promise<Awaited<ReturnType<AxeBuilder['analyze']>>> {
  // Let transitions and the live top bar settle, so colours are read as the clerk sees them.
  await page.evaluate(() => document.fonts?.ready);
  await page.waitForTimeout(250);
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  for (const v of results.violations) {
    if (v.impact === 'serious' || v.impact === 'critical' || ALWAYS.has(v.id)) {
      findings.push({ screen, rule: v.id, impact: v.impact ?? '?', help: v.help, nodes: v.nodes.slice(0, 4).map((n) => `${n.target.join(' >> ')}: ${n.failureSummary?.split('\n').slice(1, 2).join('') ?? ''}`) });
    }
  }
  return results;
}

export function report(findings: Finding[]): string {
  return findings.map((f) => `${f.screen}: ${f.rule} (${f.impact}) ${f.help}\n    ${f.nodes.join('\n    ')}`).join('\n');
}
