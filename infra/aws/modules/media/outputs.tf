output "bucket_name" {
  description = "The media bucket: the products service's MEDIA_BUCKET."
  value       = aws_s3_bucket.media.bucket
}

output "bucket_arn" {
  value = aws_s3_bucket.media.arn
}

output "domain_name" {
  description = "CloudFront's host for the processed images: MEDIA_BASE_URL is https://<this>."
  value       = aws_cloudfront_distribution.media.domain_name
}

output "distribution_id" {
  description = "For an invalidation, which content-addressed keys should never need."
  value       = aws_cloudfront_distribution.media.id
}

output "service_object_arns" {
  description = "The objects the service that owns the media writes, reads and deletes: originals under uploads/, variants under products/. Nothing else in the bucket."
  value = [
    "${aws_s3_bucket.media.arn}/${local.uploads_prefix}*",
    "${aws_s3_bucket.media.arn}/${local.products_prefix}*",
  ]
}

output "upload_lambda_failures_queue_url" {
  description = "Upload events the Lambda failed on after its retries (the attach then did the work itself)."
  value       = aws_sqs_queue.upload_lambda_failures.url
}
