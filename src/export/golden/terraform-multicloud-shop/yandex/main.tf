locals {
  name = "${var.project}-${var.environment}"
  tags = merge(var.tags, { project = var.project, environment = var.environment, managed-by = "infracanvas" })
}

resource "yandex_kms_symmetric_key" "ru_central1" {
  provider          = yandex.ru_central1
  name              = trimsuffix(substr("${local.name}-ru-central1-key", 0, 63), "-")
  description       = "infracanvas: data at rest in region ru_central1"
  default_algorithm = "AES_256"
  rotation_period   = "8760h"
  labels            = local.tags
}
