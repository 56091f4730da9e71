db_instance_class = "db.r6g.large"
environment       = "prod"
node_groups = {
  eks_cluster = {
    instance_type = "m6i.large"
    min_size      = 3
    desired_size  = 3
    max_size      = 18
  }
  eks_cluster_dr = {
    instance_type = "m6i.large"
    min_size      = 2
    desired_size  = 3
    max_size      = 18
  }
}
