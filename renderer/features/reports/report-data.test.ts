import { beforeAll, describe, expect, it } from 'vitest';
import { useTestLanguage } from '../../i18n/test-i18n';
import type { EndOfDayReport } from '../../../shared/contract/reports';
import { csvFileName, dayInput, offsetLabel, reportCsv, shiftDate } from './report-data';

const tally = (count: number, amount: number) => ({ count, amount });
const zero = tally(0, 0);

const report: EndOfDayReport = {
  station: 'Desk 1',
  date: '2026-03-10',
  utcOffsetMinutes: 0,
  endUtcOffsetMinutes: 0,
  from: '2026-03-10T00:00:00.000Z',
  to: '2026-03-11T00:00:00.000Z',
  generatedAt: '2026-03-10T18:00:00.000Z',
  operationCount: 3,
  byCurrency: [
    { currency: 'KWD', sales: zero, authorizations: zero, captures: zero, voids: zero, refunds: zero, cashSales: tally(1, 1_250), cashRefunds: zero, taken: tally(1, 1_250), refunded: zero, net: 1_250 },
    { currency: 'USD', sales: tally(1, 10_000), authorizations: zero, captures: zero, voids: zero, refunds: tally(1, 12_000), cashSales: zero, cashRefunds: zero, taken: tally(1, 10_000), refunded: tally(1, 12_000), net: -2_000 },
  ],
  byBrand: [],
  byUser: [{ key: 'u1', label: '=SUM(A1), "boss"', currency: 'USD', operations: 2, taken: tally(1, 10_000), refunded: tally(1, 12_000), net: -2_000 }],
  byChannel: [],
  drawer: [{ currency: 'KWD', cashIn: tally(1, 1_250), cashOut: zero, expected: 1_250 }],
  open: [],
  repairs: [],
};

describe('CSV export', () => {
  beforeAll(() => useTestLanguage('en'));

  it('has one row per figure with exact decimal amounts per currency, and defuses formulas', () => {
    const csv = reportCsv(report);
    const rows = csv.trimEnd().split('\r\n');
    expect(rows[0]).toBe('section,key,currency,count,amount');
    expect(rows).toContain('operations,cash_sales,KWD,1,1.250');
    expect(rows).toContain('operations,net,USD,2,-20.00');
    expect(rows).toContain('drawer,expected,KWD,1,1.250');
    expect(rows).toContain(`user,"'=SUM(A1), ""boss"" net",USD,2,-20.00`);
    // 10 figures per currency, 3 per user row, 3 per drawer.
    expect(rows).toHaveLength(1 + 2 * 10 + 3 + 3);
    expect(csvFileName(report)).toBe('end-of-day-Desk-1-2026-03-10.csv');
  });

  it('the whole shop\'s report: station rows after the totals, and its own file name', () => {
    const shop: EndOfDayReport = {
      ...report,
      scope: 'shop',
      byStation: [
        { key: 'st_a', label: 'Desk 1', currency: 'USD', operations: 1, taken: tally(1, 10_000), refunded: zero, net: 10_000 },
        { key: 'st_b', label: 'Desk 2', currency: 'USD', operations: 1, taken: zero, refunded: tally(1, 12_000), net: -12_000 },
      ],
      stations: [],
    };
    const rows = reportCsv(shop).trimEnd().split('\r\n');
    expect(rows).toContain('station,Desk 1 net,USD,1,100.00');
    expect(rows).toContain('station,Desk 2 refunded,USD,1,120.00');
    expect(rows).toHaveLength(1 + 2 * 10 + 2 * 3 + 3 + 3);
    expect(rows.findIndex((r) => r.startsWith('station,'))).toBeLessThan(rows.findIndex((r) => r.startsWith('user,')));
    // A station's own report has no station rows.
    expect(reportCsv(report)).not.toContain('station,');
    expect(csvFileName(shop)).toBe('end-of-day-whole-shop-2026-03-10.csv');
  });
});

describe('station-local day', () => {
  it('shifts dates across months and gives offsets', () => {
    expect(shiftDate('2026-03-01', -1)).toBe('2026-02-28');
    expect(shiftDate('2026-12-31', 1)).toBe('2027-01-01');
    expect(offsetLabel(330)).toBe('UTC+05:30');
    expect(offsetLabel(-300)).toBe('UTC\u221205:00');
    const d = dayInput('2026-03-10');
    expect(d.date).toBe('2026-03-10');
    expect(Number.isInteger(d.utcOffsetMinutes) && Number.isInteger(d.endUtcOffsetMinutes)).toBe(true);
  });
});

describe('CSV export in Arabic (issue #17)', () => {
  beforeAll(() => useTestLanguage('ar'));

  it('headers in Arabic; the values stay machine-readable and exact; the file name in Arabic', () => {
    const rows = reportCsv(report).trimEnd().split('\r\n');
    expect(rows[0]).toBe('القسم,البند,العملة,العدد,المبلغ');
    expect(rows).toContain('operations,cash_sales,KWD,1,1.250');
    expect(rows).toContain('operations,net,USD,2,-20.00');
    expect(csvFileName(report)).toBe('نهاية-اليوم-Desk-1-2026-03-10.csv');
    expect(csvFileName({ ...report, station: 'مكتب ١' })).toBe('نهاية-اليوم-مكتب-١-2026-03-10.csv');
    expect(csvFileName({ ...report, scope: 'shop' })).toBe('نهاية-اليوم-المتجر-كله-2026-03-10.csv');
  });

  it('an Arabic station name no longer becomes "station" in English either', async () => {
    await useTestLanguage('en');
    expect(csvFileName({ ...report, station: 'مكتب الكويت' })).toBe('end-of-day-مكتب-الكويت-2026-03-10.csv');
    expect(csvFileName({ ...report, station: '***' })).toBe('end-of-day-station-2026-03-10.csv');
  });
});
