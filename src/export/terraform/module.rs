//! One root module being written: blocks per file, the variables and outputs they use, the
//! values of each environment's tfvars, and notes on what the design asks that Terraform here
//! does not make.

use std::collections::BTreeMap;

use hcl::expr::Expression;
use hcl::{Attribute, Block, Structure};

use super::hcl::{object, reference, to_text};
use crate::export::ExportFile;

/// Where a block goes: `main.tf` split by concern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Concern {
    /// Locals and keys shared by the others.
    Main,
    Network,
    Kubernetes,
    Data,
    Edge,
}

impl Concern {
    fn file(self) -> &'static str {
        match self {
            Concern::Main => "main.tf",
            Concern::Network => "network.tf",
            Concern::Kubernetes => "kubernetes.tf",
            Concern::Data => "data.tf",
            Concern::Edge => "edge.tf",
        }
    }
}

/// A Terraform type expression: `string`, `number`, `map(string)`, `object({…})`.
pub fn ty(name: &str) -> Expression {
    reference(name, &[])
}

pub struct Variable {
    pub ty: Expression,
    pub description: String,
    pub default: Option<Expression>,
    pub sensitive: bool,
}

struct Output {
    value: Expression,
    description: String,
    sensitive: bool,
}

pub struct Module {
    pub dir: String,
    /// `versions.tf`: the terraform block and the provider configurations.
    versions: Vec<Structure>,
    files: BTreeMap<Concern, Vec<Structure>>,
    variables: BTreeMap<String, Variable>,
    outputs: BTreeMap<String, Output>,
    /// Values for `terraform.tfvars.example` (required variables, placeholders).
    example: BTreeMap<String, Expression>,
    /// Values per environment, written to `environments/<env>.tfvars`.
    env_values: BTreeMap<String, BTreeMap<String, Expression>>,
    /// Lines of the module's README: what was made and what was left out.
    pub notes: Vec<String>,
}

impl Module {
    pub fn new(dir: &str) -> Self {
        Module {
            dir: dir.to_string(),
            versions: Vec::new(),
            files: BTreeMap::new(),
            variables: BTreeMap::new(),
            outputs: BTreeMap::new(),
            example: BTreeMap::new(),
            env_values: BTreeMap::new(),
            notes: Vec::new(),
        }
    }

    /// The `terraform` block: Terraform 1.5 or newer and the one provider, pinned.
    pub fn require(&mut self, name: &str, source: &str, version: &str) {
        let pinned = object([
            ("source", Expression::from(source)),
            ("version", Expression::from(version)),
        ]);
        self.versions(
            Block::builder("terraform")
                .add_attribute(("required_version", ">= 1.5.0"))
                .add_block(
                    Block::builder("required_providers")
                        .add_attribute((hcl::Identifier::sanitized(name), pinned))
                        .build(),
                )
                .build(),
        );
    }

    pub fn versions(&mut self, block: Block) {
        self.versions.push(block.into());
    }

    pub fn add(&mut self, concern: Concern, block: Block) {
        self.files.entry(concern).or_default().push(block.into());
    }

    /// Declares a variable once (a later declaration of the same name is ignored).
    /// Whether a block `ident "type" "label"` was added already (shared roles, data sources).
    pub fn has_block(&self, ident: &str, rtype: &str, label: &str) -> bool {
        self.files.values().flatten().any(|s| match s {
            Structure::Block(b) => {
                b.identifier() == ident
                    && b.labels().len() == 2
                    && b.labels()[0].as_str() == rtype
                    && b.labels()[1].as_str() == label
            }
            Structure::Attribute(_) => false,
        })
    }

    pub fn has_data(&self, dtype: &str, label: &str) -> bool {
        self.has_block("data", dtype, label)
    }

    /// Variables without a default, by name, with whether each is sensitive.
    pub fn required_variables(&self) -> Vec<(&str, bool)> {
        self.variables
            .iter()
            .filter(|(_, v)| v.default.is_none())
            .map(|(k, v)| (k.as_str(), v.sensitive))
            .collect()
    }

    pub fn has_variable(&self, name: &str) -> bool {
        self.variables.contains_key(name)
    }

    pub fn has_resource(&self, rtype: &str, label: &str) -> bool {
        self.has_block("resource", rtype, label)
    }

    pub fn variable(&mut self, name: &str, v: Variable) {
        self.variables.entry(name.to_string()).or_insert(v);
    }

    /// A string variable, with a default or (`None`) required.
    pub fn string_variable(&mut self, name: &str, description: &str, default: Option<&str>) {
        self.variable(
            name,
            Variable {
                ty: ty("string"),
                description: description.to_string(),
                default: default.map(Expression::from),
                sensitive: false,
            },
        );
    }

    /// A required sensitive variable: the value is given at apply time (`TF_VAR_…` or a secret
    /// store), never written by the export.
    pub fn secret_variable(&mut self, name: &str, description: &str) {
        self.variable(
            name,
            Variable {
                ty: ty("string"),
                description: description.to_string(),
                default: None,
                sensitive: true,
            },
        );
    }

    pub fn output(&mut self, name: &str, value: Expression, description: &str) {
        self.outputs.insert(
            name.to_string(),
            Output {
                value,
                description: description.to_string(),
                sensitive: false,
            },
        );
    }

    pub fn example_value(&mut self, name: &str, value: Expression) {
        self.example.insert(name.to_string(), value);
    }

    pub fn env_value(&mut self, env: &str, name: &str, value: Expression) {
        self.env_values
            .entry(env.to_string())
            .or_default()
            .insert(name.to_string(), value);
    }

    /// Every file of the module, under `<dir>/`.
    pub fn files(self) -> Vec<ExportFile> {
        let dir = self.dir.clone();
        let mut out = vec![ExportFile::new(
            format!("{dir}/versions.tf"),
            to_text(self.versions),
        )];
        for (concern, blocks) in self.files {
            out.push(ExportFile::new(
                format!("{dir}/{}", concern.file()),
                to_text(blocks),
            ));
        }
        // The example shows every input a team may set: placeholders for the required ones,
        // the defaults for the rest; sensitive ones never (they come from the secret store).
        let mut example = self.example;
        for (name, v) in &self.variables {
            if let (Some(d), false) = (&v.default, v.sensitive) {
                example.entry(name.clone()).or_insert_with(|| d.clone());
            }
        }
        let variables = self
            .variables
            .into_iter()
            .map(|(name, v)| {
                let mut b = Block::builder("variable")
                    .add_label(name)
                    .add_attribute(("description", v.description))
                    .add_attribute(("type", v.ty));
                if let Some(d) = v.default {
                    b = b.add_attribute(("default", d));
                }
                if v.sensitive {
                    b = b.add_attribute(("sensitive", true));
                }
                b.build().into()
            })
            .collect();
        out.push(ExportFile::new(
            format!("{dir}/variables.tf"),
            to_text(variables),
        ));
        let outputs = self
            .outputs
            .into_iter()
            .map(|(name, o)| {
                let mut b = Block::builder("output")
                    .add_label(name)
                    .add_attribute(("description", o.description))
                    .add_attribute(("value", o.value));
                if o.sensitive {
                    b = b.add_attribute(("sensitive", true));
                }
                b.build().into()
            })
            .collect();
        out.push(ExportFile::new(
            format!("{dir}/outputs.tf"),
            to_text(outputs),
        ));
        out.push(ExportFile::new(
            format!("{dir}/terraform.tfvars.example"),
            tfvars(example),
        ));
        for (env, values) in self.env_values {
            out.push(ExportFile::new(
                format!("{dir}/environments/{env}.tfvars"),
                tfvars(values),
            ));
        }
        out
    }
}

fn tfvars(values: BTreeMap<String, Expression>) -> String {
    to_text(
        values
            .into_iter()
            .map(|(k, v)| Attribute::new(k, v).into())
            .collect(),
    )
}

/// `{ Name = "…" }`; the provider's `default_tags` add the module's common tags.
pub fn tags(name: Expression) -> Expression {
    object([("Name", name)])
}
