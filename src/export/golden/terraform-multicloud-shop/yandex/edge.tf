data "yandex_compute_instance_group" "balansirovshchik_router_yandex_managed_service_for_kubernetes" {
  provider          = yandex.ru_central1
  instance_group_id = yandex_kubernetes_node_group.yandex_managed_service_for_kubernetes.instance_group_id
}

resource "yandex_lb_target_group" "balansirovshchik_router" {
  provider = yandex.ru_central1
  name     = trimsuffix(substr("${local.name}-balansirovshchik-router", 0, 63), "-")

  dynamic "target" {
    for_each = data.yandex_compute_instance_group.balansirovshchik_router_yandex_managed_service_for_kubernetes.instances

    content {
      subnet_id = target.value.network_interface[0].subnet_id
      address   = target.value.network_interface[0].ip_address
    }
  }

  labels = local.tags
}

resource "yandex_lb_network_load_balancer" "balansirovshchik_router" {
  provider = yandex.ru_central1
  name     = trimsuffix(substr("${local.name}-balansirovshchik-router", 0, 63), "-")

  listener {
    name        = "port-443"
    port        = 443
    target_port = 30443

    external_address_spec {
      ip_version = "ipv4"
    }
  }

  attached_target_group {
    target_group_id = yandex_lb_target_group.balansirovshchik_router.id

    healthcheck {
      name = "tcp"

      tcp_options {
        port = 30443
      }
    }
  }

  labels = local.tags
}

resource "yandex_compute_instance" "vm_openvpn_yandex_cloud" {
  provider    = yandex.ru_central1
  name        = trimsuffix(substr("${local.name}-vm-openvpn-yandex-cloud", 0, 63), "-")
  platform_id = "standard-v3"
  zone        = "ru-central1-a"

  resources {
    cores  = 2
    memory = 2
  }

  boot_disk {
    initialize_params {
      image_id = data.yandex_compute_image.ubuntu_ru_central1.id
      size     = 20
      type     = "network-ssd"
    }
  }

  network_interface {
    subnet_id  = yandex_vpc_subnet.sosisochnaya_ru_a.id
    ip_address = "10.10.0.10"
    nat        = true
    security_group_ids = [
      yandex_vpc_security_group.vm_openvpn_yandex_cloud.id
    ]
  }

  metadata = {
    ssh-keys           = "ubuntu:${var.ssh_public_key}"
    serial-port-enable = "0"
  }
  labels = local.tags
}

data "yandex_compute_image" "ubuntu_ru_central1" {
  provider = yandex.ru_central1
  family   = "ubuntu-2404-lts"
}
