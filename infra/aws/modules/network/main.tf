# A VPC across three availability zones: public subnets (the ALB), private subnets (EKS nodes,
# MSK) behind NAT gateways, and database subnets (RDS). A gateway endpoint keeps DynamoDB
# traffic inside AWS's network.
variable "name" {
  type = string
}

variable "cidr" {
  type = string
}

variable "availability_zones" {
  type = list(string)
}

variable "cluster_name" {
  description = "EKS cluster whose load balancer controller discovers the subnets by tag."
  type        = string
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.21"

  name             = var.name
  cidr             = var.cidr
  azs              = var.availability_zones
  public_subnets   = [for i, _ in var.availability_zones : cidrsubnet(var.cidr, 8, i)]
  private_subnets  = [for i, _ in var.availability_zones : cidrsubnet(var.cidr, 4, i + 1)]
  database_subnets = [for i, _ in var.availability_zones : cidrsubnet(var.cidr, 8, i + 100)]

  enable_nat_gateway     = true
  one_nat_gateway_per_az = true
  enable_dns_hostnames   = true

  create_database_subnet_group = true

  public_subnet_tags = {
    "kubernetes.io/role/elb"                    = "1"
    "kubernetes.io/cluster/${var.cluster_name}" = "shared"
  }
  private_subnet_tags = {
    "kubernetes.io/role/internal-elb"           = "1"
    "kubernetes.io/cluster/${var.cluster_name}" = "shared"
  }
}

module "endpoints" {
  source  = "terraform-aws-modules/vpc/aws//modules/vpc-endpoints"
  version = "~> 5.21"

  vpc_id = module.vpc.vpc_id
  # Gateway endpoints (free): DynamoDB's and S3's traffic (the products service's media) stays
  # inside the VPC instead of paying for the NAT gateways.
  endpoints = {
    dynamodb = {
      service         = "dynamodb"
      service_type    = "Gateway"
      route_table_ids = module.vpc.private_route_table_ids
    }
    s3 = {
      service         = "s3"
      service_type    = "Gateway"
      route_table_ids = module.vpc.private_route_table_ids
    }
  }
}

output "vpc_id" {
  value = module.vpc.vpc_id
}

output "private_subnet_ids" {
  value = module.vpc.private_subnets
}

output "public_subnet_ids" {
  value = module.vpc.public_subnets
}

output "database_subnet_ids" {
  value = module.vpc.database_subnets
}
