db_instance_class = "db.r6g.large"
dns_records       = true
environment       = "prod"
node_groups = {
  eks_cluster = {
    instance_type = "m6i.large"
    min_size      = 3
    desired_size  = 3
    max_size      = 30
  }
  eks_cluster_dr = {
    instance_type = "m6i.large"
    min_size      = 2
    desired_size  = 3
    max_size      = 30
  }
}
