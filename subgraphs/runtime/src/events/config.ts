import { z } from 'zod';
import { dynamoConfigSchema } from '../dynamodb/client';

/** Variables of every service that publishes or consumes events. */
export const eventBusConfigSchema = z.object({
  /**
   * `file`: the zero-install default, a log under DATA_DIR/events shared by this machine's
   * processes (not Kafka); `in-process`: one process's memory (not durable); `kafka`: KAFKA_BROKERS.
   */
  EVENT_BUS: z.enum(['file', 'in-process', 'kafka']).default('file'),
  /** Comma-separated host:port list; required when EVENT_BUS=kafka. */
  KAFKA_BROKERS: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .transform((list) => list.split(',').map((broker) => broker.trim()).filter(Boolean))
      .pipe(z.array(z.string().regex(/^[^\s:]+:\d+$/, 'expected host:port')).min(1))
      .optional(),
  ),
  KAFKA_CLIENT_ID: z.string().min(1).default('cloudmart'),
  /**
   * How clients authenticate to the brokers: `none` (plaintext, as the local mock cluster), or
   * `aws-msk-iam` (Amazon MSK's IAM auth: SASL/OAUTHBEARER over TLS, tokens signed for AWS_REGION
   * with the SDK's default credentials, IRSA on EKS).
   */
  KAFKA_SASL: z.enum(['none', 'aws-msk-iam']).default('none'),
  /** The same setting as the DynamoDB subgraphs': MSK IAM tokens are signed for this region. */
  AWS_REGION: dynamoConfigSchema.shape.AWS_REGION,
});

export type EventBusConfig = z.infer<typeof eventBusConfigSchema>;
