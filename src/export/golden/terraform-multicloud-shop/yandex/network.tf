resource "yandex_vpc_network" "ru_central1" {
  provider = yandex.ru_central1
  name     = trimsuffix(substr("${local.name}-ru-central1", 0, 63), "-")
  labels   = local.tags
}

resource "yandex_vpc_gateway" "ru_central1" {
  provider = yandex.ru_central1
  name     = trimsuffix(substr("${local.name}-ru-central1-egress", 0, 63), "-")

  shared_egress_gateway {}
}

resource "yandex_vpc_route_table" "ru_central1" {
  provider   = yandex.ru_central1
  name       = trimsuffix(substr("${local.name}-ru-central1-private", 0, 63), "-")
  network_id = yandex_vpc_network.ru_central1.id

  static_route {
    destination_prefix = "0.0.0.0/0"
    gateway_id         = yandex_vpc_gateway.ru_central1.id
  }

  static_route {
    destination_prefix = "10.20.0.0/16"
    next_hop_address   = "10.10.0.10"
  }
}

resource "yandex_vpc_subnet" "sosisochnaya_ru_a" {
  provider   = yandex.ru_central1
  name       = trimsuffix(substr("${local.name}-sosisochnaya-ru-a", 0, 63), "-")
  zone       = "ru-central1-a"
  network_id = yandex_vpc_network.ru_central1.id
  v4_cidr_blocks = [
    "10.10.0.0/18"
  ]
  route_table_id = yandex_vpc_route_table.ru_central1.id
  labels         = local.tags
}

resource "yandex_vpc_subnet" "sosisochnaya_ru_b" {
  provider   = yandex.ru_central1
  name       = trimsuffix(substr("${local.name}-sosisochnaya-ru-b", 0, 63), "-")
  zone       = "ru-central1-b"
  network_id = yandex_vpc_network.ru_central1.id
  v4_cidr_blocks = [
    "10.10.64.0/18"
  ]
  route_table_id = yandex_vpc_route_table.ru_central1.id
  labels         = local.tags
}

resource "yandex_vpc_subnet" "sosisochnaya_ru_d" {
  provider   = yandex.ru_central1
  name       = trimsuffix(substr("${local.name}-sosisochnaya-ru-d", 0, 63), "-")
  zone       = "ru-central1-d"
  network_id = yandex_vpc_network.ru_central1.id
  v4_cidr_blocks = [
    "10.10.128.0/18"
  ]
  route_table_id = yandex_vpc_route_table.ru_central1.id
  labels         = local.tags
}

resource "yandex_vpc_security_group" "yandex_managed_service_for_kubernetes" {
  provider    = yandex.ru_central1
  name        = trimsuffix(substr("${local.name}-yandex-managed-service-for-kubernetes", 0, 63), "-")
  description = "Kubernetes cluster yandex-managed-service-for-kubernetes"
  network_id  = yandex_vpc_network.ru_central1.id
  labels      = local.tags
}

resource "yandex_vpc_security_group_rule" "yandex_managed_service_for_kubernetes_self" {
  provider               = yandex.ru_central1
  security_group_binding = yandex_vpc_security_group.yandex_managed_service_for_kubernetes.id
  direction              = "ingress"
  description            = "nodes and masters of the cluster"
  protocol               = "ANY"
  predefined_target      = "self_security_group"
  from_port              = 0
  to_port                = 65535
}

resource "yandex_vpc_security_group_rule" "yandex_managed_service_for_kubernetes_health_checks" {
  provider               = yandex.ru_central1
  security_group_binding = yandex_vpc_security_group.yandex_managed_service_for_kubernetes.id
  direction              = "ingress"
  description            = "load balancer health checks"
  protocol               = "TCP"
  v4_cidr_blocks = [
    "198.18.235.0/24",
    "198.18.248.0/24"
  ]
  from_port = 0
  to_port   = 65535
}

resource "yandex_vpc_security_group_rule" "yandex_managed_service_for_kubernetes_egress" {
  provider               = yandex.ru_central1
  security_group_binding = yandex_vpc_security_group.yandex_managed_service_for_kubernetes.id
  direction              = "egress"
  description            = "images, updates and cloud APIs"
  protocol               = "ANY"
  v4_cidr_blocks = [
    "0.0.0.0/0"
  ]
  from_port = 0
  to_port   = 65535
}

resource "yandex_vpc_security_group_rule" "yandex_managed_service_for_kubernetes_from_master" {
  provider               = yandex.ru_central1
  security_group_binding = yandex_vpc_security_group.yandex_managed_service_for_kubernetes.id
  direction              = "ingress"
  description            = "the master (kubelet, webhooks)"
  protocol               = "ANY"
  security_group_id      = yandex_vpc_security_group.yandex_managed_service_for_kubernetes_master.id
  from_port              = 0
  to_port                = 65535
}

resource "yandex_vpc_security_group_rule" "yandex_managed_service_for_kubernetes_pods_services" {
  provider               = yandex.ru_central1
  security_group_binding = yandex_vpc_security_group.yandex_managed_service_for_kubernetes.id
  direction              = "ingress"
  description            = "pod and service ranges"
  protocol               = "ANY"
  v4_cidr_blocks = [
    "10.112.0.0/16",
    "10.96.0.0/16"
  ]
  from_port = 0
  to_port   = 65535
}

resource "yandex_vpc_security_group_rule" "yandex_managed_service_for_kubernetes_icmp" {
  provider               = yandex.ru_central1
  security_group_binding = yandex_vpc_security_group.yandex_managed_service_for_kubernetes.id
  direction              = "ingress"
  description            = "ICMP from private ranges (diagnostics)"
  protocol               = "ICMP"
  v4_cidr_blocks = [
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16"
  ]
}

resource "yandex_vpc_security_group_rule" "yandex_managed_service_for_kubernetes_node_ports" {
  provider               = yandex.ru_central1
  security_group_binding = yandex_vpc_security_group.yandex_managed_service_for_kubernetes.id
  direction              = "ingress"
  description            = "NodePorts behind the network load balancer"
  protocol               = "TCP"
  v4_cidr_blocks = [
    "0.0.0.0/0"
  ]
  from_port = 30000
  to_port   = 32767
}

resource "yandex_vpc_security_group" "yandex_managed_service_for_kubernetes_master" {
  provider    = yandex.ru_central1
  name        = trimsuffix(substr("${local.name}-yandex-managed-service-for-kubernetes-master", 0, 63), "-")
  description = "Kubernetes master yandex-managed-service-for-kubernetes"
  network_id  = yandex_vpc_network.ru_central1.id
  labels      = local.tags
}

resource "yandex_vpc_security_group_rule" "yandex_managed_service_for_kubernetes_master_from_nodes_443" {
  provider               = yandex.ru_central1
  security_group_binding = yandex_vpc_security_group.yandex_managed_service_for_kubernetes_master.id
  direction              = "ingress"
  description            = "API from the nodes"
  protocol               = "TCP"
  port                   = 443
  security_group_id      = yandex_vpc_security_group.yandex_managed_service_for_kubernetes.id
}

resource "yandex_vpc_security_group_rule" "yandex_managed_service_for_kubernetes_master_from_operators_443" {
  provider               = yandex.ru_central1
  security_group_binding = yandex_vpc_security_group.yandex_managed_service_for_kubernetes_master.id
  direction              = "ingress"
  description            = "API from the operators"
  protocol               = "TCP"
  port                   = 443
  v4_cidr_blocks         = var.kubernetes_api_cidrs
}

resource "yandex_vpc_security_group_rule" "yandex_managed_service_for_kubernetes_master_from_nodes_6443" {
  provider               = yandex.ru_central1
  security_group_binding = yandex_vpc_security_group.yandex_managed_service_for_kubernetes_master.id
  direction              = "ingress"
  description            = "API from the nodes"
  protocol               = "TCP"
  port                   = 6443
  security_group_id      = yandex_vpc_security_group.yandex_managed_service_for_kubernetes.id
}

resource "yandex_vpc_security_group_rule" "yandex_managed_service_for_kubernetes_master_from_operators_6443" {
  provider               = yandex.ru_central1
  security_group_binding = yandex_vpc_security_group.yandex_managed_service_for_kubernetes_master.id
  direction              = "ingress"
  description            = "API from the operators"
  protocol               = "TCP"
  port                   = 6443
  v4_cidr_blocks         = var.kubernetes_api_cidrs
}

resource "yandex_vpc_security_group_rule" "yandex_managed_service_for_kubernetes_master_health_checks" {
  provider               = yandex.ru_central1
  security_group_binding = yandex_vpc_security_group.yandex_managed_service_for_kubernetes_master.id
  direction              = "ingress"
  description            = "load balancer health checks"
  protocol               = "TCP"
  v4_cidr_blocks = [
    "198.18.235.0/24",
    "198.18.248.0/24"
  ]
  from_port = 0
  to_port   = 65535
}

resource "yandex_vpc_security_group_rule" "yandex_managed_service_for_kubernetes_master_to_nodes" {
  provider               = yandex.ru_central1
  security_group_binding = yandex_vpc_security_group.yandex_managed_service_for_kubernetes_master.id
  direction              = "egress"
  description            = "to the nodes (kubelet, webhooks)"
  protocol               = "ANY"
  security_group_id      = yandex_vpc_security_group.yandex_managed_service_for_kubernetes.id
  from_port              = 0
  to_port                = 65535
}

resource "yandex_vpc_security_group_rule" "yandex_managed_service_for_kubernetes_master_to_pods" {
  provider               = yandex.ru_central1
  security_group_binding = yandex_vpc_security_group.yandex_managed_service_for_kubernetes_master.id
  direction              = "egress"
  description            = "to pods and services (metrics-server, webhooks)"
  protocol               = "ANY"
  v4_cidr_blocks = [
    "10.112.0.0/16",
    "10.96.0.0/16"
  ]
  from_port = 0
  to_port   = 65535
}

resource "yandex_vpc_security_group" "yandex_managed_service_for_mongodb" {
  provider    = yandex.ru_central1
  name        = trimsuffix(substr("${local.name}-yandex-managed-service-for-mongodb", 0, 63), "-")
  description = "Database yandex-managed-service-for-mongodb"
  network_id  = yandex_vpc_network.ru_central1.id
  labels      = local.tags
}

resource "yandex_vpc_security_group" "yandex_managed_service_for_postgresql" {
  provider    = yandex.ru_central1
  name        = trimsuffix(substr("${local.name}-yandex-managed-service-for-postgresql", 0, 63), "-")
  description = "Database yandex-managed-service-for-postgresql"
  network_id  = yandex_vpc_network.ru_central1.id
  labels      = local.tags
}

resource "yandex_vpc_security_group" "vm_openvpn_yandex_cloud" {
  provider    = yandex.ru_central1
  name        = trimsuffix(substr("${local.name}-vm-openvpn-yandex-cloud", 0, 63), "-")
  description = "VPN gateway vm-openvpn-yandex-cloud"
  network_id  = yandex_vpc_network.ru_central1.id
  labels      = local.tags
}

resource "yandex_vpc_security_group_rule" "vm_openvpn_yandex_cloud_to_internet_tcp_443" {
  provider               = yandex.ru_central1
  security_group_binding = yandex_vpc_security_group.vm_openvpn_yandex_cloud.id
  direction              = "egress"
  description            = "packages"
  protocol               = "TCP"
  port                   = 443
  v4_cidr_blocks = [
    "0.0.0.0/0"
  ]
}

resource "yandex_vpc_security_group_rule" "yandex_managed_service_for_mongodb_from_yandex_managed_service_for_kubernetes_tcp_27018" {
  provider               = yandex.ru_central1
  security_group_binding = yandex_vpc_security_group.yandex_managed_service_for_mongodb.id
  direction              = "ingress"
  description            = "access from backend"
  protocol               = "TCP"
  port                   = 27018
  security_group_id      = yandex_vpc_security_group.yandex_managed_service_for_kubernetes.id
}

resource "yandex_vpc_security_group_rule" "yandex_managed_service_for_mongodb_from_net_10_20_0_0_16_tcp_27018" {
  provider               = yandex.ru_central1
  security_group_binding = yandex_vpc_security_group.yandex_managed_service_for_mongodb.id
  direction              = "ingress"
  description            = "access from backend"
  protocol               = "TCP"
  port                   = 27018
  v4_cidr_blocks = [
    "10.20.0.0/16"
  ]
}

resource "yandex_vpc_security_group_rule" "yandex_managed_service_for_postgresql_from_yandex_managed_service_for_kubernetes_tcp_6432" {
  provider               = yandex.ru_central1
  security_group_binding = yandex_vpc_security_group.yandex_managed_service_for_postgresql.id
  direction              = "ingress"
  description            = "access from backend"
  protocol               = "TCP"
  port                   = 6432
  security_group_id      = yandex_vpc_security_group.yandex_managed_service_for_kubernetes.id
}

resource "yandex_vpc_security_group_rule" "vm_openvpn_yandex_cloud_from_peer_vm_openvpn_aws_udp_1194" {
  provider               = yandex.ru_central1
  security_group_binding = yandex_vpc_security_group.vm_openvpn_yandex_cloud.id
  direction              = "ingress"
  description            = "VPN tunnel"
  protocol               = "UDP"
  port                   = 1194
  v4_cidr_blocks = [
    var.vm_openvpn_yandex_cloud_peer_cidr
  ]
}

resource "yandex_vpc_security_group_rule" "vm_openvpn_yandex_cloud_to_peer_vm_openvpn_aws_udp_1194" {
  provider               = yandex.ru_central1
  security_group_binding = yandex_vpc_security_group.vm_openvpn_yandex_cloud.id
  direction              = "egress"
  description            = "VPN tunnel"
  protocol               = "UDP"
  port                   = 1194
  v4_cidr_blocks = [
    var.vm_openvpn_yandex_cloud_peer_cidr
  ]
}
