import type { NotifierSettings } from '../../config';
import type { EmailChannel, SmsChannel } from './port';
import { SesEmailChannel } from './ses';
import { SmsOverEmail } from './sms-over-email';
import { SmtpEmailChannel } from './smtp';
import { SnsSmsChannel } from './sns';

export { ChannelError, type EmailChannel, type SmsChannel } from './port';

/** The adapters EMAIL_CHANNEL and SMS_CHANNEL name (SDK credentials: the default chain, IRSA on EKS). */
export function createChannels(config: NotifierSettings): { email: EmailChannel; sms: SmsChannel } {
  const email: EmailChannel =
    config.EMAIL_CHANNEL === 'ses'
      ? new SesEmailChannel({
          region: config.AWS_REGION,
          from: config.EMAIL_FROM,
          endpoint: config.SES_ENDPOINT,
          configurationSet: config.SES_CONFIGURATION_SET,
        })
      : new SmtpEmailChannel({ url: config.SMTP_URL, from: config.EMAIL_FROM });
  const sms: SmsChannel =
    config.SMS_CHANNEL === 'sns'
      ? new SnsSmsChannel({ region: config.AWS_REGION, endpoint: config.SNS_ENDPOINT, senderId: config.SMS_SENDER_ID })
      : new SmsOverEmail(config.EMAIL_CHANNEL === 'smtp' ? email : new SmtpEmailChannel({ url: config.SMTP_URL, from: config.EMAIL_FROM }));
  return { email, sms };
}
