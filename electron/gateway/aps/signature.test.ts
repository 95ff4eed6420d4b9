import { describe, expect, it } from 'vitest';
import { sign, signatureString, verify } from './signature';

const worked = {
  command: 'PURCHASE',
  merchant_reference: 'Test010',
  amount: '1000',
  access_code: 'SILgpo7pWbmzuURp2qri',
  merchant_identifier: 'MxvOupuG',
  currency: 'USD',
  language: 'en',
  customer_email: 'test@gmail.com',
};

describe('APS signature', () => {
  it('matches the documented worked example (SHA-256)', () => {
    expect(signatureString(worked, 'PASS')).toBe(
      'PASSaccess_code=SILgpo7pWbmzuURp2qriamount=1000command=PURCHASEcurrency=USDcustomer_email=test@gmail.comlanguage=enmerchant_identifier=MxvOupuGmerchant_reference=Test010PASS',
    );
    expect(sign(worked, 'PASS', 'SHA-256')).toBe('94c38afc7bdae0114fc8c740edf12416f22998241ce4b4ea70d5521233a2c882');
    expect(verify({ ...worked, signature: '94C38AFC7BDAE0114FC8C740EDF12416F22998241CE4B4EA70D5521233A2C882' }, 'PASS', 'SHA-256')).toBe(true);
    expect(verify({ ...worked, amount: '1001', signature: '94c38afc7bdae0114fc8c740edf12416f22998241ce4b4ea70d5521233a2c882' }, 'PASS', 'SHA-256')).toBe(false);
  });
});
