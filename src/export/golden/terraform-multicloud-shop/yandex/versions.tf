terraform {
  required_version = ">= 1.5.0"

  required_providers {
    yandex = {
      source  = "yandex-cloud/yandex"
      version = "~> 0.140"
    }
  }
}

provider "yandex" {
  alias     = "ru_central1"
  folder_id = var.folder_id
  zone      = "ru-central1-a"
}
