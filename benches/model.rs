//! Validation, every export, share encode/decode and JSON load on generated designs of 100,
//! 1,000 and 10,000 nodes (`synth::design_of_size`: providers, regions, subnets, clusters,
//! namespaces, workloads, data stores and edges in plausible ratios). Throughput is reported
//! per node, so linear cost shows as the same nodes/s at every size.
//! Tidy on 300 and 2,000 nodes. Importing 1,000 resources: Kubernetes objects (250 services,
//! each a Deployment, a Service, an autoscaler and a NetworkPolicy, linked by `*_ADDR`
//! variables) and 1,000 Compose services, layout by Tidy included.
//! `cargo bench --bench model`; figures go in the closing notes (budget: 1,000 nodes < 1 ms).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use infracanvas::export::{compose, image, kubernetes, mermaid};
use infracanvas::model::{layout_metrics, route, tidy, to_json_pretty};
use infracanvas::model::{load_design, to_json_compact, DesignGraph};
use infracanvas::synth::design_of_size;
use infracanvas::{share, validate};

const SIZES: [usize; 3] = [100, 1_000, 10_000];

fn bench_validation(c: &mut Criterion) {
    let mut group = c.benchmark_group("validate");
    for n in SIZES {
        let design = design_of_size(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &design, |b, d| {
            b.iter(|| validate::validate(d))
        });
        group.bench_with_input(BenchmarkId::new("graph_only", n), &design, |b, d| {
            b.iter(|| DesignGraph::new(d).len())
        });
    }
    group.finish();
}

fn bench_share(c: &mut Criterion) {
    let mut group = c.benchmark_group("share");
    group.sample_size(20);
    for n in SIZES {
        let design = design_of_size(n);
        let payload = share::encode(&design);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("encode", n), &design, |b, d| {
            b.iter(|| share::encode(d))
        });
        group.bench_with_input(BenchmarkId::new("decode", n), &payload, |b, p| {
            b.iter(|| share::decode(p).map(|d| d.nodes.len()))
        });
        let json = to_json_compact(&design);
        group.bench_with_input(BenchmarkId::new("load_json", n), &json, |b, j| {
            b.iter(|| load_design(j).map(|d| d.nodes.len()))
        });
    }
    group.finish();
}

fn bench_exports(c: &mut Criterion) {
    let mut group = c.benchmark_group("export");
    group.sample_size(20);
    for n in SIZES {
        let design = design_of_size(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("kubernetes", n), &design, |b, d| {
            b.iter(|| kubernetes::export(d).len())
        });
        // The generated designs hold Kubernetes clusters: the stack of every one of them (what
        // the CLI's `export compose --cluster` and the page's Compose tab make).
        let clusters: Vec<String> = design
            .nodes
            .iter()
            .filter(|n| n.kind().is_cluster())
            .map(|n| n.id.clone())
            .collect();
        group.bench_with_input(BenchmarkId::new("compose", n), &design, |b, d| {
            b.iter(|| {
                clusters
                    .iter()
                    .filter_map(|c| compose::export_cluster(d, c))
                    .count()
            })
        });
        group.bench_with_input(BenchmarkId::new("mermaid", n), &design, |b, d| {
            b.iter(|| mermaid::flowchart(d).len())
        });
        group.bench_with_input(BenchmarkId::new("svg", n), &design, |b, d| {
            b.iter(|| image::svg(d, &image::SvgOptions::default()).len())
        });
        group.bench_with_input(BenchmarkId::new("json", n), &design, |b, d| {
            b.iter(|| to_json_pretty(d).len())
        });
    }
    group.finish();
}

/// *Tidy* (`model::tidy`), which the page runs in the export worker: the layout alone, and the
/// layout with the metrics that compare the candidate layouts (up to 800 links it tries
/// several; 2,000 nodes have more links, so one).
fn bench_tidy(c: &mut Criterion) {
    let mut group = c.benchmark_group("tidy");
    group.sample_size(10);
    for n in [300usize, 2_000] {
        let design = design_of_size(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &design, |b, d| {
            b.iter(|| tidy::tidy(std::hint::black_box(d)))
        });
        group.bench_with_input(BenchmarkId::new("metrics", n), &design, |b, d| {
            b.iter(|| layout_metrics::measure(std::hint::black_box(d)))
        });
    }
    group.throughput(Throughput::Elements(1));
    for t in infracanvas::templates::TEMPLATES {
        let design = infracanvas::templates::template(t.slug).expect("built-in template");
        group.bench_with_input(BenchmarkId::new("template", t.slug), &design, |b, d| {
            b.iter(|| tidy::tidy(std::hint::black_box(d)))
        });
    }
    group.finish();
}

/// `services` services as a `kubectl kustomize`-style stream: four objects each, every service
/// naming the next one by `NEXT_ADDR`.
fn manifests(services: usize) -> String {
    let mut out = String::new();
    for i in 0..services {
        let next = (i + 1) % services;
        out.push_str(&format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: svc-{i}, namespace: ns-{ns}}}\nspec:\n  replicas: 2\n  selector: {{matchLabels: {{app: svc-{i}}}}}\n  template:\n    metadata: {{labels: {{app: svc-{i}}}}}\n    spec:\n      containers:\n      - name: app\n        image: example/svc-{i}:1.{i}\n        ports: [{{containerPort: 8080, name: grpc}}]\n        env: [{{name: NEXT_ADDR, value: \"svc-{next}.ns-{nns}.svc.cluster.local:8080\"}}]\n        resources: {{requests: {{cpu: 100m, memory: 64Mi}}, limits: {{cpu: 200m, memory: 128Mi}}}}\n---\n\
             apiVersion: v1\nkind: Service\nmetadata: {{name: svc-{i}, namespace: ns-{ns}}}\nspec: {{selector: {{app: svc-{i}}}, ports: [{{name: grpc, port: 8080}}]}}\n---\n\
             apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {{name: svc-{i}, namespace: ns-{ns}}}\nspec: {{scaleTargetRef: {{kind: Deployment, name: svc-{i}}}, minReplicas: 2, maxReplicas: 6}}\n---\n\
             apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: svc-{i}, namespace: ns-{ns}}}\nspec: {{podSelector: {{matchLabels: {{app: svc-{i}}}}}, ingress: [{{from: [{{podSelector: {{matchLabels: {{app: svc-{prev}}}}}}}]}}]}}\n---\n",
            ns = i % 10,
            nns = next % 10,
            prev = (i + services - 1) % services,
        ));
    }
    out
}

/// `services` Compose services in one file, each depending on the next.
fn compose_file(services: usize) -> String {
    let mut out = String::from("services:\n");
    for i in 0..services {
        let next = (i + 1) % services;
        out.push_str(&format!(
            "  svc-{i}:\n    image: example/svc-{i}:1.{i}\n    ports: [\"{port}:8080\"]\n    environment:\n      NEXT_URL: http://svc-{next}:8080\n    deploy: {{replicas: 2, resources: {{limits: {{cpus: \"0.5\", memory: 256M}}}}}}\n",
            port = 10_000 + i
        ));
    }
    out
}

fn bench_import(c: &mut Criterion) {
    use infracanvas::import::{self, Source};
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    group.throughput(Throughput::Elements(1_000));
    let k8s = [Source::new("all.yaml", manifests(250))];
    // What is measured: every object read, every link found (a ring of 250 services).
    let d = import::kubernetes::import(&k8s, "bench").unwrap().design;
    assert_eq!((d.nodes.len(), d.edges.len()), (1 + 10 + 250, 250));
    group.bench_with_input(BenchmarkId::new("kubernetes", 1_000), &k8s, |b, s| {
        b.iter(|| import::kubernetes::import(s, "bench").map(|d| d.design.nodes.len()))
    });
    let compose = [Source::new("compose.yaml", compose_file(1_000))];
    let d = import::compose::import(&compose, "bench").unwrap().design;
    assert_eq!((d.nodes.len(), d.edges.len()), (1 + 1_000, 1_000));
    group.bench_with_input(BenchmarkId::new("compose", 1_000), &compose, |b, s| {
        b.iter(|| import::compose::import(s, "bench").map(|d| d.design.nodes.len()))
    });
    group.finish();
}

/// The link router (`model::route`): every link of a generated design routed around the boxes
/// it does not connect, on the design's own layout (about 1.25 links per node).
fn bench_routes(c: &mut Criterion) {
    let mut group = c.benchmark_group("route");
    for n in [800usize, 5_000] {
        let design = infracanvas::synth::design_of_size(n);
        group.throughput(Throughput::Elements(design.edges.len() as u64));
        group.bench_with_input(
            BenchmarkId::new("links", design.edges.len()),
            &design,
            |b, d| b.iter(|| route::design_routes(std::hint::black_box(d), &d.layout)),
        );
    }
    group.finish();
}

criterion_group!(
    benches,
    bench_routes,
    bench_validation,
    bench_exports,
    bench_share,
    bench_tidy,
    bench_import
);
criterion_main!(benches);
