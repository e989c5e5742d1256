// The Amazon SES (API v2) adapter of the email port: one SendEmail per message, Simple content
// (subject, HTML and text bodies in UTF-8), our Message-ID in the content's Headers.
//
// SES replaces a Message-ID header with its own (`<SES MessageId>@email.amazonses.com`, per "Amazon
// SES header fields" in the SES developer guide), so on SES the header we send only reaches the
// event notifications (their `mail.headers`), not the recipient: a resend is a new message to the
// mail client. The SES MessageId is returned as the provider's id.
//
// Throttling (429 TooManyRequestsException, LimitExceededException) and 5xx are retried by the
// SDK's standard retry strategy, up to `maxAttempts`; what it gives up on is a retryable
// ChannelError, for the notifier's longer backoff. Errors that another attempt cannot fix (per the
// SendEmail API reference) are permanent: MessageRejected, MailFromDomainNotVerifiedException,
// AccountSuspendedException, SendingPausedException (paused by AWS review or an operator: it takes
// a person, and the dead-letter list is where they re-send from), BadRequestException,
// NotFoundException (e.g. the configuration set), and signature/credential errors (403).
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { awsChannelError, type AwsCredentialIdentity } from './aws-error';
import { ChannelError, type Delivery, type EmailChannel, type EmailMessage } from './port';

export interface SesEmailChannelOptions {
  region: string;
  /** A verified identity: `CloudMart <orders@cloudmart.example>`. */
  from: string;
  /** Unset: AWS's endpoint for the region. */
  endpoint?: string;
  /** Unset: the SDK's default chain (IRSA on EKS, the environment, …). Tests pass static ones. */
  credentials?: AwsCredentialIdentity;
  /** For SES event publishing (deliveries, bounces, complaints). */
  configurationSet?: string;
  /** Attempts per send by the SDK (throttling, 5xx, lost connections); default 3. */
  maxAttempts?: number;
}

/** SendEmail errors no retry can fix. */
const PERMANENT_ERRORS = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'AccountSuspendedException',
  'SendingPausedException',
  'BadRequestException',
  'NotFoundException',
]);
/** Throttling and service failures, still failing after the SDK's own attempts. */
const RETRYABLE_ERRORS = new Set([
  'TooManyRequestsException',
  'LimitExceededException',
  'InternalServiceErrorException',
]);

export class SesEmailChannel implements EmailChannel {
  private readonly client: SESv2Client;

  constructor(private readonly options: SesEmailChannelOptions) {
    this.client = new SESv2Client({
      region: options.region,
      endpoint: options.endpoint,
      credentials: options.credentials,
      maxAttempts: options.maxAttempts ?? 3,
    });
  }

  async send(message: EmailMessage): Promise<Delivery> {
    const utf8 = (data: string) => ({ Data: data, Charset: 'UTF-8' });
    try {
      const output = await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: this.options.from,
          Destination: { ToAddresses: [message.to] },
          Content: {
            Simple: {
              Subject: utf8(message.subject),
              Body: { Html: utf8(message.html), Text: utf8(message.text) },
              Headers: [{ Name: 'Message-ID', Value: angleBracketed(message.messageId) }],
            },
          },
          ConfigurationSetName: this.options.configurationSet,
        }),
      );
      if (!output.MessageId)
        throw new ChannelError('SES accepted the message without a MessageId', true, 'NoMessageId');
      return { providerMessageId: output.MessageId };
    } catch (error) {
      throw awsChannelError('SES', error, { permanent: PERMANENT_ERRORS, retryable: RETRYABLE_ERRORS });
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

const angleBracketed = (messageId: string) => (messageId.startsWith('<') ? messageId : `<${messageId}>`);
