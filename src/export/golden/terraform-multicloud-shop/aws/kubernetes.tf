resource "aws_cloudwatch_log_group" "amazon_elastic_kubernetes_service_eks" {
  provider          = aws.eu_central_1
  name              = "/aws/eks/${local.name}-amazon-elastic-kubernetes-service/cluster"
  retention_in_days = 365
  kms_key_id        = aws_kms_key.eu_central_1.arn
}

resource "aws_eks_cluster" "amazon_elastic_kubernetes_service" {
  provider = aws.eu_central_1
  name     = "${local.name}-amazon-elastic-kubernetes-service"
  role_arn = aws_iam_role.eks_cluster.arn
  version  = "1.35"
  enabled_cluster_log_types = [
    "api",
    "audit",
    "authenticator",
    "controllerManager",
    "scheduler"
  ]

  vpc_config {
    subnet_ids = [
      aws_subnet.sosisochnaya_eu_a.id,
      aws_subnet.sosisochnaya_eu_b.id,
      aws_subnet.sosisochnaya_eu_c.id
    ]
    endpoint_private_access = true
    endpoint_public_access  = false
  }

  encryption_config {
    resources = [
      "secrets"
    ]

    provider {
      key_arn = aws_kms_key.eu_central_1.arn
    }
  }

  upgrade_policy {
    support_type = "STANDARD"
  }

  tags = {
    Name = "${local.name}-amazon-elastic-kubernetes-service"
  }
  depends_on = [
    aws_iam_role_policy_attachment.eks_cluster,
    aws_cloudwatch_log_group.amazon_elastic_kubernetes_service_eks
  ]
}

resource "aws_eks_node_group" "amazon_elastic_kubernetes_service" {
  provider        = aws.eu_central_1
  cluster_name    = aws_eks_cluster.amazon_elastic_kubernetes_service.name
  node_group_name = trimsuffix(substr("${local.name}-amazon-elastic-kubernetes-service-nodes", 0, 63), "-")
  node_role_arn   = aws_iam_role.eks_nodes.arn
  subnet_ids = [
    aws_subnet.sosisochnaya_eu_a.id,
    aws_subnet.sosisochnaya_eu_b.id,
    aws_subnet.sosisochnaya_eu_c.id
  ]
  instance_types = [
    var.node_groups["amazon_elastic_kubernetes_service"].instance_type
  ]

  scaling_config {
    desired_size = var.node_groups["amazon_elastic_kubernetes_service"].desired_size
    min_size     = var.node_groups["amazon_elastic_kubernetes_service"].min_size
    max_size     = var.node_groups["amazon_elastic_kubernetes_service"].max_size
  }

  update_config {
    max_unavailable = 1
  }

  tags = {
    Name = "${local.name}-amazon-elastic-kubernetes-service-nodes"
  }
  depends_on = [
    aws_iam_role_policy_attachment.eks_nodes
  ]
}

resource "aws_eks_addon" "amazon_elastic_kubernetes_service_pod_identity_agent" {
  provider     = aws.eu_central_1
  cluster_name = aws_eks_cluster.amazon_elastic_kubernetes_service.name
  addon_name   = "eks-pod-identity-agent"
  depends_on = [
    aws_eks_node_group.amazon_elastic_kubernetes_service
  ]
}

resource "aws_eks_pod_identity_association" "amazon_elastic_kubernetes_service_ebs_csi" {
  provider        = aws.eu_central_1
  cluster_name    = aws_eks_cluster.amazon_elastic_kubernetes_service.name
  namespace       = "kube-system"
  service_account = "ebs-csi-controller-sa"
  role_arn        = aws_iam_role.ebs_csi.arn
}

resource "aws_eks_addon" "amazon_elastic_kubernetes_service_ebs_csi" {
  provider     = aws.eu_central_1
  cluster_name = aws_eks_cluster.amazon_elastic_kubernetes_service.name
  addon_name   = "aws-ebs-csi-driver"
  depends_on = [
    aws_eks_node_group.amazon_elastic_kubernetes_service,
    aws_eks_addon.amazon_elastic_kubernetes_service_pod_identity_agent,
    aws_eks_pod_identity_association.amazon_elastic_kubernetes_service_ebs_csi
  ]
}
