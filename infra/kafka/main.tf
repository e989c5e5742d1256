# The Kafka topics of CloudMart's events on the MSK cluster infra/aws creates, which does not create
# topics on first use (auto.create.topics.enable=false): orders.events (the orders outbox relay
# publishes; the gateway, recommendations and insights consume) and products.events (the products
# subgraph publishes catalog changes; the gateway's entity cache consumes). The list and partition
# counts are generated from scripts/deploy/services.ts into topics.auto.tfvars.json.

resource "kafka_topic" "events" {
  for_each           = var.topics
  name               = each.key
  partitions         = each.value.partitions
  replication_factor = 3

  config = {
    # An acknowledged event is on two brokers: losing one broker loses nothing.
    "min.insync.replicas" = "2"
    "cleanup.policy"      = "delete"
    "retention.ms"        = tostring(var.retention_hours * 3600 * 1000)
  }
}

output "topics" {
  description = "Topic names and partitions."
  value       = { for name, topic in kafka_topic.events : name => topic.partitions }
}
