# orders.events → the insights warehouse (subgraphs/insights/src/lambda/warehouse-sink.ts): BigQuery
# only, through GCP workload identity federation with this function's role (infra/gcp trusts it).
# It reads products' categories from the products table.
resource "aws_iam_role_policy" "warehouse_sink" {
  count  = local.enabled["insights-warehouse-sink"] ? 1 : 0
  name   = "${var.name}-insights-warehouse-sink"
  role   = aws_iam_role.consumer["insights-warehouse-sink"].id
  policy = data.aws_iam_policy_document.warehouse_sink[0].json
}

data "aws_iam_policy_document" "warehouse_sink" {
  count = local.enabled["insights-warehouse-sink"] ? 1 : 0
  source_policy_documents = [
    data.aws_iam_policy_document.consumer_basics["insights-warehouse-sink"].json,
    data.aws_iam_policy_document.kafka_consumer["insights-warehouse-sink"].json,
  ]
  statement {
    sid       = "ProductCategories"
    actions   = ["dynamodb:BatchGetItem"]
    resources = ["${local.table_arn}products"]
  }
}

resource "aws_lambda_function" "warehouse_sink" {
  count            = local.enabled["insights-warehouse-sink"] ? 1 : 0
  function_name    = "${var.name}-insights-warehouse-sink"
  role             = aws_iam_role.consumer["insights-warehouse-sink"].arn
  runtime          = "nodejs24.x"
  architectures    = ["x86_64"]
  handler          = "index.handler"
  filename         = local.zip["insights-warehouse-sink"]
  source_code_hash = filebase64sha256(local.zip["insights-warehouse-sink"])
  memory_size      = 512
  # A batch of 100 events, one BigQuery insert each, a partition's in order.
  timeout = 120

  environment {
    variables = {
      NODE_ENV                     = "production"
      LOG_LEVEL                    = "info"
      DYNAMODB_TABLE_PREFIX        = var.table_prefix
      BIGQUERY_PROJECT             = var.bigquery_project
      BIGQUERY_DATASET             = var.bigquery_dataset
      GCP_CREDENTIAL_CONFIGURATION = var.gcp_credential_configuration
    }
  }

  lifecycle {
    precondition {
      condition     = var.bigquery_project != ""
      error_message = "bigquery_project: the warehouse sink Lambda loads BigQuery (DuckDB cannot run in Lambda)."
    }
  }

  depends_on = [aws_cloudwatch_log_group.consumer, aws_iam_role_policy.warehouse_sink]
}

resource "aws_lambda_event_source_mapping" "warehouse_sink" {
  count            = local.enabled["insights-warehouse-sink"] ? 1 : 0
  function_name    = aws_lambda_function.warehouse_sink[0].arn
  event_source_arn = var.msk_cluster_arn
  topics           = [local.order_events_topic]
  # Only for a group with no committed offset: the whole topic, as the in-cluster consumer starts.
  starting_position                  = "TRIM_HORIZON"
  batch_size                         = 100
  maximum_batching_window_in_seconds = 1

  amazon_managed_kafka_event_source_config {
    consumer_group_id = local.kafka_consumer_groups["insights-warehouse-sink"]
  }

  # Provisioned mode: the error handling below needs it, and one poller per partition at most.
  provisioned_poller_config {
    minimum_pollers = 1
    maximum_pollers = 6
  }

  function_response_types        = ["ReportBatchItemFailures"]
  bisect_batch_on_function_error = true
  # A warehouse away longer than ten retries sends the rest to the failure queue, to be replayed.
  maximum_retry_attempts = 10

  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.failures["insights-warehouse-sink"].arn
    }
  }
}
