resource "aws_db_subnet_group" "amazon_rds_for_postgresql" {
  provider = aws.eu_central_1
  name     = "${local.name}-amazon-rds-for-postgresql"
  subnet_ids = [
    aws_subnet.sosisochnaya_eu_a.id,
    aws_subnet.sosisochnaya_eu_b.id,
    aws_subnet.sosisochnaya_eu_c.id
  ]
  tags = {
    Name = "${local.name}-amazon-rds-for-postgresql"
  }
}

resource "aws_db_parameter_group" "amazon_rds_for_postgresql" {
  provider = aws.eu_central_1
  name     = "${local.name}-amazon-rds-for-postgresql"
  family   = "postgres16"

  parameter {
    name  = "log_statement"
    value = "ddl"
  }

  parameter {
    name  = "log_min_duration_statement"
    value = "1000"
  }

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }
}

resource "aws_db_instance" "amazon_rds_for_postgresql" {
  provider                      = aws.eu_central_1
  identifier                    = trimsuffix(substr("${local.name}-amazon-rds-for-postgresql", 0, 63), "-")
  instance_class                = var.db_instance_class
  engine                        = "postgres"
  allocated_storage             = 20
  max_allocated_storage         = 200
  storage_type                  = "gp3"
  username                      = "app_admin"
  manage_master_user_password   = true
  master_user_secret_kms_key_id = aws_kms_key.eu_central_1.arn
  engine_version                = "16"
  parameter_group_name          = aws_db_parameter_group.amazon_rds_for_postgresql.name
  db_subnet_group_name          = aws_db_subnet_group.amazon_rds_for_postgresql.name
  vpc_security_group_ids = [
    aws_security_group.amazon_rds_for_postgresql.id
  ]
  multi_az                            = true
  publicly_accessible                 = false
  storage_encrypted                   = true
  kms_key_id                          = aws_kms_key.eu_central_1.arn
  backup_retention_period             = 7
  copy_tags_to_snapshot               = true
  deletion_protection                 = true
  skip_final_snapshot                 = false
  final_snapshot_identifier           = "${local.name}-amazon-rds-for-postgresql-final"
  auto_minor_version_upgrade          = true
  iam_database_authentication_enabled = true
  enabled_cloudwatch_logs_exports = [
    "postgresql",
    "upgrade"
  ]
  performance_insights_enabled    = true
  performance_insights_kms_key_id = aws_kms_key.eu_central_1.arn
  monitoring_interval             = 60
  monitoring_role_arn             = aws_iam_role.rds_monitoring.arn
  tags = {
    Name = "${local.name}-amazon-rds-for-postgresql"
  }
}

resource "aws_s3_bucket" "amazon_s3" {
  provider      = aws.eu_central_1
  bucket_prefix = format("%s-", trimsuffix(substr("${local.name}-amazon-s3", 0, 36), "-"))
  tags = {
    Name = "${local.name}-amazon-s3"
  }
}

resource "aws_s3_bucket_public_access_block" "amazon_s3" {
  provider                = aws.eu_central_1
  bucket                  = aws_s3_bucket.amazon_s3.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "amazon_s3" {
  provider = aws.eu_central_1
  bucket   = aws_s3_bucket.amazon_s3.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.eu_central_1.arn
    }

    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "amazon_s3" {
  provider = aws.eu_central_1
  bucket   = aws_s3_bucket.amazon_s3.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "amazon_s3" {
  provider = aws.eu_central_1
  bucket   = aws_s3_bucket.amazon_s3.id

  rule {
    id     = "tidy"
    status = "Enabled"

    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }

    noncurrent_version_expiration {
      noncurrent_days = 90
    }
  }
}

resource "aws_s3_bucket" "eu_central_1_access_logs" {
  provider      = aws.eu_central_1
  bucket_prefix = format("%s-", trimsuffix(substr("${local.name}-eu-central-1-access-logs", 0, 36), "-"))
  tags = {
    Name = "${local.name}-eu-central-1-access-logs"
  }
}

resource "aws_s3_bucket_public_access_block" "eu_central_1_access_logs" {
  provider                = aws.eu_central_1
  bucket                  = aws_s3_bucket.eu_central_1_access_logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "eu_central_1_access_logs" {
  provider = aws.eu_central_1
  bucket   = aws_s3_bucket.eu_central_1_access_logs.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }

    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "eu_central_1_access_logs" {
  provider = aws.eu_central_1
  bucket   = aws_s3_bucket.eu_central_1_access_logs.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "eu_central_1_access_logs" {
  provider = aws.eu_central_1
  bucket   = aws_s3_bucket.eu_central_1_access_logs.id

  rule {
    id     = "tidy"
    status = "Enabled"

    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }

    noncurrent_version_expiration {
      noncurrent_days = 90
    }

    expiration {
      days = 365
    }
  }
}

resource "aws_s3_bucket_ownership_controls" "eu_central_1_access_logs" {
  provider = aws.eu_central_1
  bucket   = aws_s3_bucket.eu_central_1_access_logs.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

data "aws_elb_service_account" "eu_central_1" {
  provider = aws.eu_central_1
}

data "aws_iam_policy_document" "eu_central_1_access_logs" {
  statement {
    sid = "BalancerAccessLogs"
    actions = [
      "s3:PutObject"
    ]
    resources = [
      "${aws_s3_bucket.eu_central_1_access_logs.arn}/alb/*"
    ]

    principals {
      type = "AWS"
      identifiers = [
        data.aws_elb_service_account.eu_central_1.arn
      ]
    }
  }

  statement {
    sid = "S3ServerAccessLogs"
    actions = [
      "s3:PutObject"
    ]
    resources = [
      "${aws_s3_bucket.eu_central_1_access_logs.arn}/s3/*"
    ]

    principals {
      type = "Service"
      identifiers = [
        "logging.s3.amazonaws.com"
      ]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values = [
        data.aws_caller_identity.current.account_id
      ]
    }
  }
}

resource "aws_s3_bucket_policy" "eu_central_1_access_logs" {
  provider = aws.eu_central_1
  bucket   = aws_s3_bucket.eu_central_1_access_logs.id
  policy   = data.aws_iam_policy_document.eu_central_1_access_logs.json
}

resource "aws_s3_bucket_logging" "amazon_s3" {
  provider      = aws.eu_central_1
  bucket        = aws_s3_bucket.amazon_s3.id
  target_bucket = aws_s3_bucket.eu_central_1_access_logs.id
  target_prefix = "s3/amazon-s3/"
}

resource "aws_ecr_repository" "amazon_elastic_container_registry_sosisochnaya_backend" {
  provider             = aws.eu_central_1
  name                 = "sosisochnaya/backend"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.eu_central_1.arn
  }
}

resource "aws_ecr_repository" "amazon_elastic_container_registry_sosisochnaya_frontend" {
  provider             = aws.eu_central_1
  name                 = "sosisochnaya/frontend"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.eu_central_1.arn
  }
}
