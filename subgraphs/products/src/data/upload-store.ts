import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { getItem } from '@cloudmart/runtime';
import type { ProductTables } from './dynamo';
import { imageUploadItemSchema, type ImageUploadItem, type ImageVariantItem } from './items';

/** How long an ATTACHING claim holds: an attach that died is taken over after this. */
const CLAIM_HOLD_MS = 5 * 60_000;

/**
 * Image uploads (productsTables.productImageUploads). Each is used at most once: an attach first
 * claims it (PENDING → ATTACHING, conditionally), so two attaches of one upload cannot both run.
 */
export class UploadStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: ProductTables,
  ) {}

  async create(upload: ImageUploadItem): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.tables.uploads, Item: upload, ConditionExpression: 'attribute_not_exists(uploadId)' }),
    );
  }

  get(uploadId: string): Promise<ImageUploadItem | null> {
    return getItem(this.client, this.tables.uploads, { uploadId }, imageUploadItemSchema);
  }

  /**
   * Takes the upload for one attach: true when this caller has it. A PENDING upload, or one whose
   * attach has held it longer than CLAIM_HOLD_MS (that attach died), can be taken.
   */
  async claim(uploadId: string, now: Date): Promise<boolean> {
    return this.updateIf({
      Key: { uploadId },
      UpdateExpression: 'SET #status = :attaching, claimedAt = :now',
      ConditionExpression: '#status = :pending OR (#status = :attaching AND claimedAt < :stale)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':attaching': 'ATTACHING',
        ':pending': 'PENDING',
        ':now': now.toISOString(),
        ':stale': new Date(now.getTime() - CLAIM_HOLD_MS).toISOString(),
      },
    });
  }

  /**
   * Records what the Lambda on the bucket's events made of a PENDING upload: its variants, or why
   * the file will not do. False when the upload is no longer PENDING (an attach got there first).
   */
  async recordPrepared(
    uploadId: string,
    outcome: { prepared: ImageVariantItem[] } | { rejection: NonNullable<ImageUploadItem['rejection']> },
  ): Promise<boolean> {
    const [field, value] = 'prepared' in outcome ? ['prepared', outcome.prepared] : ['rejection', outcome.rejection];
    return this.updateIf({
      Key: { uploadId },
      UpdateExpression: 'SET #field = :value',
      ConditionExpression: '#status = :pending',
      ExpressionAttributeNames: { '#field': field, '#status': 'status' },
      ExpressionAttributeValues: { ':value': value, ':pending': 'PENDING' },
    });
  }

  /** Ends a claim: ATTACHED or REJECTED for good, or PENDING again after a failure worth retrying. */
  async settle(uploadId: string, status: 'ATTACHED' | 'REJECTED' | 'PENDING'): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tables.uploads,
        Key: { uploadId },
        UpdateExpression: 'SET #status = :status REMOVE claimedAt',
        ConditionExpression: '#status = :attaching',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': status, ':attaching': 'ATTACHING' },
      }),
    );
  }

  /**
   * Uploads whose URL expired before `before` and that were never attached: PENDING ones, and
   * ATTACHING ones whose attach died (claimed longer than CLAIM_HOLD_MS ago).
   */
  async expiredUnattached(before: Date, limit: number): Promise<ImageUploadItem[]> {
    const found: ImageUploadItem[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.tables.uploads,
          FilterExpression: 'expiresAt < :before AND (#status = :pending OR (#status = :attaching AND claimedAt < :stale))',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':pending': 'PENDING',
            ':attaching': 'ATTACHING',
            ':before': before.toISOString(),
            ':stale': new Date(before.getTime() - CLAIM_HOLD_MS).toISOString(),
          },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) found.push(imageUploadItemSchema.parse(item));
      start = page.LastEvaluatedKey;
    } while (start && found.length < limit);
    return found.slice(0, limit);
  }

  /** Marks a swept upload EXPIRED, unless an attach took it meanwhile: true when this caller did. */
  async expire(upload: ImageUploadItem): Promise<boolean> {
    return this.updateIf({
      Key: { uploadId: upload.uploadId },
      UpdateExpression: 'SET #status = :expired REMOVE claimedAt',
      // The status it was read with: an attach that took it since keeps it.
      ConditionExpression: '#status = :seen AND (attribute_not_exists(claimedAt) OR claimedAt = :claimedAt)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':expired': 'EXPIRED', ':seen': upload.status, ':claimedAt': upload.claimedAt ?? '-' },
    });
  }

  /** Applies one conditional update to the uploads table: true when its condition held, false when not. */
  private async updateIf(update: Omit<UpdateCommandInput, 'TableName'>): Promise<boolean> {
    try {
      await this.client.send(new UpdateCommand({ TableName: this.tables.uploads, ...update }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
