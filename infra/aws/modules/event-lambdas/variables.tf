variable "name" {
  description = "Prefix of the resource names (<project>-<environment>)."
  type        = string
}

variable "consumers" {
  description = "The consumers this environment runs as Lambda functions (the others run in the cluster): any of insights-warehouse-sink, insights-review-sentiment, notifications-order-events."
  type        = set(string)

  validation {
    condition     = alltrue([for consumer in var.consumers : contains(["insights-warehouse-sink", "insights-review-sentiment", "notifications-order-events"], consumer)])
    error_message = "consumers: only insights-warehouse-sink, insights-review-sentiment and notifications-order-events run as Lambda functions."
  }
}

variable "lambda_zips_dir" {
  description = "Where `npm run lambdas` wrote the functions' zips (dist/lambdas/<function>.zip); read only for the consumers turned on."
  type        = string
}

variable "table_prefix" {
  description = "DYNAMODB_TABLE_PREFIX, as the services have it: the functions read and write the same tables."
  type        = string
}

variable "msk_cluster_arn" {
  description = "The MSK cluster whose orders.events topic the Kafka consumers read (IAM authentication)."
  type        = string
}

variable "products_stream_arn" {
  description = "The products table's stream (NEW_AND_OLD_IMAGES): new reviews raise a product's ratingCount."
  type        = string
}

variable "bigquery_project" {
  description = "BIGQUERY_PROJECT of the warehouse sink (the insights service's): required when insights-warehouse-sink runs here."
  type        = string
  default     = ""
}

variable "bigquery_dataset" {
  description = "BIGQUERY_DATASET of the warehouse sink."
  type        = string
  default     = "cloudmart_insights"
}

variable "gcp_credential_configuration" {
  description = "The warehouse sink's GCP workload identity federation credential configuration (JSON with an AWS credential source, no secret in it): infra/gcp trusts the function's role."
  type        = string
  default     = ""
}

variable "notifications_consumer_group" {
  description = "The notifier's Kafka consumer group: the one its in-cluster consumer commits to, so a switch resumes where the other left off."
  type        = string
  default     = "notifications"
}

variable "notifications_environment" {
  description = "The notifier's own settings (its config schema's, e.g. the sender address), besides NODE_ENV, LOG_LEVEL and DYNAMODB_TABLE_PREFIX."
  type        = map(string)
  default     = {}
}
