# Azure AI Language (kind TextAnalytics) for the insights subgraph's review sentiment
# (SENTIMENT_ANALYZER=azure). Its endpoint and key go into the insights secret in AWS Secrets
# Manager (AZURE_LANGUAGE_ENDPOINT, AZURE_LANGUAGE_KEY; docs/deploy.md).
resource "azurerm_resource_group" "language" {
  name     = var.name
  location = var.location
}

resource "azurerm_cognitive_account" "language" {
  name                  = var.name
  location              = azurerm_resource_group.language.location
  resource_group_name   = azurerm_resource_group.language.name
  kind                  = "TextAnalytics"
  sku_name              = var.sku
  custom_subdomain_name = var.name
  local_auth_enabled    = true
  tags                  = { project = "cloudmart" }
}
