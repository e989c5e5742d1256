# The analytics side of the insights subgraph: a BigQuery dataset and its tables (generated from
# the insights warehouse's table definitions into bigquery-tables.tf.json), and a service account
# that the insights pods reach without any key: workload identity federation trusts the EKS
# cluster's ServiceAccount tokens, and the Google client exchanges the pod's token (a file, named by
# the credential configuration that GOOGLE_APPLICATION_CREDENTIALS points to) for a short-lived one.

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

# Trusts the EKS cluster's OIDC issuer: the insights pods present a projected ServiceAccount token
# (audience var.token_audience, k8s/base/services/insights.yaml) and nothing else can pass the
# condition. The pods' AWS credentials (IRSA) cannot serve here: Google's client reads AWS
# credentials from static variables or the instance metadata, which is the node's role, not the pod's.
resource "google_iam_workload_identity_pool_provider" "eks" {
  workload_identity_pool_id          = google_iam_workload_identity_pool.aws.workload_identity_pool_id
  workload_identity_pool_provider_id = "eks"
  display_name                       = "EKS cluster's service accounts"
  oidc {
    issuer_uri        = "https://${var.eks_oidc_issuer}"
    allowed_audiences = [var.token_audience]
  }
  attribute_mapping = {
    "google.subject" = "assertion.sub"
  }
  attribute_condition = "assertion.sub == '${local.insights_subject}'"
}

locals {
  insights_subject = "system:serviceaccount:${var.k8s_namespace}:insights"
}

resource "google_service_account_iam_member" "insights_pods_impersonate" {
  service_account_id = google_service_account.insights.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principal://iam.googleapis.com/${google_iam_workload_identity_pool.aws.name}/subject/${local.insights_subject}"
}
