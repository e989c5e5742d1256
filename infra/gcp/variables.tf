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

variable "eks_oidc_issuer" {
  description = "The EKS cluster's OIDC issuer without https:// (terraform -chdir=infra/aws output -raw eks_oidc_issuer)."
  type        = string
}

variable "k8s_namespace" {
  description = "Namespace of the insights ServiceAccount (k8s/overlays/<env>)."
  type        = string
  default     = "cloudmart"
}

variable "token_audience" {
  description = "Audience of the insights pods' projected token (scripts/deploy/services.ts GCP_FEDERATION_TOKEN)."
  type        = string
  default     = "cloudmart-gcp-workload-identity"
}

variable "token_path" {
  description = "Where the insights pods find that token (GCP_FEDERATION_TOKEN's mountPath + /token)."
  type        = string
  default     = "/var/run/secrets/cloudmart/gcp/token"
}

variable "deletion_protection" {
  description = "Keep the BigQuery tables from being deleted by Terraform."
  type        = bool
  default     = true
}
