terraform {
  required_version = ">= 1.10"

  # Remote state in the bucket made by infra/bootstrap. The rest of the settings come from
  # environments/<env>.s3.tfbackend: terraform init -backend-config=environments/prod.s3.tfbackend
  backend "s3" {}

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.95"
    }
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = {
      Project     = "cloudmart"
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}
