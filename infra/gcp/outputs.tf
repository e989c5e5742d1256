output "service_account_email" {
  description = "The service account the insights pods act as."
  value       = google_service_account.insights.email
}

output "workload_identity_provider" {
  description = "The pool provider that trusts the insights pods' ServiceAccount tokens."
  value       = google_iam_workload_identity_pool_provider.eks.name
}

output "credential_configuration" {
  description = "GOOGLE_APPLICATION_CREDENTIALS of the insights pods (no secret in it): the property credentials.json of the secret cloudmart/insights-gcp-credentials (docs/deploy.md)."
  value = jsonencode({
    type                              = "external_account"
    audience                          = "//iam.googleapis.com/${google_iam_workload_identity_pool_provider.eks.name}"
    subject_token_type                = "urn:ietf:params:oauth:token-type:jwt"
    token_url                         = "https://sts.googleapis.com/v1/token"
    service_account_impersonation_url = "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${google_service_account.insights.email}:generateAccessToken"
    credential_source = {
      file   = var.token_path
      format = { type = "text" }
    }
  })
}

output "dataset" {
  description = "BIGQUERY_PROJECT and BIGQUERY_DATASET of the insights service."
  value       = "${var.project_id}.${google_bigquery_dataset.insights.dataset_id}"
}
