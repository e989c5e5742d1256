# The Redis the gateway (APQ, entity cache, partner rate limits), users (failed log-in counts) and
# support (askSupport limits) share through REDIS_URL: ElastiCache, cluster mode off (the clients
# speak to one endpoint), a primary and replicas across zones with automatic failover, TLS in transit
# (so REDIS_URL is rediss://) and encryption at rest, reachable from the VPC only.
#
# The AUTH token is not Terraform's: it would sit in the state. The operator sets it once with the
# AWS CLI (docs/deploy.md) and puts REDIS_URL=rediss://:<token>@<primary endpoint>:6379 into the
# secrets of the services that read it; Terraform ignores the token from then on.
variable "name" {
  type = string
}

variable "vpc_id" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "allowed_cidr" {
  type = string
}

variable "node_type" {
  type = string
}

variable "replicas" {
  type = number
}

resource "aws_elasticache_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids
}

resource "aws_security_group" "redis" {
  name        = "${var.name}-redis"
  description = "Redis (TLS) from inside the VPC"
  vpc_id      = var.vpc_id

  ingress {
    from_port   = 6379
    to_port     = 6379
    protocol    = "tcp"
    cidr_blocks = [var.allowed_cidr]
  }
}

resource "aws_elasticache_parameter_group" "this" {
  name   = var.name
  family = "redis7"

  # The APQ and entity caches set a TTL on every key; rate-limit and log-in counts expire too.
  # Past maxmemory, evict the keys closest to expiry rather than refuse writes.
  parameter {
    name  = "maxmemory-policy"
    value = "volatile-ttl"
  }
}

resource "aws_elasticache_replication_group" "this" {
  replication_group_id = var.name
  description          = "CloudMart shared Redis (REDIS_URL)"
  engine               = "redis"
  engine_version       = "7.1"
  node_type            = var.node_type
  port                 = 6379
  parameter_group_name = aws_elasticache_parameter_group.this.name

  num_cache_clusters         = 1 + var.replicas
  automatic_failover_enabled = var.replicas > 0
  multi_az_enabled           = var.replicas > 0

  subnet_group_name  = aws_elasticache_subnet_group.this.name
  security_group_ids = [aws_security_group.redis.id]

  transit_encryption_enabled = true
  at_rest_encryption_enabled = true

  snapshot_retention_limit   = 3
  auto_minor_version_upgrade = true

  lifecycle {
    ignore_changes = [auth_token, auth_token_update_strategy]
  }
}

output "primary_endpoint" {
  value = aws_elasticache_replication_group.this.primary_endpoint_address
}

output "replication_group_id" {
  value = aws_elasticache_replication_group.this.id
}
