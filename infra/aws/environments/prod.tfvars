environment   = "prod"
k8s_namespace = "cloudmart"
