//! The built-in templates: the five seed architectures of `shared/seeds/`, each a complete
//! design. Slugs are a contract (DESIGN.md §8): `infracanvas template show SLUG` and the page's
//! `template-<slug>` buttons use them.

mod builder;

mod aws_multiregion_dr;
mod furniture_canary;
mod microservices_platform;
mod multicloud_shop;
mod site_builder;

#[cfg(test)]
mod tests;

use crate::model::layout::fill_missing;
use crate::model::Design;

/// A built-in template.
pub struct Template {
    pub slug: &'static str,
    pub title: &'static str,
    pub summary: &'static str,
}

/// Every template, in seed order.
pub static TEMPLATES: &[Template] = &[
    Template {
        slug: "multicloud-shop",
        title: "Multicloud sausage shop",
        summary: "Geo router sends Russian users to Yandex Cloud and EU users to AWS; managed \
                  Kubernetes, PostgreSQL, MongoDB and storage per cloud; OpenVPN between them.",
    },
    Template {
        slug: "site-builder",
        title: "Multi-brand site builder",
        summary: "Dev, staging and prod clusters; NGINX ingress, Istio with mTLS, PostgreSQL \
                  StatefulSet, Redis, S3, Prometheus, ELK, Jaeger and Vault.",
    },
    Template {
        slug: "furniture-canary",
        title: "Furniture maker: canary and A/B",
        summary: "Geo balancer over two server clusters, isolated databases, AD and NFS, a staff \
                  server behind a client-side balancer; Flagger canaries, A/B, test stands.",
    },
    Template {
        slug: "aws-multiregion-dr",
        title: "AWS multi-region with DR",
        summary: "Route 53 failover, primary and DR regions, EKS, RDS Multi-AZ, ElastiCache, MSK, \
                  asynchronous replication within a 15-minute RPO.",
    },
    Template {
        slug: "microservices-platform",
        title: "Microservices platform: Swarm or Kubernetes",
        summary: "The same services on Docker Swarm and on Kubernetes, external and internal \
                  split, autoscaling, secrets by reference, Helm and Terraform.",
    },
];

/// The template with this slug, built, with every node placed.
pub fn template(slug: &str) -> Option<Design> {
    let mut design = builder(slug)?();
    fill_missing(&mut design);
    Some(design)
}

/// The function that builds template `slug`. Kept apart from [`TEMPLATES`] so that the page,
/// which lists the templates but has the export worker build them, links none of the builders.
fn builder(slug: &str) -> Option<fn() -> Design> {
    Some(match slug {
        "multicloud-shop" => multicloud_shop::build,
        "site-builder" => site_builder::build,
        "furniture-canary" => furniture_canary::build,
        "aws-multiregion-dr" => aws_multiregion_dr::build,
        "microservices-platform" => microservices_platform::build,
        _ => return None,
    })
}
