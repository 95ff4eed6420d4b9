import { beforeAll, describe, expect, it } from 'vitest';
import { useTestLanguage } from '../../i18n/test-i18n';
import { actionLabel, auditCsv, csvCell, csvFileName, detailText, displayRows, isFiltered, listInput, NO_FILTER, type AuditEntry } from './audit-data';

const entry = (seq: number, over: Partial<AuditEntry> = {}): AuditEntry => ({
  seq, at: `2026-03-10T10:00:0${seq % 10}.000Z`, userId: 'u1', userName: 'Sam Supervisor', action: 'session.login', target: 'u1',
  outcome: 'success', station: 'Desk 1', detail: 'web', hash: 'ab'.repeat(32), ...over,
});

beforeAll(() => useTestLanguage('en'));

describe('audit filters', () => {
  it('sends only what is set, trimmed', () => {
    expect(listInput(NO_FILTER, 100)).toEqual({ limit: 100 });
    expect(listInput({ action: 'session.login', userId: 'u1', outcome: 'failure', text: '  ref 9 ' }, 50, 12)).toEqual({
      limit: 50, beforeSeq: 12, action: 'session.login', userId: 'u1', outcome: 'failure', text: 'ref 9',
    });
    expect(isFiltered({ ...NO_FILTER, text: '   ' })).toBe(false);
    expect(isFiltered({ ...NO_FILTER, outcome: 'success' })).toBe(true);
  });

  it('names actions in words and keeps unknown ones as recorded', () => {
    expect(actionLabel('session.login')).toBe('Sign-in');
    expect(actionLabel('approval.granted')).toBe('Approval granted');
    expect(actionLabel('something.new')).toBe('something.new');
  });
});

describe('audit in plain words (issue #13 item 10)', () => {
  it('every action the core records has a label, not its raw name', () => {
    for (const a of ['confirmations.charge', 'confirmations.start', 'confirmations.outcome', 'gateway.offline', 'gateway.online', 'sync.needs_attention', 'sync.retry', 'sync.dismiss', 'recurring.charge', 'recurring.create', 'cards.deactivate']) {
      expect(actionLabel(a)).not.toBe(a);
    }
    expect(actionLabel('confirmations.charge')).toBe('Charge after email confirmation');
  });

  it('formats amounts recorded in minor units with their currency, and says the operation in words', () => {
    const N = '\u00a0';
    expect(detailText('purchase 4250 USD ref D1-7-P1 succeeded 14000 Success')).toBe(`Sale USD${N}42.50 ref D1-7-P1 succeeded 14000 Success`);
    expect(detailText('refund 1250 KWD approved by Sam')).toBe(`Refund KWD${N}1.250 approved by Sam`);
    expect(detailText('period 3 2450 JPY eci RECURRING: approved')).toBe(`period 3 JPY${N}2,450 eci RECURRING: approved`);
    // Not an amount: left as written.
    expect(detailText('web 12 ABC, 42.50 USD')).toBe('web 12 ABC, 42.50 USD');
  });
});

describe('audit CSV', () => {
  it('defuses formulas and quotes what needs quoting', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(7)).toBe('7');
  });

  it('one row per entry with a header, CRLF line ends', () => {
    const csv = auditCsv([entry(2, { userName: '=cmd|calc', detail: 'line\nbreak' }), entry(1, { userId: null, userName: null, target: null, outcome: 'failure' })]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('seq,time_utc,user,user_id,action,action_label,target,outcome,station,detail,hash');
    expect(lines[1]).toBe(`2,2026-03-10T10:00:02.000Z,'=cmd|calc,u1,session.login,Sign-in,u1,success,Desk 1,"line\nbreak",${'ab'.repeat(32)}`);
    expect(lines[2]).toBe(`1,2026-03-10T10:00:01.000Z,,,session.login,Sign-in,,failure,Desk 1,web,${'ab'.repeat(32)}`);
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('names the file after the station and the day', () => {
    expect(csvFileName('Front desk #1', new Date(2026, 2, 9), false)).toBe('audit-log-Front-desk-1-2026-03-09.csv');
    expect(csvFileName('***', new Date(2026, 2, 9), true)).toBe('audit-log-station-2026-03-09-filtered.csv');
  });
});

describe('pointing at a missing entry', () => {
  it('puts a marker in the gap, and nothing when the entry is there or outside what is loaded', () => {
    const rows = [entry(9), entry(8), entry(6), entry(5)];
    expect(displayRows(rows, 7).map((r) => (r.kind === 'entry' ? r.entry.seq : `missing ${r.seq}`))).toEqual([9, 8, 'missing 7', 6, 5]);
    expect(displayRows(rows, 8).every((r) => r.kind === 'entry')).toBe(true);
    expect(displayRows(rows, 2)).toHaveLength(4);
    expect(displayRows(rows, null)).toHaveLength(4);
  });
});

describe('audit in Arabic (issue #17)', () => {
  beforeAll(() => useTestLanguage('ar'));

  it('labels, outcome and the operation word of a detail in Arabic; amounts through fmtMoney', () => {
    expect(actionLabel('session.login')).toBe('تسجيل الدخول');
    expect(actionLabel('something.new')).toBe('something.new');
    expect(detailText('refund 1250 KWD approved by Sam')).toMatch(/^استرداد .*1\.250.* approved by Sam$/);
  });

  it('CSV: the header and action_label in Arabic; the codes, times and hashes exactly as recorded', () => {
    const lines = auditCsv([entry(1, { outcome: 'failure' })]).split('\r\n');
    expect(lines[0]).toBe('الرقم,الوقت_UTC,المستخدم,معرّف_المستخدم,الإجراء,وصف_الإجراء,الهدف,النتيجة,المحطة,التفاصيل,البصمة');
    expect(lines[1]).toBe(`1,2026-03-10T10:00:01.000Z,Sam Supervisor,u1,session.login,تسجيل الدخول,u1,failure,Desk 1,web,${'ab'.repeat(32)}`);
    expect(csvFileName('مكتب 1', new Date(2026, 2, 9), true)).toBe('سجل-التدقيق-مكتب-1-2026-03-09-مُصفّى.csv');
  });
});
