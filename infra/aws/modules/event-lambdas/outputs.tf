output "function_role_arns" {
  description = "The role of each consumer running as a Lambda function (infra/gcp trusts the warehouse sink's for BigQuery)."
  value       = { for consumer, role in aws_iam_role.consumer : consumer => role.arn }
}

output "failure_queue_urls" {
  description = "Each Lambda consumer's queue of records its mapping gave up on (coordinates to replay)."
  value       = { for consumer, queue in aws_sqs_queue.failures : consumer => queue.url }
}
