// The ports to the delivery services: one for email, one for SMS. Adapters, side by side:
// smtp.ts (any SMTP relay; MailDev locally), ses.ts (Amazon SES v2), sns.ts (Amazon SNS SMS).
// Locally, SMS goes through the email adapter too (sms-over-email.ts), to an address naming the
// number, so a person trying the shop sees the texts in MailDev's inbox beside the emails.

export interface EmailMessage {
  to: string;
  subject: string;
  html: string;
  text: string;
  /**
   * The same for every attempt at one notification (`<notification id>@cloudmart`): a resend after
   * a crash between the provider's acceptance and our record carries the Message-ID the first
   * copy had, so mail clients show it once. Adapters that can set it do (SMTP, SES v2 headers).
   */
  messageId: string;
}

export interface SmsMessage {
  /** E.164, e.g. +14155550123 (validated before it is stored). */
  to: string;
  body: string;
}

/** What the provider answered for an accepted message. */
export interface Delivery {
  /** The provider's id of the message (SES MessageId, SNS MessageId, the SMTP server's queue id). */
  providerMessageId: string;
}

export interface EmailChannel {
  send(message: EmailMessage): Promise<Delivery>;
  close?(): Promise<void>;
}

export interface SmsChannel {
  send(message: SmsMessage): Promise<Delivery>;
  close?(): Promise<void>;
}

/**
 * A send that failed. `retryable`: it may work later (throttling, the service unavailable, a
 * connection lost) and the notifier tries again with backoff; otherwise (an address or number the
 * provider refuses, an unverified sender, a suspended account) it is dead-lettered at once, since
 * trying again cannot help. `code` is the provider's error name, kept on the dead-letter record.
 */
export class ChannelError extends Error {
  override name = 'ChannelError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
