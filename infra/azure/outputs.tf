output "endpoint" {
  description = "AZURE_LANGUAGE_ENDPOINT of the insights service."
  value       = azurerm_cognitive_account.language.endpoint
}

output "primary_key" {
  description = "AZURE_LANGUAGE_KEY of the insights service (terraform output -raw primary_key)."
  value       = azurerm_cognitive_account.language.primary_access_key
  sensitive   = true
}
