resource "aws_cloudwatch_log_group" "eks_cluster_eks" {
  provider          = aws.region_1_primary
  name              = "/aws/eks/${local.name}-eks-cluster/cluster"
  retention_in_days = 365
  kms_key_id        = aws_kms_key.region_1_primary.arn
}

resource "aws_eks_cluster" "eks_cluster" {
  provider = aws.region_1_primary
  name     = "${local.name}-eks-cluster"
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
      aws_subnet.private_subnet_a.id,
      aws_subnet.private_subnet_b.id,
      aws_subnet.private_subnet_c.id
    ]
    endpoint_private_access = true
    endpoint_public_access  = false
  }

  encryption_config {
    resources = [
      "secrets"
    ]

    provider {
      key_arn = aws_kms_key.region_1_primary.arn
    }
  }

  upgrade_policy {
    support_type = "STANDARD"
  }

  tags = {
    Name = "${local.name}-eks-cluster"
  }
  depends_on = [
    aws_iam_role_policy_attachment.eks_cluster,
    aws_cloudwatch_log_group.eks_cluster_eks
  ]
}

resource "aws_eks_node_group" "eks_cluster" {
  provider        = aws.region_1_primary
  cluster_name    = aws_eks_cluster.eks_cluster.name
  node_group_name = trimsuffix(substr("${local.name}-eks-cluster-nodes", 0, 63), "-")
  node_role_arn   = aws_iam_role.eks_nodes.arn
  subnet_ids = [
    aws_subnet.private_subnet_a.id,
    aws_subnet.private_subnet_b.id,
    aws_subnet.private_subnet_c.id
  ]
  instance_types = [
    var.node_groups["eks_cluster"].instance_type
  ]

  scaling_config {
    desired_size = var.node_groups["eks_cluster"].desired_size
    min_size     = var.node_groups["eks_cluster"].min_size
    max_size     = var.node_groups["eks_cluster"].max_size
  }

  update_config {
    max_unavailable = 1
  }

  tags = {
    Name = "${local.name}-eks-cluster-nodes"
  }
  depends_on = [
    aws_iam_role_policy_attachment.eks_nodes
  ]
}

resource "aws_eks_addon" "eks_cluster_pod_identity_agent" {
  provider     = aws.region_1_primary
  cluster_name = aws_eks_cluster.eks_cluster.name
  addon_name   = "eks-pod-identity-agent"
  depends_on = [
    aws_eks_node_group.eks_cluster
  ]
}

resource "aws_eks_pod_identity_association" "eks_cluster_ebs_csi" {
  provider        = aws.region_1_primary
  cluster_name    = aws_eks_cluster.eks_cluster.name
  namespace       = "kube-system"
  service_account = "ebs-csi-controller-sa"
  role_arn        = aws_iam_role.ebs_csi.arn
}

resource "aws_eks_addon" "eks_cluster_ebs_csi" {
  provider     = aws.region_1_primary
  cluster_name = aws_eks_cluster.eks_cluster.name
  addon_name   = "aws-ebs-csi-driver"
  depends_on = [
    aws_eks_node_group.eks_cluster,
    aws_eks_addon.eks_cluster_pod_identity_agent,
    aws_eks_pod_identity_association.eks_cluster_ebs_csi
  ]
}

resource "aws_cloudwatch_log_group" "eks_cluster_dr_eks" {
  provider          = aws.region_2_dr
  count             = var.environment == "prod" ? 1 : 0
  name              = "/aws/eks/${local.name}-eks-cluster-dr/cluster"
  retention_in_days = 365
  kms_key_id        = aws_kms_key.region_2_dr.arn
}

resource "aws_eks_cluster" "eks_cluster_dr" {
  provider = aws.region_2_dr
  count    = var.environment == "prod" ? 1 : 0
  name     = "${local.name}-eks-cluster-dr"
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
      aws_subnet.private_subnet_2_a.id,
      aws_subnet.private_subnet_2_b.id
    ]
    endpoint_private_access = true
    endpoint_public_access  = false
  }

  encryption_config {
    resources = [
      "secrets"
    ]

    provider {
      key_arn = aws_kms_key.region_2_dr.arn
    }
  }

  upgrade_policy {
    support_type = "STANDARD"
  }

  tags = {
    Name = "${local.name}-eks-cluster-dr"
  }
  depends_on = [
    aws_iam_role_policy_attachment.eks_cluster,
    aws_cloudwatch_log_group.eks_cluster_dr_eks
  ]
}

resource "aws_eks_node_group" "eks_cluster_dr" {
  provider        = aws.region_2_dr
  count           = var.environment == "prod" ? 1 : 0
  cluster_name    = aws_eks_cluster.eks_cluster_dr[0].name
  node_group_name = trimsuffix(substr("${local.name}-eks-cluster-dr-nodes", 0, 63), "-")
  node_role_arn   = aws_iam_role.eks_nodes.arn
  subnet_ids = [
    aws_subnet.private_subnet_2_a.id,
    aws_subnet.private_subnet_2_b.id
  ]
  instance_types = [
    var.node_groups["eks_cluster_dr"].instance_type
  ]

  scaling_config {
    desired_size = var.node_groups["eks_cluster_dr"].desired_size
    min_size     = var.node_groups["eks_cluster_dr"].min_size
    max_size     = var.node_groups["eks_cluster_dr"].max_size
  }

  update_config {
    max_unavailable = 1
  }

  tags = {
    Name = "${local.name}-eks-cluster-dr-nodes"
  }
  depends_on = [
    aws_iam_role_policy_attachment.eks_nodes
  ]
}

resource "aws_eks_addon" "eks_cluster_dr_pod_identity_agent" {
  provider     = aws.region_2_dr
  count        = var.environment == "prod" ? 1 : 0
  cluster_name = aws_eks_cluster.eks_cluster_dr[0].name
  addon_name   = "eks-pod-identity-agent"
  depends_on = [
    aws_eks_node_group.eks_cluster_dr
  ]
}

resource "aws_eks_pod_identity_association" "eks_cluster_dr_ebs_csi" {
  provider        = aws.region_2_dr
  count           = var.environment == "prod" ? 1 : 0
  cluster_name    = aws_eks_cluster.eks_cluster_dr[0].name
  namespace       = "kube-system"
  service_account = "ebs-csi-controller-sa"
  role_arn        = aws_iam_role.ebs_csi.arn
}

resource "aws_eks_addon" "eks_cluster_dr_ebs_csi" {
  provider     = aws.region_2_dr
  count        = var.environment == "prod" ? 1 : 0
  cluster_name = aws_eks_cluster.eks_cluster_dr[0].name
  addon_name   = "aws-ebs-csi-driver"
  depends_on = [
    aws_eks_node_group.eks_cluster_dr,
    aws_eks_addon.eks_cluster_dr_pod_identity_agent,
    aws_eks_pod_identity_association.eks_cluster_dr_ebs_csi
  ]
}
