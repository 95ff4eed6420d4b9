import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../lib/api', () => ({ call: vi.fn(), subscribe: vi.fn(() => () => undefined) }));

const { useOrder } = await import('./order-store');
type Result = NonNullable<ReturnType<typeof useOrder.getState>['result']>;
type Confirmation = NonNullable<ReturnType<typeof useOrder.getState>['confirmation']>;

const customer = (id: string) => ({ id, name: id, email: '', phone: '', language: null, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' });
const card = { handle: 'hc_1', brand: 'VISA', last4: '0001', expiry: '3012', holderName: 'A' };
const result = (outcome: Result['outcome']) => ({ outcome, resolving: outcome === 'unknown', checks: 0 }) as unknown as Result;

beforeEach(() => useOrder.getState().reset());

describe('F2: a fresh order unless one is in progress', () => {
  it('drops a finished charge (approved, declined, queued) and a followed confirmation', () => {
    for (const outcome of ['approved', 'declined', 'queued'] as const) {
      useOrder.setState({ result: result(outcome) });
      useOrder.getState().startFresh();
      expect(useOrder.getState().result).toBeNull();
    }
    useOrder.setState({ confirmation: { id: 'c1', state: 'processing' } as unknown as Confirmation });
    useOrder.getState().startFresh();
    expect(useOrder.getState().confirmation).toBeNull();
  });

  it('keeps an outcome still being asked of the bank, and an unfinished draft', () => {
    useOrder.setState({ result: result('unknown') });
    useOrder.getState().startFresh();
    expect(useOrder.getState().result?.outcome).toBe('unknown');
    useOrder.getState().reset();
    useOrder.getState().updateLine(useOrder.getState().lines[0]!.key, { description: 'Half-keyed' });
    useOrder.getState().startFresh();
    expect(useOrder.getState().lines[0]!.description).toBe('Half-keyed');
  });
});

describe('switching customers on the order', () => {
  it('a card taken while one known customer was on the line is not carried to another', () => {
    useOrder.getState().setCustomer({ kind: 'existing', customer: customer('alice'), cards: [] });
    useOrder.getState().set({ hostedCard: card });
    useOrder.getState().setCustomer({ kind: 'existing', customer: customer('bob'), cards: [] });
    expect(useOrder.getState().hostedCard).toBeNull();
  });

  it('a card taken before choosing the customer stays (a walk-in becoming a known customer)', () => {
    useOrder.getState().set({ hostedCard: card });
    useOrder.getState().setCustomer({ kind: 'existing', customer: customer('alice'), cards: [] });
    expect(useOrder.getState().hostedCard).toEqual(card);
  });
});

describe('order lines typed by an Arabic desk, and corrected after a refused submit', () => {
  it('a quantity in Arabic-Indic digits counts, and a scan adds one more to it', async () => {
    const { parseQuantity } = await import('./draft');
    expect(parseQuantity('٢')).toBe(2);
    expect(parseQuantity(' ١٢ ')).toBe(12);
    expect(parseQuantity('۳')).toBe(3);
    expect(parseQuantity('-1')).toBeNull();
    expect(parseQuantity('1.5')).toBeNull();
    const key = useOrder.getState().lines[0]!.key;
    useOrder.getState().updateLine(key, { description: 'Kettle', quantity: '٢', unitPrice: '1.250', taxRate: '٥' });
    const product = { id: 'p1', sku: 'K1', name: 'Kettle', price: 1250, currency: 'KWD', taxRateBp: 500, barcodes: [], active: true, updatedAt: '2026-01-01T00:00:00.000Z' } as unknown as Parameters<ReturnType<typeof useOrder.getState>['addProduct']>[0];
    useOrder.getState().fillLine(key, product);
    useOrder.getState().updateLine(key, { quantity: '٢' });
    useOrder.getState().addProduct(product);
    expect(useOrder.getState().lines.filter((l) => l.description).length).toBe(1);
    expect(useOrder.getState().lines[0]!.quantity).toBe('3');
  });

  it("a field typed again loses the submit's error for it; the other fields keep theirs", () => {
    const key = useOrder.getState().lines[0]!.key;
    useOrder.setState({ errors: { 'lines.0.quantity': 'A whole number', 'lines.0.unitPrice': 'Not an amount', customer: 'Choose' } });
    useOrder.getState().updateLine(key, { quantity: '2' });
    expect(useOrder.getState().errors).toEqual({ 'lines.0.unitPrice': 'Not an amount', customer: 'Choose' });
  });

  it('removing a line drops the line errors (they name lines by position)', () => {
    const first = useOrder.getState().lines[0]!.key;
    useOrder.getState().addLine();
    useOrder.setState({ errors: { 'lines.1.quantity': 'A whole number', customer: 'Choose' } });
    useOrder.getState().removeLine(first);
    expect(useOrder.getState().errors).toEqual({ customer: 'Choose' });
  });
});
