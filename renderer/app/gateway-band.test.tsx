import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { GatewayBand } from './TopBar';

/** Always visible where money goes: one band per environment, each unmistakable. */
function bandFor(environment: 'sandbox' | 'test' | 'production', account: string): string {
  return renderToStaticMarkup(<GatewayBand gateway={{ name: 'x', sandbox: environment === 'sandbox', environment, account, confirmation: true }} />);
}

describe('the gateway band', () => {
  it('SANDBOX, APS TEST and LIVE, each with its own label and class', () => {
    const sandbox = bandFor('sandbox', 'sandbox:SANDBOXMID');
    expect(sandbox).toContain('<strong>SANDBOX</strong>');
    expect(sandbox).toContain('no real money');
    const test = bandFor('test', 'test:SHOPTEST7');
    expect(test).toContain('<strong>APS TEST</strong>');
    expect(test).toContain('gateway-band-test');
    expect(test).toContain('SHOPTEST7');
    expect(test).not.toContain('SANDBOX');
    const live = bandFor('production', 'production:SHOPLIVE1');
    expect(live).toContain('<strong>LIVE</strong>');
    expect(live).toContain('gateway-band-live');
    expect(live).toContain('real cards, real money');
    expect(live).toContain('aria-label="Live: APS production"');
  });
});
