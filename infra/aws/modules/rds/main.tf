# The users subgraph's PostgreSQL: RDS, multi-AZ, encrypted, in the database subnets, reachable
# from the VPC only. The master password is generated and kept in Secrets Manager by RDS
# (manage_master_user_password); DATABASE_URL for the users service is built from it (docs/deploy.md).
# The users pods connect through an RDS Proxy, the connection pooler in front of the instance: each
# replica keeps its own pool, and replicas × pool would exceed the instance's max_connections at the
# replica counts docs/capacity.md plans for; the proxy multiplexes them onto a bounded set.
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

variable "instance_class" {
  type = string
}

variable "allocated_storage_gb" {
  type = number
}

variable "deletion_protection" {
  type = bool
}

variable "proxy_max_connections_percent" {
  description = "Share of the instance's max_connections the proxy may open."
  type        = number
}

resource "aws_db_subnet_group" "users" {
  name       = var.name
  subnet_ids = var.subnet_ids
}

resource "aws_security_group" "users" {
  name        = var.name
  description = "PostgreSQL from inside the VPC"
  vpc_id      = var.vpc_id

  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = [var.allowed_cidr]
  }
}

resource "aws_db_parameter_group" "users" {
  name   = var.name
  family = "postgres17"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }
}

resource "aws_db_instance" "users" {
  identifier     = var.name
  engine         = "postgres"
  engine_version = "17"
  instance_class = var.instance_class
  multi_az       = true

  db_name                     = "cloudmart_users"
  username                    = "cloudmart"
  manage_master_user_password = true

  allocated_storage     = var.allocated_storage_gb
  max_allocated_storage = var.allocated_storage_gb * 10
  storage_type          = "gp3"
  storage_encrypted     = true

  db_subnet_group_name   = aws_db_subnet_group.users.name
  vpc_security_group_ids = [aws_security_group.users.id]
  parameter_group_name   = aws_db_parameter_group.users.name
  publicly_accessible    = false

  backup_retention_period         = 14
  deletion_protection             = var.deletion_protection
  skip_final_snapshot             = !var.deletion_protection
  final_snapshot_identifier       = var.deletion_protection ? "${var.name}-final" : null
  performance_insights_enabled    = true
  enabled_cloudwatch_logs_exports = ["postgresql"]
  auto_minor_version_upgrade      = true
}

data "aws_iam_policy_document" "proxy_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["rds.amazonaws.com"]
    }
  }
}

# The proxy signs in to the instance with the RDS-managed master secret.
data "aws_iam_policy_document" "proxy_secret" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_db_instance.users.master_user_secret[0].secret_arn]
  }
}

resource "aws_iam_role" "proxy" {
  name               = "${var.name}-proxy"
  assume_role_policy = data.aws_iam_policy_document.proxy_trust.json
}

resource "aws_iam_role_policy" "proxy" {
  name   = "${var.name}-proxy"
  role   = aws_iam_role.proxy.id
  policy = data.aws_iam_policy_document.proxy_secret.json
}

resource "aws_db_proxy" "users" {
  name                   = var.name
  engine_family          = "POSTGRESQL"
  role_arn               = aws_iam_role.proxy.arn
  vpc_subnet_ids         = var.subnet_ids
  vpc_security_group_ids = [aws_security_group.users.id]
  require_tls            = true
  idle_client_timeout    = 1800

  auth {
    auth_scheme = "SECRETS"
    iam_auth    = "DISABLED"
    secret_arn  = aws_db_instance.users.master_user_secret[0].secret_arn
  }
}

resource "aws_db_proxy_default_target_group" "users" {
  db_proxy_name = aws_db_proxy.users.name

  connection_pool_config {
    max_connections_percent      = var.proxy_max_connections_percent
    max_idle_connections_percent = 50
    connection_borrow_timeout    = 10
  }
}

resource "aws_db_proxy_target" "users" {
  db_proxy_name          = aws_db_proxy.users.name
  target_group_name      = aws_db_proxy_default_target_group.users.name
  db_instance_identifier = aws_db_instance.users.identifier
}

output "endpoint" {
  value = aws_db_instance.users.endpoint
}

output "proxy_endpoint" {
  description = "host of the RDS Proxy: DATABASE_URL's host for the users pods (port 5432)."
  value       = aws_db_proxy.users.endpoint
}

output "master_user_secret_arn" {
  value = aws_db_instance.users.master_user_secret[0].secret_arn
}
