# The event consumers as AWS Lambda functions on event source mappings, for an environment that
# runs them outside the cluster (var.consumers; docs/deploy.md "Consumers: Lambda or in the
# cluster"). Each function is the handler module `npm run lambdas` zips (scripts/deploy/lambdas.ts),
# on the same code path as the in-cluster consumer, and each has its own role with only what it
# does, its log group, and a queue for what its mapping gives up on.
#
# Kafka consumers (MSK, orders.events): the mapping joins the in-cluster consumer's group, so a
# switch resumes from the group's committed offsets (Lambda ignores the starting position for a
# group that exists): turn the in-cluster consumer off first, since a group shared by both splits
# the partitions between them. The mapping reaches the brokers from the cluster's own subnets and
# security group with IAM authentication; the functions need no VPC of their own (they call
# DynamoDB, BigQuery, SES and SNS). Partial batch responses, bisection, retries and the failure
# queue need the mapping's provisioned mode (provisioned_poller_config).
#
# The DynamoDB Streams consumer (the products table's stream): one batch per shard at a time, in
# order; a failed record is named in the partial batch response and retried from, the batch is
# split on an error, and a record still failing after the retries goes to the failure queue.
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  account = data.aws_caller_identity.current.account_id
  region  = data.aws_region.current.name
  # The runtime's orderEventsTopic (test/deploy checks it).
  order_events_topic = "orders.events"
  table_arn          = "arn:aws:dynamodb:${local.region}:${local.account}:table/${var.table_prefix}"
  # arn:aws:kafka:<region>:<account>:cluster/<name>/<uuid> → topic/… and group/… ARNs share its tail.
  msk_tail = join("/", slice(split("/", var.msk_cluster_arn), 1, 3))
  # Each function's zip, by the name scripts/deploy/lambdas.ts gives it.
  functions = toset(["insights-warehouse-sink", "insights-review-sentiment", "notifications-order-events"])
  enabled   = { for function in local.functions : function => contains(var.consumers, function) }
  zip       = { for function in local.functions : function => "${var.lambda_zips_dir}/${function}.zip" }
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "consumer" {
  for_each           = var.consumers
  name               = "${var.name}-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

resource "aws_cloudwatch_log_group" "consumer" {
  for_each          = var.consumers
  name              = "/aws/lambda/${var.name}-${each.key}"
  retention_in_days = 30
}

# What a mapping gives up on (retries spent): the record's coordinates (topic, partition and offsets;
# shard and sequence numbers) for an operator to replay.
resource "aws_sqs_queue" "failures" {
  for_each                  = var.consumers
  name                      = "${var.name}-${each.key}-failures"
  message_retention_seconds = 1209600 # 14 days, the most SQS keeps
  sqs_managed_sse_enabled   = true
}

# What every function does: write its logs, and (its mapping, with the function's role) hand a
# batch it gives up on to its failure queue.
data "aws_iam_policy_document" "consumer_basics" {
  for_each = var.consumers
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.consumer[each.key].arn}:*"]
  }
  statement {
    sid       = "FailedRecords"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.failures[each.key].arn]
  }
}

locals {
  # The Kafka consumers and their consumer groups: the in-cluster consumers' own (insights'
  # WAREHOUSE_CONSUMER_GROUP; the notifier's), so one takes over where the other stopped.
  kafka_consumer_groups = {
    "insights-warehouse-sink"    = "insights-warehouse"
    "notifications-order-events" = var.notifications_consumer_group
  }
}

# What a Kafka mapping does with its function's role: find the brokers, put its pollers' network
# interfaces in the cluster's subnets, connect with IAM authentication, read orders.events and
# commit its group's offsets. Describe* on EC2 has no resource-level permissions, hence "*" there.
data "aws_iam_policy_document" "kafka_consumer" {
  for_each = { for function, group in local.kafka_consumer_groups : function => group if local.enabled[function] }
  statement {
    sid       = "FindBrokers"
    actions   = ["kafka:DescribeClusterV2", "kafka:GetBootstrapBrokers"]
    resources = [var.msk_cluster_arn]
  }
  statement {
    sid       = "PollerNetworkInterfaces"
    actions   = ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs"]
    resources = ["*"]
  }
  statement {
    sid       = "Connect"
    actions   = ["kafka-cluster:Connect", "kafka-cluster:DescribeClusterDynamicConfiguration"]
    resources = [var.msk_cluster_arn]
  }
  statement {
    sid       = "ReadOrderEvents"
    actions   = ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"]
    resources = ["arn:aws:kafka:${local.region}:${local.account}:topic/${local.msk_tail}/${local.order_events_topic}"]
  }
  statement {
    sid       = "ConsumerGroup"
    actions   = ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"]
    resources = ["arn:aws:kafka:${local.region}:${local.account}:group/${local.msk_tail}/${each.value}"]
  }
}
