output "vm_openvpn_yandex_cloud_public_ip" {
  description = "Public address of vm-openvpn-yandex-cloud (the peer's vm_openvpn_yandex_cloud_peer_cidr)"
  value       = yandex_compute_instance.vm_openvpn_yandex_cloud.network_interface[0].nat_ip_address
}

output "yandex_container_registry_id" {
  description = "Container Registry yandex-container-registry"
  value       = yandex_container_registry.yandex_container_registry.id
}

output "yandex_managed_service_for_kubernetes_cluster_id" {
  description = "Managed Kubernetes cluster of yandex-managed-service-for-kubernetes"
  value       = yandex_kubernetes_cluster.yandex_managed_service_for_kubernetes.id
}

output "yandex_managed_service_for_mongodb_cluster_id" {
  description = "Managed database yandex-managed-service-for-mongodb"
  value       = yandex_mdb_mongodb_cluster.yandex_managed_service_for_mongodb.id
}

output "yandex_managed_service_for_postgresql_cluster_id" {
  description = "Managed database yandex-managed-service-for-postgresql"
  value       = yandex_mdb_postgresql_cluster.yandex_managed_service_for_postgresql.id
}

output "yandex_object_storage_bucket" {
  description = "Bucket of yandex-object-storage"
  value       = yandex_storage_bucket.yandex_object_storage.bucket
}
