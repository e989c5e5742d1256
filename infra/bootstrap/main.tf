# Run once per AWS account, with local state: the S3 bucket that holds every other stack's
# Terraform state (infra/aws, infra/gcp, infra/azure). Locking uses S3 conditional writes
# (use_lockfile, Terraform >= 1.10), so no DynamoDB lock table is needed.
#   terraform -chdir=infra/bootstrap init
#   terraform -chdir=infra/bootstrap apply -var state_bucket=cloudmart-tfstate-<account id>
terraform {
  required_version = ">= 1.10"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.95"
    }
  }
}

variable "region" {
  description = "Region of the state bucket."
  type        = string
  default     = "us-east-1"
}

variable "state_bucket" {
  description = "Globally unique name of the state bucket, e.g. cloudmart-tfstate-<account id>."
  type        = string
}

provider "aws" {
  region = var.region
  default_tags {
    tags = { Project = "cloudmart", Stack = "bootstrap" }
  }
}

resource "aws_s3_bucket" "state" {
  bucket = var.state_bucket
  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket_versioning" "state" {
  bucket = aws_s3_bucket.state.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "state" {
  bucket = aws_s3_bucket.state.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "state" {
  bucket                  = aws_s3_bucket.state.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

output "state_bucket" {
  description = "Pass as `bucket` in each stack's backend configuration (environments/*.s3.tfbackend)."
  value       = aws_s3_bucket.state.bucket
}
