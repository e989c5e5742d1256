environment   = "prod"
k8s_namespace = "cloudmart"
# docs/capacity.md: ~120 one-vCPU pods at the planned peak, ~40 m7i.large nodes.
node_count = { min = 6, desired = 6, max = 60 }
# The shop's origin, as corsOrigins in k8s/overlays/prod/environment.yaml.
media_cors_origins = ["https://shop.cloudmart.example.com"]
