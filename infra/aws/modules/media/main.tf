# Product images. Shoppers' browsers never get AWS credentials: the products service signs a
# presigned PUT (content-type and content-length signed) and the browser uploads the original
# straight to the bucket under uploads/; the service then writes the processed variants under
# products/, at content-addressed keys that never change. The bucket stays private: the variants
# are served by CloudFront, which alone may read them (Origin Access Control), and uploads/ is
# never served at all.
data "aws_caller_identity" "current" {}

locals {
  # Originals waiting to be processed: they expire, so an upload nobody processed costs a day.
  uploads_prefix = "uploads/"
  # Processed variants: kept, served, cached for a year.
  products_prefix = "products/"
}

resource "aws_s3_bucket" "media" {
  # Bucket names are global across AWS: the account id (one account per environment) keeps
  # this one from colliding with another account's.
  bucket        = "${var.name}-media-${data.aws_caller_identity.current.account_id}"
  force_destroy = !var.deletion_protection
}

resource "aws_s3_bucket_public_access_block" "media" {
  bucket                  = aws_s3_bucket.media.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# ACLs off: every object belongs to the bucket's account whoever uploaded it, and access is
# decided by IAM and the bucket policy alone.
resource "aws_s3_bucket_ownership_controls" "media" {
  bucket = aws_s3_bucket.media.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

# SSE-S3 rather than KMS: CloudFront's OAC reads SSE-S3 objects with the bucket policy alone,
# and a presigned PUT needs no kms:GenerateDataKey on the products role.
resource "aws_s3_bucket_server_side_encryption_configuration" "media" {
  bucket = aws_s3_bucket.media.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# The browser's PUT is cross-origin: S3 must answer its preflight. Only content-type needs
# allowing (the browser sets content-length itself); ETag is exposed because a page's script
# reads only the response headers CORS exposes. GET and HEAD answer reads through CloudFront,
# which forwards the Origin header (it is in the cache key below).
resource "aws_s3_bucket_cors_configuration" "media" {
  bucket = aws_s3_bucket.media.id
  cors_rule {
    allowed_methods = ["PUT", "GET", "HEAD"]
    allowed_origins = var.cors_origins
    allowed_headers = ["content-type"]
    expose_headers  = ["ETag"]
    max_age_seconds = 3600
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "media" {
  bucket = aws_s3_bucket.media.id

  # An original lives until the service has made its variants; one the shopper abandoned (or
  # whose processing failed) goes after a day. products/ has no rule: variants are kept.
  rule {
    id     = "expire-uploads"
    status = "Enabled"
    filter {
      prefix = local.uploads_prefix
    }
    expiration {
      days = 1
    }
  }

  # A presigned PUT is a single request, but a multipart upload started and never completed is
  # invisible and still billed: abort it anywhere in the bucket.
  rule {
    id     = "abort-incomplete-multipart-uploads"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}

resource "aws_cloudfront_origin_access_control" "media" {
  name                              = "${var.name}-media"
  description                       = "CloudFront signs its requests to the private media bucket"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

# Variants are content-addressed (a new image is a new key), so an object never changes once
# written: cache it a year at the edge. No cookies or query strings reach the key; Origin does,
# so a response carrying one origin's CORS headers is never served to another (CloudFront
# ignores S3's Vary: Origin).
resource "aws_cloudfront_cache_policy" "media" {
  name        = "${var.name}-media-immutable"
  comment     = "Immutable, content-addressed product images"
  min_ttl     = 0
  default_ttl = 31536000
  max_ttl     = 31536000

  parameters_in_cache_key_and_forwarded_to_origin {
    enable_accept_encoding_gzip   = true
    enable_accept_encoding_brotli = true
    cookies_config {
      cookie_behavior = "none"
    }
    headers_config {
      header_behavior = "whitelist"
      headers {
        items = ["Origin"]
      }
    }
    query_strings_config {
      query_string_behavior = "none"
    }
  }
}

resource "aws_cloudfront_distribution" "media" {
  enabled         = true
  is_ipv6_enabled = true
  http_version    = "http2and3"
  comment         = "${var.name} product images"

  origin {
    origin_id                = "media"
    domain_name              = aws_s3_bucket.media.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.media.id
  }

  default_cache_behavior {
    target_origin_id       = "media"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    compress               = true
    cache_policy_id        = aws_cloudfront_cache_policy.media.id
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  # MEDIA_BASE_URL is the distribution's own *.cloudfront.net host; a custom domain would need
  # an ACM certificate in us-east-1 and an alias here.
  viewer_certificate {
    cloudfront_default_certificate = true
  }
}

# The only reader: this distribution, and only products/. Without s3:ListBucket a missing key
# answers 403, not 404, so the bucket's keys cannot be probed through CloudFront.
data "aws_iam_policy_document" "media" {
  statement {
    sid       = "CloudFrontReadsVariants"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.media.arn}/${local.products_prefix}*"]
    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "AWS:SourceArn"
      values   = [aws_cloudfront_distribution.media.arn]
    }
  }
}

resource "aws_s3_bucket_policy" "media" {
  bucket = aws_s3_bucket.media.id
  policy = data.aws_iam_policy_document.media.json
  # S3 checks a new policy against the public access block: let the block exist first.
  depends_on = [aws_s3_bucket_public_access_block.media]
}
