import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { openLedger } from '../electron/core/db/database';
import { PassphraseKeyProtector } from '../electron/core/db/key-protector';
import { api, apiOk, expect, NAMES, PINS, setupStation, shot, signIn, startWeb, switchUser, test } from './fixtures';

/** The passphrase e2e/fixtures.ts gives web mode (POS_PASSPHRASE). */
const PASSPHRASE = 'e2e-passphrase-not-secret';

interface Entry {
  seq: number;
  userName: string | null;
  action: string;
  target: string | null;
  outcome: 'success' | 'failure';
  detail: string;
}


/** What someone holding the ledger key could do: drop the append-only triggers and rewrite one entry. */
async function tamperWithEntry(data: string, seq: number, detail: string): Promise<void> {
  const db = await openLedger({ dir: data, protector: new PassphraseKeyProtector(PASSPHRASE) });
  try {
    db.exec('DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;');
    const r = db.prepare('UPDATE audit SET detail = ? WHERE seq = ?').run(detail, seq);
    expect(r.changes).toBe(1);
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

async function openAudit(page: Page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Audit log' }).click();
  await expect(page.getByRole('heading', { name: 'Audit log', level: 1 })).toBeVisible();
  await expect(page.locator('#audit-entries tbody tr[data-seq]').first()).toBeVisible();
}

const rowOf = (page: Page, seq: number) => page.locator(`#audit-entries tbody tr[data-seq="${seq}"]`);

test('a supervisor reads, filters, exports and verifies the audit log; an altered entry is pointed at', async ({ page }) => {
  const data = mkdtempSync(join(tmpdir(), 'pos-e2e-audit-'));
  let web = await startWeb({ data });
  try {
    let reference = '';
    let approvalSeq = 0;

    await test.step('activity: sign-ins (one with a wrong PIN), a cash sale, a refund approved by the supervisor', async () => {
      await setupStation(page, web);
      const users = await apiOk<{ id: string; name: string }[]>(page, 'session.users');
      const clerk = users.find((u) => u.name === NAMES.clerk)!;
      const sam = users.find((u) => u.name === NAMES.supervisor)!;
      await switchUser(page, NAMES.clerk, PINS.clerk);
      const wrong = await api(page, 'session.login', { userId: clerk.id, pin: '000000' });
      expect(wrong.ok).toBe(false);
      const order = await apiOk<{ id: string }>(page, 'orders.create', {
        channel: 'counter', currency: 'USD', lines: [{ description: 'Desk lamp', quantity: 1, unitPrice: 4_500, taxRateBp: 0 }],
      });
      const sale = await apiOk<{ payment: { id: string; reference: string } }>(page, 'payments.charge', { orderId: order.id, mode: 'purchase', source: { kind: 'cash', tendered: 5_000 } });
      reference = sale.payment.reference;
      await apiOk(page, 'payments.refund', { paymentId: sale.payment.id, amount: 1_500, reason: 'Scratched shade', approval: { supervisorId: sam.id, pin: PINS.supervisor } });
      await switchUser(page, NAMES.supervisor, PINS.supervisor);
    });

    await test.step('the audit screen lists them, newest first, with words for actions and outcomes', async () => {
      await openAudit(page);
      const table = page.locator('#audit-entries');
      const entries = await apiOk<Entry[]>(page, 'audit.list', { limit: 200 });
      expect(entries.map((e) => e.seq)).toEqual([...entries.map((e) => e.seq)].sort((a, b) => b - a));
      const seqs = await table.locator('tbody tr[data-seq]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-seq'))));
      expect(seqs).toEqual(entries.map((e) => e.seq));

      const supervisorSignIn = entries.find((e) => e.action === 'session.login' && e.userName === NAMES.supervisor && e.outcome === 'success')!;
      await expect(rowOf(page, supervisorSignIn.seq)).toContainText('Sign-in');
      await expect(rowOf(page, supervisorSignIn.seq)).toContainText('\u2713Succeeded');
      const failed = entries.find((e) => e.action === 'session.login' && e.outcome === 'failure')!;
      await expect(rowOf(page, failed.seq)).toContainText('\u2715Failed');
      const sale = entries.find((e) => e.action === 'payments.cash_sale')!;
      await expect(rowOf(page, sale.seq)).toContainText('Cash sale');
      await expect(rowOf(page, sale.seq)).toContainText(NAMES.clerk);
      await expect(rowOf(page, sale.seq)).toContainText(reference);
      const approval = entries.find((e) => e.action === 'approval.granted')!;
      approvalSeq = approval.seq;
      await expect(rowOf(page, approval.seq)).toContainText('Approval granted');
      await expect(rowOf(page, approval.seq)).toContainText(`approver ${NAMES.supervisor}`);
      const refund = entries.find((e) => e.action === 'payments.cash_refund')!;
      await expect(rowOf(page, refund.seq)).toContainText('Cash refund');
      // Never a PIN on screen.
      for (const pin of Object.values(PINS)) await expect(page.locator('main')).not.toContainText(pin);
    });

    await test.step('filters: action, outcome, user, text; keyboard from the search box into the rows', async () => {
      const rows = page.locator('#audit-entries tbody tr[data-seq]');
      await page.getByLabel('Action', { exact: true }).selectOption({ label: 'Approval granted' });
      await expect(rows).toHaveCount(1);
      await expect(rows.first()).toHaveAttribute('data-seq', String(approvalSeq));
      await page.getByLabel('Action', { exact: true }).selectOption({ label: 'Any action' });

      await page.getByLabel('Outcome', { exact: true }).selectOption('failure');
      await expect(rows).toHaveCount(1);
      await expect(rows.first()).toContainText('Sign-in');
      await expect(rows.first()).toContainText(NAMES.clerk);
      await page.getByLabel('Outcome', { exact: true }).selectOption('');

      await page.getByLabel('User', { exact: true }).selectOption({ label: `${NAMES.admin} (admin)` });
      await expect(rows.first()).toContainText(NAMES.admin);
      for (const name of await rows.locator('td:nth-child(3)').allTextContents()) expect(name).toBe(NAMES.admin);
      await page.getByLabel('User', { exact: true }).selectOption('');

      await page.getByLabel('Search', { exact: true }).fill(reference);
      // The sale, the approval and the refund all name the payment's reference.
      await expect(rows).toHaveCount(3);
      await expect(rows.nth(0)).toContainText('Cash refund');
      await expect(rows.nth(1)).toContainText('Approval granted');
      await expect(rows.nth(2)).toContainText('Cash sale');
      await page.getByLabel('Search', { exact: true }).press('ArrowDown');
      await expect(rows.nth(0)).toBeFocused();
      await page.keyboard.press('ArrowDown');
      await expect(rows.nth(1)).toBeFocused();
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('ArrowUp');
      await expect(page.getByLabel('Search', { exact: true })).toBeFocused();
    });

    await test.step('Export CSV downloads the filtered entries, formulas defused, no PINs', async () => {
      const downloading = page.waitForEvent('download');
      await page.getByRole('button', { name: /Export CSV/ }).click();
      const download = await downloading;
      expect(download.suggestedFilename()).toMatch(/^audit-log-.+-\d{4}-\d{2}-\d{2}-filtered\.csv$/);
      const text = readFileSync((await download.path()), 'utf8').replace(/^\ufeff/, '');
      const lines = text.trimEnd().split('\r\n');
      expect(lines[0]).toBe('seq,time_utc,user,user_id,action,action_label,target,outcome,station,detail,hash');
      expect(lines).toHaveLength(4);
      expect(lines[1]).toContain(',payments.cash_refund,Cash refund,');
      expect(lines[2]).toContain(`,approval.granted,Approval granted,${reference},success,`);
      expect(lines[3]).toContain(',payments.cash_sale,Cash sale,');
      expect(lines[1]).toContain('reason: Scratched shade');
      for (const pin of Object.values(PINS)) expect(text).not.toContain(pin);
      await expect(page.getByText(/Exported 3 entries matching the filters/).last()).toBeVisible();
      await page.getByRole('button', { name: 'Clear filters' }).click();
      await expect(page.getByLabel('Search', { exact: true })).toHaveValue('');
    });

    await test.step('Verify the log: intact', async () => {
      await page.keyboard.press('Alt+V');
      const checked = (await apiOk<Entry[]>(page, 'audit.list', { limit: 1, action: 'audit.verify' }))[0]!;
      expect(checked.outcome).toBe('success');
      const n = Number(/^(\d+) entries intact$/.exec(checked.detail)?.[1]);
      await expect(page.getByText(`Intact: ${n} entries checked`)).toBeVisible();
      await expect(page.getByTestId('audit-state')).toHaveText('\u2713Intact');
      // The verification itself is recorded and listed.
      await expect(rowOf(page, checked.seq)).toContainText('Audit log verified');
      await page.locator('#audit-title').focus();
      await shot(page, 'audit');
    });

    await test.step('someone with the key rewrites the approval entry: verify points at it', async () => {
      await web.halt();
      await tamperWithEntry(data, approvalSeq, 'approver Ada Admin; approved');
      web = await startWeb({ data });
      await page.goto(web.url);
      await signIn(page, NAMES.supervisor, PINS.supervisor);
      await openAudit(page);
      // Filter to something that hides the entry: pointing at it clears the filters.
      await page.getByLabel('Outcome', { exact: true }).selectOption('failure');
      await expect(rowOf(page, approvalSeq)).toHaveCount(0);
      await page.getByRole('button', { name: /Verify the log/ }).click();
      await expect(page.getByRole('alert').filter({ hasText: 'The audit log was changed after it was written' })).toBeVisible();
      await expect(page.getByTestId('audit-problem')).toHaveText(`Entry ${approvalSeq} was altered after it was written`);
      await expect(page.getByTestId('audit-state')).toHaveText('\u2715Altered');
      await expect(page.getByText(`Filters cleared to show entry ${approvalSeq}.`).last()).toBeVisible();
      const row = rowOf(page, approvalSeq);
      await expect(row).toHaveClass(/audit-row-bad/);
      await expect(row).toBeFocused();
      await expect(row).toBeInViewport();
      await expect(row).toContainText('approver Ada Admin; approved');
      await expect(row).toContainText(`Entry ${approvalSeq} was altered after it was written`);
      await expect(page.locator('tr.audit-row-bad')).toHaveCount(1);
      const verdict = await apiOk<{ ok: boolean; firstBadSeq: number | null }>(page, 'audit.verify');
      expect(verdict).toMatchObject({ ok: false, firstBadSeq: approvalSeq });
      await shot(page, 'audit-tampered');
    });
  } finally {
    await web.stop();
  }
});

test('a clerk cannot read the audit log, even by calling the core', async ({ desk: page }) => {
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Audit log' })).toHaveCount(0);
  for (const channel of ['audit.list', 'audit.verify']) {
    const r = await api(page, channel, channel === 'audit.list' ? { limit: 10 } : {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('FORBIDDEN');
  }
});
