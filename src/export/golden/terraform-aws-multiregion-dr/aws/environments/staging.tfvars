db_instance_class = "db.t4g.medium"
dns_records       = false
environment       = "staging"
node_groups = {
  eks_cluster = {
    instance_type = "t3.large"
    min_size      = 3
    desired_size  = 3
    max_size      = 3
  }
  eks_cluster_dr = {
    instance_type = "m6i.large"
    min_size      = 2
    desired_size  = 3
    max_size      = 30
  }
}
