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

resource "aws_secretsmanager_secret" "shared" {
  name        = "${var.name}/shared"
  description = "Keys every CloudMart service reads: ${join(", ", var.shared_secret_keys)}"
}

resource "aws_secretsmanager_secret" "service" {
  for_each    = { for service, keys in var.services : service => keys if length(keys) > 0 }
  name        = "${var.name}/${each.key}"
  description = "Keys of the ${each.key} service: ${join(", ", each.value)}"
}

# The gateway's registered partners: one property per file (partners.json and each partner's
# persisted-query manifest), mounted into the gateway's pods (k8s: ExternalSecret gateway-partners).
resource "aws_secretsmanager_secret" "gateway_partners" {
  name        = "${var.name}/gateway-partners"
  description = "Files of the gateway's partner registry: partners.json and each partner's manifest"
}

output "secret_arns" {
  value = concat(
    [aws_secretsmanager_secret.shared.arn, aws_secretsmanager_secret.gateway_partners.arn],
    [for secret in aws_secretsmanager_secret.service : secret.arn],
  )
}

output "secret_names" {
  value = concat(
    [aws_secretsmanager_secret.shared.name, aws_secretsmanager_secret.gateway_partners.name],
    [for secret in aws_secretsmanager_secret.service : secret.name],
  )
}
