variable "subscription_id" {
  description = "Azure subscription of the Language resource."
  type        = string
}

variable "location" {
  description = "Azure region of the Language resource."
  type        = string
  default     = "eastus"
}

variable "name" {
  description = "Name of the resource group and of the Language resource (its custom subdomain)."
  type        = string
  default     = "cloudmart-language"
}

variable "sku" {
  description = "Pricing tier of the Language resource (F0 is free and limited, S is standard)."
  type        = string
  default     = "S"
}
