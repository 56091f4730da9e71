output "amazon_elastic_container_registry_sosisochnaya_backend_url" {
  description = "ECR repository sosisochnaya/backend"
  value       = aws_ecr_repository.amazon_elastic_container_registry_sosisochnaya_backend.repository_url
}

output "amazon_elastic_container_registry_sosisochnaya_frontend_url" {
  description = "ECR repository sosisochnaya/frontend"
  value       = aws_ecr_repository.amazon_elastic_container_registry_sosisochnaya_frontend.repository_url
}

output "amazon_elastic_kubernetes_service_cluster_name" {
  description = "EKS cluster of amazon-elastic-kubernetes-service"
  value       = aws_eks_cluster.amazon_elastic_kubernetes_service.name
}

output "amazon_rds_for_postgresql_endpoint" {
  description = "Endpoint of amazon-rds-for-postgresql"
  value       = aws_db_instance.amazon_rds_for_postgresql.endpoint
}

output "amazon_s3_bucket" {
  description = "Bucket of amazon-s3"
  value       = aws_s3_bucket.amazon_s3.bucket
}

output "vm_openvpn_aws_public_ip" {
  description = "Public address of vm-openvpn-aws (the peer's vm_openvpn_aws_peer_cidr)"
  value       = aws_eip.vm_openvpn_aws.public_ip
}
