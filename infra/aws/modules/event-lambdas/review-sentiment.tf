# The products table's stream → review sentiment (subgraphs/insights/src/lambda/review-sentiment.ts):
# reads the new reviews, analyses them with the local (in-process) analyser, stores each result.
resource "aws_iam_role_policy" "review_sentiment" {
  count  = local.enabled["insights-review-sentiment"] ? 1 : 0
  name   = "${var.name}-insights-review-sentiment"
  role   = aws_iam_role.consumer["insights-review-sentiment"].id
  policy = data.aws_iam_policy_document.review_sentiment[0].json
}

data "aws_iam_policy_document" "review_sentiment" {
  count                   = local.enabled["insights-review-sentiment"] ? 1 : 0
  source_policy_documents = [data.aws_iam_policy_document.consumer_basics["insights-review-sentiment"].json]
  # The mapping reads the stream with the function's role. ListStreams has no resource-level permissions.
  statement {
    sid       = "ReadProductsStream"
    actions   = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"]
    resources = [var.products_stream_arn]
  }
  statement {
    sid       = "ListStreams"
    actions   = ["dynamodb:ListStreams"]
    resources = ["*"]
  }
  statement {
    sid       = "ReadReviews"
    actions   = ["dynamodb:BatchGetItem"]
    resources = ["${local.table_arn}product-reviews"]
  }
  statement {
    sid       = "ReviewSentiment"
    actions   = ["dynamodb:BatchGetItem", "dynamodb:PutItem"]
    resources = ["${local.table_arn}review-sentiment"]
  }
}

resource "aws_lambda_function" "review_sentiment" {
  count            = local.enabled["insights-review-sentiment"] ? 1 : 0
  function_name    = "${var.name}-insights-review-sentiment"
  role             = aws_iam_role.consumer["insights-review-sentiment"].arn
  runtime          = "nodejs24.x"
  architectures    = ["x86_64"]
  handler          = "index.handler"
  filename         = local.zip["insights-review-sentiment"]
  source_code_hash = filebase64sha256(local.zip["insights-review-sentiment"])
  # The lexicon model loads in ~1 s on a cold start; CPU comes with memory.
  memory_size = 1024
  timeout     = 60

  environment {
    variables = {
      NODE_ENV              = "production"
      LOG_LEVEL             = "info"
      DYNAMODB_TABLE_PREFIX = var.table_prefix
      # Azure AI Language would need its key in the function: not wired (docs/deploy.md).
      SENTIMENT_ANALYZER = "local"
    }
  }

  depends_on = [aws_cloudwatch_log_group.consumer, aws_iam_role_policy.review_sentiment]
}

resource "aws_lambda_event_source_mapping" "review_sentiment" {
  count            = local.enabled["insights-review-sentiment"] ? 1 : 0
  function_name    = aws_lambda_function.review_sentiment[0].arn
  event_source_arn = var.products_stream_arn
  # The stream's last 24 h: what the in-cluster follower handled before the switch is skipped
  # (those reviews have a sentiment), and nothing written during the switch is missed.
  starting_position                  = "TRIM_HORIZON"
  batch_size                         = 25
  maximum_batching_window_in_seconds = 1

  function_response_types        = ["ReportBatchItemFailures"]
  bisect_batch_on_function_error = true
  maximum_retry_attempts         = 5
  # Stream records live 24 h: one that old is past saving by retries.
  maximum_record_age_in_seconds = 86400

  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.failures["insights-review-sentiment"].arn
    }
  }
}
