import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { optionalUrlSchema } from '../config';

/** Variables of every subgraph that stores data in DynamoDB. */
export const dynamoConfigSchema = z.object({
  AWS_REGION: z.string().min(1).default('us-east-1'),
  /** DynamoDB Local's URL (npm start and the tests set it); unset in production. */
  DYNAMODB_ENDPOINT: optionalUrlSchema,
  /** Prefix of every table name, so several environments can share one account. */
  DYNAMODB_TABLE_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]*$/).default('cloudmart-'),
});

export type DynamoConfig = z.infer<typeof dynamoConfigSchema>;

/**
 * A DocumentClient for the configured region. Against DynamoDB Local, static credentials are
 * used unless real ones are in the environment (DynamoDB Local accepts any key of letters and
 * digits); in AWS the SDK's default chain (IRSA on EKS) supplies them.
 */
export function createDocumentClient(config: DynamoConfig): DynamoDBDocumentClient {
  const local = config.DYNAMODB_ENDPOINT !== undefined;
  const client = new DynamoDBClient({
    region: config.AWS_REGION,
    endpoint: config.DYNAMODB_ENDPOINT,
    ...(local && !process.env.AWS_ACCESS_KEY_ID
      ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
