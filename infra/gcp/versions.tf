terraform {
  required_version = ">= 1.10"

  # State in the same S3 bucket as infra/aws: terraform init -backend-config=environments/prod.s3.tfbackend
  backend "s3" {}

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.40"
    }
  }
}

provider "google" {
  project = var.project_id
  region  = var.region
}
