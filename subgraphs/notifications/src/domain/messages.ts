// What each notification says. Emails are written in MJML (a maintained language for responsive
// email: it compiles to the table-based HTML mail clients need) and a plain-text twin; texts are one
// short line with the link. Everything a person typed (names, product names, an address) is
// escaped before it goes into the markup.
import mjml2html from 'mjml';
import type { NotificationKind } from '../contract';
import type { PostalAddress } from '../services/users';

export interface MessageLine {
  name: string;
  quantity: number;
  /** Minor units, as every amount here. */
  unitPrice: number;
}

export interface MessageFacts {
  kind: NotificationKind;
  shop: { name: string; url: string };
  customerName: string;
  order: {
    id: string;
    number: string;
    currency: string;
    lines: MessageLine[];
    subtotal: number;
    tax: number;
    shipping: number;
    total: number;
  };
  address: PostalAddress | null;
  /** ORDER_REFUNDED: the amount refunded. */
  refunded?: number;
}

export interface RenderedMessage {
  subject: string;
  html: string;
  text: string;
  /** The text message, for SMS. */
  sms: string;
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** An amount in minor units as the currency writes it, e.g. 1999 USD → $19.99, 500 JPY → ¥500. */
export function formatMoney(amount: number, currency: string): string {
  const format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}

interface KindText {
  subject: (number: string) => string;
  /** The opening paragraph, in plain words (escaped when it goes into HTML). */
  intro: (facts: MessageFacts) => string;
  /** Where the button goes: the order, or the cart for a failed payment. */
  action: { label: string; path: (facts: MessageFacts) => string };
  sms: (facts: MessageFacts) => string;
  showsAddress: boolean;
}

const orderPath = (facts: MessageFacts) => `/orders/${encodeURIComponent(facts.order.id)}`;
const total = (facts: MessageFacts) => formatMoney(facts.order.total, facts.order.currency);

const kinds: Record<NotificationKind, KindText> = {
  ORDER_CONFIRMED: {
    subject: (number) => `Your order ${number} is confirmed`,
    intro: (facts) =>
      `Thank you, ${facts.customerName}! We have your payment of ${total(facts)} and are getting your order ready.`,
    action: { label: 'View your order', path: orderPath },
    sms: (facts) => `order ${facts.order.number} is confirmed, total ${total(facts)}.`,
    showsAddress: true,
  },
  PAYMENT_FAILED: {
    subject: (number) => `Payment for order ${number} did not go through`,
    intro: (facts) =>
      `${facts.customerName}, your payment of ${total(facts)} was declined, so nothing was charged. Your items are back in your cart whenever you want to try again.`,
    action: { label: 'Return to your cart', path: () => '/cart' },
    sms: (facts) => `the payment for order ${facts.order.number} was declined; your items are back in your cart.`,
    showsAddress: false,
  },
  ORDER_SHIPPED: {
    subject: (number) => `Order ${number} is on its way`,
    intro: (facts) => `Good news, ${facts.customerName}: your order has shipped.`,
    action: { label: 'Track your order', path: orderPath },
    sms: (facts) => `order ${facts.order.number} has shipped.`,
    showsAddress: true,
  },
  ORDER_DELIVERED: {
    subject: (number) => `Order ${number} was delivered`,
    intro: (facts) => `${facts.customerName}, your order was delivered. We hope you enjoy it.`,
    action: { label: 'View your order', path: orderPath },
    sms: (facts) => `order ${facts.order.number} was delivered.`,
    showsAddress: true,
  },
  ORDER_CANCELLED: {
    subject: (number) => `Order ${number} was cancelled`,
    intro: (facts) => `${facts.customerName}, your order was cancelled and its items went back on sale.`,
    action: { label: 'View your order', path: orderPath },
    sms: (facts) => `order ${facts.order.number} was cancelled.`,
    showsAddress: false,
  },
  ORDER_REFUNDED: {
    subject: (number) => `Your refund for order ${number}`,
    intro: (facts) =>
      `${facts.customerName}, we refunded ${formatMoney(facts.refunded ?? facts.order.total, facts.order.currency)} to your card. It can take a few days to show on your statement.`,
    action: { label: 'View your order', path: orderPath },
    sms: (facts) =>
      `we refunded ${formatMoney(facts.refunded ?? facts.order.total, facts.order.currency)} for order ${facts.order.number}.`,
    showsAddress: false,
  },
};

const addressLines = (address: PostalAddress) =>
  [
    address.line1,
    address.line2,
    [address.postalCode, address.city].join(' '),
    address.region,
    address.country,
  ].filter((line): line is string => Boolean(line));

function textBody(facts: MessageFacts, kind: KindText, link: string): string {
  const money = (amount: number) => formatMoney(amount, facts.order.currency);
  const lines = [
    kind.intro(facts),
    '',
    `Order ${facts.order.number}`,
    ...facts.order.lines.map(
      (line) => `  ${line.quantity} × ${line.name} — ${money(line.unitPrice * line.quantity)}`,
    ),
    '',
    `Subtotal: ${money(facts.order.subtotal)}`,
    `Tax: ${money(facts.order.tax)}`,
    `Shipping: ${money(facts.order.shipping)}`,
    `Total: ${money(facts.order.total)}`,
  ];
  if (kind.showsAddress && facts.address) lines.push('', 'Shipping to:', ...addressLines(facts.address).map((line) => `  ${line}`));
  lines.push('', `${kind.action.label}: ${link}`, '', `— ${facts.shop.name}`);
  return lines.join('\n');
}

function mjmlBody(facts: MessageFacts, kind: KindText, link: string): string {
  const money = (amount: number) => escapeHtml(formatMoney(amount, facts.order.currency));
  const rows = facts.order.lines
    .map(
      (line) =>
        `<tr><td style="padding:4px 0">${line.quantity} × ${escapeHtml(line.name)}</td><td style="padding:4px 0;text-align:right">${money(line.unitPrice * line.quantity)}</td></tr>`,
    )
    .join('');
  const totals = (
    [
      ['Subtotal', facts.order.subtotal],
      ['Tax', facts.order.tax],
      ['Shipping', facts.order.shipping],
    ] as const
  )
    .map(([label, amount]) => `<tr><td>${label}</td><td style="text-align:right">${money(amount)}</td></tr>`)
    .join('');
  const address =
    kind.showsAddress && facts.address
      ? `<mj-text><strong>Shipping to</strong><br/>${addressLines(facts.address).map(escapeHtml).join('<br/>')}</mj-text>`
      : '';
  return `<mjml>
  <mj-head>
    <mj-title>${escapeHtml(kind.subject(facts.order.number))}</mj-title>
    <mj-attributes><mj-all font-family="Helvetica, Arial, sans-serif" /><mj-text font-size="15px" line-height="22px" color="#1f2933" /></mj-attributes>
  </mj-head>
  <mj-body background-color="#f4f5f7">
    <mj-section><mj-column><mj-text font-size="20px" font-weight="bold">${escapeHtml(facts.shop.name)}</mj-text></mj-column></mj-section>
    <mj-section background-color="#ffffff" padding="24px">
      <mj-column>
        <mj-text>${escapeHtml(kind.intro(facts))}</mj-text>
        <mj-text font-weight="bold">Order ${escapeHtml(facts.order.number)}</mj-text>
        <mj-table>${rows}</mj-table>
        <mj-divider border-width="1px" border-color="#d9dde3" />
        <mj-table>${totals}<tr><td><strong>Total</strong></td><td style="text-align:right"><strong>${money(facts.order.total)}</strong></td></tr></mj-table>
        ${address}
        <mj-button href="${escapeHtml(link)}" background-color="#1f5fbf">${escapeHtml(kind.action.label)}</mj-button>
      </mj-column>
    </mj-section>
    <mj-section><mj-column><mj-text font-size="12px" color="#616e7c">You get this email because you ordered from ${escapeHtml(facts.shop.name)}. Order emails cannot be turned off; texts can, in your account.</mj-text></mj-column></mj-section>
  </mj-body>
</mjml>`;
}

/** The email (subject, HTML, text) and the SMS of a notification. */
export async function renderMessage(facts: MessageFacts): Promise<RenderedMessage> {
  const kind = kinds[facts.kind];
  const link = new URL(kind.action.path(facts), facts.shop.url).toString();
  // strict: a template that is not valid MJML is our bug, and fails loudly here.
  const { html } = await mjml2html(mjmlBody(facts, kind, link), { validationLevel: 'strict' });
  return {
    subject: kind.subject(facts.order.number),
    html,
    text: textBody(facts, kind, link),
    sms: `${facts.shop.name}: ${kind.sms(facts)} ${link}`,
  };
}
