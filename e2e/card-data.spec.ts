import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, NAMES, PINS, setupStation, switchUser, test } from './fixtures';
import { CARDS, chargeNow, enterNewCard, startOrder } from './desk';

const DIST = resolve(import.meta.dirname, '../dist/renderer');
const CARD = CARDS.visa;
const PAN_FORMS = [CARD.number, CARD.number.replace(/(\d{4})(?=\d)/g, '$1 '), CARD.number.replace(/(\d{4})(?=\d)/g, '$1-')];

function containsPan(text: string): string | null {
  return PAN_FORMS.find((p) => text.includes(p)) ?? null;
}

/** Any JSON value equal to the CVV, or any key that names a security code. */
function cvvIn(value: unknown, path = '$'): string | null {
  if (typeof value === 'string') return value === CARD.cvv ? path : null;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const hit = cvvIn(v, `${path}[${i}]`);
      if (hit) return hit;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (/cvv|cvc|security_code|card_number/i.test(k)) return `${path}.${k}`;
      const hit = cvvIn(v, `${path}.${k}`);
      if (hit) return hit;
    }
  }
  return null;
}

test('the page never sees the card number or the CVV', async ({ page, web }) => {
  const seen: { where: string; text: string }[] = [];
  const apiPayloads: { where: string; json: unknown }[] = [];
  // Calls travel over the call socket once it is open (electron/web/socket.ts): every frame both ways.
  let socketFrames = 0;
  page.on('websocket', (ws) => {
    const frame = (dir: string) => ({ payload }: { payload: string | Buffer }) => {
      socketFrames++;
      const text = typeof payload === 'string' ? payload : payload.toString('utf8');
      seen.push({ where: `socket ${dir} ${ws.url()}`, text: ws.url() + '\n' + text });
      try {
        apiPayloads.push({ where: `socket ${dir}`, json: JSON.parse(text) });
      } catch {
        seen.push({ where: 'unparsable socket frame', text });
      }
    };
    ws.on('framesent', frame('sent'));
    ws.on('framereceived', frame('received'));
  });
  page.on('request', (req) => {
    if (!req.url().startsWith(web.origin)) return;
    const body = req.postData() ?? '';
    seen.push({ where: `request ${req.method()} ${req.url()}`, text: req.url() + '\n' + JSON.stringify(req.headers()) + '\n' + body });
    if (req.url().includes('/api/call/') && body) {
      try {
        apiPayloads.push({ where: `request ${req.url()}`, json: JSON.parse(body) });
      } catch {
        seen.push({ where: 'unparsable api body', text: body });
      }
    }
  });
  page.on('response', async (res) => {
    if (!res.url().startsWith(web.origin)) return;
    if (res.request().resourceType() === 'eventsource') return;
    try {
      const text = await res.text();
      seen.push({ where: `response ${res.url()}`, text: res.url() + '\n' + JSON.stringify(res.headers()) + '\n' + text });
      if (res.url().includes('/api/call/')) apiPayloads.push({ where: `response ${res.url()}`, json: JSON.parse(text) });
    } catch {
      /* redirects and aborted loads have no body */
    }
  });

  // Signed in after the listeners are on, so the socket and every call are seen from the start.
  await setupStation(page, web);
  await switchUser(page, NAMES.clerk, PINS.clerk);
  await startOrder(page, { customer: { name: 'Olu Adeyemi' }, lines: [{ description: 'Hosted capture check', price: '15.00', tax: '0' }] });
  await enterNewCard(page, CARD);
  const result = await chargeNow(page);
  await expect(result).toHaveAttribute('data-outcome', 'approved');
  await page.waitForTimeout(500);

  // 1. Everything our origin sent or received.
  expect(seen.length).toBeGreaterThan(5);
  for (const s of seen) expect(containsPan(s.text), `card number in ${s.where}`).toBeNull();
  // 2. Every /api/call payload: no PAN, no CVV value, no card-number or security-code field.
  expect(apiPayloads.length).toBeGreaterThan(5);
  expect(socketFrames, 'calls seen on the call socket').toBeGreaterThan(5);
  for (const p of apiPayloads) {
    expect(containsPan(JSON.stringify(p.json)), `card number in ${p.where}`).toBeNull();
    expect(cvvIn(p.json), `CVV or card field in ${p.where}`).toBeNull();
  }
  // 3. The renderer's bundle files.
  for (const f of readdirSync(join(DIST, 'assets'))) {
    expect(containsPan(readFileSync(join(DIST, 'assets', f), 'utf8')), `card number in bundle ${f}`).toBeNull();
  }
  // 4. Storage of our origin: localStorage, sessionStorage, IndexedDB, cookies.
  const stored = await page.evaluate(async () => {
    const dump: Record<string, string> = {};
    for (let i = 0; i < localStorage.length; i++) dump[`local:${localStorage.key(i)}`] = localStorage.getItem(localStorage.key(i)!) ?? '';
    for (let i = 0; i < sessionStorage.length; i++) dump[`session:${sessionStorage.key(i)}`] = sessionStorage.getItem(sessionStorage.key(i)!) ?? '';
    dump.cookie = document.cookie;
    const dbs = (await indexedDB.databases?.()) ?? [];
    dump.indexedDB = JSON.stringify(dbs);
    for (const info of dbs) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((ok, fail) => {
        const r = indexedDB.open(info.name!);
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      for (const store of Array.from(db.objectStoreNames)) {
        const all = await new Promise<unknown[]>((ok) => {
          const r = db.transaction(store).objectStore(store).getAll();
          r.onsuccess = () => ok(r.result);
          r.onerror = () => ok([]);
        });
        dump[`idb:${info.name}/${store}`] = JSON.stringify(all);
      }
      db.close();
    }
    return dump;
  });
  for (const [k, v] of Object.entries(stored)) {
    expect(containsPan(v), `card number in ${k}`).toBeNull();
    expect(v === CARD.cvv, `CVV in ${k}`).toBe(false);
  }
  const cookies = await page.context().cookies(web.origin);
  for (const c of cookies) expect(containsPan(c.value), `card number in cookie ${c.name}`).toBeNull();
  // 5. Our own document (outside the card frame) never holds the number either.
  expect(containsPan(await page.content())).toBeNull();
});
