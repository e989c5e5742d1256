# The analytics side of the insights subgraph: a BigQuery dataset and its tables (generated from
# the insights warehouse's table definitions into bigquery-tables.tf.json), and a service account
# that the insights pods reach without any key: workload identity federation trusts their AWS IAM
# role (IRSA), and the Google client exchanges its AWS credentials for a short-lived token.

resource "google_project_service" "apis" {
  for_each           = toset(["bigquery.googleapis.com", "iam.googleapis.com", "iamcredentials.googleapis.com", "sts.googleapis.com"])
  service            = each.key
  disable_on_destroy = false
}

resource "google_bigquery_dataset" "insights" {
  dataset_id  = var.dataset_id
  location    = var.location
  description = "CloudMart order facts loaded by the insights subgraph."
  depends_on  = [google_project_service.apis]
}

resource "google_service_account" "insights" {
  account_id   = "cloudmart-insights"
  display_name = "CloudMart insights subgraph (from AWS via workload identity federation)"
}

resource "google_bigquery_dataset_iam_member" "insights_editor" {
  dataset_id = google_bigquery_dataset.insights.dataset_id
  role       = "roles/bigquery.dataEditor"
  member     = "serviceAccount:${google_service_account.insights.email}"
}

resource "google_project_iam_member" "insights_jobs" {
  project = var.project_id
  role    = "roles/bigquery.jobUser"
  member  = "serviceAccount:${google_service_account.insights.email}"
}

resource "google_iam_workload_identity_pool" "aws" {
  workload_identity_pool_id = "cloudmart-aws"
  display_name              = "CloudMart on AWS"
  depends_on                = [google_project_service.apis]
}

resource "google_iam_workload_identity_pool_provider" "aws" {
  workload_identity_pool_id          = google_iam_workload_identity_pool.aws.workload_identity_pool_id
  workload_identity_pool_provider_id = "aws"
  display_name                       = "AWS account ${var.aws_account_id}"
  aws {
    account_id = var.aws_account_id
  }
  attribute_mapping = {
    "google.subject"     = "assertion.arn"
    "attribute.aws_role" = "assertion.arn.contains('assumed-role') ? assertion.arn.extract('{account_arn}assumed-role/') + 'assumed-role/' + assertion.arn.extract('assumed-role/{role_name}/') : assertion.arn"
  }
  attribute_condition = "attribute.aws_role == 'arn:aws:sts::${var.aws_account_id}:assumed-role/${var.aws_role_name}'"
}

resource "google_service_account_iam_member" "aws_role_impersonates" {
  service_account_id = google_service_account.insights.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/${google_iam_workload_identity_pool.aws.name}/attribute.aws_role/arn:aws:sts::${var.aws_account_id}:assumed-role/${var.aws_role_name}"
}
