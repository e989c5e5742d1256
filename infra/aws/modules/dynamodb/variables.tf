# The tables themselves are in tables.tf.json, generated from subgraphs/runtime/src/dynamodb/tables.ts
# by `npm run infra:generate` (test/deploy/terraform.test.ts checks it is current).
variable "table_prefix" {
  description = "DYNAMODB_TABLE_PREFIX: every table is named <prefix><suffix>."
  type        = string
}

variable "deletion_protection" {
  type = bool
}
