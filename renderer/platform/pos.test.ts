import { describe, expect, it, vi } from 'vitest';
import type { Transport } from '../../shared/contract';
import { webPosApi } from './pos';

function fakeTransport() {
  const calls: [string, unknown][] = [];
  const off = () => {};
  const transport: Transport = {
    call: (channel, input) => {
      calls.push([channel, input]);
      return Promise.resolve({ ok: true, value: channel });
    },
    on: vi.fn(() => off),
  };
  return { transport, calls, off };
}

describe("web mode's window.pos without the channel list", () => {
  it('sends pos.<area>.<action>(input) as channel "<area>.<action>", {} for no input', async () => {
    const { transport, calls } = fakeTransport();
    const pos = webPosApi(transport);
    await expect(pos.payments.capture({ paymentId: 'p1', amount: 100 })).resolves.toEqual({ ok: true, value: 'payments.capture' });
    await pos.session.status(undefined as never);
    expect(calls).toEqual([
      ['payments.capture', { paymentId: 'p1', amount: 100 }],
      ['session.status', {}],
    ]);
  });

  it('hands event listeners to the transport', () => {
    const { transport, off } = fakeTransport();
    const pos = webPosApi(transport);
    const listener = () => {};
    expect(pos.on('sync.changed', listener)).toBe(off);
    expect(transport.on).toHaveBeenCalledWith('sync.changed', listener);
  });

  it('is not a thenable (awaiting it, or an area, sends nothing)', async () => {
    const { transport, calls } = fakeTransport();
    const pos = webPosApi(transport);
    expect(await Promise.resolve(pos)).toBe(pos);
    const area = pos.payments;
    expect(await Promise.resolve(area)).toBe(area);
    expect(calls).toEqual([]);
  });
});
