import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConversationConflictError } from './errors';
import { conversationItemSchema, type ConversationItem, type MessageItem } from './items';

/** Conversations, one item each, messages appended with optimistic concurrency on `version`. */
export class ConversationStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(id: string): Promise<ConversationItem | null> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { id }, ConsistentRead: true }),
    );
    return Item ? conversationItemSchema.parse(Item) : null;
  }

  async create(conversation: ConversationItem): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: conversation,
        ConditionExpression: 'attribute_not_exists(id)',
      }),
    );
  }

  /** Appends messages if the conversation is still at `version`; ConversationConflictError otherwise. */
  async append(
    conversation: ConversationItem,
    messages: MessageItem[],
    at: string,
  ): Promise<ConversationItem> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { id: conversation.id },
          UpdateExpression:
            'SET messages = list_append(messages, :messages), updatedAt = :at, version = :next',
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: {
            ':messages': messages,
            ':at': at,
            ':version': conversation.version,
            ':next': conversation.version + 1,
          },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConversationConflictError(`conversation ${conversation.id} changed`);
      }
      throw error;
    }
    return {
      ...conversation,
      messages: [...conversation.messages, ...messages],
      updatedAt: at,
      version: conversation.version + 1,
    };
  }
}
