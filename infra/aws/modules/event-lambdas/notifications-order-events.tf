# orders.events → the notifier (subgraphs/notifications/src/lambda/order-events.ts): its tables
# (notifications, notification preferences), email through SES and SMS through SNS.
resource "aws_iam_role_policy" "notifications_order_events" {
  count  = local.enabled["notifications-order-events"] ? 1 : 0
  name   = "${var.name}-notifications-order-events"
  role   = aws_iam_role.consumer["notifications-order-events"].id
  policy = data.aws_iam_policy_document.notifications_order_events[0].json
}

data "aws_iam_policy_document" "notifications_order_events" {
  count = local.enabled["notifications-order-events"] ? 1 : 0
  source_policy_documents = [
    data.aws_iam_policy_document.consumer_basics["notifications-order-events"].json,
    data.aws_iam_policy_document.kafka_consumer["notifications-order-events"].json,
  ]
  statement {
    sid     = "NotificationTables"
    actions = ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"]
    resources = [
      "${local.table_arn}notifications",
      "${local.table_arn}notifications/index/*",
      "${local.table_arn}notification-preferences",
    ]
  }
  # The order and its products' names, for the message: read only, by those tables' owners' contracts.
  statement {
    sid       = "OrderAndProductReads"
    actions   = ["dynamodb:BatchGetItem", "dynamodb:GetItem"]
    resources = ["${local.table_arn}orders", "${local.table_arn}products"]
  }
  # SES checks the sending identity and, when SES_CONFIGURATION_SET is set, the configuration set.
  statement {
    sid       = "Email"
    actions   = ["ses:SendEmail"]
    resources = ["arn:aws:ses:${local.region}:${local.account}:identity/*", "arn:aws:ses:${local.region}:${local.account}:configuration-set/*"]
  }
  # An SMS is published to a phone number, which has no ARN.
  statement {
    sid       = "Sms"
    actions   = ["sns:Publish"]
    resources = ["*"]
  }
}

resource "aws_lambda_function" "notifications_order_events" {
  count            = local.enabled["notifications-order-events"] ? 1 : 0
  function_name    = "${var.name}-notifications-order-events"
  role             = aws_iam_role.consumer["notifications-order-events"].arn
  runtime          = "nodejs24.x"
  architectures    = ["x86_64"]
  handler          = "index.handler"
  filename         = local.zip["notifications-order-events"]
  source_code_hash = filebase64sha256(local.zip["notifications-order-events"])
  memory_size      = 512
  timeout          = 60

  environment {
    variables = merge(var.notifications_environment, {
      NODE_ENV              = "production"
      LOG_LEVEL             = "info"
      DYNAMODB_TABLE_PREFIX = var.table_prefix
    })
  }

  depends_on = [aws_cloudwatch_log_group.consumer, aws_iam_role_policy.notifications_order_events]
}

resource "aws_lambda_event_source_mapping" "notifications_order_events" {
  count                              = local.enabled["notifications-order-events"] ? 1 : 0
  function_name                      = aws_lambda_function.notifications_order_events[0].arn
  event_source_arn                   = var.msk_cluster_arn
  topics                             = [local.order_events_topic]
  starting_position                  = "LATEST" # a new notifier has no business mailing about old orders
  batch_size                         = 50
  maximum_batching_window_in_seconds = 1

  amazon_managed_kafka_event_source_config {
    consumer_group_id = local.kafka_consumer_groups["notifications-order-events"]
  }

  provisioned_poller_config {
    minimum_pollers = 1
    maximum_pollers = 6
  }

  function_response_types        = ["ReportBatchItemFailures"]
  bisect_batch_on_function_error = true
  maximum_retry_attempts         = 10

  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.failures["notifications-order-events"].arn
    }
  }
}
