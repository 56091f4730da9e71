resource "aws_db_subnet_group" "database_replica" {
  provider = aws.region_2_dr
  name     = "${local.name}-database-replica"
  subnet_ids = [
    aws_subnet.data_subnet_2_a.id,
    aws_subnet.data_subnet_2_b.id
  ]
  tags = {
    Name = "${local.name}-database-replica"
  }
}

resource "aws_db_parameter_group" "database_replica" {
  provider = aws.region_2_dr
  name     = "${local.name}-database-replica"
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

resource "aws_db_instance" "database_replica" {
  provider             = aws.region_2_dr
  identifier           = trimsuffix(substr("${local.name}-database-replica", 0, 63), "-")
  instance_class       = var.db_instance_class
  replicate_source_db  = aws_db_instance.aws_rds.arn
  parameter_group_name = aws_db_parameter_group.database_replica.name
  db_subnet_group_name = aws_db_subnet_group.database_replica.name
  vpc_security_group_ids = [
    aws_security_group.database_replica.id
  ]
  multi_az                            = true
  publicly_accessible                 = false
  storage_encrypted                   = true
  kms_key_id                          = aws_kms_key.region_2_dr.arn
  backup_retention_period             = 7
  copy_tags_to_snapshot               = true
  deletion_protection                 = true
  skip_final_snapshot                 = false
  final_snapshot_identifier           = "${local.name}-database-replica-final"
  auto_minor_version_upgrade          = true
  iam_database_authentication_enabled = true
  enabled_cloudwatch_logs_exports = [
    "postgresql",
    "upgrade"
  ]
  performance_insights_enabled    = true
  performance_insights_kms_key_id = aws_kms_key.region_2_dr.arn
  monitoring_interval             = 60
  monitoring_role_arn             = aws_iam_role.rds_monitoring.arn
  tags = {
    Name = "${local.name}-database-replica"
  }
}

resource "aws_db_subnet_group" "aws_rds" {
  provider = aws.region_1_primary
  name     = "${local.name}-aws-rds"
  subnet_ids = [
    aws_subnet.data_subnet_a.id,
    aws_subnet.data_subnet_b.id,
    aws_subnet.data_subnet_c.id
  ]
  tags = {
    Name = "${local.name}-aws-rds"
  }
}

resource "aws_db_parameter_group" "aws_rds" {
  provider = aws.region_1_primary
  name     = "${local.name}-aws-rds"
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

resource "aws_db_instance" "aws_rds" {
  provider                      = aws.region_1_primary
  identifier                    = trimsuffix(substr("${local.name}-aws-rds", 0, 63), "-")
  instance_class                = var.db_instance_class
  engine                        = "postgres"
  allocated_storage             = 20
  max_allocated_storage         = 200
  storage_type                  = "gp3"
  username                      = "app_admin"
  manage_master_user_password   = true
  master_user_secret_kms_key_id = aws_kms_key.region_1_primary.arn
  engine_version                = "16"
  parameter_group_name          = aws_db_parameter_group.aws_rds.name
  db_subnet_group_name          = aws_db_subnet_group.aws_rds.name
  vpc_security_group_ids = [
    aws_security_group.aws_rds.id
  ]
  multi_az                            = true
  publicly_accessible                 = false
  storage_encrypted                   = true
  kms_key_id                          = aws_kms_key.region_1_primary.arn
  backup_retention_period             = 7
  copy_tags_to_snapshot               = true
  deletion_protection                 = true
  skip_final_snapshot                 = false
  final_snapshot_identifier           = "${local.name}-aws-rds-final"
  auto_minor_version_upgrade          = true
  iam_database_authentication_enabled = true
  enabled_cloudwatch_logs_exports = [
    "postgresql",
    "upgrade"
  ]
  performance_insights_enabled    = true
  performance_insights_kms_key_id = aws_kms_key.region_1_primary.arn
  monitoring_interval             = 60
  monitoring_role_arn             = aws_iam_role.rds_monitoring.arn
  tags = {
    Name = "${local.name}-aws-rds"
  }
}

resource "aws_elasticache_subnet_group" "aws_elasticache" {
  provider = aws.region_1_primary
  name     = "${local.name}-aws-elasticache"
  subnet_ids = [
    aws_subnet.data_subnet_a.id,
    aws_subnet.data_subnet_b.id,
    aws_subnet.data_subnet_c.id
  ]
}

resource "aws_elasticache_replication_group" "aws_elasticache" {
  provider                   = aws.region_1_primary
  replication_group_id       = trimsuffix(substr("${local.name}-aws-elasticache", 0, 40), "-")
  description                = "Redis aws-elasticache"
  engine                     = "redis"
  engine_version             = "7.1"
  node_type                  = var.cache_node_type
  num_cache_clusters         = 3
  automatic_failover_enabled = true
  multi_az_enabled           = true
  subnet_group_name          = aws_elasticache_subnet_group.aws_elasticache.name
  security_group_ids = [
    aws_security_group.aws_elasticache.id
  ]
  at_rest_encryption_enabled = true
  kms_key_id                 = aws_kms_key.region_1_primary.arn
  transit_encryption_enabled = true
  auth_token                 = var.aws_elasticache_auth_token
  snapshot_retention_limit   = 7
  auto_minor_version_upgrade = true
  tags = {
    Name = "${local.name}-aws-elasticache"
  }
}

resource "aws_cloudwatch_log_group" "aws_msk_msk" {
  provider          = aws.region_1_primary
  name              = "/aws/msk/${local.name}-aws-msk"
  retention_in_days = 365
  kms_key_id        = aws_kms_key.region_1_primary.arn
}

resource "aws_msk_cluster" "aws_msk" {
  provider               = aws.region_1_primary
  cluster_name           = trimsuffix(substr("${local.name}-aws-msk", 0, 64), "-")
  kafka_version          = "3.6.0"
  number_of_broker_nodes = 3

  broker_node_group_info {
    instance_type = var.msk_instance_type
    client_subnets = [
      aws_subnet.data_subnet_a.id,
      aws_subnet.data_subnet_b.id,
      aws_subnet.data_subnet_c.id
    ]
    security_groups = [
      aws_security_group.aws_msk.id
    ]

    storage_info {
      ebs_storage_info {
        volume_size = 100
      }
    }

    connectivity_info {
      vpc_connectivity {
        client_authentication {
          sasl {
            iam = true
          }
        }
      }
    }
  }

  encryption_info {
    encryption_at_rest_kms_key_arn = aws_kms_key.region_1_primary.arn

    encryption_in_transit {
      client_broker = "TLS"
      in_cluster    = true
    }
  }

  client_authentication {
    unauthenticated = false

    sasl {
      iam = true
    }
  }

  logging_info {
    broker_logs {
      cloudwatch_logs {
        enabled   = true
        log_group = aws_cloudwatch_log_group.aws_msk_msk.name
      }
    }
  }

  tags = {
    Name = "${local.name}-aws-msk"
  }
}

data "aws_iam_policy_document" "aws_msk_replicator_source" {
  statement {
    sid = "MskReplicatorReadsThisCluster"
    actions = [
      "kafka:CreateVpcConnection",
      "kafka:GetBootstrapBrokers",
      "kafka:DescribeClusterV2"
    ]
    resources = [
      aws_msk_cluster.aws_msk.arn
    ]

    principals {
      type = "Service"
      identifiers = [
        "kafka.amazonaws.com"
      ]
    }
  }
}

resource "aws_msk_cluster_policy" "aws_msk" {
  provider    = aws.region_1_primary
  cluster_arn = aws_msk_cluster.aws_msk.arn
  policy      = data.aws_iam_policy_document.aws_msk_replicator_source.json
}

resource "aws_cloudwatch_log_group" "message_queue_replica_msk" {
  provider          = aws.region_2_dr
  name              = "/aws/msk/${local.name}-message-queue-replica"
  retention_in_days = 365
  kms_key_id        = aws_kms_key.region_2_dr.arn
}

resource "aws_msk_cluster" "message_queue_replica" {
  provider               = aws.region_2_dr
  cluster_name           = trimsuffix(substr("${local.name}-message-queue-replica", 0, 64), "-")
  kafka_version          = "3.6.0"
  number_of_broker_nodes = 4

  broker_node_group_info {
    instance_type = var.msk_instance_type
    client_subnets = [
      aws_subnet.data_subnet_2_a.id,
      aws_subnet.data_subnet_2_b.id
    ]
    security_groups = [
      aws_security_group.message_queue_replica.id
    ]

    storage_info {
      ebs_storage_info {
        volume_size = 100
      }
    }
  }

  encryption_info {
    encryption_at_rest_kms_key_arn = aws_kms_key.region_2_dr.arn

    encryption_in_transit {
      client_broker = "TLS"
      in_cluster    = true
    }
  }

  client_authentication {
    unauthenticated = false

    sasl {
      iam = true
    }
  }

  logging_info {
    broker_logs {
      cloudwatch_logs {
        enabled   = true
        log_group = aws_cloudwatch_log_group.message_queue_replica_msk.name
      }
    }
  }

  tags = {
    Name = "${local.name}-message-queue-replica"
  }
}

data "aws_iam_policy_document" "message_queue_replica_replicator" {
  statement {
    actions = [
      "kafka-cluster:Connect",
      "kafka-cluster:DescribeCluster",
      "kafka-cluster:AlterCluster",
      "kafka-cluster:DescribeTopic",
      "kafka-cluster:CreateTopic",
      "kafka-cluster:AlterTopic",
      "kafka-cluster:ReadData",
      "kafka-cluster:WriteData",
      "kafka-cluster:WriteDataIdempotently",
      "kafka-cluster:DescribeTopicDynamicConfiguration",
      "kafka-cluster:AlterTopicDynamicConfiguration",
      "kafka-cluster:DescribeGroup",
      "kafka-cluster:AlterGroup"
    ]
    resources = [
      aws_msk_cluster.aws_msk.arn,
      "${replace(aws_msk_cluster.aws_msk.arn, ":cluster/", ":topic/")}/*",
      "${replace(aws_msk_cluster.aws_msk.arn, ":cluster/", ":group/")}/*",
      aws_msk_cluster.message_queue_replica.arn,
      "${replace(aws_msk_cluster.message_queue_replica.arn, ":cluster/", ":topic/")}/*",
      "${replace(aws_msk_cluster.message_queue_replica.arn, ":cluster/", ":group/")}/*"
    ]
  }
}

resource "aws_iam_role_policy" "message_queue_replica_replicator" {
  provider = aws.region_1_primary
  role     = aws_iam_role.message_queue_replica_replicator.id
  policy   = data.aws_iam_policy_document.message_queue_replica_replicator.json
}

resource "aws_msk_replicator" "message_queue_replica" {
  provider                   = aws.region_2_dr
  replicator_name            = trimsuffix(substr("${local.name}-message-queue-replica-replicator", 0, 64), "-")
  description                = "aws-msk to message-queue-replica"
  service_execution_role_arn = aws_iam_role.message_queue_replica_replicator.arn

  kafka_cluster {
    amazon_msk_cluster {
      msk_cluster_arn = aws_msk_cluster.aws_msk.arn
    }

    vpc_config {
      subnet_ids = [
        aws_subnet.data_subnet_a.id,
        aws_subnet.data_subnet_b.id,
        aws_subnet.data_subnet_c.id
      ]
      security_groups_ids = [
        aws_security_group.aws_msk.id
      ]
    }
  }

  kafka_cluster {
    amazon_msk_cluster {
      msk_cluster_arn = aws_msk_cluster.message_queue_replica.arn
    }

    vpc_config {
      subnet_ids = [
        aws_subnet.data_subnet_2_a.id,
        aws_subnet.data_subnet_2_b.id
      ]
      security_groups_ids = [
        aws_security_group.message_queue_replica.id
      ]
    }
  }

  replication_info_list {
    source_kafka_cluster_arn = aws_msk_cluster.aws_msk.arn
    target_kafka_cluster_arn = aws_msk_cluster.message_queue_replica.arn
    target_compression_type  = "NONE"

    topic_replication {
      topics_to_replicate = [
        ".*"
      ]
      copy_topic_configurations  = true
      detect_and_copy_new_topics = true
    }

    consumer_group_replication {
      consumer_groups_to_replicate = [
        ".*"
      ]
      synchronise_consumer_group_offsets  = true
      detect_and_copy_new_consumer_groups = true
    }
  }

  tags = {
    Name = "${local.name}-message-queue-replica-replicator"
  }
  depends_on = [
    aws_msk_cluster_policy.aws_msk
  ]
}

resource "aws_s3_bucket" "aws_backup" {
  provider      = aws.region_1_primary
  bucket_prefix = format("%s-", trimsuffix(substr("${local.name}-aws-backup", 0, 36), "-"))
  tags = {
    Name = "${local.name}-aws-backup"
  }
}

resource "aws_s3_bucket_public_access_block" "aws_backup" {
  provider                = aws.region_1_primary
  bucket                  = aws_s3_bucket.aws_backup.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "aws_backup" {
  provider = aws.region_1_primary
  bucket   = aws_s3_bucket.aws_backup.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.region_1_primary.arn
    }

    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "aws_backup" {
  provider = aws.region_1_primary
  bucket   = aws_s3_bucket.aws_backup.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "aws_backup" {
  provider = aws.region_1_primary
  bucket   = aws_s3_bucket.aws_backup.id

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

resource "aws_s3_bucket" "region_1_primary_access_logs" {
  provider      = aws.region_1_primary
  bucket_prefix = format("%s-", trimsuffix(substr("${local.name}-region-1-primary-access-logs", 0, 36), "-"))
  tags = {
    Name = "${local.name}-region-1-primary-access-logs"
  }
}

resource "aws_s3_bucket_public_access_block" "region_1_primary_access_logs" {
  provider                = aws.region_1_primary
  bucket                  = aws_s3_bucket.region_1_primary_access_logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "region_1_primary_access_logs" {
  provider = aws.region_1_primary
  bucket   = aws_s3_bucket.region_1_primary_access_logs.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }

    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "region_1_primary_access_logs" {
  provider = aws.region_1_primary
  bucket   = aws_s3_bucket.region_1_primary_access_logs.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "region_1_primary_access_logs" {
  provider = aws.region_1_primary
  bucket   = aws_s3_bucket.region_1_primary_access_logs.id

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

resource "aws_s3_bucket_ownership_controls" "region_1_primary_access_logs" {
  provider = aws.region_1_primary
  bucket   = aws_s3_bucket.region_1_primary_access_logs.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

data "aws_elb_service_account" "region_1_primary" {
  provider = aws.region_1_primary
}

data "aws_iam_policy_document" "region_1_primary_access_logs" {
  statement {
    sid = "BalancerAccessLogs"
    actions = [
      "s3:PutObject"
    ]
    resources = [
      "${aws_s3_bucket.region_1_primary_access_logs.arn}/alb/*"
    ]

    principals {
      type = "AWS"
      identifiers = [
        data.aws_elb_service_account.region_1_primary.arn
      ]
    }
  }

  statement {
    sid = "S3ServerAccessLogs"
    actions = [
      "s3:PutObject"
    ]
    resources = [
      "${aws_s3_bucket.region_1_primary_access_logs.arn}/s3/*"
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

resource "aws_s3_bucket_policy" "region_1_primary_access_logs" {
  provider = aws.region_1_primary
  bucket   = aws_s3_bucket.region_1_primary_access_logs.id
  policy   = data.aws_iam_policy_document.region_1_primary_access_logs.json
}

resource "aws_s3_bucket_logging" "aws_backup" {
  provider      = aws.region_1_primary
  bucket        = aws_s3_bucket.aws_backup.id
  target_bucket = aws_s3_bucket.region_1_primary_access_logs.id
  target_prefix = "s3/aws-backup/"
}

resource "aws_s3_bucket" "region_2_dr_access_logs" {
  provider      = aws.region_2_dr
  bucket_prefix = format("%s-", trimsuffix(substr("${local.name}-region-2-dr-access-logs", 0, 36), "-"))
  tags = {
    Name = "${local.name}-region-2-dr-access-logs"
  }
}

resource "aws_s3_bucket_public_access_block" "region_2_dr_access_logs" {
  provider                = aws.region_2_dr
  bucket                  = aws_s3_bucket.region_2_dr_access_logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "region_2_dr_access_logs" {
  provider = aws.region_2_dr
  bucket   = aws_s3_bucket.region_2_dr_access_logs.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }

    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "region_2_dr_access_logs" {
  provider = aws.region_2_dr
  bucket   = aws_s3_bucket.region_2_dr_access_logs.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "region_2_dr_access_logs" {
  provider = aws.region_2_dr
  bucket   = aws_s3_bucket.region_2_dr_access_logs.id

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

resource "aws_s3_bucket_ownership_controls" "region_2_dr_access_logs" {
  provider = aws.region_2_dr
  bucket   = aws_s3_bucket.region_2_dr_access_logs.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

data "aws_elb_service_account" "region_2_dr" {
  provider = aws.region_2_dr
}

data "aws_iam_policy_document" "region_2_dr_access_logs" {
  statement {
    sid = "BalancerAccessLogs"
    actions = [
      "s3:PutObject"
    ]
    resources = [
      "${aws_s3_bucket.region_2_dr_access_logs.arn}/alb/*"
    ]

    principals {
      type = "AWS"
      identifiers = [
        data.aws_elb_service_account.region_2_dr.arn
      ]
    }
  }

  statement {
    sid = "S3ServerAccessLogs"
    actions = [
      "s3:PutObject"
    ]
    resources = [
      "${aws_s3_bucket.region_2_dr_access_logs.arn}/s3/*"
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

resource "aws_s3_bucket_policy" "region_2_dr_access_logs" {
  provider = aws.region_2_dr
  bucket   = aws_s3_bucket.region_2_dr_access_logs.id
  policy   = data.aws_iam_policy_document.region_2_dr_access_logs.json
}
