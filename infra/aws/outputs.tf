output "cluster_name" {
  description = "EKS cluster: aws eks update-kubeconfig --name <this> --region <region>."
  value       = module.eks.cluster_name
}

output "ecr_registry" {
  description = "Registry host the CI/CD workflow pushes to (<registry>/<name>/<service>:<tag>)."
  value       = module.ecr.registry
}

output "ecr_repositories" {
  description = "Repository URL of every service."
  value       = module.ecr.repository_urls
}

output "irsa_role_arns" {
  description = "IAM role of each service's ServiceAccount (eks.amazonaws.com/role-arn), and of external-secrets and the load balancer controller."
  value       = module.irsa.role_arns
}

output "dynamodb_table_arns" {
  description = "ARN of every DynamoDB table, by table suffix."
  value       = module.dynamodb.table_arns
}

output "rds_endpoint" {
  description = "host:port of the users PostgreSQL database (goes into DATABASE_URL in the users secret)."
  value       = module.rds.endpoint
}

output "rds_proxy_endpoint" {
  description = "Host of the RDS Proxy in front of the users database: DATABASE_URL's host in the users secret."
  value       = module.rds.proxy_endpoint
}

output "redis_primary_endpoint" {
  description = "Host of the shared Redis (TLS, port 6379): REDIS_URL=rediss://:<AUTH token>@<this>:6379 in the gateway, users and support secrets."
  value       = module.redis.primary_endpoint
}

output "redis_replication_group_id" {
  description = "The ElastiCache replication group to set the AUTH token on (aws elasticache modify-replication-group)."
  value       = module.redis.replication_group_id
}

output "eks_oidc_issuer" {
  description = "The cluster's OIDC issuer (without https://): infra/gcp's eks_oidc_issuer, so GCP trusts the insights pods' tokens."
  value       = module.eks.oidc_provider
}

output "rds_master_secret_arn" {
  description = "Secrets Manager secret holding the generated master password of the users database."
  value       = module.rds.master_user_secret_arn
}

output "msk_bootstrap_brokers_iam" {
  description = "KAFKA_BROKERS (IAM auth, port 9098): k8s/overlays/<env>/environment.yaml kafkaBrokers."
  value       = module.msk.bootstrap_brokers_iam
}

output "secret_names" {
  description = "Secrets Manager secrets to fill in (JSON objects, one property per key): <name>/shared and <name>/<service>."
  value       = module.secrets.secret_names
}

output "media_bucket" {
  description = "The product images bucket: MEDIA_BUCKET of the products service."
  value       = module.media.bucket_name
}

output "media_base_url" {
  description = "Where the processed product images are served (CloudFront): MEDIA_BASE_URL of the products service."
  value       = "https://${module.media.domain_name}"
}

output "media_distribution_id" {
  description = "The CloudFront distribution in front of the media bucket (aws cloudfront create-invalidation --distribution-id <this>)."
  value       = module.media.distribution_id
}

output "lambda_consumer_roles" {
  description = "The role of each event consumer running as a Lambda function (lambda_consumers)."
  value       = module.event_lambdas.function_role_arns
}

output "lambda_consumer_failure_queues" {
  description = "Each Lambda consumer's queue of records its event source mapping gave up on, to replay."
  value       = module.event_lambdas.failure_queue_urls
}
