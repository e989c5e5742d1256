// The notifier as an AWS Lambda function on an Amazon MSK event source mapping on `orders.events`
// (infra/aws/modules/event-lambdas), for environments that run it outside the cluster: each record
// goes to the same Notifier.handle the in-cluster consumer calls, through the runtime's MSK adapter
// (partial batch responses, per-partition order). The mapping joins the in-cluster consumer group
// (NOTIFIER_CONSUMER_GROUP), so a switch resumes where the other left off; run one or the other
// (NOTIFIER_IN_CLUSTER=false on the service when the Lambda runs).
import { CloseStack, createLogger, orderEventsTopic } from '@cloudmart/runtime';
import { lazyHandler, mskEventHandler } from '@cloudmart/runtime/lambda';
import { loadNotifierSettings } from '../config';
import { openNotifier } from '../open-notifier';

export { NOTIFIER_CONSUMER_GROUP } from '../contract';

/**
 * The Lambda's entry point, built on the first invocation from the notifier's settings only (its
 * tables, the channels, the users service's internal API and secret, the shop's name and address).
 */
export const handler = lazyHandler(async () => {
  const settings = loadNotifierSettings(process.env);
  const log = createLogger('notifications-order-events', settings.LOG_LEVEL);
  // Lives as long as the container: Lambda freezes it between invocations and ends it without notice.
  const { notifier } = await openNotifier(settings, log, new CloseStack(), { createTables: false });
  return mskEventHandler({ topic: orderEventsTopic, handle: (event) => notifier.handle(event), log });
});
