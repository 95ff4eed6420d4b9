import type { Migration } from './migration';

// Owned by the shop feature (docs/stations.md, "TLS"): the certificate of the shop's own CA, for
// verify-full against a server whose certificate that CA signed (PEM, public: not a secret, but
// kept with the rest of the connection in the encrypted ledger).
export const SHOP_SERVER_CA: Migration = {
  name: 'shop-server-ca',
  up: `
    ALTER TABLE shop_connection ADD COLUMN ca_pem TEXT;
  `,
};
