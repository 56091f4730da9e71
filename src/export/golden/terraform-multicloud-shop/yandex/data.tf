resource "yandex_mdb_mongodb_cluster" "yandex_managed_service_for_mongodb" {
  provider    = yandex.ru_central1
  name        = trimsuffix(substr("${local.name}-yandex-managed-service-for-mongodb", 0, 63), "-")
  environment = "PRODUCTION"
  network_id  = yandex_vpc_network.ru_central1.id
  security_group_ids = [
    yandex_vpc_security_group.yandex_managed_service_for_mongodb.id
  ]
  deletion_protection = true

  cluster_config {
    version                   = "6.0"
    backup_retain_period_days = 7
  }

  resources_mongod {
    resource_preset_id = var.db_resource_preset
    disk_type_id       = "network-ssd"
    disk_size          = 20
  }

  host {
    zone_id   = "ru-central1-a"
    subnet_id = yandex_vpc_subnet.sosisochnaya_ru_a.id
  }

  host {
    zone_id   = "ru-central1-b"
    subnet_id = yandex_vpc_subnet.sosisochnaya_ru_b.id
  }

  host {
    zone_id   = "ru-central1-d"
    subnet_id = yandex_vpc_subnet.sosisochnaya_ru_d.id
  }

  labels = local.tags
}

resource "yandex_mdb_mongodb_user" "yandex_managed_service_for_mongodb" {
  provider   = yandex.ru_central1
  cluster_id = yandex_mdb_mongodb_cluster.yandex_managed_service_for_mongodb.id
  name       = "app"
  password   = var.yandex_managed_service_for_mongodb_password

  permission {
    database_name = "app"
  }
}

resource "yandex_mdb_mongodb_database" "yandex_managed_service_for_mongodb" {
  provider   = yandex.ru_central1
  cluster_id = yandex_mdb_mongodb_cluster.yandex_managed_service_for_mongodb.id
  name       = "app"
}

resource "yandex_mdb_postgresql_cluster" "yandex_managed_service_for_postgresql" {
  provider    = yandex.ru_central1
  name        = trimsuffix(substr("${local.name}-yandex-managed-service-for-postgresql", 0, 63), "-")
  environment = "PRODUCTION"
  network_id  = yandex_vpc_network.ru_central1.id
  security_group_ids = [
    yandex_vpc_security_group.yandex_managed_service_for_postgresql.id
  ]
  deletion_protection = true

  config {
    version = "16"

    resources {
      resource_preset_id = var.db_resource_preset
      disk_type_id       = "network-ssd"
      disk_size          = 20
    }

    backup_retain_period_days = 7

    backup_window_start {
      hours   = 2
      minutes = 0
    }
  }

  host {
    zone      = "ru-central1-a"
    subnet_id = yandex_vpc_subnet.sosisochnaya_ru_a.id
  }

  host {
    zone      = "ru-central1-b"
    subnet_id = yandex_vpc_subnet.sosisochnaya_ru_b.id
  }

  host {
    zone      = "ru-central1-d"
    subnet_id = yandex_vpc_subnet.sosisochnaya_ru_d.id
  }

  labels = local.tags
}

resource "yandex_mdb_postgresql_user" "yandex_managed_service_for_postgresql" {
  provider   = yandex.ru_central1
  cluster_id = yandex_mdb_postgresql_cluster.yandex_managed_service_for_postgresql.id
  name       = "app"
  password   = var.yandex_managed_service_for_postgresql_password
}

resource "yandex_mdb_postgresql_database" "yandex_managed_service_for_postgresql" {
  provider   = yandex.ru_central1
  cluster_id = yandex_mdb_postgresql_cluster.yandex_managed_service_for_postgresql.id
  name       = "app"
  owner      = yandex_mdb_postgresql_user.yandex_managed_service_for_postgresql.name
}

resource "yandex_storage_bucket" "yandex_object_storage" {
  provider  = yandex.ru_central1
  bucket    = trimsuffix(substr("${local.name}-yandex-object-storage", 0, 63), "-")
  folder_id = var.folder_id

  anonymous_access_flags {
    read        = false
    list        = false
    config_read = false
  }

  versioning {
    enabled = true
  }

  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        kms_master_key_id = yandex_kms_symmetric_key.ru_central1.id
        sse_algorithm     = "aws:kms"
      }
    }
  }

  tags = local.tags
}

resource "yandex_container_registry" "yandex_container_registry" {
  provider  = yandex.ru_central1
  name      = trimsuffix(substr("${local.name}-yandex-container-registry", 0, 63), "-")
  folder_id = var.folder_id
  labels    = local.tags
}
