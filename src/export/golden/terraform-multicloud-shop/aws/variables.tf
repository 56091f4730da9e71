variable "db_instance_class" {
  description = "RDS instance class (per environment)"
  type        = string
  default     = "db.r6g.large"
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

variable "node_groups" {
  description = "Node group per EKS cluster: node shape and counts (sized at 8 pods a node from the drawn replicas and autoscaling maxima)"
  type        = map(object({ instance_type = string, min_size = number, desired_size = number, max_size = number }))
  default = {
    amazon_elastic_kubernetes_service = {
      instance_type = "m6i.large"
      min_size      = 3
      desired_size  = 3
      max_size      = 6
    }
  }
}

variable "project" {
  description = "Short project name, the first part of every cloud-side name"
  type        = string
  default     = "multicloud-arkhi"
}

variable "tags" {
  description = "Extra tags or labels for every resource"
  type        = map(string)
  default     = {}
}

variable "vm_openvpn_aws_peer_cidr" {
  description = "Public address of the VPN tunnel's far end, as a /32 (known once the other side exists)"
  type        = string
}

variable "vpn_instance_type" {
  description = "Instance type of the VPN VMs"
  type        = string
  default     = "t3.small"
}
