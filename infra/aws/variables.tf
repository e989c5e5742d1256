variable "environment" {
  description = "Environment name (prod, dev). One AWS account per environment."
  type        = string
}

variable "region" {
  description = "AWS region of everything in this stack."
  type        = string
  default     = "us-east-1"
}

variable "name" {
  description = "Prefix of resource names. IAM roles are <name>-<service>, as k8s/ expects."
  type        = string
  default     = "cloudmart"
}

variable "vpc_cidr" {
  description = "CIDR of the VPC. k8s/ NetworkPolicies allow PostgreSQL and Kafka egress to it."
  type        = string
  default     = "10.0.0.0/16"
}

variable "availability_zones" {
  description = "Availability zones (three for a multi-AZ RDS, MSK and node groups)."
  type        = list(string)
  default     = ["us-east-1a", "us-east-1b", "us-east-1c"]
}

variable "kubernetes_version" {
  description = "EKS control plane version."
  type        = string
  default     = "1.33"
}

variable "node_instance_types" {
  description = "Instance types of the managed node group."
  type        = list(string)
  default     = ["m7i.large"]
}

variable "node_count" {
  description = "Minimum, desired and maximum nodes of the managed node group."
  type        = object({ min = number, desired = number, max = number })
  default     = { min = 3, desired = 3, max = 10 }
}

variable "k8s_namespace" {
  description = "Namespace the services run in (k8s/overlays/<env> sets it): IRSA trusts its ServiceAccounts."
  type        = string
  default     = "cloudmart"
}

variable "table_prefix" {
  description = "DYNAMODB_TABLE_PREFIX of the services."
  type        = string
  default     = "cloudmart-"
}

variable "deletion_protection" {
  description = "Protect the DynamoDB tables and the RDS instance from deletion, and keep a media bucket that still holds images (false: destroy empties it)."
  type        = bool
  default     = true
}

variable "rds_instance_class" {
  description = "Instance class of the users PostgreSQL database."
  type        = string
  default     = "db.r6g.large"
}

variable "rds_allocated_storage_gb" {
  description = "Initial storage of the users database (autoscaling up to 10x)."
  type        = number
  default     = 50
}

variable "msk_instance_type" {
  description = "Broker instance type of the MSK cluster."
  type        = string
  default     = "kafka.m7g.large"
}

variable "kafka_version" {
  description = "Kafka version of the MSK cluster."
  type        = string
  default     = "3.8.x"
}

variable "bedrock_model_arns" {
  description = "Bedrock foundation models the services with `bedrock = true` may invoke."
  type        = list(string)
  default     = ["arn:aws:bedrock:*::foundation-model/*"]
}

variable "services" {
  description = "Per service: the DynamoDB tables (suffixes) it uses and those it only reads, Bedrock, Kafka and media bucket access, its own secret keys. Generated: services.auto.tfvars.json."
  type = map(object({
    dynamodb_tables      = list(string)
    dynamodb_read_tables = list(string)
    bedrock              = bool
    kafka                = bool
    media                = bool
    ses                  = bool
    sns                  = bool
    secret_keys          = list(string)
  }))
}

variable "file_secrets" {
  description = "Secrets whose properties are files mounted into a service's pods (<name>/<secret>). Generated: services.auto.tfvars.json."
  type        = list(string)
}

variable "redis_node_type" {
  description = "ElastiCache node type of the Redis the gateway, users and support share (REDIS_URL); docs/capacity.md sizes it."
  type        = string
  default     = "cache.r7g.large"
}

variable "redis_replicas" {
  description = "Read replicas beside the Redis primary (one per further availability zone, for failover)."
  type        = number
  default     = 2
}

variable "rds_proxy_max_connections_percent" {
  description = "Share of the users database's max_connections the RDS Proxy may open (the pooler in front of RDS; docs/capacity.md)."
  type        = number
  default     = 90
}

variable "shared_secret_keys" {
  description = "Keys of the secret every service reads (<name>/shared). Generated: services.auto.tfvars.json."
  type        = list(string)
}

variable "media_cors_origins" {
  description = "Web origins of the shop (scheme://host[:port]) whose browsers upload product images to the media bucket: the corsOrigins of k8s/overlays/<env>/environment.yaml."
  type        = list(string)
}

variable "lambda_consumers" {
  description = "Event consumers this environment runs as Lambda functions (modules/event-lambdas) instead of in the cluster: any of insights-warehouse-sink, insights-review-sentiment, notifications-order-events. Turn the in-cluster consumer off first (docs/deploy.md)."
  type        = set(string)
  default     = []
}

variable "lambda_bigquery_project" {
  description = "BIGQUERY_PROJECT of the warehouse sink Lambda (the insights service's, from infra/gcp's dataset output): required when lambda_consumers has insights-warehouse-sink."
  type        = string
  default     = ""
}

variable "lambda_gcp_credential_configuration" {
  description = "The warehouse sink Lambda's GCP credential configuration (external_account JSON with an AWS credential source; infra/gcp must trust the function's role)."
  type        = string
  default     = ""
}
