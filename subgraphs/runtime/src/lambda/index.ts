// AWS Lambda adapters: a consumer that runs in the cluster (an event bus subscription, a table
// stream follower) also runs as a Lambda function on an event source mapping, on the same code.
export * from './open-once';
export * from './msk';
export * from './dynamodb-streams';
