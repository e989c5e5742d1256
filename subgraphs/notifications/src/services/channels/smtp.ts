// The SMTP adapter of the email port, over nodemailer (a pooled transport): any SMTP relay, and
// MailDev locally. It sends the html and text parts with our Message-ID, and maps a failure to a
// ChannelError: an SMTP reply 4xx (the server asks to try later) or a lost connection (refused,
// reset, timed out) may work later; a 5xx reply (the server refuses the message, the recipient or
// our credentials) will not. The code kept is the SMTP reply code ("550") or Node's error code
// ("ECONNREFUSED").
import nodemailer from 'nodemailer';
import { ChannelError, type Delivery, type EmailChannel, type EmailMessage } from './port';

export interface SmtpEmailChannelOptions {
  /** smtp://host:port, or smtps://user:pass@host:port (TLS from the start). */
  url: string;
  /** The sender, e.g. `CloudMart <orders@cloudmart.example>`. */
  from: string;
}

/** What nodemailer sets on the errors it rejects with (the fields this adapter reads). */
interface SmtpFailure extends Error {
  code?: string;
  /** The code of the system error under nodemailer's own (ECONNREFUSED under ESOCKET). */
  originalCode?: string;
  responseCode?: number;
  response?: string;
}

/** Node and nodemailer codes of a connection that failed or broke: worth another attempt. */
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ESOCKET',
  'ECONNECTION',
  'EDNS',
]);

/** A pooled transport: connections are reused across sends, and reopened when one breaks. */
const createPooledTransport = (url: string) =>
  nodemailer.createTransport({
    url,
    pool: true,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });

export class SmtpEmailChannel implements EmailChannel {
  private readonly transport: ReturnType<typeof createPooledTransport>;

  constructor(private readonly options: SmtpEmailChannelOptions) {
    this.transport = createPooledTransport(options.url);
  }

  async send(message: EmailMessage): Promise<Delivery> {
    const info = await this.transport
      .sendMail({
        from: this.options.from,
        to: message.to,
        subject: message.subject,
        html: message.html,
        text: message.text,
        messageId: angleBracketed(message.messageId),
      })
      .catch((error: unknown) => {
        throw smtpChannelError(error);
      });
    // "250 2.0.0 Ok: queued as 4F1C…" (Postfix), "250 Message queued as m7mlfyrn" (MailDev).
    const queueId = /queued as\s+(\S+)/i.exec(info.response ?? '')?.[1];
    return { providerMessageId: queueId ?? info.messageId ?? angleBracketed(message.messageId) };
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

/** Message-ID values are written `<left@right>`; the port's may come without the brackets. */
const angleBracketed = (messageId: string) => (messageId.startsWith('<') ? messageId : `<${messageId}>`);

export function smtpChannelError(error: unknown): ChannelError {
  // Not `instanceof Error`: socket errors come from Node's own realm, which a test runner's
  // sandbox (jest's vm contexts) does not share.
  const failure: SmtpFailure =
    typeof error === 'object' && error !== null && 'message' in error
      ? (error as SmtpFailure)
      : new Error(String(error));
  if (typeof failure.responseCode === 'number' && failure.responseCode >= 400) {
    // RFC 5321: 4yz is a transient negative reply, 5yz a permanent one.
    const retryable = failure.responseCode < 500;
    return new ChannelError(
      `SMTP server answered ${failure.response ?? failure.responseCode}`,
      retryable,
      String(failure.responseCode),
      { cause: error },
    );
  }
  const code = failure.originalCode ?? failure.code ?? 'SMTP_ERROR';
  const retryable = CONNECTION_ERROR_CODES.has(code) || CONNECTION_ERROR_CODES.has(failure.code ?? '');
  return new ChannelError(`SMTP send failed: ${failure.message}`, retryable, code, { cause: error });
}
