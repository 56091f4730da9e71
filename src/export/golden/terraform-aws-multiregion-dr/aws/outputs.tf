output "application_load_balancer_alb_dns_name" {
  description = "DNS name of application-load-balancer-alb"
  value       = aws_lb.application_load_balancer_alb.dns_name
}

output "application_load_balancer_alb_nginx_ingress_target_group_arn" {
  description = "Target group of application-load-balancer-alb for a TargetGroupBinding to the Service of nginx-ingress"
  value       = aws_lb_target_group.application_load_balancer_alb_nginx_ingress.arn
}

output "application_load_balancer_dr_dns_name" {
  description = "DNS name of application-load-balancer-dr"
  value       = aws_lb.application_load_balancer_dr.dns_name
}

output "application_load_balancer_dr_nginx_ingress_2_target_group_arn" {
  description = "Target group of application-load-balancer-dr for a TargetGroupBinding to the Service of nginx-ingress"
  value       = aws_lb_target_group.application_load_balancer_dr_nginx_ingress_2.arn
}

output "aws_backup_bucket" {
  description = "Bucket of aws-backup"
  value       = aws_s3_bucket.aws_backup.bucket
}

output "aws_rds_endpoint" {
  description = "Endpoint of aws-rds"
  value       = aws_db_instance.aws_rds.endpoint
}

output "database_replica_endpoint" {
  description = "Endpoint of database-replica"
  value       = aws_db_instance.database_replica.endpoint
}

output "eks_cluster_cluster_name" {
  description = "EKS cluster of eks-cluster"
  value       = aws_eks_cluster.eks_cluster.name
}

output "eks_cluster_dr_cluster_name" {
  description = "EKS cluster of eks-cluster-dr"
  value       = one(aws_eks_cluster.eks_cluster_dr[*].name)
}
