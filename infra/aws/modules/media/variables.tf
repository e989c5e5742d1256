variable "name" {
  description = "Prefix of the resource names (<project>-<environment>); the bucket adds the account id to be globally unique."
  type        = string
}

variable "cors_origins" {
  description = "Web origins of the shop whose browsers upload product images straight to the bucket (presigned PUT)."
  type        = list(string)

  validation {
    condition     = length(var.cors_origins) > 0 && alltrue([for origin in var.cors_origins : can(regex("^https?://[^/*]+$", origin))])
    error_message = "cors_origins: at least one origin, each scheme://host[:port] with no path and no wildcard."
  }
}

variable "deletion_protection" {
  description = "Keep a bucket that still holds objects when the stack is destroyed (false: destroy empties it)."
  type        = bool
}

variable "upload_lambda_zip" {
  description = "The upload Lambda's package, built by `npm run lambdas` (dist/lambdas/products-upload-variants.zip)."
  type        = string
}

variable "uploads_table_name" {
  description = "The products service's uploads table (DYNAMODB_TABLE_PREFIX + product-image-uploads), which the Lambda records its work in."
  type        = string
}

variable "table_prefix" {
  description = "DYNAMODB_TABLE_PREFIX, as the products service has it: the Lambda reads the same table."
  type        = string
}
