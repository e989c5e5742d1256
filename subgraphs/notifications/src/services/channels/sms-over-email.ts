// The local SMS adapter: each text becomes a plain email through an email channel (SMTP to
// MailDev) to `<number without +>@sms.localhost`, subject "SMS to +<number>", so a person trying
// the shop reads the texts in MailDev's inbox beside the emails. Never used with a real relay.
//
// The port's SmsMessage carries no id, so the email's Message-ID is derived from the number and a
// hash of the body: a resend of the same text carries the same Message-ID, as the email port asks.
import { createHash } from 'node:crypto';
import type { Delivery, EmailChannel, SmsChannel, SmsMessage } from './port';

export const SMS_MAIL_DOMAIN = 'sms.localhost';

/** The address a number's texts go to: +14155550123 → 14155550123@sms.localhost. */
export const smsMailbox = (phoneNumber: string) => `${phoneNumber.replace(/^\+/, '')}@${SMS_MAIL_DOMAIN}`;

const escapeHtml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/** Does not close `email`: the email channel is usually the one the emails go through too. */
export class SmsOverEmail implements SmsChannel {
  constructor(private readonly email: EmailChannel) {}

  send(message: SmsMessage): Promise<Delivery> {
    const digest = createHash('sha256').update(`${message.to}\n${message.body}`).digest('hex').slice(0, 32);
    return this.email.send({
      to: smsMailbox(message.to),
      subject: `SMS to ${message.to}`,
      text: message.body,
      html: `<pre>${escapeHtml(message.body)}</pre>`,
      messageId: `sms-${message.to.replace(/^\+/, '')}-${digest}@${SMS_MAIL_DOMAIN}`,
    });
  }
}
