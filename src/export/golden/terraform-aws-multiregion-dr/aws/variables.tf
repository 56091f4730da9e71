variable "aws_elasticache_auth_token" {
  description = "AUTH token of the Redis aws-elasticache (from your secret store; never committed)"
  type        = string
  sensitive   = true
}

variable "cache_node_type" {
  description = "ElastiCache node type"
  type        = string
  default     = "cache.r7g.large"
}

variable "db_instance_class" {
  description = "RDS instance class (per environment)"
  type        = string
  default     = "db.r6g.large"
}

variable "dns_records" {
  description = "Whether this workspace writes the public Route 53 records (production only: the hosts are shared by every environment)"
  type        = bool
  default     = true
}

variable "dns_zone" {
  description = "The public Route 53 hosted zone the records go into"
  type        = string
  default     = "shop.example.com"
}

variable "environment" {
  description = "The environment this workspace deploys (one tfvars file each under environments/)"
  type        = string
  default     = "prod"
}

variable "kubernetes_api_cidrs" {
  description = "Networks allowed to reach the EKS API on 443 (private endpoint): your VPN or bastion ranges"
  type        = list(string)
}

variable "msk_instance_type" {
  description = "MSK broker instance type"
  type        = string
  default     = "kafka.m7g.large"
}

variable "node_groups" {
  description = "Node group per EKS cluster: node shape and counts (sized at 8 pods a node from the drawn replicas and autoscaling maxima)"
  type        = map(object({ instance_type = string, min_size = number, desired_size = number, max_size = number }))
  default = {
    eks_cluster = {
      instance_type = "m6i.large"
      min_size      = 3
      desired_size  = 3
      max_size      = 30
    }
    eks_cluster_dr = {
      instance_type = "m6i.large"
      min_size      = 2
      desired_size  = 3
      max_size      = 30
    }
  }
}

variable "project" {
  description = "Short project name, the first part of every cloud-side name"
  type        = string
  default     = "aws-multi-region"
}

variable "tags" {
  description = "Extra tags or labels for every resource"
  type        = map(string)
  default     = {}
}
