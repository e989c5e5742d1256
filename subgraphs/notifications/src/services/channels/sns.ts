// The Amazon SNS adapter of the SMS port: one Publish per text, straight to the phone number
// (E.164, no topic), as a Transactional SMS (`AWS.SNS.SMS.SMSType`: delivered with priority, not
// subject to marketing opt-out rules the way Promotional is) with our sender ID where the country
// allows one (`AWS.SNS.SMS.SenderID`).
//
// Throttling (ThrottlingException "Rate exceeded", 429 Throttled, KMSThrottling) and 5xx
// (InternalError) are retried by the SDK's standard retry strategy, up to `maxAttempts`; what it
// gives up on is a retryable ChannelError. Errors that another attempt cannot fix (per the Publish
// API reference) are permanent: InvalidParameter, InvalidParameterValue (a malformed number or
// attribute), AuthorizationError and InvalidSecurity (our permissions or signature), OptedOut (the
// number opted out of SMS), EndpointDisabled, NotFound, ValidationException and the KMS
// configuration errors.
import { PublishCommand, SNSClient, type MessageAttributeValue } from '@aws-sdk/client-sns';
import { awsChannelError, type AwsCredentialIdentity } from './aws-error';
import { ChannelError, type Delivery, type SmsChannel, type SmsMessage } from './port';

export interface SnsSmsChannelOptions {
  region: string;
  /** Unset: AWS's endpoint for the region. */
  endpoint?: string;
  /** Unset: the SDK's default chain (IRSA on EKS, the environment, …). Tests pass static ones. */
  credentials?: AwsCredentialIdentity;
  /** 1–11 alphanumeric characters, shown as the sender where the destination country supports it. */
  senderId?: string;
  /** Attempts per text by the SDK (throttling, 5xx, lost connections); default 3. */
  maxAttempts?: number;
}

/** The exception names the SDK gives Publish's permanent errors (wire codes in brackets where they differ). */
const PERMANENT_ERRORS = new Set([
  'InvalidParameterException', // InvalidParameter
  'InvalidParameterValueException', // ParameterValueInvalid
  'AuthorizationErrorException', // AuthorizationError
  'InvalidSecurityException', // InvalidSecurity
  'OptedOutException', // OptedOut
  'EndpointDisabledException',
  'NotFoundException',
  'ValidationException',
  'KMSAccessDeniedException',
  'KMSDisabledException',
  'KMSInvalidStateException',
  'KMSNotFoundException',
  'KMSOptInRequired',
  'PlatformApplicationDisabledException',
]);
const RETRYABLE_ERRORS = new Set([
  'ThrottledException', // Throttled
  'ThrottlingException',
  'Throttling',
  'KMSThrottlingException',
  'InternalErrorException', // InternalError
]);

export class SnsSmsChannel implements SmsChannel {
  private readonly client: SNSClient;

  constructor(private readonly options: SnsSmsChannelOptions) {
    this.client = new SNSClient({
      region: options.region,
      endpoint: options.endpoint,
      credentials: options.credentials,
      maxAttempts: options.maxAttempts ?? 3,
    });
  }

  async send(message: SmsMessage): Promise<Delivery> {
    const attributes: Record<string, MessageAttributeValue> = {
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
    };
    if (this.options.senderId)
      attributes['AWS.SNS.SMS.SenderID'] = { DataType: 'String', StringValue: this.options.senderId };
    try {
      const output = await this.client.send(
        new PublishCommand({ PhoneNumber: message.to, Message: message.body, MessageAttributes: attributes }),
      );
      if (!output.MessageId)
        throw new ChannelError('SNS accepted the text without a MessageId', true, 'NoMessageId');
      return { providerMessageId: output.MessageId };
    } catch (error) {
      throw awsChannelError('SNS', error, { permanent: PERMANENT_ERRORS, retryable: RETRYABLE_ERRORS });
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
