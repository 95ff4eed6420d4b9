import type { Page } from '@playwright/test';
import { api, apiOk, expect, NAMES, PINS, setupStation, shot, signIn, test } from './fixtures';

// Issue 13, item 11: an admin manages people by keyboard (edit, new PIN, deactivate, reactivate);
// anyone changes their own PIN; open windows of the changed user follow at once.

const NEW_NAME = 'Chris Clarke';
const SAM_RESET_PIN = '864202';
const CHRIS_OWN_PIN = '707172';

/** Focus a control by its accessible name and press a key on it, as a keyboard user does. */
async function press(page: Page, name: string | RegExp, key = 'Enter') {
  const b = page.getByRole('button', { name, exact: typeof name === 'string' });
  await b.focus();
  await b.press(key);
}

async function signInWindow(page: Page, url: string, name: string, pin: string) {
  await page.goto(url);
  await signIn(page, name, pin);
}

test('an admin edits, resets a PIN, deactivates and reactivates; a user changes their own PIN', async ({ page, web }) => {
  test.setTimeout(240_000);
  await setupStation(page, web);
  const clerkWin = await page.context().newPage();
  await signInWindow(clerkWin, web.url, NAMES.clerk, PINS.clerk);
  await expect(clerkWin.getByRole('navigation', { name: 'Main' })).not.toContainText('Audit log');

  await page.bringToFront();
  await page.keyboard.press('Alt+S');
  const people = page.getByRole('region', { name: 'People' });
  await expect(people.getByRole('cell', { name: NAMES.clerk, exact: true })).toBeVisible();

  await test.step('the admin renames the clerk and makes them a supervisor; their open window follows', async () => {
    await press(page, `Edit ${NAMES.clerk}`);
    const dialog = page.getByRole('dialog', { name: `Edit ${NAMES.clerk}` });
    await expect(dialog.getByRole('textbox', { name: 'Name' })).toBeFocused();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type(NEW_NAME);
    await page.keyboard.press('Tab');
    await expect(dialog.getByRole('combobox', { name: 'Role' })).toBeFocused();
    await dialog.getByRole('combobox', { name: 'Role' }).selectOption('supervisor');
    await shot(page, 'people-edit');
    await page.keyboard.press('Control+Enter');
    await expect(dialog).toHaveCount(0);
    await expect(people.getByRole('status')).toContainText(`${NEW_NAME} saved: Supervisor.`);
    const row = people.getByRole('row', { name: new RegExp(NEW_NAME) });
    await expect(row.getByRole('cell', { name: 'Supervisor' })).toBeVisible();
    // The focus is back on the row's Edit button.
    await expect(page.getByRole('button', { name: `Edit ${NEW_NAME}` })).toBeFocused();

    await expect(clerkWin.locator('.user-name')).toHaveText(NEW_NAME);
    await expect(clerkWin.locator('.topbar-user')).toContainText('Supervisor');
    await expect(clerkWin.getByRole('navigation', { name: 'Main' })).toContainText('Audit log');
  });

  await test.step('the last active admin cannot demote themselves', async () => {
    await press(page, `Edit ${NAMES.admin}`);
    const dialog = page.getByRole('dialog', { name: `Edit ${NAMES.admin}` });
    await dialog.getByRole('combobox', { name: 'Role' }).selectOption('clerk');
    await page.keyboard.press('Control+Enter');
    await expect(dialog.getByRole('alert')).toContainText('Keep at least one active admin');
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(people.getByRole('row', { name: new RegExp(NAMES.admin) }).getByRole('cell', { name: 'Admin', exact: true })).toBeVisible();
    // Nor set their own PIN without the current one: the row offers no "New PIN".
    await expect(page.getByRole('button', { name: `Set a new PIN for ${NAMES.admin}` })).toHaveCount(0);
  });

  await test.step('the admin sets a new PIN for the supervisor: it works at once, the old one does not', async () => {
    await press(page, `Set a new PIN for ${NAMES.supervisor}`);
    const dialog = page.getByRole('dialog', { name: `New PIN for ${NAMES.supervisor}` });
    await expect(dialog.getByLabel('New PIN (6+ digits)')).toBeFocused();
    await page.keyboard.type(SAM_RESET_PIN);
    await page.keyboard.press('Tab');
    await page.keyboard.type('000111'); // a slip: the two PINs differ
    await page.keyboard.press('Enter');
    await expect(dialog.getByRole('alert')).toContainText('The two PINs differ');
    await dialog.getByLabel('New PIN again').fill(SAM_RESET_PIN);
    await page.keyboard.press('Enter');
    await expect(dialog).toHaveCount(0);
    await expect(people.getByRole('status')).toContainText(`New PIN set for ${NAMES.supervisor}: it works now`);

    const other = await page.context().newPage();
    await other.goto(web.url);
    await expect(other.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    const users = await apiOk<{ id: string; name: string }[]>(other, 'session.users');
    const sam = users.find((u) => u.name === NAMES.supervisor)!;
    const old = await api(other, 'session.login', { userId: sam.id, pin: PINS.supervisor });
    expect(old.ok).toBe(false);
    await signIn(other, NAMES.supervisor, SAM_RESET_PIN);
    await other.close();
  });

  await test.step('the renamed user changes their own PIN, giving the current one first', async () => {
    await clerkWin.bringToFront();
    await press(clerkWin, 'Change PIN');
    const dialog = clerkWin.getByRole('dialog', { name: 'Change my PIN' });
    await expect(dialog.getByLabel('Current PIN')).toBeFocused();
    await clerkWin.keyboard.type('999999');
    await clerkWin.keyboard.press('Tab');
    await clerkWin.keyboard.type(CHRIS_OWN_PIN);
    await clerkWin.keyboard.press('Tab');
    await clerkWin.keyboard.type(CHRIS_OWN_PIN);
    await clerkWin.keyboard.press('Enter');
    await expect(dialog.getByRole('alert')).toContainText('Your current PIN is not right.');
    await dialog.getByLabel('Current PIN').fill(PINS.clerk);
    await clerkWin.keyboard.press('Control+Enter');
    await expect(dialog.getByRole('status')).toContainText('Your PIN is changed.');
    await shot(clerkWin, 'people-change-own-pin');
    await expect(dialog.getByRole('button', { name: 'Done' })).toBeFocused();
    await clerkWin.keyboard.press('Enter');
    await expect(dialog).toHaveCount(0);
    await expect(clerkWin.getByRole('button', { name: 'Change PIN' })).toBeFocused();
  });

  await test.step('the admin deactivates them: their window goes to sign-in, where they are no longer listed', async () => {
    await page.bringToFront();
    await press(page, `Deactivate ${NEW_NAME}`);
    const dialog = page.getByRole('dialog', { name: `Deactivate ${NEW_NAME}?` });
    await expect(dialog).toContainText('Their name stays on past payments and in the audit log');
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused(); // a destructive action starts on Cancel
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect(dialog).toHaveCount(0);
    await expect(people.getByRole('status')).toContainText(`${NEW_NAME} is deactivated and can no longer sign in.`);
    await expect(people.getByRole('row', { name: new RegExp(NEW_NAME) }).getByRole('cell', { name: 'Deactivated' })).toBeVisible();
    await shot(page, 'people-managed');

    await expect(clerkWin.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await expect(clerkWin.getByRole('button', { name: new RegExp(NAMES.supervisor) })).toBeVisible();
    await expect(clerkWin.getByRole('button', { name: new RegExp(NEW_NAME) })).toHaveCount(0);
    // Nor through the contract: their (new) PIN no longer signs in.
    const id = (await apiOk<{ id: string; name: string }[]>(page, 'users.list')).find((u) => u.name === NEW_NAME)!.id;
    const refused = await api(clerkWin, 'session.login', { userId: id, pin: CHRIS_OWN_PIN });
    expect(refused.ok ? 'ok' : refused.error.code).toBe('BAD_CREDENTIALS');
  });

  await test.step('the audit log says who changed what, in plain words, and holds no PIN', async () => {
    const entries = await apiOk<{ action: string; userName: string | null; detail: string; outcome: string }[]>(page, 'audit.list', {});
    const details = entries.filter((e) => e.action === 'user.update').map((e) => `${e.userName}: ${e.detail}`);
    expect(details).toEqual(
      expect.arrayContaining([
        `${NAMES.admin}: ${NAMES.clerk}: name "${NAMES.clerk}" → "${NEW_NAME}"; role clerk → supervisor`,
        `${NAMES.admin}: ${NAMES.supervisor}: PIN reset (lockout cleared)`,
        `${NAMES.admin}: ${NEW_NAME}: deactivated`,
      ]),
    );
    expect(entries.filter((e) => e.action === 'user.pin.change').map((e) => `${e.userName} ${e.outcome}`)).toEqual([`${NEW_NAME} success`, `${NEW_NAME} failure`]);
    const all = JSON.stringify(entries);
    for (const pin of [PINS.clerk, PINS.supervisor, SAM_RESET_PIN, CHRIS_OWN_PIN, '999999']) expect(all).not.toContain(pin);
  });

  await test.step('reactivated, they sign in again with the PIN they chose', async () => {
    await press(page, `Reactivate ${NEW_NAME}`);
    await page.getByRole('dialog', { name: `Reactivate ${NEW_NAME}?` }).getByRole('button', { name: 'Reactivate' }).press('Enter');
    await expect(people.getByRole('status')).toContainText(`${NEW_NAME} can sign in again.`);
    await clerkWin.bringToFront();
    await clerkWin.reload();
    await signIn(clerkWin, NEW_NAME, CHRIS_OWN_PIN);
    await expect(clerkWin.locator('.topbar-user')).toContainText('Supervisor');
  });

  await test.step('a lock closes an open Change PIN dialog: nothing of it shows over the lock screen', async () => {
    await press(clerkWin, 'Change PIN');
    const dialog = clerkWin.getByRole('dialog', { name: 'Change my PIN' });
    await clerkWin.keyboard.type(CHRIS_OWN_PIN);
    await clerkWin.keyboard.press('Alt+L');
    await expect(clerkWin.getByRole('dialog', { name: 'Locked' })).toBeVisible();
    await expect(dialog).toHaveCount(0);
    await clerkWin.keyboard.type(CHRIS_OWN_PIN);
    await clerkWin.keyboard.press('Enter');
    await expect(clerkWin.getByRole('dialog', { name: 'Locked' })).toHaveCount(0);
    await expect(dialog).toHaveCount(0);
  });
});
