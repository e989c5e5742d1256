# IAM roles for service accounts: each service's pods assume <name>-<service> through the
# cluster's OIDC provider (ServiceAccount <namespace>/<service>, annotated in k8s/). A role may
# reach only its own DynamoDB tables (with their indexes and streams), read the tables of others it
# reads, Bedrock when the service calls it, MSK topics and groups when it uses Kafka, and the media
# bucket's objects when it reads MEDIA_BUCKET (products), SES and SNS when it sends email and texts
# through them (notifications). Also the roles of External Secrets
# Operator (read <name>/* secrets) and of the AWS Load Balancer Controller.
variable "name" {
  type = string
}

variable "namespace" {
  type = string
}

variable "oidc_provider_arn" {
  type = string
}

variable "oidc_provider" {
  type = string
}

variable "services" {
  type = map(object({
    dynamodb_tables      = list(string)
    dynamodb_read_tables = list(string)
    bedrock              = bool
    kafka                = bool
    media                = bool
    ses                  = bool
    sns                  = bool
    secret_keys          = list(string)
  }))
}

variable "table_prefix" {
  type = string
}

variable "region" {
  type = string
}

variable "bedrock_model_arns" {
  type = list(string)
}

variable "msk_cluster_arn" {
  type = string
}

variable "secret_arns" {
  type = list(string)
}

variable "media_object_arns" {
  description = "The media bucket's objects (ARN patterns, bucket/prefix*) a service with `media = true` may put, read and delete."
  type        = list(string)
}

data "aws_caller_identity" "current" {}

locals {
  account = data.aws_caller_identity.current.account_id
  # arn:aws:kafka:<region>:<account>:cluster/<name>/<uuid> → topic/… and group/… ARNs share its tail.
  msk_tail = join("/", slice(split("/", var.msk_cluster_arn), 1, 3))
}

data "aws_iam_policy_document" "trust" {
  for_each = toset(concat(keys(var.services), ["external-secrets"]))
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.oidc_provider}:sub"
      values   = ["system:serviceaccount:${var.namespace}:${each.key}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.oidc_provider}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "service" {
  for_each           = var.services
  name               = "${var.name}-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.trust[each.key].json
}

data "aws_iam_policy_document" "service" {
  for_each = { for service, settings in var.services : service => settings if length(settings.dynamodb_tables) > 0 || length(settings.dynamodb_read_tables) > 0 || settings.bedrock || settings.kafka || settings.media || settings.ses || settings.sns }

  dynamic "statement" {
    for_each = length(each.value.dynamodb_tables) > 0 ? [1] : []
    content {
      sid = "DynamoDBTables"
      actions = [
        "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem",
        "dynamodb:DeleteItem", "dynamodb:DescribeTable", "dynamodb:DescribeTimeToLive",
        "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:UpdateItem",
        "dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams",
      ]
      resources = flatten([
        for suffix in each.value.dynamodb_tables : [
          "arn:aws:dynamodb:${var.region}:${local.account}:table/${var.table_prefix}${suffix}",
          "arn:aws:dynamodb:${var.region}:${local.account}:table/${var.table_prefix}${suffix}/index/*",
          "arn:aws:dynamodb:${var.region}:${local.account}:table/${var.table_prefix}${suffix}/stream/*",
        ]
      ])
    }
  }

  # Other services' tables it reads (recommendations: the catalog; insights: orders, products and
  # reviews, whose stream it follows): reads only, never a write.
  dynamic "statement" {
    for_each = length(each.value.dynamodb_read_tables) > 0 ? [1] : []
    content {
      sid = "DynamoDBReadOnlyTables"
      actions = [
        "dynamodb:BatchGetItem", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan",
        "dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams",
      ]
      resources = flatten([
        for suffix in each.value.dynamodb_read_tables : [
          "arn:aws:dynamodb:${var.region}:${local.account}:table/${var.table_prefix}${suffix}",
          "arn:aws:dynamodb:${var.region}:${local.account}:table/${var.table_prefix}${suffix}/index/*",
          "arn:aws:dynamodb:${var.region}:${local.account}:table/${var.table_prefix}${suffix}/stream/*",
        ]
      ])
    }
  }

  dynamic "statement" {
    for_each = each.value.bedrock ? [1] : []
    content {
      sid       = "Bedrock"
      actions   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream", "bedrock:Converse", "bedrock:ConverseStream"]
      resources = var.bedrock_model_arns
    }
  }

  dynamic "statement" {
    for_each = each.value.kafka ? [1] : []
    content {
      sid     = "Kafka"
      # WriteDataIdempotently: the producer is idempotent; DeleteGroup: a gateway replica's own
      # consumer group goes when the replica stops.
      actions = ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster", "kafka-cluster:DescribeTopic", "kafka-cluster:ReadData", "kafka-cluster:WriteData", "kafka-cluster:WriteDataIdempotently", "kafka-cluster:CreateTopic", "kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup", "kafka-cluster:DeleteGroup"]
      resources = [
        var.msk_cluster_arn,
        "arn:aws:kafka:${var.region}:${local.account}:topic/${local.msk_tail}/*",
        "arn:aws:kafka:${var.region}:${local.account}:group/${local.msk_tail}/*",
      ]
    }
  }

  # Objects only, never the bucket: no listing, no bucket settings. Put for the presigned uploads
  # the service signs with this role (S3 checks the signer's rights) and for the variants it
  # writes, Get to read an original (HeadObject too), Delete to drop an original once it is used;
  # on products/ as well, since the variants are the service's own.
  dynamic "statement" {
    for_each = each.value.media ? [1] : []
    content {
      sid       = "S3Objects"
      actions   = ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"]
      resources = var.media_object_arns
    }
  }

  # Email as the account's verified identities (the sender, EMAIL_FROM) and, when one is named
  # (SES_CONFIGURATION_SET), a configuration set: SES authorizes SendEmail on both.
  dynamic "statement" {
    for_each = each.value.ses ? [1] : []
    content {
      sid       = "SesSendEmail"
      actions   = ["ses:SendEmail"]
      resources = ["arn:aws:ses:${var.region}:${local.account}:identity/*", "arn:aws:ses:${var.region}:${local.account}:configuration-set/*"]
    }
  }

  # A text is published to a phone number, which has no ARN: the resource can only be "*".
  dynamic "statement" {
    for_each = each.value.sns ? [1] : []
    content {
      sid       = "SnsSms"
      actions   = ["sns:Publish"]
      resources = ["*"]
    }
  }
}

resource "aws_iam_role_policy" "service" {
  for_each = data.aws_iam_policy_document.service
  name     = "${var.name}-${each.key}"
  role     = aws_iam_role.service[each.key].id
  policy   = each.value.json
}

resource "aws_iam_role" "external_secrets" {
  name               = "${var.name}-external-secrets"
  assume_role_policy = data.aws_iam_policy_document.trust["external-secrets"].json
}

data "aws_iam_policy_document" "external_secrets" {
  statement {
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = var.secret_arns
  }
}

resource "aws_iam_role_policy" "external_secrets" {
  name   = "${var.name}-external-secrets"
  role   = aws_iam_role.external_secrets.id
  policy = data.aws_iam_policy_document.external_secrets.json
}

module "load_balancer_controller" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "~> 5.55"

  role_name                              = "${var.name}-aws-load-balancer-controller"
  attach_load_balancer_controller_policy = true
  oidc_providers = {
    main = {
      provider_arn               = var.oidc_provider_arn
      namespace_service_accounts = ["kube-system:aws-load-balancer-controller"]
    }
  }
}

output "role_arns" {
  value = merge(
    { for service, role in aws_iam_role.service : service => role.arn },
    {
      "external-secrets"             = aws_iam_role.external_secrets.arn
      "aws-load-balancer-controller" = module.load_balancer_controller.iam_role_arn
    },
  )
}
