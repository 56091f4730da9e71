resource "yandex_logging_group" "yandex_cloud_logging" {
  provider         = yandex.ru_central1
  name             = trimsuffix(substr("${local.name}-yandex-cloud-logging", 0, 63), "-")
  folder_id        = var.folder_id
  retention_period = "720h"
  labels           = local.tags
}

resource "yandex_iam_service_account" "yandex_managed_service_for_kubernetes_cluster" {
  provider = yandex.ru_central1
  name     = trimsuffix(substr("${local.name}-yandex-managed-service-for-kubernetes-cluster", 0, 63), "-")
}

resource "yandex_resourcemanager_folder_iam_member" "yandex_managed_service_for_kubernetes_cluster" {
  provider  = yandex.ru_central1
  for_each  = toset(["k8s.clusters.agent", "vpc.publicAdmin", "load-balancer.admin", "logging.writer"])
  folder_id = var.folder_id
  role      = each.value
  member    = "serviceAccount:${yandex_iam_service_account.yandex_managed_service_for_kubernetes_cluster.id}"
}

resource "yandex_iam_service_account" "yandex_managed_service_for_kubernetes_nodes" {
  provider = yandex.ru_central1
  name     = trimsuffix(substr("${local.name}-yandex-managed-service-for-kubernetes-nodes", 0, 63), "-")
}

resource "yandex_resourcemanager_folder_iam_member" "yandex_managed_service_for_kubernetes_nodes" {
  provider  = yandex.ru_central1
  for_each  = toset(["container-registry.images.puller"])
  folder_id = var.folder_id
  role      = each.value
  member    = "serviceAccount:${yandex_iam_service_account.yandex_managed_service_for_kubernetes_nodes.id}"
}

resource "yandex_kubernetes_cluster" "yandex_managed_service_for_kubernetes" {
  provider           = yandex.ru_central1
  name               = trimsuffix(substr("${local.name}-yandex-managed-service-for-kubernetes", 0, 63), "-")
  network_id         = yandex_vpc_network.ru_central1.id
  cluster_ipv4_range = "10.112.0.0/16"
  service_ipv4_range = "10.96.0.0/16"

  master {
    public_ip = false
    version   = "1.29"
    security_group_ids = [
      yandex_vpc_security_group.yandex_managed_service_for_kubernetes_master.id
    ]

    regional {
      region = "ru-central1"

      location {
        zone      = "ru-central1-a"
        subnet_id = yandex_vpc_subnet.sosisochnaya_ru_a.id
      }

      location {
        zone      = "ru-central1-b"
        subnet_id = yandex_vpc_subnet.sosisochnaya_ru_b.id
      }

      location {
        zone      = "ru-central1-d"
        subnet_id = yandex_vpc_subnet.sosisochnaya_ru_d.id
      }
    }

    maintenance_policy {
      auto_upgrade = true
    }

    master_logging {
      enabled                    = true
      log_group_id               = yandex_logging_group.yandex_cloud_logging.id
      audit_enabled              = true
      cluster_autoscaler_enabled = true
      events_enabled             = true
      kube_apiserver_enabled     = true
    }
  }

  service_account_id      = yandex_iam_service_account.yandex_managed_service_for_kubernetes_cluster.id
  node_service_account_id = yandex_iam_service_account.yandex_managed_service_for_kubernetes_nodes.id

  kms_provider {
    key_id = yandex_kms_symmetric_key.ru_central1.id
  }

  release_channel         = "STABLE"
  network_policy_provider = "CALICO"
  labels                  = local.tags
  depends_on = [
    yandex_resourcemanager_folder_iam_member.yandex_managed_service_for_kubernetes_cluster,
    yandex_resourcemanager_folder_iam_member.yandex_managed_service_for_kubernetes_nodes
  ]
}

resource "yandex_kubernetes_node_group" "yandex_managed_service_for_kubernetes" {
  provider   = yandex.ru_central1
  cluster_id = yandex_kubernetes_cluster.yandex_managed_service_for_kubernetes.id
  name       = trimsuffix(substr("${local.name}-yandex-managed-service-for-kubernetes-nodes", 0, 63), "-")
  version    = "1.29"

  instance_template {
    platform_id = "standard-v3"

    resources {
      cores  = var.node_groups["yandex_managed_service_for_kubernetes"].cores
      memory = var.node_groups["yandex_managed_service_for_kubernetes"].memory
    }

    boot_disk {
      type = "network-ssd"
      size = 64
    }

    network_interface {
      subnet_ids = [
        yandex_vpc_subnet.sosisochnaya_ru_a.id,
        yandex_vpc_subnet.sosisochnaya_ru_b.id,
        yandex_vpc_subnet.sosisochnaya_ru_d.id
      ]
      nat = false
      security_group_ids = [
        yandex_vpc_security_group.yandex_managed_service_for_kubernetes.id
      ]
    }

    container_runtime {
      type = "containerd"
    }
  }

  scale_policy {
    fixed_scale {
      size = var.node_groups["yandex_managed_service_for_kubernetes"].desired_size
    }
  }

  allocation_policy {
    location {
      zone = "ru-central1-a"
    }

    location {
      zone = "ru-central1-b"
    }

    location {
      zone = "ru-central1-d"
    }
  }

  labels = local.tags
}
