terraform {
  required_version = ">= 1.10"

  # State in the same S3 bucket as infra/aws: terraform init -backend-config=environments/prod.s3.tfbackend
  backend "s3" {}

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.35"
    }
  }
}

provider "azurerm" {
  features {}
  subscription_id = var.subscription_id
}
