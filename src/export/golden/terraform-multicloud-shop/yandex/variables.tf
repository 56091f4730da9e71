variable "db_resource_preset" {
  description = "Host class of the managed databases (s3-c2-m8: 2 vCPU, 8 GB)"
  type        = string
  default     = "s3-c2-m8"
}

variable "environment" {
  description = "The environment this workspace deploys (one tfvars file each under environments/)"
  type        = string
  default     = "prod"
}

variable "folder_id" {
  description = "The Yandex Cloud folder everything goes into"
  type        = string
}

variable "kubernetes_api_cidrs" {
  description = "Networks allowed to reach the Kubernetes API on 443 and 6443: your VPN or bastion ranges"
  type        = list(string)
}

variable "node_groups" {
  description = "Node group per Managed Kubernetes cluster: node shape and counts (sized at 8 pods a node from the drawn replicas and autoscaling maxima)"
  type        = map(object({ cores = number, memory = number, min_size = number, desired_size = number, max_size = number }))
  default = {
    yandex_managed_service_for_kubernetes = {
      cores        = 4
      memory       = 16
      min_size     = 3
      desired_size = 3
      max_size     = 6
    }
  }
}

variable "project" {
  description = "Short project name, the first part of every cloud-side name"
  type        = string
  default     = "multicloud-arkhi"
}

variable "ssh_public_key" {
  description = "Public SSH key allowed on the VMs (a public key, not a secret)"
  type        = string
}

variable "tags" {
  description = "Extra tags or labels for every resource"
  type        = map(string)
  default     = {}
}

variable "vm_openvpn_yandex_cloud_peer_cidr" {
  description = "Public address of the VPN tunnel's far end, as a /32 (known once the other side exists)"
  type        = string
}

variable "yandex_managed_service_for_mongodb_password" {
  description = "Password of the application user of yandex-managed-service-for-mongodb (from your secret store; never committed)"
  type        = string
  sensitive   = true
}

variable "yandex_managed_service_for_postgresql_password" {
  description = "Password of the application user of yandex-managed-service-for-postgresql (from your secret store; never committed)"
  type        = string
  sensitive   = true
}
