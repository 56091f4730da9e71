locals {
  name = "${var.project}-${var.environment}"
  tags = merge(var.tags, { project = var.project, environment = var.environment, managed-by = "infracanvas" })
}

data "aws_iam_policy_document" "assume_flow_logs" {
  statement {
    actions = [
      "sts:AssumeRole"
    ]

    principals {
      type = "Service"
      identifiers = [
        "vpc-flow-logs.amazonaws.com"
      ]
    }
  }
}

resource "aws_iam_role" "flow_logs" {
  provider           = aws.eu_central_1
  name               = trimsuffix(substr("${local.name}-flow-logs", 0, 63), "-")
  assume_role_policy = data.aws_iam_policy_document.assume_flow_logs.json
}

data "aws_iam_policy_document" "assume_eks_cluster" {
  statement {
    actions = [
      "sts:AssumeRole"
    ]

    principals {
      type = "Service"
      identifiers = [
        "eks.amazonaws.com"
      ]
    }
  }
}

resource "aws_iam_role" "eks_cluster" {
  provider           = aws.eu_central_1
  name               = trimsuffix(substr("${local.name}-eks-cluster", 0, 63), "-")
  assume_role_policy = data.aws_iam_policy_document.assume_eks_cluster.json
}

data "aws_iam_policy_document" "assume_eks_nodes" {
  statement {
    actions = [
      "sts:AssumeRole"
    ]

    principals {
      type = "Service"
      identifiers = [
        "ec2.amazonaws.com"
      ]
    }
  }
}

resource "aws_iam_role" "eks_nodes" {
  provider           = aws.eu_central_1
  name               = trimsuffix(substr("${local.name}-eks-nodes", 0, 63), "-")
  assume_role_policy = data.aws_iam_policy_document.assume_eks_nodes.json
}

resource "aws_iam_role_policy_attachment" "eks_cluster" {
  provider   = aws.eu_central_1
  for_each   = toset(["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"])
  role       = aws_iam_role.eks_cluster.name
  policy_arn = each.value
}

resource "aws_iam_role_policy_attachment" "eks_nodes" {
  provider   = aws.eu_central_1
  for_each   = toset(["arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy", "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy", "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"])
  role       = aws_iam_role.eks_nodes.name
  policy_arn = each.value
}

data "aws_iam_policy_document" "assume_ebs_csi" {
  statement {
    actions = [
      "sts:AssumeRole",
      "sts:TagSession"
    ]

    principals {
      type = "Service"
      identifiers = [
        "pods.eks.amazonaws.com"
      ]
    }
  }
}

resource "aws_iam_role" "ebs_csi" {
  provider           = aws.eu_central_1
  name               = trimsuffix(substr("${local.name}-ebs-csi", 0, 63), "-")
  assume_role_policy = data.aws_iam_policy_document.assume_ebs_csi.json
}

resource "aws_iam_role_policy_attachment" "ebs_csi" {
  provider   = aws.eu_central_1
  for_each   = toset(["arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"])
  role       = aws_iam_role.ebs_csi.name
  policy_arn = each.value
}

data "aws_iam_policy_document" "assume_rds_monitoring" {
  statement {
    actions = [
      "sts:AssumeRole"
    ]

    principals {
      type = "Service"
      identifiers = [
        "monitoring.rds.amazonaws.com"
      ]
    }
  }
}

resource "aws_iam_role" "rds_monitoring" {
  provider           = aws.eu_central_1
  name               = trimsuffix(substr("${local.name}-rds-monitoring", 0, 63), "-")
  assume_role_policy = data.aws_iam_policy_document.assume_rds_monitoring.json
}

resource "aws_iam_role_policy_attachment" "rds_monitoring" {
  provider   = aws.eu_central_1
  for_each   = toset(["arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"])
  role       = aws_iam_role.rds_monitoring.name
  policy_arn = each.value
}

data "aws_caller_identity" "current" {
  provider = aws.eu_central_1
}

data "aws_iam_policy_document" "assume_vpn_instance" {
  statement {
    actions = [
      "sts:AssumeRole"
    ]

    principals {
      type = "Service"
      identifiers = [
        "ec2.amazonaws.com"
      ]
    }
  }
}

resource "aws_iam_role" "vpn_instance" {
  provider           = aws.eu_central_1
  name               = trimsuffix(substr("${local.name}-vpn-instance", 0, 63), "-")
  assume_role_policy = data.aws_iam_policy_document.assume_vpn_instance.json
}

resource "aws_iam_role_policy_attachment" "vpn_instance" {
  provider   = aws.eu_central_1
  for_each   = toset(["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"])
  role       = aws_iam_role.vpn_instance.name
  policy_arn = each.value
}

resource "aws_iam_instance_profile" "vpn_instance" {
  provider = aws.eu_central_1
  name     = "${local.name}-vpn-instance"
  role     = aws_iam_role.vpn_instance.name
}

data "aws_iam_policy_document" "kms_eu_central_1" {
  statement {
    sid = "AccountAdministersTheKey"
    actions = [
      "kms:*"
    ]
    resources = [
      "*"
    ]

    principals {
      type = "AWS"
      identifiers = [
        "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"
      ]
    }
  }

  statement {
    sid = "CloudWatchLogsEncrypt"
    actions = [
      "kms:Encrypt*",
      "kms:Decrypt*",
      "kms:ReEncrypt*",
      "kms:GenerateDataKey*",
      "kms:Describe*"
    ]
    resources = [
      "*"
    ]

    principals {
      type = "Service"
      identifiers = [
        "logs.eu-central-1.amazonaws.com"
      ]
    }

    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values = [
        format("arn:aws:logs:%s:%s:*", "eu-central-1", data.aws_caller_identity.current.account_id)
      ]
    }
  }
}

resource "aws_kms_key" "eu_central_1" {
  provider                = aws.eu_central_1
  description             = "infracanvas: data at rest in region eu_central_1"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.kms_eu_central_1.json
}
