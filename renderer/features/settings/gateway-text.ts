import type { TFunction } from 'i18next';
import type { OutputOf } from '../../../shared/contract';
import { GO_LIVE_CONFIRMATION } from '../../../shared/contract/constants';
import { technicalSentence } from '../../lib/core-text';

type TestResult = OutputOf<'gateway.test'>;

/*
 * The core answers a connection test and a refused switch with English sentences
 * (electron/gateway/aps/test-connection.ts CONNECTION_TEST_MESSAGES, core/gateway-accounts). The
 * screen says them from the catalogue instead: the outcome (or the error) picks the sentence, and
 * only the technical detail the core added (an HTTP status, APS's own words, references) is
 * carried over as it is. The English entries are the core's sentences, word for word
 * (scripts/i18n-gateway-messages.test.ts).
 */

const UNREACHABLE_PREFIX = 'The APS host could not be reached (or did not answer like APS). Check the network, the firewall and the environment chosen. (';
const REFUSED = /^APS refused the check \((.*)\)\. Ask APS support to enable check status \(query\) on this account\.$/s;
const NOT_SENT = /^Not sent: (.*)\.$/s;

/** The connection test's sentence in the user's language. */
export function testMessage(result: TestResult, t: TFunction): string {
  const { outcome, message } = result;
  if (outcome === 'unreachable' && message.startsWith(UNREACHABLE_PREFIX) && message.endsWith(')')) {
    const detail = message.slice(UNREACHABLE_PREFIX.length, -1);
    // A socket or TLS error ("fetch failed: ECONNREFUSED: …") said in the user's language.
    const said = technicalSentence(detail);
    if (said) return t('gateway:test.withSentence', { message: t('gateway:test.outcome.unreachable'), sentence: said });
    return t('gateway:test.withDetail', { message: t('gateway:test.outcome.unreachable'), detail });
  }
  const refused = outcome === 'refused' ? REFUSED.exec(message) : null;
  if (refused) return t('gateway:test.refusedDetail', { detail: refused[1] });
  const notSent = outcome === 'credentials_refused' ? NOT_SENT.exec(message) : null;
  if (notSent) return t('gateway:test.notSent', { detail: notSent[1] });
  return t(`gateway:test.outcome.${outcome}`);
}

const MUST_WAIT = /^Switching the gateway must wait: (at least )?(\d+) operation\(s\) are queued, unknown or in flight and must finish on their own account first: (.*)\.$/s;
const NOT_SAVED = /^No APS (test|production) account is saved yet: enter and test it first\.$/;

/**
 * Why the core refused a switch, in the user's language; null when the sentence is not one we
 * know (the caller then shows the error's general text).
 */
export function switchRefusal(code: string, message: string, t: TFunction): string | null {
  const wait = code === 'CONFLICT' ? MUST_WAIT.exec(message) : null;
  if (wait) {
    const count = Number(wait[2]);
    return wait[1] ? t('gateway:switch.mustWaitMany', { count, list: wait[3] }) : t('gateway:switch.mustWait', { count, list: wait[3] });
  }
  const notSaved = code === 'NOT_ALLOWED' ? NOT_SAVED.exec(message) : null;
  if (notSaved) return t(`gateway:switch.notSaved.${notSaved[1]}`);
  if (code === 'NOT_ALLOWED' && message === 'The production account has not passed a connection test: test it first.') return t('gateway:switch.notTested');
  if (code === 'VALIDATION' && message === `Type ${GO_LIVE_CONFIRMATION} to confirm that real cards will be charged.`) return t('gateway:switch.typeWord', { word: GO_LIVE_CONFIRMATION });
  return null;
}
