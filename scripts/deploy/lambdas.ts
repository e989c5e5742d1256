// The AWS Lambda functions the deployment runs, each the handler of one workspace's module: what
// `npm run lambdas` bundles into dist/lambdas/<name>.zip and infra/aws deploys.

export interface LambdaFunction {
  /** The function's name after the deployment's prefix, and its zip's name. */
  name: string;
  workspace: string;
  /** The module exporting `handler`, relative to the workspace. */
  entry: string;
  /**
   * Packages with native code, shipped in the zip's node_modules as installed for linux-x64
   * instead of bundled (with the packages they need at run time).
   */
  nativePackages: string[];
}

export const lambdaFunctions: LambdaFunction[] = [
  {
    // The media bucket's ObjectCreated events on uploads/ → the product image variants (issue 20).
    name: 'products-upload-variants',
    workspace: 'subgraphs/products',
    entry: 'src/lambda/upload-variants.ts',
    nativePackages: ['sharp'],
  },
  {
    // orders.events (MSK) → the insights warehouse, where an environment runs the sink as a Lambda
    // (issue 19; infra/aws/modules/event-lambdas). BigQuery only: the module never imports the
    // DuckDB adapter, whose native library a Lambda could not use anyway (docs/deploy.md).
    name: 'insights-warehouse-sink',
    workspace: 'subgraphs/insights',
    entry: 'src/lambda/warehouse-sink.ts',
    nativePackages: [],
  },
  {
    // The products table's stream → review sentiment (issue 19), likewise.
    name: 'insights-review-sentiment',
    workspace: 'subgraphs/insights',
    entry: 'src/lambda/review-sentiment.ts',
    nativePackages: [],
  },
  {
    // orders.events (MSK) → order emails and texts, where an environment runs the notifier as a Lambda (issue 19).
    name: 'notifications-order-events',
    workspace: 'subgraphs/notifications',
    entry: 'src/lambda/order-events.ts',
    nativePackages: [],
  },
];
