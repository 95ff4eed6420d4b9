import { describe, expect, it } from 'vitest';
import { localeFromArgv, localeSwitch } from './api';

describe('the station locale handed to the unlock page', () => {
  it('goes through the renderer argv and comes back the same', () => {
    for (const locale of ['en-US', 'ar-KW', 'ar', 'en_GB']) {
      expect(localeFromArgv(['/usr/bin/electron', '--type=renderer', ...localeSwitch(locale)])).toBe(locale);
    }
  });

  it('is absent when main passed none, and refused when it is not a plain locale', () => {
    expect(localeFromArgv(['--type=renderer'])).toBeUndefined();
    expect(localeFromArgv(undefined)).toBeUndefined();
    expect(localeFromArgv(['--pos-station-locale=ar-KW;evil'])).toBeUndefined();
    expect(localeFromArgv(['--pos-station-locale='])).toBeUndefined();
    expect(localeSwitch('ar KW')).toEqual([]);
    expect(localeSwitch(null)).toEqual([]);
  });
});
