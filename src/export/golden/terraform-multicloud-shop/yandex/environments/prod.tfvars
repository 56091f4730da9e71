environment = "prod"
node_groups = {
  yandex_managed_service_for_kubernetes = {
    cores        = 4
    memory       = 16
    min_size     = 3
    desired_size = 3
    max_size     = 6
  }
}
