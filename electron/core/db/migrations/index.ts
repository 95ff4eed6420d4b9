import { PEOPLE } from './001-people';
import { PAYMENTS } from './002-payments';
import { DAY_CLOSE } from './003-day-close';
import { CONFIRMATIONS } from './004-confirmations';
import { RECURRING } from './005-recurring';
import { OPERATIONS_WITHOUT_ROWID } from './006-operations-without-rowid';
import { OPERATIONS_WAITING_INDEX } from './007-operations-waiting-index';
import { GATEWAY_ACCOUNTS } from './008-gateway-accounts';
import { OPERATION_STATE_GUARD } from './009-operation-state-guard';
import { LANGUAGE } from './010-language';
import { SHOP_OUTBOX } from './011-shop-outbox';
import { PAYMENT_LINKS } from './012-payment-links';
import { CATALOG } from './013-catalog';
import { BILL_RUNS } from './014-bill-runs';
import { SPLIT_TENDER } from './015-split-tender';
import { SENTENCE_KEYS } from './016-sentence-keys';
import { BULK_ATTENTION } from './017-bulk-attention';
import { TRANSACTIONS_TEXT_SEARCH } from './018-transactions-text-search';
import { SHOP_SETTINGS } from './019-shop-settings';
import { SHOP_SERVER_CA } from './020-shop-server-ca';
import { SHOP_LEAVE } from './021-shop-leave';
import { PAYMENTS_LAST4_INDEX } from './022-payments-last4-index';

import type { Migration } from './migration';

export type { Migration };

/** Append only: never edit or reorder a migration that has shipped. */
export const MIGRATIONS: readonly Migration[] = [PEOPLE, PAYMENTS, DAY_CLOSE, CONFIRMATIONS, RECURRING, OPERATIONS_WITHOUT_ROWID, OPERATIONS_WAITING_INDEX, GATEWAY_ACCOUNTS, OPERATION_STATE_GUARD, LANGUAGE, SHOP_OUTBOX, PAYMENT_LINKS, CATALOG, BILL_RUNS, SPLIT_TENDER, SENTENCE_KEYS, BULK_ATTENTION, TRANSACTIONS_TEXT_SEARCH, SHOP_SETTINGS, SHOP_SERVER_CA, SHOP_LEAVE, PAYMENTS_LAST4_INDEX];
