terraform {
  required_version = ">= 1.10"

  # State in the same S3 bucket as infra/aws: terraform init -backend-config=environments/prod.s3.tfbackend
  backend "s3" {}

  required_providers {
    kafka = {
      source  = "Mongey/kafka"
      version = "~> 0.13"
    }
  }
}

# The brokers are private to the VPC: apply from a machine inside it (docs/deploy.md). The
# provider signs in with IAM (SASL/OAUTHBEARER over TLS on 9098) as the caller's AWS identity.
provider "kafka" {
  bootstrap_servers = split(",", var.bootstrap_brokers)
  tls_enabled       = true
  sasl_mechanism    = "aws-iam"
  sasl_aws_region   = var.region
}
