# CloudMart on AWS: the network, an EKS cluster, the stores (DynamoDB, RDS PostgreSQL behind RDS
# Proxy, ElastiCache Redis, MSK), the product images (S3 behind CloudFront),
# image repositories, per-service IAM roles (IRSA) and the secrets the services read.
# Apply order and everything around it: docs/deploy.md.

module "network" {
  source             = "./modules/network"
  name               = "${var.name}-${var.environment}"
  cidr               = var.vpc_cidr
  availability_zones = var.availability_zones
  cluster_name       = "${var.name}-${var.environment}"
}

module "eks" {
  source              = "./modules/eks"
  cluster_name        = "${var.name}-${var.environment}"
  kubernetes_version  = var.kubernetes_version
  vpc_id              = module.network.vpc_id
  private_subnet_ids  = module.network.private_subnet_ids
  node_instance_types = var.node_instance_types
  node_count          = var.node_count
}

module "dynamodb" {
  source              = "./modules/dynamodb"
  table_prefix        = var.table_prefix
  deletion_protection = var.deletion_protection
}

module "rds" {
  source               = "./modules/rds"
  name                 = "${var.name}-${var.environment}-users"
  vpc_id               = module.network.vpc_id
  subnet_ids           = module.network.database_subnet_ids
  allowed_cidr         = var.vpc_cidr
  instance_class       = var.rds_instance_class
  allocated_storage_gb = var.rds_allocated_storage_gb
  deletion_protection  = var.deletion_protection

  proxy_max_connections_percent = var.rds_proxy_max_connections_percent
}

module "redis" {
  source       = "./modules/redis"
  name         = "${var.name}-${var.environment}"
  vpc_id       = module.network.vpc_id
  subnet_ids   = module.network.database_subnet_ids
  allowed_cidr = var.vpc_cidr
  node_type    = var.redis_node_type
  replicas     = var.redis_replicas
}

module "msk" {
  source        = "./modules/msk"
  name          = "${var.name}-${var.environment}"
  vpc_id        = module.network.vpc_id
  subnet_ids    = module.network.private_subnet_ids
  allowed_cidr  = var.vpc_cidr
  instance_type = var.msk_instance_type
  kafka_version = var.kafka_version
}

module "media" {
  source              = "./modules/media"
  name                = "${var.name}-${var.environment}"
  cors_origins        = var.media_cors_origins
  deletion_protection = var.deletion_protection
  table_prefix        = var.table_prefix
  # The products contract's uploads table (productsTables.productImageUploads; test/deploy checks it).
  uploads_table_name = "${var.table_prefix}product-image-uploads"
  # Built by `npm run lambdas` before `terraform apply` (docs/deploy.md).
  upload_lambda_zip = "${path.root}/../../dist/lambdas/products-upload-variants.zip"
}

module "ecr" {
  source   = "./modules/ecr"
  name     = var.name
  services = keys(var.services)
}

module "secrets" {
  source             = "./modules/secrets"
  name               = var.name
  services           = { for service, settings in var.services : service => settings.secret_keys }
  shared_secret_keys = var.shared_secret_keys
  file_secrets       = var.file_secrets
}

module "irsa" {
  source             = "./modules/irsa"
  name               = var.name
  namespace          = var.k8s_namespace
  oidc_provider_arn  = module.eks.oidc_provider_arn
  oidc_provider      = module.eks.oidc_provider
  services           = var.services
  table_prefix       = var.table_prefix
  region             = var.region
  bedrock_model_arns = var.bedrock_model_arns
  msk_cluster_arn    = module.msk.cluster_arn
  secret_arns        = module.secrets.secret_arns
  # Services with media = true (those that read MEDIA_BUCKET: products, which signs the admins'
  # uploads and writes the variants) reach the bucket's objects; the others only see its links.
  media_object_arns = module.media.service_object_arns
}

# The event consumers an environment runs as Lambda functions instead of in the cluster
# (var.lambda_consumers, none by default): docs/deploy.md "Consumers: Lambda or in the cluster".
module "event_lambdas" {
  source    = "./modules/event-lambdas"
  name      = "${var.name}-${var.environment}"
  consumers = var.lambda_consumers
  # Built by `npm run lambdas` before `terraform apply` (docs/deploy.md); read only for the consumers turned on.
  lambda_zips_dir     = "${path.root}/../../dist/lambdas"
  table_prefix        = var.table_prefix
  msk_cluster_arn     = module.msk.cluster_arn
  products_stream_arn = module.dynamodb.stream_arns["products"]

  bigquery_project             = var.lambda_bigquery_project
  gcp_credential_configuration = var.lambda_gcp_credential_configuration
}
