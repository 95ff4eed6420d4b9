import { formatMoney, isCurrencyCode, money } from '../money';

/**
 * Sentences the core writes for a person (a refusal, why an action is not offered, a charge's
 * outcome): one stable key each, with its English as the fallback for logs and old screens. The
 * screen translates the key (catalogue `core`, renderer/i18n/locales/<lang>/core.json; the check in
 * scripts/i18n-catalogue.test.ts holds en/core.json equal to this list and every key in every
 * language). Values go in as params and are formatted by the screen in the user's digits:
 * numbers, amounts ({ amount, currency }), times (`{{at, datetime}}`), and the bank's answer
 * ({ responseCode, message }: its APS message code is translated, its raw text only a fallback).
 */
export const CORE_MESSAGES = {
  // shared/domain/payment-state.ts: why an action is not possible
  'rule.cashNoStatus': 'Cash payments have no gateway status.',
  'rule.outcomeUnknown': 'The outcome is not known yet: check status first.',
  'rule.declined': 'The payment was declined.',
  'rule.voided': 'The authorization was voided.',
  'rule.cashNoCapture': 'Cash is taken in full at the counter.',
  'rule.allCaptured': 'Everything authorized has been captured.',
  'rule.expiredNoCapture': 'The authorization expired ({{days}} days); the bank has released the funds.',
  'rule.refundedNoCapture': 'A refund was made; no further capture.',
  'rule.cashNoVoid': 'Cash is refunded, not voided.',
  'rule.capturedNoVoid': 'Money was captured: refund it instead.',
  'rule.expiredNoVoid': 'The authorization already expired.',
  'rule.nothingCapturedExpired': 'Nothing was captured and the authorization expired: the bank has released the funds.',
  'rule.nothingCaptured': 'Nothing was captured: void the authorization instead.',
  'rule.allRefunded': 'Everything captured has been refunded.',
  'rule.amountNotPositive': 'The amount must be more than zero.',
  'rule.overAuthorized': 'The amount is more than what remains authorized.',
  'rule.overCaptured': 'The amount is more than what remains to refund.',
  'rule.notApprovedYet': 'The gateway has not approved this payment yet.',

  // a charge's or an operation's outcome
  'outcome.approved': 'Approved.',
  'outcome.done': 'Done.',
  'outcome.chargeDeclined': 'Declined: {{bank}}',
  'outcome.opRefused': 'Refused by the gateway: {{bank}}',
  'outcome.chargeUnknown': 'The gateway did not give a definite answer. The payment is being checked; do not charge again.',
  'outcome.opUnknown': 'The gateway did not give a definite answer; the operation is being checked. Do not repeat it.',
  'outcome.chargeQueued': 'Queued, not yet approved by the bank. It is sent once, automatically, when the gateway is back.',
  'outcome.opQueued': 'The gateway could not be reached: queued. It is sent once, automatically, when the station is back online.',
  'outcome.cashReceived': 'Cash received.',
  'outcome.cashRefunded': 'Cash refund recorded.',
  'outcome.stillUnresolved': 'An operation is still unresolved; try again shortly.',
  'outcome.statusNoAnswer': 'The gateway did not answer the status check. Nothing was changed.',
  'outcome.totalsAgree': 'The local totals agree with the gateway.',
  'outcome.repaired': 'Repaired from the gateway: the totals now match it.',

  // what an operation's row says (written into the ledger in English; read back as keys, operationText)
  'note.bank': '{{bank}}',
  'note.cashReceived': 'Cash received',
  'note.cashPaidBack': 'Cash paid back',
  'note.waitingGateway': 'Waiting for the gateway: not yet approved by the bank.',
  'note.checkingReference': 'The gateway already has this reference: checking what it did.',
  'note.declinedByCheck': 'Declined (confirmed by check status).',
  'note.paidByLink': 'Paid by the customer through the payment link',
  // what a payment link's panel says (links/service.ts; read back by linkText)
  'link.noAnswerChecking': 'No answer from the gateway ({{reason}}); checking.',
  'link.neverMade': 'The gateway never made this link.',
  'link.paidReading': 'Paid at the gateway; the payment is being read.',
  // technical notes the payment runner writes (payments/executor.ts), read back by pattern (TECHNICAL_NOTES)
  'note.confirmedByCheck': 'Confirmed by check status.',
  'note.notSentQueued': 'Not sent: the gateway could not be reached ({{detail}}). Queued.',
  'note.unexpectedError': 'Unexpected error: {{detail}}',
  'note.refusedBeforeSending': 'Refused before sending: {{detail}}',
  'note.checkRefused': 'Outcome still unknown: check status refused ({{code}}).',
  'note.checkUnanswered': 'Outcome still unknown: check status unanswered ({{reason}}).',
  'note.mayStillLand': 'Not applied at the gateway yet; the last attempt could still land until {{at, datetime}}, then it is sent again.',
  'note.stillProcessing': 'The gateway is still processing (status {{status}}).',
  'note.noDefiniteAnswer': 'No definite answer ({{reason}}): {{detail}}',

  // refusals the core throws (ContractError)
  'refuse.orderCancelled': 'The order was cancelled.',
  'refuse.orderHasPayment': 'This order already has a payment: capture, void or refund it instead.',
  'refuse.orderPaymentVoidInstead': 'The order has a payment: void or refund it instead.',
  'refuse.orderAlreadyPaid': 'This order is already paid or authorized.',
  'refuse.orderTotalZero': 'The order total is zero: there is nothing to pay.',
  'refuse.orderTotalNotPositive': 'The order total must be more than zero.',
  'refuse.orderTotalTooLarge': 'The order total is larger than the gateway accepts.',
  'refuse.customerOrNew': 'Choose an existing customer or a new one, not both.',
  'refuse.badOrderReference': 'Not a valid order reference.',
  'refuse.orderReferenceExists': 'An order with this reference exists already.',
  'refuse.cardOtherCustomer': 'This card on file belongs to another customer.',
  'refuse.saveNeedsCustomer': 'Choose a customer to keep the card on file for.',
  'refuse.cashShort': 'The cash tendered is less than the total.',
  'refuse.offlineNewCard': 'The gateway cannot be reached: a new card cannot be taken while offline. Use a card on file or cash, or keep the order awaiting payment.',
  'refuse.offlineChargesOff': 'The gateway cannot be reached and offline charges are off. Keep the order awaiting payment, take cash, or try again when the station is online.',
  'refuse.handleUsed': 'This card handle was already used: take the card again.',
  'refuse.handleFailed': 'The card page did not return a card: take the card again.',
  'refuse.handleNotReady': 'The card page has not returned a card yet.',
  'refuse.handleExpired': 'This card handle expired ({{minutes}} minutes): take the card again.',
  'refuse.handleRace': 'This card handle was used at the same time by another charge.',
  'refuse.cardDeactivateDeclined': 'The gateway refused to deactivate the card ({{bank}}); it is still active.',
  'refuse.cardDeactivateNoAnswer': 'The gateway did not answer; the card is still active. Try again.',
  'refuse.expiryDeclined': 'The gateway refused the new expiry ({{bank}}); nothing changed.',
  'refuse.expiryNoAnswer': 'The gateway did not answer; the expiry date was not changed. Try again.',
  'refuse.offlineCurrency': 'Offline charges are only taken in {{currency}}.',
  'refuse.offlinePerCharge': 'Above the offline limit per charge ({{limit}}). Keep the order awaiting payment until the station is online.',
  'refuse.offlineCount': 'Already {{n}} offline charges waiting (limit {{limit}}). Keep the order awaiting payment.',
  'refuse.offlineTotal': 'Offline charges waiting would exceed the total limit ({{limit}}). Keep the order awaiting payment.',
  'refuse.offlineAge': 'An offline charge has waited more than {{hours}} hours: no more offline charges until the station is back online.',
  'refuse.queueDeclinedCharge': 'The bank declined this charge: it cannot be sent again. Take a new payment for the order, then dismiss this one.',
  'refuse.queueNotWaiting': 'This operation is no longer waiting for attention.',
  'refuse.alreadySetUp': 'This station is already set up: sign in instead.',
  'refuse.ownPin': 'To change your own PIN use "Change my PIN": it asks for your current PIN.',
  'refuse.lastAdmin': 'Keep at least one active admin: make someone else admin first.',
  'refuse.scheduleNotActive': 'Only an active schedule can be paused.',
  'refuse.scheduleNotPaused': 'Only a paused schedule can be resumed.',
  'refuse.scheduleNotChangeable': 'Only an active or paused schedule can be changed.',
  'refuse.scheduleCancelled': 'The schedule was cancelled.',
  'refuse.scheduleTooManyFallen': 'More than {{n}} periods fell due since this schedule last charged: cancel it and set up a new one.',
  'refuse.scheduleAllFallen': 'Every charge of this schedule has fallen due: there is nothing left to change.',
  'refuse.periodRunning': 'This period is being charged; wait for its outcome.',
  'refuse.periodCharged': 'This period was already charged.',
  'refuse.periodNotRunnable': 'Only a missed period or one that needs attention can be run.',
  'refuse.periodRunningNoSkip': 'This period is being charged; it cannot be skipped now.',
  'refuse.periodNotSkippable': 'This period cannot be skipped.',
  'refuse.recurringBothEnds': 'Give an end date or a number of charges, not both.',
  'refuse.recurringAmountTooLarge': 'The amount is larger than the gateway accepts.',
  'refuse.recurringStartPast': 'The start date is in the past.',
  'refuse.recurringStartFar': 'Start within a year from today.',
  'refuse.recurringEndBeforeStart': 'The end date is before the first charge.',
  'refuse.recurringNextPast': 'The next charge date is in the past.',
  'refuse.recurringNextFar': 'Set the next charge within a year from today.',
  'refuse.recurringNextAt': 'The next charge ({{at, datetime}}) is in the past: choose the date of the next charge.',
  'refuse.recurringNextAfterPeriod': 'The next charge must fall after period {{period}} (due {{at, datetime}}).',
  'refuse.recurringNextAfterEnd': "The next charge would fall after the schedule's end ({{at, datetime}}).",
  'refuse.confirmationOpen': 'A confirmation was already emailed for this order ({{email}}); wait for its answer.',
  'refuse.confirmationNeedsCustomer': 'Choose a customer: the confirmation is emailed to them.',
  'refuse.confirmationNoEmail': 'The customer has no email address: add one to send the confirmation.',
  'refuse.linkOpen': 'A payment link was already sent for this order ({{email}}): resend, extend or cancel it instead.',
  'refuse.linkJustSent': 'A payment link was just sent for this order.',
  'refuse.linkOffline': 'The gateway is offline: a payment link cannot be sent or changed now. Take the card over the phone, or keep the order awaiting payment and send the link later.',
  'refuse.linkUnsupported': 'This gateway account does not offer payment links: choose another way to pay.',
  'refuse.linkNeedsPhone': "Enter the customer's mobile number to send the link by SMS.",
  'refuse.linkPaid': 'The customer has already paid this link.',
  'refuse.linkNotOpen': 'This link is no longer open: it cannot be changed.',
  'refuse.linkOtherOpen': 'Another link of this order is open.',
  'refuse.linkDeclined': 'The gateway did not make the link: {{bank}}',
  'refuse.linkRefused': 'The gateway refused: {{bank}}',
  'refuse.linkNoAnswer': 'No answer from the gateway; the link was read again, try once more.',
  'refuse.bulkNoRows': 'The file has no rows.',
  'refuse.bulkTooManyRows': 'At most {{n}} rows per run.',
  'refuse.bulkFinished': 'This run is finished or cancelled.',
  'refuse.accountCurrency': '{{account}} accepts {{currencies}}, not {{currency}}.',
  'refuse.accountGone': 'This was made on {{account}}, which is no longer configured on this station: nothing was sent (never to another account). Configure that account again in Settings → Gateway, or handle it in the APS back office.',
  'refuse.cardOtherAccount': 'This card was saved on {{saved}}: it is not usable on {{active}}. Take the card again.',
  'refuse.cardOtherAccountConfirm': 'This card was saved on {{saved}}: it is not usable on {{active}}.',
  'refuse.cardTakenBeforeSwitch': 'This card was taken on {{account}} before the station switched: take the card again.',
  'refuse.noConfirmationService': 'No email confirmation service is set up for {{account}}: choose another way to pay.',
  'refuse.skuUsed': 'SKU {{sku}} is already used by {{name}}.',
  'refuse.barcodeUsed': 'Barcode {{barcode}} is already on {{name}}.',
  'refuse.orderRefundTooMuch': 'The amount is more than what remains to refund ({{most}}).',
  'refuse.shopUnreachable': 'The shop server at {{target}} cannot be reached: {{detail}}',
  'refuse.shopRefused': 'The shop server at {{target}} refused this station: {{detail}}',
  'refuse.shopCertificate': "The shop server at {{target}} could not be verified with the shop's CA certificate set here: {{detail}}",
  'refuse.shopNotJoined': 'This station is not in a shop.',
  'refuse.shopLeaveUnreachable': 'The shop server at {{target}} cannot be reached: a station leaves the shop only after sending it everything it recorded. Try again when it is back.',
  'refuse.shopLeaveWaiting': 'Some changes of this station could not be sent to the shop server yet ({{count}}): try again in a moment.',
  'refuse.shopLeaveInFlight': "Another desk has work in flight that this station holds ({{count}} records): leave once it has settled.",
  'refuse.shopLeaveLeased': "Another desk is working on this station's payments right now ({{count}}): try again in a minute.",
  'refuse.shopCertificateNoCa': "The shop server at {{target}} could not be verified: {{detail}}. If the shop has its own CA, paste its certificate in CA certificate",
  'refuse.linkOtherDesk': 'This link was sent at another desk: resend, cancel or extend it there.',
  'refuse.dayNotClosed': '{{date}} has not been closed.',
  'refuse.cardDeactivated': 'This card on file was deactivated.',
  'refuse.cardExpiredUpdate': 'This card on file has expired: update its expiry date or take a new card.',
  'refuse.expiryPast': 'That expiry date is in the past.',
  'refuse.approvalRequired': 'This refund needs a supervisor to approve it with their PIN.',
  'refuse.ledgerDamaged': 'The ledger file is damaged (its integrity check failed): this station changes nothing and moves no money until it is repaired. Lists and reports can still be read and exported.',

  // a gateway account named inside a sentence (gateway-accounts/model.ts describeAccount)
  'account.sandbox': 'the embedded sandbox',
  'account.test': 'APS test account {{mid}}',
  'account.production': 'APS production (live) account {{mid}}',
  'account.other': 'gateway account {{account}}',

  // why a queued operation needs a person, and what to do (sync/rules.ts; stored with the operation)
  'attention.closedMeanwhile': 'The payment was closed meanwhile: dismiss this charge.',
  'attention.cardUnusable': '{{why}} Ask the customer for another card, then dismiss this charge.',
  'attention.offlineTooOld': 'Waited longer than the {{hours}}-hour offline limit: confirm with the customer, then retry to send it or dismiss it.',
  'attention.neverForwarded': 'This operation is never forwarded: dismiss it.',
  'attention.voidExpired': 'Authorization expired: the bank has released the funds, nothing is left to void. Dismiss it.',
  'attention.authExpired': 'Authorization expired: take a new payment.',
  'attention.refundAboveCaptured': 'Refund now above what remains captured ({{rest}} left): dismiss it, or refund at most what remains.',
  'attention.captureAboveAuthorized': 'Capture now above what remains authorized ({{rest}} left): dismiss it, or capture what remains.',
  'attention.capturedNoVoid': 'Money was captured meanwhile, so it cannot be voided: dismiss it and refund instead.',
  'attention.ruleNoLonger': '{{rule}} Dismiss it, or retry once the payment allows it.',
  'attention.voidExpiredBank': 'Authorization expired ({{bank}}): the bank has released the funds. Dismiss it.',
  'attention.authExpiredBank': 'Authorization expired ({{bank}}): take a new payment.',
  'attention.cardInactive': 'The card on file is inactive at the gateway ({{bank}}): ask the customer for another card, then dismiss.',
  'attention.chargeDeclined': 'Declined by the bank ({{bank}}): ask the customer for another card or cash, then dismiss.',
  'attention.refundAboveGateway': 'Refund above what the gateway shows as captured ({{bank}}): check status, then dismiss or refund less.',
  'attention.captureAboveGateway': 'Capture above what the gateway shows as authorized ({{bank}}): check status, then dismiss or capture less.',
  'attention.refused': 'Refused by the gateway ({{bank}}): check the payment, then retry or dismiss.',
  'attention.dismissed': 'Dismissed by {{name}}: not sent to the gateway again.',
  'attention.retried': 'Retried by {{name}}.',

  // a bulk row's result (bulk/service.ts; stored with the row)
  'bulk.needsAttention': 'Needs attention: {{why}}',
  'bulk.refusedAtSend': 'Needs attention: refused before sending ({{why}}) {{next}}',
  'bulk.refusedNextChargeOrder': 'Ask the customer for another card and charge order {{reference}} by hand (or cancel that order), then dismiss.',
  'bulk.refusedNextCharge': 'Ask the customer for another card and charge them by hand (or cancel the charge), then dismiss.',
  'bulk.dismissedRow': 'Dismissed by {{name}}: not sent. {{why}}',
  'bulk.refusedNextPayment': 'The payment changed after the preview: open it, do by hand what is still needed, then dismiss.',
  'bulk.declined': 'Declined.',
  'bulk.cancelledBeforeSent': 'Cancelled before it was sent.',
  // a bulk row refused by the preview's checks (bulk/service.ts, bulk/bill-run.ts), and a bill-run row's note
  'bulk.checkNoReference': 'No reference.',
  'bulk.checkNoPayment': 'No such payment on this station.',
  'bulk.checkCash': 'Cash payments are not sent to the gateway.',
  'bulk.checkNothingRemains': 'Nothing remains.',
  'bulk.checkAlreadySent': 'Already in bulk run {{run}}: not sent again.',
  'bulk.checkAlreadyCharged': 'Already in bulk run {{run}}: not charged again.',
  'bulk.checkNotAmount': 'Amount: "{{input}}" is not an amount',
  'bulk.checkNegative': 'Amount: Amount cannot be negative',
  'bulk.checkTooLarge': 'Amount: Amount is larger than the gateway accepts',
  'bulk.checkNoDecimals': 'Amount: {{currency}} has no decimals',
  'bulk.checkTooManyDecimals': 'Amount: {{currency}} has at most {{exponent}} decimals',
  'bulk.checkUnknownCurrency': 'Amount: Unknown currency code "{{currency}}"',
  'bulk.checkNoCustomer': 'No such customer on this station (give the customer id or email).',
  'bulk.checkSharedEmail': '{{n}} customers have this email: give the customer id instead.',
  'bulk.checkNoAmount': 'No amount: a bill run charges the amount on each row.',
  'bulk.checkNoSuchCard': '{{name}} has no card on file {{card}}.',
  'bulk.checkSeveralEnding': '{{name}} has several cards ending {{card}}: give the card id.',
  'bulk.checkNoUsableCard': '{{name}} has no usable card on file.',
  'bulk.checkSeveralCards': '{{name}} has {{n}} cards on file: say which (last four digits or card id).',
  'bulk.checkCardDeactivated': 'The card ending {{last4}} was deactivated.',
  'bulk.checkCardExpired': 'The card ending {{last4}} has expired.',
  'bulk.checkOtherAccount': 'The card ending {{last4}} was saved on another gateway account: it cannot be charged on this one.',
  'bulk.chargeCard': '{{name}}, card ending {{last4}}',

  // the email confirmation panel (confirmations/service.ts messageOf)
  'confirm.reading': "The customer opened the link and is reading the agreement.",
  'confirm.waitingNoAnswer': "Waiting for the customer (the confirmation service did not answer the last check: {{detail}}).",
  'confirm.emailSent': "Email sent to {{email}}. Waiting for the customer to open the link.",
  'confirm.charged': "The customer agreed; the card was charged.",
  'confirm.agreedNotCharged': "The customer agreed, but {{detail}}",
  'confirm.agreedNotChargedPlain': "The customer agreed, but the card was not charged.",
  'confirm.charging': "The customer agreed. Charging the card…",
  'confirm.refused': "The customer refused the charge. Nothing was charged; the order is still awaiting payment.",
  'confirm.expired': "The customer did not answer in time ({{seconds}} s). Nothing was charged; the order is still awaiting payment.",
  'confirm.failed': "The confirmation failed: {{reason}}. Nothing was charged; the order is still awaiting payment.",
  'confirm.failedNoReason': "The confirmation failed: no reason given. Nothing was charged; the order is still awaiting payment.",

  // a recurring period's reason (recurring/service.ts; stored with the period)
  'period.skippedBySupervisor': 'Skipped by a supervisor.',
  'period.notChargedYet': 'Not charged yet: {{why}}',
  'period.notCharged': 'Not charged: {{why}}',
  'period.declined': 'Declined: {{bank}}',
  'period.queued': 'Queued: sent once, automatically, when the gateway is back.',
  'period.unknown': 'The gateway did not give a definite answer; the charge is being checked. Do not charge again.',
  'period.cardGone': "The card on file is gone: change the schedule's card, then a supervisor retries the charge or skips the period.",
  'period.cardDeactivated': "The card on file was deactivated: change the schedule's card, then a supervisor retries the charge or skips the period.",
  'period.cardExpired': "The card on file has expired: change the schedule's card, then a supervisor retries the charge or skips the period.",
  'period.askCustomer': 'Ask the customer (another card goes on the schedule), then a supervisor retries the charge or skips the period.',

  // a technical detail (a socket, device or TLS error), alone or inside a sentence: matched by shape
  // (technicalText); a phrase without a final stop, as it often sits in another sentence's brackets
  'tech.refused': "Connection refused: {{detail, ltr}}",
  'tech.reset': "Connection cut off: {{detail, ltr}}",
  'tech.timedOut': "Connection timed out: {{detail, ltr}}",
  'tech.notFound': "Host name not found: {{detail, ltr}}",
  'tech.noRoute': "Address not reachable from this computer: {{detail, ltr}}",
  'tech.noDevice': "No such device (is it plugged in?): {{detail, ltr}}",
  'tech.noPermission': "Not allowed to use the device: {{detail, ltr}}",
  'tech.busy': "Device in use by another program: {{detail, ltr}}",
  'tech.ioError': "Device stopped answering (unplugged?): {{detail, ltr}}",
  'tech.noConnectionIn': "No connection to {{target, ltr}} within {{ms}} ms",
  'tech.noAnswerIn': "No answer from {{target, ltr}} within {{ms}} ms",
  'tech.closedBy': "Connection closed by {{target, ltr}}",
  'tech.deviceStalled': "{{target, ltr}} took nothing for {{ms}} ms",
  'tech.noResponseIn': "No response within {{ms}} ms",
  'tech.bodyIncomplete': "Answer not complete within {{ms}} ms",
  'tech.paperOut': "The printer reports no paper",
  'tech.paperRanOut': "The paper ran out during the receipt",
  'tech.tlsSelfSigned': "Server certificate self-signed, not from a trusted authority: {{detail, ltr}}",
  'tech.tlsUntrusted': "Server certificate could not be verified: {{detail, ltr}}",
  'tech.tlsExpired': "Server certificate expired or not valid yet: {{detail, ltr}}",
  'tech.tlsName': "Server certificate is for another host name: {{detail, ltr}}",
  'tech.tlsFailed': "Secure connection (TLS) failed: {{detail, ltr}}",
  'tech.tlsNotSupported': "The server does not accept secure connections (TLS)",
} as const;

export type CoreMessageKey = keyof typeof CORE_MESSAGES;

/**
 * A value inside a core sentence: text as it is, a number, an amount, the bank's answer, or another
 * core sentence (`{ sentence, params }`: a rule's reason inside "… Dismiss it."). Its schema is in
 * core-text-schema.ts: this module is in the renderer's first chunk, zod is not.
 */
export type CoreParam =
  | string
  | number
  | { amount: number; currency: string }
  | { responseCode: string | null; message: string }
  | { sentence: string; params?: Record<string, CoreParam> };
export type CoreParams = Record<string, CoreParam>;

export interface CoreText {
  key: CoreMessageKey;
  params?: CoreParams;
}

export function coreText(key: CoreMessageKey, params?: CoreParams): CoreText {
  return params ? { key, params } : { key };
}

export function isCoreMessageKey(key: string): key is CoreMessageKey {
  return Object.prototype.hasOwnProperty.call(CORE_MESSAGES, key);
}

/** A value in English (logs, the fallback): amounts with their currency, times as UTC minutes. */
function englishValue(v: CoreParam | undefined, format: string | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return format === 'datetime' ? `${v.slice(0, 16).replace('T', ' ')} UTC` : v;
  if ('sentence' in v) return isCoreMessageKey(v.sentence) ? englishText({ key: v.sentence, params: v.params ?? {} }) : '';
  if ('amount' in v) return isCurrencyCode(v.currency) ? formatMoney(money(v.amount, v.currency), 'en-US') : `${v.currency} ${v.amount}`;
  return `${v.responseCode ? `${v.responseCode} ` : ''}${v.message}`.trim();
}

/** The English sentence of a core text: what logs and the envelope's `message` carry. */
export function englishText(t: CoreText): string {
  return CORE_MESSAGES[t.key].replace(/\{\{\s*(\w+)\s*(?:,\s*(\w+)\s*)?\}\}/g, (_, name: string, format: string | undefined) => englishValue(t.params?.[name], format));
}

/** A core text as a param of another ("{{rule}} Dismiss it."). */
export function nested(t: CoreText): CoreParam {
  return t.params ? { sentence: t.key, params: t.params } : { sentence: t.key };
}

/** A core text as the ledger stores it beside its English (a TEXT column of JSON). */
export function storeText(t: CoreText | null | undefined): string | null {
  return t ? JSON.stringify(t) : null;
}

let byEnglish: Map<string, CoreMessageKey> | null = null;

/**
 * A payment link's stored message as a key (links/service.ts writes English): the gateway's answer
 * "<message> (<response code>)" by its code, our own sentences word for word, else null (shown as
 * stored: a technical detail for support).
 */
export function linkText(message: string): CoreText | null {
  if (!message) return null;
  const bank = /^(.*) \((\d{5})\)$/s.exec(message);
  if (bank) return { key: 'note.bank', params: { bank: { responseCode: bank[2]!, message: bank[1]!.slice(0, 400) } } };
  const noAnswer = /^No answer from the gateway \((.*)\); checking\.$/s.exec(message);
  if (noAnswer) return { key: 'link.noAnswerChecking', params: { reason: technicalParam('reason', noAnswer[1]!.slice(0, 400)) } };
  if (message === CORE_MESSAGES['link.neverMade']) return { key: 'link.neverMade' };
  if (message === CORE_MESSAGES['link.paidReading']) return { key: 'link.paidReading' };
  return null;
}

/**
 * The runner's technical notes (payments/executor.ts), stored in English since the first release:
 * matched by their shape so old rows and new say them in the reader's language, with the technical
 * detail (a socket error, a status code) as a param left as it is.
 */
const TECHNICAL_NOTES: readonly [RegExp, CoreMessageKey, readonly string[]][] = [
  [/^Not sent: the gateway could not be reached \((.*)\)\. Queued\.$/s, 'note.notSentQueued', ['detail']],
  [/^Unexpected error: (.*)$/s, 'note.unexpectedError', ['detail']],
  [/^Refused before sending: (.*)$/s, 'note.refusedBeforeSending', ['detail']],
  [/^Outcome still unknown: check status refused \((.*)\)\.$/s, 'note.checkRefused', ['code']],
  [/^Outcome still unknown: check status unanswered \((.*)\)\.$/s, 'note.checkUnanswered', ['reason']],
  [/^Not applied at the gateway yet; the last attempt could still land until (\S+), then it is sent again\.$/, 'note.mayStillLand', ['at']],
  [/^The gateway is still processing \(status (.*)\)\.$/s, 'note.stillProcessing', ['status']],
  [/^No definite answer \(([^)]*)\): (.*)$/s, 'note.noDefiniteAnswer', ['reason', 'detail']],
  [/^Dismissed by (.+?): not sent to the gateway again\./s, 'attention.dismissed', ['name']],
  [/^Retried by (.+)\.$/s, 'attention.retried', ['name']],
];

function technicalNote(message: string): CoreText | null {
  for (const [re, key, names] of TECHNICAL_NOTES) {
    const m = re.exec(message);
    if (m) return { key, params: Object.fromEntries(names.map((n, i) => [n, technicalParam(n, (m[i + 1] ?? '').slice(0, 400))])) };
  }
  return null;
}

/** A technical detail as a param of another sentence: its own sentence when its shape is known, else as written. */
export function technicalDetailParam(detail: string): CoreParam {
  return technicalParam('detail', detail);
}

/** A note's technical part as a sentence of its own when its shape is known, else as written. */
function technicalParam(name: string, value: string): CoreParam {
  if (name !== 'detail' && name !== 'reason') return value;
  const t = technicalText(value);
  return t ? nested(t) : value;
}

/** Error codes of sockets, devices and TLS, and the sentence each is said with. */
const TECH_CODES: readonly [RegExp, CoreMessageKey][] = [
  [/^ECONNREFUSED$/, 'tech.refused'],
  [/^(ECONNRESET|EPIPE|UND_ERR_SOCKET|ECONNABORTED)$/, 'tech.reset'],
  [/^(ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT|ESOCKETTIMEDOUT)$/, 'tech.timedOut'],
  [/^(ENOTFOUND|EAI_AGAIN|EAI_NONAME)$/, 'tech.notFound'],
  [/^(EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL|ENETDOWN|EHOSTDOWN)$/, 'tech.noRoute'],
  [/^(ENOENT|ENODEV|ENXIO)$/, 'tech.noDevice'],
  [/^(EACCES|EPERM)$/, 'tech.noPermission'],
  [/^EBUSY$/, 'tech.busy'],
  [/^EIO$/, 'tech.ioError'],
  [/^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)$/, 'tech.tlsSelfSigned'],
  [/^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_UNTRUSTED|CERT_SIGNATURE_FAILURE)$/, 'tech.tlsUntrusted'],
  [/^(CERT_HAS_EXPIRED|CERT_NOT_YET_VALID)$/, 'tech.tlsExpired'],
  [/^ERR_TLS_CERT_ALTNAME_INVALID$/, 'tech.tlsName'],
  [/^(ERR_SSL_\w+|ERR_TLS_\w+|EPROTO)$/, 'tech.tlsFailed'],
];

/** TLS failures some clients (pg) report in words only, with the code they stand for. */
const TLS_WORDS: readonly [RegExp, string][] = [
  [/self[- ]signed certificate in certificate chain/i, 'SELF_SIGNED_CERT_IN_CHAIN'],
  [/self[- ]signed certificate/i, 'DEPTH_ZERO_SELF_SIGNED_CERT'],
  [/unable to verify the first certificate/i, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
  [/unable to get local issuer certificate/i, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'],
  [/certificate has expired/i, 'CERT_HAS_EXPIRED'],
  [/does not match certificate's altnames/i, 'ERR_TLS_CERT_ALTNAME_INVALID'],
];

/** Our own technical sentences (printing/printer-link.ts, the APS transport), by shape. */
const TECH_PHRASES: readonly [RegExp, CoreMessageKey, readonly string[]][] = [
  [/^no connection to (\S+) in (\d+) ms$/, 'tech.noConnectionIn', ['target', 'ms']],
  [/^no answer from (\S+) in (\d+) ms$/, 'tech.noAnswerIn', ['target', 'ms']],
  [/^connection closed by (\S+)$/, 'tech.closedBy', ['target']],
  [/^(?:opening|writing to) (\/dev\/\S+): no progress in (\d+) ms$/, 'tech.deviceStalled', ['target', 'ms']],
  [/^no response within (\d+) ms$/, 'tech.noResponseIn', ['ms']],
  [/^body not complete within (\d+) ms$/, 'tech.bodyIncomplete', ['ms']],
  [/^the printer reports no paper$/, 'tech.paperOut', []],
  [/^the paper ran out during the receipt$/, 'tech.paperRanOut', []],
  [/^The server does not support SSL connections$/, 'tech.tlsNotSupported', []],
  [/^Connection terminated unexpectedly$/, 'tech.reset', []],
  [/^(?:timeout expired|Connection terminated due to connection timeout)$/, 'tech.timedOut', []],
];

const CODE = /\b(E[A-Z]{2,}[A-Z_]*|UND_ERR_[A-Z_]+|ERR_(?:SSL|TLS)_[A-Z_]+|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_[A-Z_]+|CERT_[A-Z_]+)\b/g;
/** host:port, [v6]:port or a device path. */
const TARGET = /(\[[0-9a-fA-F:.]+\]:\d{1,5}|\b[A-Za-z0-9][A-Za-z0-9.-]*:\d{1,5}\b|\/dev\/[A-Za-z0-9._/-]+)/;

/**
 * A technical detail (a socket, device or TLS error as Node, pg, undici or our printer link word
 * it) as a sentence key: the words from the catalogue, the code and the address as a left-to-right
 * param ("ECONNREFUSED 127.0.0.1:9100"). Null for a shape we do not know (shown as written, for
 * support). Old rows are matched the same way: nothing is stored twice.
 */
export function technicalText(detail: string | null | undefined): CoreText | null {
  const d = (detail ?? '').trim();
  if (!d) return null;
  for (const [re, key, names] of TECH_PHRASES) {
    const m = re.exec(d);
    if (m) return names.length ? { key, params: Object.fromEntries(names.map((n, i) => [n, n === 'ms' ? Number(m[i + 1]) : (m[i + 1] ?? '').slice(0, 200)])) } : { key };
  }
  const codes = [...d.matchAll(CODE)].map((m) => m[1]!);
  const tlsWord = TLS_WORDS.find(([re]) => re.test(d))?.[1];
  if (tlsWord) codes.push(tlsWord);
  for (const code of codes) {
    const key = TECH_CODES.find(([re]) => re.test(code))?.[1];
    if (!key) continue;
    const host = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? /\b(?:ENOTFOUND|EAI_AGAIN) ([A-Za-z0-9.-]+)/.exec(d)?.[1] : undefined;
    const target = TARGET.exec(d)?.[1] ?? host;
    return { key, params: { detail: [code, target].filter(Boolean).join(' ').slice(0, 200) } };
  }
  return null;
}

/**
 * What an operation's stored message says, as a key: the core's own sentences (stored in English,
 * matched word for word), the runner's technical notes by their shape (the detail inside as it is),
 * or the bank's answer by its APS response code. Null for anything else, shown as stored.
 */
export function operationText(row: { message: string | null; responseCode: string | null; type: string }): CoreText | null {
  const message = row.message;
  if (!message) return null;
  byEnglish ??= new Map(Object.entries(CORE_MESSAGES).filter(([, v]) => !v.includes('{{')).map(([k, v]) => [v, k as CoreMessageKey]));
  const key = byEnglish.get(message);
  if (key) return { key };
  if (message.startsWith('Repaired from the gateway:')) return { key: 'outcome.repaired' };
  const note = technicalNote(message);
  if (note) return note;
  if (row.type !== 'check_status' && row.responseCode && /^\d{5}$/.test(row.responseCode)) return { key: 'note.bank', params: { bank: { responseCode: row.responseCode, message } } };
  return null;
}
