//! Terraform read into provider › region › zone › subnet with the managed services in them: a
//! root module's `.tf` files (parsed with hcl-rs, which the Terraform export already uses) or a
//! `terraform.tfstate` (JSON, with evaluated values).
//!
//! The AWS and Yandex Cloud resources the Terraform export writes are mapped: VPC subnets,
//! EKS / Managed Kubernetes clusters, RDS and managed PostgreSQL/MySQL/MongoDB, ElastiCache and
//! managed Redis, MSK and managed Kafka, S3 / Object Storage buckets, load balancers, CDN, WAF,
//! registries, secret stores; a read replica (`replicate_source_db`) is a replication link.
//! Supporting resources (IAM, routes, security groups, KMS keys, log groups…) are counted in
//! the report, not drawn. Values are read only from the fields named here: a state's secret
//! attributes (passwords, secret strings) and sensitive variables' values never are.

use std::collections::BTreeMap;

use serde_json::Value;

use super::build::Builder;
use super::yaml::{line_of, str_at};
use super::{ImportError, Imported, NoteKind, Source, MAX_SOURCE_BYTES};
use crate::model::*;

/// One resource, from a `.tf` block or a state instance.
#[derive(Debug, Clone)]
struct Resource {
    ty: String,
    name: String,
    attrs: Value,
    /// The provider alias (`aws.eu_central_1` → `eu_central_1`), empty for the default.
    alias: String,
    file: String,
    line: usize,
}

impl Resource {
    fn label(&self) -> String {
        format!("{}.{}", self.ty, self.name)
    }

    fn s(&self, key: &str) -> Option<&str> {
        self.attrs
            .get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.contains("${"))
    }

    fn n(&self, key: &str) -> Option<u64> {
        self.attrs
            .get(key)
            .and_then(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok()))
    }

    fn b(&self, key: &str) -> Option<bool> {
        self.attrs.get(key).and_then(Value::as_bool)
    }

    fn cloud(&self) -> Cloud {
        if self.ty.starts_with("aws_") {
            Cloud::Aws
        } else {
            Cloud::Yandex
        }
    }
}

/// Imports a root module (its `.tf` files) or a state file.
pub fn import(sources: &[Source], name: &str) -> Result<Imported, ImportError> {
    let mut b = Builder::new(name);
    let mut resources = Vec::new();
    // Provider alias → region, per cloud ("" is the default provider).
    let mut regions: BTreeMap<(&'static str, String), String> = BTreeMap::new();
    for s in sources {
        if s.text.len() > MAX_SOURCE_BYTES {
            b.note(
                NoteKind::Unreadable,
                &s.path,
                0,
                "",
                "larger than the limit",
            );
            continue;
        }
        if s.path.ends_with(".tfstate") || s.path.ends_with(".json") {
            read_state(s, &mut b, &mut resources, &mut regions);
        } else if s.path.ends_with(".tf") {
            read_module(s, &mut b, &mut resources, &mut regions);
        } else if s.path.ends_with(".tfvars") {
            b.note(
                NoteKind::SecretDropped,
                &s.path,
                0,
                "",
                "variable values are not read (they may be secrets)",
            );
        }
    }
    Reader {
        b,
        providers: BTreeMap::new(),
        regions,
        zones: BTreeMap::new(),
        nodes: BTreeMap::new(),
    }
    .run(resources)
}

fn alias_of(provider: Option<&str>) -> String {
    // `${aws.eu_central_1}` in a module; `provider["registry.terraform.io/hashicorp/aws"].eu_central_1` in a state.
    let Some(p) = provider else {
        return String::new();
    };
    let p = p.trim_start_matches("${").trim_end_matches('}');
    match p.rsplit_once('.') {
        Some((head, alias)) if !head.is_empty() && !alias.contains('/') && !alias.contains('"') => {
            alias.to_string()
        }
        _ => String::new(),
    }
}

fn provider_blocks(value: Option<&Value>) -> Vec<&Value> {
    match value {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(v @ Value::Object(_)) => vec![v],
        _ => Vec::new(),
    }
}

fn read_module(
    s: &Source,
    b: &mut Builder,
    out: &mut Vec<Resource>,
    regions: &mut BTreeMap<(&'static str, String), String>,
) {
    let body: Value = match hcl::from_str(&s.text) {
        Ok(v) => v,
        Err(e) => {
            let message = e.to_string();
            let message = message.lines().next().unwrap_or_default().to_string();
            b.note(
                NoteKind::Unreadable,
                &s.path,
                0,
                "",
                format!("not valid HCL: {message}"),
            );
            return;
        }
    };
    for (cloud, key, field) in [
        (Cloud::Aws, "aws", "region"),
        (Cloud::Yandex, "yandex", "zone"),
    ] {
        for p in provider_blocks(body.get("provider").and_then(|p| p.get(key))) {
            if let Some(region) = str_at(p, &[field]).filter(|r| !r.contains("${")) {
                // A Yandex provider names a zone; its region is the zone without the suffix.
                let region = if cloud == Cloud::Yandex {
                    region.rsplit_once('-').map_or(region, |(r, _)| r)
                } else {
                    region
                };
                let alias = str_at(p, &["alias"]).unwrap_or_default().to_string();
                regions.insert((cloud.label(), alias), region.to_string());
            }
        }
    }
    for (name, var) in body
        .get("variable")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if var.get("sensitive").and_then(Value::as_bool) == Some(true)
            && var.get("default").is_some()
        {
            let line = line_of(&s.text, 1, &format!("variable \"{name}\""));
            b.note(
                NoteKind::SecretDropped,
                &s.path,
                line,
                &format!("var.{name}"),
                "a sensitive variable's default value was not read",
            );
        }
    }
    for (ty, named) in body
        .get("resource")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for (name, attrs) in named.as_object().into_iter().flatten() {
            let line = line_of(&s.text, 1, &format!("resource \"{ty}\" \"{name}\""));
            out.push(Resource {
                ty: ty.clone(),
                name: name.clone(),
                alias: alias_of(attrs.get("provider").and_then(Value::as_str)),
                attrs: attrs.clone(),
                file: s.path.clone(),
                line,
            });
        }
    }
}

fn read_state(
    s: &Source,
    b: &mut Builder,
    out: &mut Vec<Resource>,
    regions: &mut BTreeMap<(&'static str, String), String>,
) {
    let state: Value = match serde_json::from_str(&s.text) {
        Ok(v) => v,
        Err(e) => {
            b.note(
                NoteKind::Unreadable,
                &s.path,
                e.line(),
                "",
                "not a Terraform state (JSON)",
            );
            return;
        }
    };
    let Some(list) = state.get("resources").and_then(Value::as_array) else {
        b.note(
            NoteKind::Unreadable,
            &s.path,
            0,
            "",
            "not a Terraform state (no `resources`)",
        );
        return;
    };
    let mut sensitive = 0;
    for r in list {
        if str_at(r, &["mode"]) != Some("managed") {
            continue;
        }
        let (Some(ty), Some(name)) = (str_at(r, &["type"]), str_at(r, &["name"])) else {
            continue;
        };
        let alias = alias_of(str_at(r, &["provider"]));
        for (i, instance) in r
            .get("instances")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            sensitive += instance
                .get("sensitive_attributes")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            let attrs = instance.get("attributes").cloned().unwrap_or_default();
            // The state knows each resource's region (AWS ARNs) or zone (Yandex).
            let cloud = if ty.starts_with("aws_") {
                Cloud::Aws
            } else {
                Cloud::Yandex
            };
            let region = match cloud {
                Cloud::Aws => str_at(&attrs, &["arn"])
                    .and_then(|a| a.split(':').nth(3))
                    .filter(|r| !r.is_empty())
                    .map(str::to_string),
                _ => str_at(&attrs, &["zone"])
                    .map(|z| z.rsplit_once('-').map_or(z, |(r, _)| r).to_string()),
            };
            if let Some(region) = region {
                regions
                    .entry((cloud.label(), alias.clone()))
                    .or_insert(region);
            }
            let line = line_of(&s.text, 1, &format!("\"name\": \"{name}\""));
            let name = if i == 0 {
                name.to_string()
            } else {
                format!("{name}-{i}")
            };
            out.push(Resource {
                ty: ty.to_string(),
                name,
                alias: alias.clone(),
                attrs,
                file: s.path.clone(),
                line,
            });
        }
    }
    if sensitive > 0 {
        b.note(
            NoteKind::SecretDropped,
            &s.path,
            0,
            "",
            format!("the state holds {sensitive} sensitive attribute(s); none was read"),
        );
    }
}

struct Reader {
    b: Builder,
    providers: BTreeMap<&'static str, NodeId>,
    regions: BTreeMap<(&'static str, String), String>,
    zones: BTreeMap<(&'static str, String, String), NodeId>,
    /// `type.name` → node.
    nodes: BTreeMap<String, NodeId>,
}

/// A provider-managed store.
fn store<E: Default>(engine: E, version: String, replicas: u64, multi_az: bool) -> StoreProps<E> {
    StoreProps {
        engine,
        version,
        replicas: replicas.min(u64::from(u32::MAX)) as u32,
        multi_az,
        ..StoreProps::default()
    }
}

fn title(name: &str) -> String {
    name.replace('_', "-")
}

impl Reader {
    fn provider(&mut self, cloud: Cloud) -> NodeId {
        if let Some(id) = self.providers.get(cloud.label()) {
            return id.clone();
        }
        let id = self.b.node(
            cloud.label(),
            cloud.label(),
            None,
            NodeSpec::Provider(ProviderProps { cloud }),
        );
        self.providers.insert(cloud.label(), id.clone());
        id
    }

    /// The region box a resource belongs to (its provider's region, else the cloud's default).
    fn region(&mut self, r: &Resource) -> NodeId {
        let cloud = r.cloud();
        let code = self
            .regions
            .get(&(cloud.label(), r.alias.clone()))
            .or_else(|| self.regions.get(&(cloud.label(), String::new())))
            .cloned()
            .unwrap_or_else(|| {
                if cloud == Cloud::Aws {
                    "us-east-1".into()
                } else {
                    "ru-central1".into()
                }
            });
        let key = (cloud.label(), code.clone(), String::new());
        if let Some(id) = self.zones.get(&key) {
            return id.clone();
        }
        let provider = self.provider(cloud);
        let id = self.b.node(
            &code,
            &code,
            Some(&provider),
            NodeSpec::Region(RegionProps {
                code: code.clone(),
                jurisdiction: String::new(),
            }),
        );
        self.zones.insert(key, id.clone());
        id
    }

    fn zone(&mut self, r: &Resource, zone: &str) -> NodeId {
        let region = self.region(r);
        let key = (r.cloud().label(), region.clone(), zone.to_string());
        if let Some(id) = self.zones.get(&key) {
            return id.clone();
        }
        let id = self.b.node(
            zone,
            zone,
            Some(&region),
            NodeSpec::Zone(ZoneProps { code: zone.into() }),
        );
        self.zones.insert(key, id.clone());
        id
    }

    fn place(&mut self, r: &Resource, spec: NodeSpec) {
        let parent = self.region(r);
        let id = self
            .b
            .node(&title(&r.name), &title(&r.name), Some(&parent), spec);
        self.nodes.insert(r.label(), id);
    }

    fn run(mut self, resources: Vec<Resource>) -> Result<Imported, ImportError> {
        let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
        for r in &resources {
            if !self.resource(r) {
                *skipped.entry(r.ty.clone()).or_default() += 1;
            }
        }
        // A read replica replicates its source.
        for r in &resources {
            let source = r
                .attrs
                .get("replicate_source_db")
                .and_then(Value::as_str)
                .and_then(|s| {
                    let s = s.trim_start_matches("${").trim_end_matches('}');
                    let mut parts = s.split('.');
                    Some(format!("{}.{}", parts.next()?, parts.next()?))
                });
            if let (Some(source), Some(to)) = (source, self.nodes.get(&r.label()).cloned()) {
                if let Some(from) = self.nodes.get(&source).cloned() {
                    // A replica runs its source's engine and version.
                    let source_spec = self.b.design.node(&from).map(|n| n.spec.clone());
                    if let (Some(NodeSpec::Database(s)), Some(NodeSpec::Database(d))) =
                        (source_spec, self.b.spec_mut(&to))
                    {
                        d.engine = s.engine;
                        if d.version.is_empty() {
                            d.version = s.version;
                        }
                    }
                    let id = format!("e{}", self.b.design.edges.len() + 1);
                    self.b.design.edges.push(Edge::new(
                        id,
                        from,
                        to,
                        EdgeSpec::Replication(ReplicationProps::default()),
                    ));
                }
            }
        }
        let file = resources
            .first()
            .map(|r| r.file.clone())
            .unwrap_or_default();
        for (ty, count) in skipped {
            self.b.note(
                NoteKind::NotMapped,
                &file,
                0,
                &ty,
                format!("{count} resource(s): supporting infrastructure the design does not draw"),
            );
        }
        self.b.finish("no cluster, data store or other service the design draws was found in the Terraform files")
    }

    /// Maps one resource; false when the design does not draw it.
    fn resource(&mut self, r: &Resource) -> bool {
        let version = |key: &str| r.s(key).unwrap_or_default().to_string();
        match r.ty.as_str() {
            "aws_subnet" | "yandex_vpc_subnet" => {
                let zone = r
                    .s("availability_zone")
                    .or_else(|| r.s("zone"))
                    .unwrap_or_default()
                    .to_string();
                let cidr = r
                    .s("cidr_block")
                    .map(str::to_string)
                    .or_else(|| {
                        r.attrs
                            .get("v4_cidr_blocks")?
                            .as_array()?
                            .first()?
                            .as_str()
                            .map(str::to_string)
                    })
                    .unwrap_or_default();
                let public =
                    r.b("map_public_ip_on_launch") == Some(true) || r.name.contains("public");
                let parent = if zone.is_empty() {
                    self.region(r)
                } else {
                    self.zone(r, &zone)
                };
                let spec = NodeSpec::Subnet(SubnetProps {
                    visibility: if public {
                        Visibility::Public
                    } else {
                        Visibility::Private
                    },
                    cidr,
                });
                let id = self
                    .b
                    .node(&title(&r.name), &title(&r.name), Some(&parent), spec);
                self.nodes.insert(r.label(), id);
            }
            "aws_eks_cluster" => self.place(
                r,
                NodeSpec::KubernetesCluster(ClusterProps {
                    version: version("version"),
                    ..ClusterProps::default()
                }),
            ),
            "yandex_kubernetes_cluster" => {
                let v = r
                    .attrs
                    .get("master")
                    .and_then(|m| m.as_array().and_then(|a| a.first()).or(Some(m)))
                    .and_then(|m| m.get("version"))
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                self.place(
                    r,
                    NodeSpec::KubernetesCluster(ClusterProps {
                        version: v.into(),
                        ..ClusterProps::default()
                    }),
                )
            }
            "aws_db_instance" | "aws_rds_cluster" => {
                let engine = match r.s("engine").unwrap_or("postgres") {
                    e if e.contains("mysql") || e.contains("mariadb") => DatabaseEngine::Mysql,
                    _ => DatabaseEngine::Postgresql,
                };
                let multi_az = r.b("multi_az") == Some(true);
                self.place(
                    r,
                    NodeSpec::Database(store(engine, version("engine_version"), 0, multi_az)),
                );
            }
            "yandex_mdb_postgresql_cluster"
            | "yandex_mdb_mysql_cluster"
            | "yandex_mdb_mongodb_cluster" => {
                let engine = match r.ty.as_str() {
                    "yandex_mdb_mysql_cluster" => DatabaseEngine::Mysql,
                    "yandex_mdb_mongodb_cluster" => DatabaseEngine::Mongodb,
                    _ => DatabaseEngine::Postgresql,
                };
                let config = r
                    .attrs
                    .get("config")
                    .and_then(|c| c.as_array().and_then(|a| a.first()).or(Some(c)));
                let v = config
                    .and_then(|c| c.get("version"))
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let hosts = r
                    .attrs
                    .get("host")
                    .and_then(Value::as_array)
                    .map_or(1, Vec::len) as u64;
                self.place(
                    r,
                    NodeSpec::Database(store(engine, v.into(), hosts.saturating_sub(1), hosts > 1)),
                );
            }
            "aws_elasticache_replication_group" | "aws_elasticache_cluster" => {
                let engine = if r.s("engine") == Some("memcached") {
                    CacheEngine::Memcached
                } else {
                    CacheEngine::Redis
                };
                let n = r
                    .n("num_cache_clusters")
                    .or_else(|| r.n("num_cache_nodes"))
                    .unwrap_or(1);
                self.place(
                    r,
                    NodeSpec::Cache(store(
                        engine,
                        version("engine_version"),
                        n.saturating_sub(1),
                        r.b("multi_az_enabled") == Some(true),
                    )),
                );
            }
            "yandex_mdb_redis_cluster" => self.place(
                r,
                NodeSpec::Cache(store(CacheEngine::Redis, String::new(), 0, false)),
            ),
            "aws_msk_cluster" | "yandex_mdb_kafka_cluster" => {
                let n = r.n("number_of_broker_nodes").unwrap_or(1);
                self.place(
                    r,
                    NodeSpec::Queue(store(
                        QueueEngine::Kafka,
                        version("kafka_version"),
                        n.saturating_sub(1),
                        n > 1,
                    )),
                );
            }
            "aws_mq_broker" => self.place(
                r,
                NodeSpec::Queue(store(
                    QueueEngine::Rabbitmq,
                    version("engine_version"),
                    0,
                    false,
                )),
            ),
            "aws_s3_bucket" | "yandex_storage_bucket" => {
                // The export's own access-log buckets serve the other buckets.
                if r.name.ends_with("access_logs") {
                    return false;
                }
                let product = if r.cloud() == Cloud::Aws {
                    "S3"
                } else {
                    "Object Storage"
                };
                self.place(
                    r,
                    NodeSpec::ObjectStorage(ObjectStorageProps {
                        product: product.into(),
                        ..Default::default()
                    }),
                );
            }
            "aws_lb"
            | "aws_alb"
            | "yandex_lb_network_load_balancer"
            | "yandex_alb_load_balancer" => {
                let l4 = r.s("load_balancer_type") == Some("network")
                    || r.ty == "yandex_lb_network_load_balancer";
                let product = match r.ty.as_str() {
                    "yandex_lb_network_load_balancer" => "Network Load Balancer",
                    "yandex_alb_load_balancer" => "Application Load Balancer",
                    _ if l4 => "NLB",
                    _ => "ALB",
                };
                let public = r.b("internal") != Some(true);
                self.place(
                    r,
                    NodeSpec::LoadBalancer(LoadBalancerProps {
                        product: product.into(),
                        layer: if l4 { Layer::L4 } else { Layer::L7 },
                        public,
                        ..Default::default()
                    }),
                );
            }
            "aws_cloudfront_distribution" | "yandex_cdn_resource" => {
                let provider = self.provider(r.cloud());
                let id = self.b.node(
                    &title(&r.name),
                    &title(&r.name),
                    Some(&provider),
                    NodeSpec::Cdn(ProductProps {
                        product: if r.cloud() == Cloud::Aws {
                            "CloudFront".into()
                        } else {
                            "Cloud CDN".into()
                        },
                    }),
                );
                self.nodes.insert(r.label(), id);
            }
            "aws_wafv2_web_acl" => self.place(
                r,
                NodeSpec::Waf(ProductProps {
                    product: "AWS WAF".into(),
                }),
            ),
            "aws_ecr_repository" | "yandex_container_registry" => {
                let product = if r.cloud() == Cloud::Aws {
                    "ECR"
                } else {
                    "Container Registry"
                };
                self.place(
                    r,
                    NodeSpec::ContainerRegistry(ProductProps {
                        product: product.into(),
                    }),
                );
            }
            "aws_secretsmanager_secret" | "yandex_lockbox_secret" => {
                let product = if r.cloud() == Cloud::Aws {
                    "Secrets Manager"
                } else {
                    "Lockbox"
                };
                self.place(
                    r,
                    NodeSpec::SecretStore(ProductProps {
                        product: product.into(),
                    }),
                );
            }
            "aws_secretsmanager_secret_version" | "yandex_lockbox_secret_version" => {
                self.b.note(
                    NoteKind::SecretDropped,
                    &r.file,
                    r.line,
                    &r.label(),
                    "the secret's value was not read",
                );
            }
            "aws_guardduty_detector" | "aws_securityhub_account" => {
                let product = if r.ty == "aws_guardduty_detector" {
                    "GuardDuty"
                } else {
                    "Security Hub"
                };
                self.place(
                    r,
                    NodeSpec::SecurityService(ProductProps {
                        product: product.into(),
                    }),
                );
            }
            "yandex_logging_group" => self.place(
                r,
                NodeSpec::Logging(ProductProps {
                    product: "Cloud Logging".into(),
                }),
            ),
            _ => return false,
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_aliases_from_modules_and_states() {
        assert_eq!(alias_of(Some("${aws.eu_central_1}")), "eu_central_1");
        assert_eq!(
            alias_of(Some("provider[\"registry.terraform.io/hashicorp/aws\"].dr")),
            "dr"
        );
        assert_eq!(
            alias_of(Some("provider[\"registry.terraform.io/hashicorp/aws\"]")),
            ""
        );
        assert_eq!(alias_of(None), "");
    }

    #[test]
    fn a_state_gives_regions_from_arns_and_reads_no_password() {
        let state = r#"{"version": 4, "resources": [
          {"mode": "managed", "type": "aws_db_instance", "name": "main", "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
           "instances": [{"sensitive_attributes": [[{"type": "get_attr", "value": "password"}]],
             "attributes": {"arn": "arn:aws:rds:eu-west-1:1:db:main", "engine": "postgres", "engine_version": "16.3", "password": "hunter2-state", "multi_az": true}}]},
          {"mode": "data", "type": "aws_ami", "name": "x", "instances": []}
        ]}"#;
        let out = import(&[Source::new("terraform.tfstate", state)], "t").unwrap();
        let json = crate::model::to_json_pretty(&out.design);
        assert!(!json.contains("hunter2"));
        let db = out
            .design
            .nodes
            .iter()
            .find(|n| n.kind() == Kind::Database)
            .unwrap();
        let region = out.design.node(db.parent.as_deref().unwrap()).unwrap();
        assert_eq!(region.name, "eu-west-1");
        assert!(out.notes.iter().any(|n| n.kind == NoteKind::SecretDropped));
    }
}
