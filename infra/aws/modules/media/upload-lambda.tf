# The variant-making step as a Lambda on the bucket's ObjectCreated events under uploads/
# (subgraphs/products/src/lambda/upload-variants.ts, packaged by `npm run lambdas`): an admin's file
# is processed as soon as it lands, and attachProductImage only appends the variants it recorded.
# Without it the products service does the same work during the attach, so the Lambda speeds
# attaches up and can fail without losing anything: S3 invokes it asynchronously, Lambda retries an
# event twice, and an event that still fails goes to a queue an operator can read.
data "aws_region" "current" {}

locals {
  upload_lambda_name = "${var.name}-products-upload-variants"
}

resource "aws_sqs_queue" "upload_lambda_failures" {
  name                      = "${local.upload_lambda_name}-failures"
  message_retention_seconds = 1209600 # 14 days, the most SQS keeps
  sqs_managed_sse_enabled   = true
}

resource "aws_cloudwatch_log_group" "upload_lambda" {
  name              = "/aws/lambda/${local.upload_lambda_name}"
  retention_in_days = 30
}

data "aws_iam_policy_document" "upload_lambda_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "upload_lambda" {
  name               = local.upload_lambda_name
  assume_role_policy = data.aws_iam_policy_document.upload_lambda_trust.json
}

# What the function does and nothing more: read an original, write variants, read and update its
# upload's record, log, and hand a failed event to its queue.
data "aws_iam_policy_document" "upload_lambda" {
  statement {
    sid       = "ReadOriginals"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.media.arn}/${local.uploads_prefix}*"]
  }
  statement {
    sid       = "WriteVariants"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.media.arn}/${local.products_prefix}*"]
  }
  statement {
    sid       = "UploadRecords"
    actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
    resources = ["arn:aws:dynamodb:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:table/${var.uploads_table_name}"]
  }
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.upload_lambda.arn}:*"]
  }
  statement {
    sid       = "FailedEvents"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.upload_lambda_failures.arn]
  }
}

resource "aws_iam_role_policy" "upload_lambda" {
  name   = local.upload_lambda_name
  role   = aws_iam_role.upload_lambda.id
  policy = data.aws_iam_policy_document.upload_lambda.json
}

resource "aws_lambda_function" "upload_variants" {
  function_name    = local.upload_lambda_name
  role             = aws_iam_role.upload_lambda.arn
  runtime          = "nodejs24.x"
  architectures    = ["x86_64"] # the zip carries sharp's linux-x64 build
  handler          = "index.handler"
  filename         = var.upload_lambda_zip
  source_code_hash = filebase64sha256(var.upload_lambda_zip)
  # Decoding a 40-megapixel image takes ~160 MB, and Lambda gives CPU in proportion to memory.
  memory_size = 2048
  timeout     = 60
  # A bound on what a burst of uploads can cost; events beyond it wait and are retried.
  reserved_concurrent_executions = 10

  environment {
    variables = {
      NODE_ENV              = "production"
      LOG_LEVEL             = "info"
      MEDIA_BUCKET          = aws_s3_bucket.media.bucket
      DYNAMODB_TABLE_PREFIX = var.table_prefix
    }
  }

  depends_on = [aws_cloudwatch_log_group.upload_lambda, aws_iam_role_policy.upload_lambda]
}

resource "aws_lambda_function_event_invoke_config" "upload_variants" {
  function_name                = aws_lambda_function.upload_variants.function_name
  maximum_retry_attempts       = 2
  maximum_event_age_in_seconds = 3600 # the upload URL lives 10 minutes; an older event helps nobody

  destination_config {
    on_failure {
      destination = aws_sqs_queue.upload_lambda_failures.arn
    }
  }
}

resource "aws_lambda_permission" "upload_variants_from_s3" {
  statement_id   = "AllowMediaBucket"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.upload_variants.function_name
  principal      = "s3.amazonaws.com"
  source_arn     = aws_s3_bucket.media.arn
  source_account = data.aws_caller_identity.current.account_id
}

resource "aws_s3_bucket_notification" "uploads" {
  bucket = aws_s3_bucket.media.id

  lambda_function {
    lambda_function_arn = aws_lambda_function.upload_variants.arn
    events              = ["s3:ObjectCreated:*"]
    filter_prefix       = local.uploads_prefix
  }

  depends_on = [aws_lambda_permission.upload_variants_from_s3]
}
