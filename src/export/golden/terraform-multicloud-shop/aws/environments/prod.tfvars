db_instance_class = "db.r6g.large"
environment       = "prod"
node_groups = {
  amazon_elastic_kubernetes_service = {
    instance_type = "m6i.large"
    min_size      = 3
    desired_size  = 3
    max_size      = 6
  }
}
