#!/usr/bin/env node
// Validates the custom resources of a Kubernetes export against their projects' schemas, as
// published in the npm models of kubernetes-models-ts (devDependencies in package.json):
//
//   cert-manager.io                         @kubernetes-models/cert-manager      Issuer, Certificate
//   security.istio.io, networking.istio.io  @kubernetes-models/istio             PeerAuthentication,
//                                                                                DestinationRule
//   external-secrets.io,                    @kubernetes-models/external-secrets  SecretStore,
//   generators.external-secrets.io                                               ExternalSecret, Password
//   monitoring.coreos.com                   @kubernetes-models/prometheus-operator
//
// Two kinds have no registry package with their CRD schema; they are checked field by field
// against their API references in Rust tests instead, and only counted here:
//   flagger.app/v1beta1 Canary        export::kubernetes::flagger::tests::fields_exist_in_the_v1beta1_api
//   postgresql.cnpg.io/v1 Cluster     export::kubernetes::postgres::tests::fields_exist_in_the_api
//
// The validators check types, enums, formats and required fields; like the API server, they
// do not reject unknown fields (a CRD prunes them).
//
//   node scripts/check-k8s-custom.mjs LABEL FILE.json...   (each FILE a JSON array of documents)
//
// Prints "<validated> <checked-in-rust>" on success; exits 1 on the first invalid document or
// on a custom kind it does not know.
import { readFileSync } from "node:fs";

const PACKAGES = {
  "cert-manager.io": "cert-manager",
  "security.istio.io": "istio",
  "networking.istio.io": "istio",
  "external-secrets.io": "external-secrets",
  "generators.external-secrets.io": "external-secrets",
  "monitoring.coreos.com": "prometheus-operator",
};
const CHECKED_IN_RUST = new Set(["flagger.app/v1beta1/Canary", "postgresql.cnpg.io/v1/Cluster"]);

const [label, ...files] = process.argv.slice(2);
let validated = 0;
let rust = 0;
const models = new Map();
for (const file of files) {
  for (const doc of JSON.parse(readFileSync(file, "utf8"))) {
    const [group, version] = String(doc.apiVersion).split("/");
    const id = `${doc.apiVersion}/${doc.kind}`;
    const where = `${label}: ${doc.kind} ${doc.metadata?.namespace ?? "_"}/${doc.metadata?.name ?? "_"}`;
    if (CHECKED_IN_RUST.has(id)) {
      rust++;
      continue;
    }
    const pkg = PACKAGES[group];
    if (!pkg || !version) {
      console.error(`check-k8s-custom: ${where}: unknown custom kind ${id} (add its schema package)`);
      process.exit(1);
    }
    const spec = `@kubernetes-models/${pkg}/${group}/${version}/${doc.kind}`;
    if (!models.has(spec)) {
      try {
        models.set(spec, (await import(spec))[doc.kind]);
      } catch (e) {
        console.error(`check-k8s-custom: ${where}: no model ${spec} (${e.message})`);
        process.exit(1);
      }
    }
    const Model = models.get(spec);
    try {
      new Model(doc).validate();
    } catch (e) {
      console.error(`check-k8s-custom: ${where}: ${e.message}`);
      process.exit(1);
    }
    validated++;
  }
}
console.log(`${validated} ${rust}`);
