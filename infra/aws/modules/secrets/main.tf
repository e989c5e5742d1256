# The secrets the services read through External Secrets Operator: <name>/shared (keys every
# service reads) and <name>/<service> for services with keys of their own. Terraform creates the
# secrets, not their values: put a JSON object with one property per key into each (docs/deploy.md),
# so no secret value ever sits in Terraform state.
variable "name" {
  type = string
}

variable "services" {
  description = "Each service's own secret keys."
  type        = map(list(string))
}

variable "shared_secret_keys" {
  type = list(string)
}

variable "file_secrets" {
  description = "Secrets whose properties are files (mounted, not read as variables)."
  type        = list(string)
}

resource "aws_secretsmanager_secret" "shared" {
  name        = "${var.name}/shared"
  description = "Keys every CloudMart service reads: ${join(", ", var.shared_secret_keys)}"
}

resource "aws_secretsmanager_secret" "service" {
  for_each    = { for service, keys in var.services : service => keys if length(keys) > 0 }
  name        = "${var.name}/${each.key}"
  description = "Keys of the ${each.key} service: ${join(", ", each.value)}"
}

# Folders of files mounted into a service's pods, one property per file (k8s: an ExternalSecret
# of the same name): the gateway's partner registry (partners.json and each partner's manifest),
# the insights pods' GCP credential configuration (credentials.json).
resource "aws_secretsmanager_secret" "files" {
  for_each    = toset(var.file_secrets)
  name        = "${var.name}/${each.key}"
  description = "Files mounted from the Kubernetes Secret ${each.key}, one property per file"
}

moved {
  from = aws_secretsmanager_secret.gateway_partners
  to   = aws_secretsmanager_secret.files["gateway-partners"]
}

output "secret_arns" {
  value = concat(
    [aws_secretsmanager_secret.shared.arn],
    [for secret in aws_secretsmanager_secret.files : secret.arn],
    [for secret in aws_secretsmanager_secret.service : secret.arn],
  )
}

output "secret_names" {
  value = concat(
    [aws_secretsmanager_secret.shared.name],
    [for secret in aws_secretsmanager_secret.files : secret.name],
    [for secret in aws_secretsmanager_secret.service : secret.name],
  )
}
