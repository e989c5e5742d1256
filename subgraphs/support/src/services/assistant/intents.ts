import { canonicalOrderNumber, ORDER_NUMBER, referenceTail } from '../../domain/order-references';

/**
 * The local engine's understanding of a message: one intent, and the entities it names. Plain
 * rules, written to be read: keyword families per intent, checked in a fixed order of precedence.
 */
export type Intent =
  | 'CREATE_TICKET'
  | 'START_RETURN'
  | 'RETURN_POLICY'
  | 'LIST_ORDERS'
  | 'ORDER_STATUS'
  | 'THANKS'
  | 'GREETING'
  | 'HELP';

export interface Entities {
  /** Full order numbers, canonical (CM-7F3A9C21B4). */
  orderNumbers: string[];
  /** Partial references (the end of a number, e.g. "1042" in "order #1042"), upper case. */
  orderTails: string[];
  /** Calendar dates named (YYYY-MM-DD, UTC). */
  dates: string[];
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const DAY_MS = 24 * 60 * 60 * 1000;

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** A month and day without a year: the latest such day that is not in the future. */
function monthDay(monthName: string, day: number, now: Date): string | null {
  const month = MONTHS.indexOf(monthName.slice(0, 3).toLowerCase());
  if (month < 0 || day < 1 || day > 31) return null;
  let date = new Date(Date.UTC(now.getUTCFullYear(), month, day));
  if (date.getUTCMonth() !== month) return null;
  if (date.getTime() > now.getTime()) date = new Date(Date.UTC(now.getUTCFullYear() - 1, month, day));
  return isoDay(date);
}

function extractDates(text: string, now: Date): string[] {
  const dates: string[] = [];
  for (const [, y, m, d] of text.matchAll(/\b(\d{4})-(\d{2})-(\d{2})\b/g)) {
    const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
    if (!Number.isNaN(date.getTime()) && date.getUTCDate() === Number(d)) dates.push(isoDay(date));
  }
  for (const [, month, day] of text.matchAll(
    new RegExp(`\\b${MONTH}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b`, 'gi'),
  )) {
    const date = monthDay(month!, Number(day), now);
    if (date) dates.push(date);
  }
  for (const [, day, month] of text.matchAll(
    new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}\\b`, 'gi'),
  )) {
    const date = monthDay(month!, Number(day), now);
    if (date) dates.push(date);
  }
  if (/\btoday\b/i.test(text)) dates.push(isoDay(now));
  if (/\byesterday\b/i.test(text)) dates.push(isoDay(new Date(now.getTime() - DAY_MS)));
  for (const [, n] of text.matchAll(/\b(\d{1,2})\s+days?\s+ago\b/gi)) {
    dates.push(isoDay(new Date(now.getTime() - Number(n) * DAY_MS)));
  }
  return [...new Set(dates)];
}

export function extractEntities(message: string, now: Date): Entities {
  const orderNumbers = new Set<string>();
  for (const match of message.matchAll(ORDER_NUMBER)) orderNumbers.add(`CM-${match[1]!.toUpperCase()}`);
  // The ten characters alone (with a digit and a letter, so not a phone number).
  for (const [token] of message.matchAll(/\b[0-9A-F]{10}\b/gi)) {
    const canonical = canonicalOrderNumber(token);
    if (canonical) orderNumbers.add(canonical);
  }
  const withoutFull = message.replace(ORDER_NUMBER, ' ').replace(/\b[0-9A-F]{10}\b/gi, ' ');
  const tails = new Set<string>();
  const tailPattern =
    /(?:\border\b(?:\s+(?:number|no\.?|num|#))?|\bnumber\b|#|\bending\s+(?:in|with)\b)\s*#?\s*([0-9a-z]{2,9})\b/gi;
  for (const [, token] of withoutFull.matchAll(tailPattern)) {
    if (/\d/.test(token!)) tails.add(referenceTail(token!));
  }
  return { orderNumbers: [...orderNumbers], orderTails: [...tails], dates: extractDates(message, now) };
}

const TICKET =
  /\b(ticket|human|person|agent|representative|somebody|someone|escalat\w*|complain\w*|damaged|broken|defective|faulty|wrong (item|product|size)|missing|speak|talk to|contact me|call me|manager|supervisor)\b/i;
const RETURN = /\b(return(s|ing|ed)?|send (it|them|this|that|the \w+)? ?back|refund(s|ed)?)\b/i;
const POLICY =
  /\b(polic(y|ies)|how long|how many days|window|rules?|eligible|eligibility|allowed|can i|could i|do you (accept|allow|take)|what('s| is| are)|deadline|time limit)\b/i;
const ACT =
  /\b(start|begin|initiate|open|make|request|want|would like|i'?d like|need|please|process|let me|go ahead)\b/i;
const LIST =
  /\b((all|list|show|see|view)( me)?( of)? (my|all) orders|my (recent |past |previous |last )?orders|recent orders|past orders|order history|orders i (placed|made)|what (did|have) i (order(ed)?|buy|bought)|every order|all orders|list orders)\b/i;
const STATUS =
  /\b(where|status|track(ing)?|ship(ped|ping)?|deliver(y|ed)?|arriv(e|ed|ing)|when will|eta|update|happened|progress|late|show|look ?up|check|find)\b/i;
const THANKS = /\b(thanks|thank you|thx|cheers|appreciated?)\b/i;
const GREETING = /^\s*(hi|hello|hey|good (morning|afternoon|evening)|howdy)\b/i;

/**
 * One intent per message, by precedence: asking for a person beats everything but a concrete
 * return. `followsOrder`: the conversation was already about an order, so "when will it arrive?"
 * or "I'd like to return it" are about that order.
 */
export function classify(message: string, entities: Entities, { followsOrder = false } = {}): Intent {
  const namesOrder = entities.orderNumbers.length + entities.orderTails.length > 0;
  const mentionsOrder = namesOrder || followsOrder || /\border\b/i.test(message);
  if (RETURN.test(message)) {
    const refersToIt = followsOrder && /\b(it|them|this|that)\b/i.test(message);
    if (namesOrder || ((refersToIt || ACT.test(message)) && !POLICY.test(message))) return 'START_RETURN';
    if (!TICKET.test(message) || POLICY.test(message)) return 'RETURN_POLICY';
  }
  if (TICKET.test(message)) return 'CREATE_TICKET';
  if (LIST.test(message)) return 'LIST_ORDERS';
  if (namesOrder || (mentionsOrder && (STATUS.test(message) || entities.dates.length > 0)))
    return 'ORDER_STATUS';
  if (/\b(package|parcel|delivery|shipment)\b/i.test(message) && STATUS.test(message)) return 'ORDER_STATUS';
  if (THANKS.test(message)) return 'THANKS';
  if (GREETING.test(message)) return 'GREETING';
  return 'HELP';
}
