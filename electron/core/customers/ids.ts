import { randomBytes } from 'node:crypto';

// Customer ids sort NEWEST FIRST: the search index's primary key is (term, customer_id, …), so
// rows sharing a term come back in recency order straight from the index, with no sort and no
// scan beyond the LIMIT. The id is an inverted creation time (9 base-36 digits, good until the
// year 5138) followed by random characters for uniqueness within a millisecond.
const TIME_DIGITS = 9;
const TIME_SPAN = 36 ** TIME_DIGITS - 1;

export function newCustomerId(createdAt: Date, random: () => string = () => randomBytes(6).toString('hex')): string {
  const inverted = TIME_SPAN - createdAt.getTime();
  return `c${inverted.toString(36).padStart(TIME_DIGITS, '0')}${random()}`;
}
