import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { getItem, getItems } from '@cloudmart/runtime';
import { preferenceItemSchema, type PreferenceItem } from './items';

/** Each user's notification preferences; a user with no item has the defaults (email only). */
export class PreferenceStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  get(userId: string): Promise<PreferenceItem | null> {
    return getItem(this.client, this.table, { userId }, preferenceItemSchema);
  }

  /** For User.notificationPreferences: one BatchGetItem for every user in a gateway fetch. */
  getMany(userIds: readonly string[]): Promise<PreferenceItem[]> {
    return getItems(this.client, this.table, userIds.map((userId) => ({ userId })), preferenceItemSchema);
  }

  async put(item: PreferenceItem): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.table, Item: item }));
  }
}
