environment         = "dev"
k8s_namespace       = "cloudmart-dev"
deletion_protection = false
node_count          = { min = 2, desired = 2, max = 4 }
node_instance_types = ["t3.large"]
rds_instance_class  = "db.t4g.medium"
msk_instance_type   = "kafka.t3.small"
# The shop's origins, as corsOrigins in k8s/overlays/dev/environment.yaml (the web dev server too).
media_cors_origins = ["https://shop.dev.cloudmart.example.com", "http://localhost:3000"]
