variable "bootstrap_brokers" {
  description = "MSK bootstrap brokers with IAM auth: terraform -chdir=infra/aws output -raw msk_bootstrap_brokers_iam."
  type        = string
}

variable "region" {
  description = "AWS region of the MSK cluster."
  type        = string
  default     = "us-east-1"
}

variable "retention_hours" {
  description = "How long events stay on a topic (consumers that fall further behind miss them; the orders outbox keeps unsent ones)."
  type        = number
  default     = 168
}

variable "topics" {
  description = "Topics and their partitions. Generated: topics.auto.tfvars.json (scripts/deploy/services.ts, sized in docs/capacity.md)."
  type        = map(object({ partitions = number }))
}
