//! Yandex Cloud data: Managed PostgreSQL and MongoDB (hosts in every zone when multi-AZ,
//! backups kept a week, deletion protection, the user's password a sensitive variable), Object
//! Storage buckets encrypted with the region's KMS key and closed to anonymous access, and
//! Container Registry.

use hcl::expr::Expression;
use hcl::Block;

use super::super::hcl::*;
use super::super::module::Concern;
use super::network::sg_id;
use super::Yc;
use crate::model::*;

pub(super) fn build(cx: &mut Yc) {
    let plan = cx.plan;
    for d in plan.nodes_of(cx.pp, Kind::Database) {
        if let NodeSpec::Database(p) = &plan.g.node(d).spec {
            database(cx, d, p);
        }
    }
    for k in [Kind::Cache, Kind::Queue] {
        for s in plan.nodes_of(cx.pp, k) {
            let managed =
                crate::export::engines::store(&plan.g.node(s).spec).is_some_and(|s| s.managed);
            let why = if managed {
                "its managed Yandex service is not written here yet"
            } else {
                "self-hosted (see the Kubernetes export)"
            };
            cx.m.notes.push(format!(
                "{} {}: {why}; not made.",
                k.label(),
                plan.ascii_name(s)
            ));
        }
    }
    for b in plan.nodes_of(cx.pp, Kind::ObjectStorage) {
        if let NodeSpec::ObjectStorage(p) = &plan.g.node(b).spec {
            bucket(cx, b, p);
        }
    }
    for r in plan.nodes_of(cx.pp, Kind::ContainerRegistry) {
        let label = cx.label(r);
        cx.m.add(
            Concern::Data,
            resource("yandex_container_registry", &label)
                .add_attribute(cx.provider(r))
                .add_attribute(("name", cloud_name(&label.replace('_', "-"))))
                .add_attribute(("folder_id", var("folder_id")))
                .add_attribute(cx.labels())
                .build(),
        );
        cx.m.output(
            &format!("{label}_id"),
            attr("yandex_container_registry", &label, "id"),
            &format!("Container Registry {}", plan.ascii_name(r)),
        );
    }
}

/// `PRODUCTION` for designs deployed to production, `PRESTABLE` otherwise.
fn environment(cx: &Yc) -> &'static str {
    if super::super::sizing::is_production(cx.plan, "") {
        "PRODUCTION"
    } else {
        "PRESTABLE"
    }
}

fn preset_variable(cx: &mut Yc) {
    cx.m.string_variable(
        "db_resource_preset",
        "Host class of the managed databases (s3-c2-m8: 2 vCPU, 8 GB)",
        Some("s3-c2-m8"),
    );
}

/// Hosts: one per zone the database's subnet spans when multi-AZ, else one.
fn hosts(cx: &Yc, d: usize, multi_az: bool, zone_key: &str) -> Vec<Block> {
    let zones = cx.plan.zone_pieces(d, false, &[]);
    let take = if multi_az { zones.len() } else { 1 };
    zones
        .into_iter()
        .take(take)
        .map(|(zone, subnet)| {
            nested(
                "host",
                [
                    (zone_key, Expression::from(zone)),
                    ("subnet_id", attr("yandex_vpc_subnet", &subnet, "id")),
                ],
            )
        })
        .collect()
}

fn database(cx: &mut Yc, d: usize, p: &DatabaseProps) {
    let plan = cx.plan;
    if !p.managed || plan.net_of(d).is_none() {
        cx.m.notes.push(format!(
            "Database {}: self-hosted or in no region; not made.",
            plan.ascii_name(d)
        ));
        return;
    }
    let label = cx.label(d);
    let name = label.replace('_', "-");
    let rl = cx.region_label(d);
    let password = format!("{label}_password");
    cx.m.secret_variable(
        &password,
        &format!(
            "Password of the application user of {} (from your secret store; never committed)",
            plan.ascii_name(d)
        ),
    );
    preset_variable(cx);
    let resources = |disk: &'static str| {
        [
            ("resource_preset_id", var("db_resource_preset")),
            (disk, Expression::from("network-ssd")),
            ("disk_size", Expression::from(20)),
        ]
    };
    let (kind, db_kind, user_kind) = match p.engine {
        DatabaseEngine::Postgresql => (
            "yandex_mdb_postgresql_cluster",
            "yandex_mdb_postgresql_database",
            "yandex_mdb_postgresql_user",
        ),
        DatabaseEngine::Mongodb => (
            "yandex_mdb_mongodb_cluster",
            "yandex_mdb_mongodb_database",
            "yandex_mdb_mongodb_user",
        ),
        DatabaseEngine::Mysql => {
            cx.m.notes.push(format!(
                "Database {}: Managed MySQL is not written here yet; not made.",
                plan.ascii_name(d)
            ));
            return;
        }
    };
    let mut b = resource(kind, &label)
        .add_attribute(cx.provider(d))
        .add_attribute(("name", cloud_name(&name)))
        .add_attribute(("environment", environment(cx)))
        .add_attribute(("network_id", attr("yandex_vpc_network", &rl, "id")))
        .add_attribute(("security_group_ids", Expression::Array(vec![sg_id(cx, d)])))
        .add_attribute(("deletion_protection", true));
    let retain = if p.backups { 7 } else { 1 };
    b = match p.engine {
        DatabaseEngine::Postgresql => {
            let mut config = Block::builder("config")
                .add_attribute((
                    "version",
                    if p.version.is_empty() {
                        "16"
                    } else {
                        p.version.as_str()
                    },
                ))
                .add_block(nested("resources", resources("disk_type_id")))
                .add_attribute(("backup_retain_period_days", retain));
            if p.backups {
                config = config.add_block(nested(
                    "backup_window_start",
                    [
                        ("hours", Expression::from(2)),
                        ("minutes", Expression::from(0)),
                    ],
                ));
            }
            b.add_block(config.build())
                .add_blocks(hosts(cx, d, p.multi_az, "zone"))
        }
        _ => b
            .add_block(
                Block::builder("cluster_config")
                    .add_attribute((
                        "version",
                        if p.version.is_empty() {
                            "6.0"
                        } else {
                            p.version.as_str()
                        },
                    ))
                    .add_attribute(("backup_retain_period_days", retain))
                    .build(),
            )
            .add_block(nested("resources_mongod", resources("disk_type_id")))
            .add_blocks(hosts(cx, d, p.multi_az, "zone_id")),
    };
    cx.m.add(Concern::Data, b.add_attribute(cx.labels()).build());
    let mut user = resource(user_kind, &label)
        .add_attribute(cx.provider(d))
        .add_attribute(("cluster_id", attr(kind, &label, "id")))
        .add_attribute(("name", "app"))
        .add_attribute(("password", var(&password)));
    if p.engine == DatabaseEngine::Mongodb {
        user = user.add_block(nested(
            "permission",
            [("database_name", Expression::from("app"))],
        ));
    }
    cx.m.add(Concern::Data, user.build());
    let mut database = resource(db_kind, &label)
        .add_attribute(cx.provider(d))
        .add_attribute(("cluster_id", attr(kind, &label, "id")))
        .add_attribute(("name", "app"));
    if p.engine == DatabaseEngine::Postgresql {
        database = database.add_attribute(("owner", attr(user_kind, &label, "name")));
    }
    cx.m.add(Concern::Data, database.build());
    cx.m.output(
        &format!("{label}_cluster_id"),
        attr(kind, &label, "id"),
        &format!("Managed database {}", plan.ascii_name(d)),
    );
}

fn bucket(cx: &mut Yc, b: usize, p: &ObjectStorageProps) {
    let label = cx.label(b);
    let name = label.replace('_', "-");
    let key = cx.key_id(b);
    let fronted = cx
        .plan
        .g
        .incoming_of(b, EdgeKind::Traffic)
        .any(|(_, s)| cx.plan.g.kind(s) == Kind::Cdn);
    let anonymous_read = p.public_read && !fronted;
    cx.m.add(
        Concern::Data,
        resource("yandex_storage_bucket", &label)
            .add_attribute(cx.provider(b))
            .add_attribute((
                "bucket",
                call(
                    "trimsuffix",
                    vec![
                        call("substr", vec![prefixed(&name), 0.into(), 63.into()]),
                        "-".into(),
                    ],
                ),
            ))
            .add_attribute(("folder_id", var("folder_id")))
            .add_block(nested(
                "anonymous_access_flags",
                [
                    ("read", Expression::from(anonymous_read)),
                    ("list", Expression::from(false)),
                    ("config_read", Expression::from(false)),
                ],
            ))
            .add_block(nested("versioning", [("enabled", Expression::from(true))]))
            .add_block(
                Block::builder("server_side_encryption_configuration")
                    .add_block(
                        Block::builder("rule")
                            .add_block(nested(
                                "apply_server_side_encryption_by_default",
                                [
                                    ("kms_master_key_id", key),
                                    ("sse_algorithm", Expression::from("aws:kms")),
                                ],
                            ))
                            .build(),
                    )
                    .build(),
            )
            .add_attribute(("tags", local("tags")))
            .build(),
    );
    cx.m.output(
        &format!("{label}_bucket"),
        attr("yandex_storage_bucket", &label, "bucket"),
        &format!("Bucket of {}", cx.plan.ascii_name(b)),
    );
}
