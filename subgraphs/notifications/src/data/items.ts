import { z } from 'zod';
import { notificationChannels, notificationKinds } from '../contract';

/** The stored shapes; items read back are parsed, so a malformed item fails at the boundary. */
export const notificationStatuses = ['PENDING', 'SENT', 'FAILED'] as const;
export type NotificationStatus = (typeof notificationStatuses)[number];

export const sendErrorSchema = z.object({ code: z.string(), message: z.string() });
export type SendError = z.infer<typeof sendErrorSchema>;

export const notificationItemSchema = z.object({
  /** `<eventId>:<channel>`. */
  id: z.string(),
  eventId: z.string(),
  userId: z.string(),
  orderId: z.string(),
  kind: z.enum(notificationKinds),
  channel: z.enum(notificationChannels),
  status: z.enum(notificationStatuses),
  /** The email address or E.164 number. */
  recipient: z.string(),
  /** The email's subject, or the text itself. */
  subject: z.string(),
  text: z.string(),
  /** Emails only. */
  html: z.string().optional(),
  attempts: z.number().int(),
  lastError: sendErrorSchema.optional(),
  providerMessageId: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  sentAt: z.string().optional(),
  /** Only while FAILED: the `failed` index's key (one value: dead letters are few) and sort key. */
  failedShard: z.literal('FAILED').optional(),
  failedAt: z.string().optional(),
});
export type NotificationItem = z.infer<typeof notificationItemSchema>;

export const preferenceItemSchema = z.object({
  userId: z.string(),
  sms: z.boolean(),
  /** E.164. */
  phoneNumber: z.string().optional(),
  updatedAt: z.string(),
});
export type PreferenceItem = z.infer<typeof preferenceItemSchema>;

/** The id of the notification of one event on one channel: what makes it exactly-once. */
export const notificationId = (eventId: string, channel: NotificationItem['channel']) => `${eventId}:${channel}`;
