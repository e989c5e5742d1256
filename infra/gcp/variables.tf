variable "project_id" {
  description = "GCP project that holds the BigQuery dataset (BIGQUERY_PROJECT of the insights service)."
  type        = string
}

variable "region" {
  description = "Default region of the provider."
  type        = string
  default     = "us-central1"
}

variable "location" {
  description = "BigQuery dataset location (BIGQUERY_LOCATION)."
  type        = string
  default     = "US"
}

variable "dataset_id" {
  description = "BigQuery dataset (BIGQUERY_DATASET)."
  type        = string
  default     = "cloudmart_insights"
}

variable "aws_account_id" {
  description = "The AWS account whose insights IAM role (IRSA) may act as the service account."
  type        = string
}

variable "aws_role_name" {
  description = "That IAM role's name (infra/aws makes <name>-insights)."
  type        = string
  default     = "cloudmart-insights"
}

variable "deletion_protection" {
  description = "Keep the BigQuery tables from being deleted by Terraform."
  type        = bool
  default     = true
}
