output "service_account_email" {
  description = "The service account the insights pods act as."
  value       = google_service_account.insights.email
}

output "workload_identity_provider" {
  description = "Pass to `gcloud iam workload-identity-pools create-cred-config <this> --aws --service-account <email>` to make the credential configuration file (docs/deploy.md)."
  value       = google_iam_workload_identity_pool_provider.aws.name
}

output "dataset" {
  description = "BIGQUERY_PROJECT and BIGQUERY_DATASET of the insights service."
  value       = "${var.project_id}.${google_bigquery_dataset.insights.dataset_id}"
}
