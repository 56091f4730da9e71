//! AWS data: RDS (a cross-region read replica for each replication edge into another RDS),
//! ElastiCache for Redis, MSK, S3 buckets and ECR repositories. Everything encrypted with the
//! region's KMS key, nothing public unless the design says so, passwords never written: RDS
//! keeps its master password in Secrets Manager, the Redis token is a sensitive variable.

use hcl::expr::Expression;
use hcl::Block;

use super::super::hcl::*;
use super::super::module::{tags, Concern};
use super::network::sg_id;
use super::s3;
use super::Aws;
use crate::model::*;

pub(super) fn build(cx: &mut Aws) {
    let plan = cx.plan;
    for d in plan.nodes_of(cx.pp, Kind::Database) {
        if let NodeSpec::Database(p) = &plan.g.node(d).spec {
            database(cx, d, p);
        }
    }
    for c in plan.nodes_of(cx.pp, Kind::Cache) {
        if let NodeSpec::Cache(p) = &plan.g.node(c).spec {
            cache(cx, c, p);
        }
    }
    for q in plan.nodes_of(cx.pp, Kind::Queue) {
        if let NodeSpec::Queue(p) = &plan.g.node(q).spec {
            queue(cx, q, p);
        }
    }
    for b in plan.nodes_of(cx.pp, Kind::ObjectStorage) {
        if let NodeSpec::ObjectStorage(p) = &plan.g.node(b).spec {
            bucket(cx, b, p);
        }
    }
    for r in plan.nodes_of(cx.pp, Kind::ContainerRegistry) {
        registry(cx, r);
    }
}

/// A store the provider does not run, or one outside any region, gets a note instead.
fn skipped(cx: &mut Aws, i: usize, managed: bool) -> bool {
    let why = if !managed {
        "self-hosted (runs in Kubernetes, see the Kubernetes export)"
    } else if cx.plan.net_of(i).is_none() {
        "in no region"
    } else {
        return false;
    };
    let name = cx.plan.ascii_name(i);
    cx.m.notes.push(format!(
        "{} {name}: {why}; not made here.",
        cx.plan.g.kind(i).label()
    ));
    true
}

fn subnet_ids(cx: &Aws, i: usize) -> Expression {
    Expression::Array(
        cx.plan
            .subnet_pieces(i, false, &[])
            .iter()
            .map(|s| attr("aws_subnet", s, "id"))
            .collect(),
    )
}

/// The source of a replication edge into `i` from another node of the same kind, if any.
fn replica_source(cx: &Aws, i: usize) -> Option<usize> {
    let g = &cx.plan.g;
    let mut sources: Vec<usize> = g
        .incoming_of(i, EdgeKind::Replication)
        .map(|(_, s)| s)
        .filter(|s| cx.pp.labels.contains_key(s) && *s != i)
        .collect();
    sources.sort_by(|a, b| g.node(*a).id.cmp(&g.node(*b).id));
    sources.first().copied()
}

fn database(cx: &mut Aws, d: usize, p: &DatabaseProps) {
    if skipped(cx, d, p.managed) {
        return;
    }
    let (engine, logs): (&str, &[&str]) = match p.engine {
        DatabaseEngine::Postgresql => ("postgres", &["postgresql", "upgrade"]),
        DatabaseEngine::Mysql => ("mysql", &["audit", "error", "general", "slowquery"]),
        DatabaseEngine::Mongodb => {
            cx.m.notes.push(format!(
                "Database {}: MongoDB has no managed AWS service written here (DocumentDB differs); not made.",
                cx.plan.ascii_name(d)
            ));
            return;
        }
    };
    let label = cx.label(d);
    let name = label.replace('_', "-");
    let prov = cx.provider(d);
    let kms = cx.kms(d);
    super::kubernetes::service_role(cx, "rds_monitoring", "monitoring.rds.amazonaws.com");
    super::kubernetes::attach(
        cx,
        "rds_monitoring",
        &["arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"],
    );
    instance_class_variable(cx);
    cx.m.add(
        Concern::Data,
        resource("aws_db_subnet_group", &label)
            .add_attribute(prov.clone())
            .add_attribute(("name", prefixed(&name)))
            .add_attribute(("subnet_ids", subnet_ids(cx, d)))
            .add_attribute(("tags", tags(prefixed(&name))))
            .build(),
    );
    let source = replica_source(cx, d);
    let mut b = resource("aws_db_instance", &label)
        .add_attribute(prov)
        .add_attribute(("identifier", limited(&name, 63)))
        .add_attribute(("instance_class", var("db_instance_class")));
    b = match source {
        // A cross-region read replica (a DR edge): engine, storage and credentials come from
        // the primary; the key must be one of the replica's own region.
        Some(src) => b.add_attribute((
            "replicate_source_db",
            attr("aws_db_instance", &cx.label(src), "arn"),
        )),
        None => {
            let mut b = b
                .add_attribute(("engine", engine))
                .add_attribute(("allocated_storage", 20))
                .add_attribute(("max_allocated_storage", 200))
                .add_attribute(("storage_type", "gp3"))
                .add_attribute(("username", "app_admin"))
                // The password is made and rotated by RDS in Secrets Manager: never in state
                // as a value we chose, never in these files.
                .add_attribute(("manage_master_user_password", true))
                .add_attribute(("master_user_secret_kms_key_id", kms.clone()));
            if !p.version.is_empty() {
                b = b.add_attribute(("engine_version", p.version.as_str()));
            }
            b
        }
    };
    if let Some(family) = parameter_family(p) {
        cx.m.add(Concern::Data, parameter_group(cx, d, &name, &family));
        b = b.add_attribute((
            "parameter_group_name",
            attr("aws_db_parameter_group", &label, "name"),
        ));
    }
    let b = b
        .add_attribute((
            "db_subnet_group_name",
            attr("aws_db_subnet_group", &label, "name"),
        ))
        .add_attribute((
            "vpc_security_group_ids",
            Expression::Array(vec![sg_id(cx, d)]),
        ))
        .add_attribute(("multi_az", p.multi_az))
        .add_attribute(("publicly_accessible", p.public))
        .add_attribute(("storage_encrypted", true))
        .add_attribute(("kms_key_id", kms.clone()))
        .add_attribute(("backup_retention_period", if p.backups { 7 } else { 0 }))
        .add_attribute(("copy_tags_to_snapshot", true))
        .add_attribute(("deletion_protection", true))
        .add_attribute(("skip_final_snapshot", false))
        .add_attribute((
            "final_snapshot_identifier",
            prefixed(&format!("{name}-final")),
        ))
        .add_attribute(("auto_minor_version_upgrade", true))
        .add_attribute(("iam_database_authentication_enabled", true))
        .add_attribute(("enabled_cloudwatch_logs_exports", strings(logs)))
        .add_attribute(("performance_insights_enabled", true))
        .add_attribute(("performance_insights_kms_key_id", kms))
        .add_attribute(("monitoring_interval", 60))
        .add_attribute((
            "monitoring_role_arn",
            attr("aws_iam_role", "rds_monitoring", "arn"),
        ))
        .add_attribute(("tags", tags(prefixed(&name))))
        .build();
    cx.m.add(Concern::Data, b);
    cx.m.output(
        &format!("{label}_endpoint"),
        attr("aws_db_instance", &label, "endpoint"),
        &format!("Endpoint of {}", cx.plan.ascii_name(d)),
    );
}

/// `postgres16` for PostgreSQL 16 (17, the engine's default, when the design names none);
/// other engines keep their default parameter group.
fn parameter_family(p: &DatabaseProps) -> Option<String> {
    if p.engine != DatabaseEngine::Postgresql {
        return None;
    }
    let major = p
        .version
        .split('.')
        .next()
        .filter(|m| !m.is_empty() && m.bytes().all(|b| b.is_ascii_digit()));
    Some(format!("postgres{}", major.unwrap_or("17")))
}

/// Statement logging (schema changes always, any statement slower than a second) and TLS
/// required for every connection.
fn parameter_group(cx: &Aws, d: usize, name: &str, family: &str) -> Block {
    let param = |k: &str, v: &str| {
        nested(
            "parameter",
            [
                ("name", Expression::from(k)),
                ("value", Expression::from(v)),
            ],
        )
    };
    resource("aws_db_parameter_group", &cx.label(d))
        .add_attribute(cx.provider(d))
        .add_attribute(("name", prefixed(name)))
        .add_attribute(("family", family))
        .add_block(param("log_statement", "ddl"))
        .add_block(param("log_min_duration_statement", "1000"))
        .add_block(param("rds.force_ssl", "1"))
        .build()
}

fn instance_class_variable(cx: &mut Aws) {
    let plan = cx.plan;
    cx.m.string_variable(
        "db_instance_class",
        "RDS instance class (per environment)",
        Some(class_for(plan, &plan.default_environment())),
    );
    for env in super::super::sizing::environments(plan) {
        let v = class_for(plan, &env);
        cx.m.env_value(&env, "db_instance_class", v.into());
    }
}

fn class_for(plan: &super::super::plan::Plan, env: &str) -> &'static str {
    if super::super::sizing::is_production(plan, env) {
        "db.r6g.large"
    } else {
        "db.t4g.medium"
    }
}

fn cache(cx: &mut Aws, c: usize, p: &CacheProps) {
    if skipped(cx, c, p.managed) {
        return;
    }
    if p.engine != CacheEngine::Redis {
        cx.m.notes.push(format!(
            "Cache {}: only Redis is written for ElastiCache; not made.",
            cx.plan.ascii_name(c)
        ));
        return;
    }
    let label = cx.label(c);
    let name = label.replace('_', "-");
    let prov = cx.provider(c);
    let kms = cx.kms(c);
    let token = format!("{label}_auth_token");
    cx.m.secret_variable(
        &token,
        &format!(
            "AUTH token of the Redis {} (from your secret store; never committed)",
            cx.plan.ascii_name(c)
        ),
    );
    cx.m.string_variable(
        "cache_node_type",
        "ElastiCache node type",
        Some("cache.r7g.large"),
    );
    cx.m.add(
        Concern::Data,
        resource("aws_elasticache_subnet_group", &label)
            .add_attribute(prov.clone())
            .add_attribute(("name", prefixed(&name)))
            .add_attribute(("subnet_ids", subnet_ids(cx, c)))
            .build(),
    );
    let failover = p.replicas > 0;
    let mut b = resource("aws_elasticache_replication_group", &label)
        .add_attribute(prov)
        .add_attribute(("replication_group_id", limited(&name, 40)))
        .add_attribute(("description", format!("Redis {}", cx.plan.ascii_name(c))))
        .add_attribute(("engine", "redis"));
    if !p.version.is_empty() {
        b = b.add_attribute(("engine_version", p.version.as_str()));
    }
    let b = b
        .add_attribute(("node_type", var("cache_node_type")))
        .add_attribute(("num_cache_clusters", 1 + p.replicas))
        .add_attribute(("automatic_failover_enabled", failover))
        .add_attribute(("multi_az_enabled", failover && p.multi_az))
        .add_attribute((
            "subnet_group_name",
            attr("aws_elasticache_subnet_group", &label, "name"),
        ))
        .add_attribute(("security_group_ids", Expression::Array(vec![sg_id(cx, c)])))
        .add_attribute(("at_rest_encryption_enabled", true))
        .add_attribute(("kms_key_id", kms))
        .add_attribute(("transit_encryption_enabled", true))
        .add_attribute(("auth_token", var(&token)))
        .add_attribute(("snapshot_retention_limit", if p.backups { 7 } else { 0 }))
        .add_attribute(("auto_minor_version_upgrade", true))
        .add_attribute(("tags", tags(prefixed(&name))))
        .build();
    cx.m.add(Concern::Data, b);
}

fn queue(cx: &mut Aws, q: usize, p: &QueueProps) {
    if skipped(cx, q, p.managed) {
        return;
    }
    if p.engine != QueueEngine::Kafka {
        cx.m.notes.push(format!(
            "Queue {}: only Kafka (MSK) is written; not made.",
            cx.plan.ascii_name(q)
        ));
        return;
    }
    let label = cx.label(q);
    let name = label.replace('_', "-");
    let prov = cx.provider(q);
    let kms = cx.kms(q);
    let subnets = cx.plan.subnet_pieces(q, false, &[]);
    // MSK wants the broker count to be a multiple of the client subnets.
    let per_zone = (1 + p.replicas)
        .div_ceil(subnets.len().max(1) as u32)
        .max(1);
    let brokers = per_zone * subnets.len().max(1) as u32;
    cx.m.string_variable(
        "msk_instance_type",
        "MSK broker instance type",
        Some("kafka.m7g.large"),
    );
    let logs = format!("{label}_msk");
    cx.m.add(
        Concern::Data,
        resource("aws_cloudwatch_log_group", &logs)
            .add_attribute(prov.clone())
            .add_attribute(("name", template(format!("/aws/msk/${{local.name}}-{name}"))))
            .add_attribute(("retention_in_days", 365))
            .add_attribute(("kms_key_id", kms.clone()))
            .build(),
    );
    // A source of a cross-region MSK Replicator needs multi-VPC private connectivity for IAM
    // and a cluster policy that lets the replicator's service connect (MSK's prerequisites).
    let cross_region_source = replica_targets(cx, q)
        .into_iter()
        .any(|t| cx.plan.g.scope(t).region != cx.plan.g.scope(q).region);
    let mut b = resource("aws_msk_cluster", &label)
        .add_attribute(prov)
        .add_attribute(("cluster_name", limited(&name, 64)));
    b = b.add_attribute((
        "kafka_version",
        if p.version.is_empty() {
            "3.6.0".to_string()
        } else {
            msk_version(&p.version)
        },
    ));
    let b = b
        .add_attribute(("number_of_broker_nodes", brokers))
        .add_block(
            Block::builder("broker_node_group_info")
                .add_attribute(("instance_type", var("msk_instance_type")))
                .add_attribute((
                    "client_subnets",
                    Expression::Array(
                        subnets
                            .iter()
                            .map(|s| attr("aws_subnet", s, "id"))
                            .collect(),
                    ),
                ))
                .add_attribute(("security_groups", Expression::Array(vec![sg_id(cx, q)])))
                .add_block(
                    Block::builder("storage_info")
                        .add_block(nested(
                            "ebs_storage_info",
                            [("volume_size", Expression::from(100))],
                        ))
                        .build(),
                )
                .add_blocks(cross_region_source.then(|| {
                    Block::builder("connectivity_info")
                        .add_block(
                            Block::builder("vpc_connectivity")
                                .add_block(
                                    Block::builder("client_authentication")
                                        .add_block(nested(
                                            "sasl",
                                            [("iam", Expression::from(true))],
                                        ))
                                        .build(),
                                )
                                .build(),
                        )
                        .build()
                }))
                .build(),
        )
        .add_block(
            Block::builder("encryption_info")
                .add_attribute(("encryption_at_rest_kms_key_arn", kms))
                .add_block(nested(
                    "encryption_in_transit",
                    [
                        ("client_broker", Expression::from("TLS")),
                        ("in_cluster", Expression::from(true)),
                    ],
                ))
                .build(),
        )
        .add_block(
            Block::builder("client_authentication")
                .add_attribute(("unauthenticated", false))
                .add_block(nested("sasl", [("iam", Expression::from(true))]))
                .build(),
        )
        .add_block(
            Block::builder("logging_info")
                .add_block(
                    Block::builder("broker_logs")
                        .add_block(nested(
                            "cloudwatch_logs",
                            [
                                ("enabled", Expression::from(true)),
                                ("log_group", attr("aws_cloudwatch_log_group", &logs, "name")),
                            ],
                        ))
                        .build(),
                )
                .build(),
        )
        .add_attribute(("tags", tags(prefixed(&name))));
    cx.m.add(Concern::Data, b.build());
    if cross_region_source {
        replicator_source_policy(cx, q, &label);
    }
    if let Some(src) = replica_source(cx, q) {
        replicator(cx, src, q);
    }
}

/// The nodes a replication edge from `i` feeds (same kind, this provider).
fn replica_targets(cx: &Aws, i: usize) -> Vec<usize> {
    let g = &cx.plan.g;
    g.outgoing_of(i, EdgeKind::Replication)
        .map(|(_, t)| t)
        .filter(|t| cx.pp.labels.contains_key(t) && *t != i && g.kind(*t) == g.kind(i))
        .collect()
}

/// The source cluster's resource policy: MSK Replicator (the `kafka.amazonaws.com` service)
/// may open its VPC connection, read the bootstrap brokers and describe the cluster.
fn replicator_source_policy(cx: &mut Aws, q: usize, label: &str) {
    let doc = format!("{label}_replicator_source");
    cx.m.add(
        Concern::Data,
        data("aws_iam_policy_document", &doc)
            .add_block(
                Block::builder("statement")
                    .add_attribute(("sid", "MskReplicatorReadsThisCluster"))
                    .add_attribute((
                        "actions",
                        strings([
                            "kafka:CreateVpcConnection",
                            "kafka:GetBootstrapBrokers",
                            "kafka:DescribeClusterV2",
                        ]),
                    ))
                    .add_attribute((
                        "resources",
                        Expression::Array(vec![attr("aws_msk_cluster", label, "arn")]),
                    ))
                    .add_block(nested(
                        "principals",
                        [
                            ("type", Expression::from("Service")),
                            ("identifiers", strings(["kafka.amazonaws.com"])),
                        ],
                    ))
                    .build(),
            )
            .build(),
    );
    cx.m.add(
        Concern::Data,
        resource("aws_msk_cluster_policy", label)
            .add_attribute(cx.provider(q))
            .add_attribute(("cluster_arn", attr("aws_msk_cluster", label, "arn")))
            .add_attribute(("policy", data_attr("aws_iam_policy_document", &doc, "json")))
            .build(),
    );
}

/// MSK Replicator for a replication edge between two Kafka clusters (seed 003's DR copy): every
/// topic and consumer group, offsets kept in step, run in the target's region with a role that
/// may read the source and write the target; its network interfaces use each cluster's group.
fn replicator(cx: &mut Aws, src: usize, dst: usize) {
    let (sl, dl) = (cx.label(src), cx.label(dst));
    let name = format!("{dl}_replicator");
    super::kubernetes::service_role(cx, &name, "kafka.amazonaws.com");
    let first = cx.region_label(cx.pp.node);
    let arn = |l: &str| attr("aws_msk_cluster", l, "arn");
    // Topic and group ARNs are the cluster's with `:cluster/` replaced.
    let scoped = |l: &str, what: &str| {
        template(format!(
            "${{replace(aws_msk_cluster.{l}.arn, \":cluster/\", \":{what}/\")}}/*"
        ))
    };
    let mut resources = Vec::new();
    for l in [&sl, &dl] {
        resources.extend([arn(l), scoped(l, "topic"), scoped(l, "group")]);
    }
    cx.m.add(
        Concern::Data,
        data("aws_iam_policy_document", &name)
            .add_block(
                Block::builder("statement")
                    .add_attribute((
                        "actions",
                        strings([
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
                            "kafka-cluster:AlterGroup",
                        ]),
                    ))
                    .add_attribute(("resources", Expression::Array(resources)))
                    .build(),
            )
            .build(),
    );
    cx.m.add(
        Concern::Data,
        resource("aws_iam_role_policy", &name)
            .add_attribute(cx.provider_of_region(&first))
            .add_attribute(("role", attr("aws_iam_role", &name, "id")))
            .add_attribute((
                "policy",
                data_attr("aws_iam_policy_document", &name, "json"),
            ))
            .build(),
    );
    let cluster = |cx: &Aws, q: usize, l: &str| {
        Block::builder("kafka_cluster")
            .add_block(nested("amazon_msk_cluster", [("msk_cluster_arn", arn(l))]))
            .add_block(nested(
                "vpc_config",
                [
                    (
                        "subnet_ids",
                        Expression::Array(
                            cx.plan
                                .subnet_pieces(q, false, &[])
                                .iter()
                                .map(|s| attr("aws_subnet", s, "id"))
                                .collect(),
                        ),
                    ),
                    ("security_groups_ids", Expression::Array(vec![sg_id(cx, q)])),
                ],
            ))
            .build()
    };
    let b = resource("aws_msk_replicator", &dl)
        .add_attribute(cx.provider(dst))
        .add_attribute(("replicator_name", limited(&name.replace('_', "-"), 64)))
        .add_attribute((
            "description",
            format!("{} to {}", cx.plan.ascii_name(src), cx.plan.ascii_name(dst)),
        ))
        .add_attribute((
            "service_execution_role_arn",
            attr("aws_iam_role", &name, "arn"),
        ))
        .add_block(cluster(cx, src, &sl))
        .add_block(cluster(cx, dst, &dl))
        .add_block(
            Block::builder("replication_info_list")
                .add_attribute(("source_kafka_cluster_arn", arn(&sl)))
                .add_attribute(("target_kafka_cluster_arn", arn(&dl)))
                .add_attribute(("target_compression_type", "NONE"))
                .add_block(nested(
                    "topic_replication",
                    [
                        ("topics_to_replicate", strings([".*"])),
                        ("copy_topic_configurations", Expression::from(true)),
                        ("detect_and_copy_new_topics", Expression::from(true)),
                    ],
                ))
                .add_block(nested(
                    "consumer_group_replication",
                    [
                        ("consumer_groups_to_replicate", strings([".*"])),
                        ("synchronise_consumer_group_offsets", Expression::from(true)),
                        (
                            "detect_and_copy_new_consumer_groups",
                            Expression::from(true),
                        ),
                    ],
                ))
                .build(),
        )
        .add_attribute(("tags", tags(prefixed(&name.replace('_', "-")))));
    let b = if cx.plan.g.scope(src).region != cx.plan.g.scope(dst).region {
        b.add_attribute((
            "depends_on",
            Expression::Array(vec![reference("aws_msk_cluster_policy", &[&sl])]),
        ))
    } else {
        b
    };
    cx.m.add(Concern::Data, b.build());
    // The replicator's interfaces sit in each cluster's group and talk to its brokers on the
    // clients' port (IAM), the one fact the other exports read too.
    for (q, l) in [(src, &sl), (dst, &dl)] {
        let Some(port) = super::network::access_port(cx, q) else {
            continue;
        };
        for (kind, dir) in [
            ("aws_vpc_security_group_ingress_rule", "from"),
            ("aws_vpc_security_group_egress_rule", "to"),
        ] {
            cx.m.add(
                Concern::Network,
                resource(kind, &format!("{l}_{dir}_replicator_tcp_{port}"))
                    .add_attribute(cx.provider(q))
                    .add_attribute(("security_group_id", sg_id(cx, q)))
                    .add_attribute(("description", "MSK Replicator"))
                    .add_attribute(("ip_protocol", "tcp"))
                    .add_attribute(("from_port", port))
                    .add_attribute(("to_port", port))
                    .add_attribute(("referenced_security_group_id", sg_id(cx, q)))
                    .build(),
            );
        }
    }
}

/// MSK takes full versions (`3.6.0`); a design's `3.6` gets its first patch release.
fn msk_version(v: &str) -> String {
    if v.matches('.').count() == 1 {
        format!("{v}.0")
    } else {
        v.to_string()
    }
}

fn bucket(cx: &mut Aws, b: usize, p: &ObjectStorageProps) {
    let label = cx.label(b);
    let name = label.replace('_', "-");
    // Readers come through the CDN (origin access control) when one fronts the bucket, so
    // the bucket itself stays private even for public content.
    let fronted = cx
        .plan
        .g
        .incoming_of(b, EdgeKind::Traffic)
        .any(|(_, s)| cx.plan.g.kind(s) == Kind::Cdn);
    let block_all = !p.public_read || fronted;
    if !block_all {
        cx.m.notes.push(format!(
            "Object storage {}: public_read with no CDN in front, so its public access block allows a public policy.",
            cx.plan.ascii_name(b)
        ));
    }
    let kms = cx.kms(b);
    let region = cx.region_label(b);
    s3::bucket(
        cx,
        &region,
        &label,
        &name,
        s3::Encryption::Kms(kms),
        block_all,
        0,
    );
    let logs = s3::access_log_bucket(cx, &region);
    cx.m.add(
        Concern::Data,
        resource("aws_s3_bucket_logging", &label)
            .add_attribute(cx.provider_of_region(&region))
            .add_attribute(("bucket", attr("aws_s3_bucket", &label, "id")))
            .add_attribute(("target_bucket", attr("aws_s3_bucket", &logs, "id")))
            .add_attribute(("target_prefix", format!("s3/{name}/")))
            .build(),
    );
    cx.m.output(
        &format!("{label}_bucket"),
        attr("aws_s3_bucket", &label, "bucket"),
        &format!("Bucket of {}", cx.plan.ascii_name(b)),
    );
    cx.m.notes.push(format!(
        "Object storage {}: bucket names are global across AWS, so the bucket's name is `${{local.name}}-{name}-` plus a suffix Terraform chooses (output `{label}_bucket`); give that output to the workloads that use the bucket, by hand, after apply.",
        cx.plan.ascii_name(b)
    ));
}

/// One ECR repository per image that the provider's workloads pull from this registry's
/// account (the path after the registry host), or one named after the registry.
fn registry(cx: &mut Aws, r: usize) {
    let plan = cx.plan;
    let prov = cx.provider(r);
    let kms = cx.kms(r);
    let mut repos = std::collections::BTreeSet::new();
    for &i in cx.pp.labels.keys() {
        if let NodeSpec::Workload(w) = &plan.g.node(i).spec {
            if let Some((host, path)) = w.image.split_once('/') {
                if host.contains(".dkr.ecr.") {
                    let repo: Vec<String> = path
                        .split('/')
                        .map(|s| super::super::plan::safe(s, "image"))
                        .collect();
                    repos.insert(repo.join("/"));
                }
            }
        }
    }
    if repos.is_empty() {
        repos.insert(plan.ascii_name(r));
    }
    for repo in repos {
        let label = format!("{}_{}", cx.label(r), repo.replace(['/', '-', '.'], "_"));
        cx.m.add(
            Concern::Data,
            resource("aws_ecr_repository", &label)
                .add_attribute(prov.clone())
                .add_attribute(("name", repo.as_str()))
                // A tag names one image for ever: what was tested is what runs.
                .add_attribute(("image_tag_mutability", "IMMUTABLE"))
                .add_block(nested(
                    "image_scanning_configuration",
                    [("scan_on_push", Expression::from(true))],
                ))
                .add_block(nested(
                    "encryption_configuration",
                    [
                        ("encryption_type", Expression::from("KMS")),
                        ("kms_key", kms.clone()),
                    ],
                ))
                .build(),
        );
        cx.m.output(
            &format!("{label}_url"),
            attr("aws_ecr_repository", &label, "repository_url"),
            &format!("ECR repository {repo}"),
        );
    }
}
