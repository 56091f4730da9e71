//! `infracanvas`: validate, share and open designs from the command line (DESIGN.md §6, §8).
//!
//! A thin shell over the library: every decision is made by the same code the page runs.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use std::io::Read;
    use std::path::Path;
    use std::process::ExitCode;

    use clap::{Parser, Subcommand, ValueEnum};
    use infracanvas::export::image::{SvgOptions, Theme};
    use infracanvas::export::{self, ExportFile};
    use infracanvas::model::{self, limits, Design};
    use infracanvas::{report, share, templates, validate};

    /// Exit code for bad input or usage (findings with errors exit 1).
    const EXIT_INPUT: u8 = 2;

    #[derive(Parser)]
    #[command(
        name = "infracanvas",
        version,
        about = "Validate, export and share deployment designs"
    )]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[derive(Subcommand)]
    enum Command {
        /// The built-in templates.
        Template {
            #[command(subcommand)]
            action: TemplateAction,
        },
        /// Check a design against the rules; exits 1 when any error counts (findings the
        /// design's waivers accept do not, unless --strict).
        Validate {
            /// Design file, or `-` for standard input.
            file: String,
            #[arg(long, value_enum, default_value_t = Format::Human)]
            format: Format,
            /// Ignore the design's waivers: every finding counts.
            #[arg(long)]
            strict: bool,
            /// Set a rule's level, over the design's settings: IC-XXX-NNN=off|info|warning|error
            /// (repeatable).
            #[arg(long = "rule", value_name = "ID=LEVEL", value_parser = parse_rule_level)]
            rules: Vec<(String, model::RuleLevel)>,
        },
        /// Print a share link that carries the whole design.
        Link {
            /// Design file, or `-` for standard input.
            file: String,
            /// The page's address; the design goes in its `#d=` fragment.
            #[arg(
                long,
                env = "INFRACANVAS_BASE_URL",
                default_value = "http://127.0.0.1:8080/"
            )]
            base: String,
        },
        /// Export a design: a Kustomize tree, Helm charts, a Swarm stack, Terraform modules, a Mermaid
        /// diagram, an SVG picture (with the design inside) or the design file.
        Export {
            #[arg(value_enum)]
            format: ExportFormat,
            /// Design file, or `-` for standard input.
            file: String,
            /// Write the files under this directory instead of printing them.
            #[arg(short, long)]
            out: Option<std::path::PathBuf>,
            /// compose: also export this cluster (by id), Kubernetes or Swarm, as a stack.
            #[arg(long = "cluster", value_name = "ID")]
            clusters: Vec<String>,
            /// svg: the colours of the light or the dark canvas.
            #[arg(long, value_enum)]
            theme: Option<ThemeArg>,
            /// svg: draw only this node (by id) with everything inside it, and the links among
            /// what is drawn; repeat for more nodes.
            #[arg(long = "select", value_name = "ID")]
            select: Vec<String>,
        },
        /// Lay the design out by traffic (containers and their children left to right, links
        /// between columns): the page's *Tidy*. Writes the design file with the new layout.
        Tidy {
            /// Design file, or `-` for standard input.
            file: String,
            /// Write the design here instead of standard output.
            #[arg(short, long)]
            out: Option<std::path::PathBuf>,
            /// Also print, on standard error, link crossings, sibling overlaps and links
            /// through boxes before and after, and the time the layout took.
            #[arg(long)]
            stats: bool,
        },
        /// The design file inside an SVG or PNG picture exported by Infracanvas, on standard output.
        Import {
            /// The picture (.svg or .png), or `-` for standard input.
            file: String,
        },
        /// Decode a share link (or its payload) into the design file, on standard output.
        Open {
            /// The link, or `-` to read it from standard input.
            link: String,
        },
    }

    #[derive(Subcommand)]
    enum TemplateAction {
        /// One slug a line.
        List,
        /// The template's design file on standard output.
        Show { slug: String },
    }

    #[derive(Clone, Copy, ValueEnum)]
    enum ExportFormat {
        K8s,
        /// One Helm chart per Kubernetes cluster, rendering what the Kustomize overlays build.
        Helm,
        Compose,
        /// One Terraform root module per cloud provider (aws/, yandex/) and a README.
        Terraform,
        Mermaid,
        Svg,
        Json,
    }

    #[derive(Clone, Copy, ValueEnum)]
    enum ThemeArg {
        Light,
        Dark,
    }

    #[derive(Clone, Copy, ValueEnum)]
    enum Format {
        Human,
        Json,
        Sarif,
    }

    pub fn main() -> ExitCode {
        let cli = Cli::parse();
        match run(cli.command) {
            Ok(code) => code,
            Err(message) => {
                eprintln!("infracanvas: {message}");
                ExitCode::from(EXIT_INPUT)
            }
        }
    }

    fn run(command: Command) -> Result<ExitCode, String> {
        match command {
            Command::Template {
                action: TemplateAction::List,
            } => {
                for t in templates::TEMPLATES {
                    out(&format!("{}\n", t.slug));
                }
            }
            Command::Template {
                action: TemplateAction::Show { slug },
            } => {
                let design = templates::template(&slug).ok_or_else(|| {
                    let known: Vec<&str> = templates::TEMPLATES.iter().map(|t| t.slug).collect();
                    format!("no template `{slug}`; known: {}", known.join(", "))
                })?;
                out(&(model::to_json_pretty(&design) + "\n"));
            }
            Command::Validate {
                file,
                format,
                strict,
                rules,
            } => {
                let (source, design) = read_design(&file)?;
                let policy = validate::Policy {
                    today: today(),
                    strict,
                    overrides: rules.into_iter().collect(),
                };
                let unknown = validate::policy::unknown_rules(design.settings.rules.keys());
                if !unknown.is_empty() {
                    eprintln!(
                        "infracanvas: note: settings.rules names rules this version does not have: {}",
                        unknown.join(", ")
                    );
                }
                let diagnostics = validate::validate_with(&design, &policy);
                if !strict {
                    for i in validate::policy::unused_waivers(&design, &diagnostics) {
                        let w = &design.waivers[i];
                        eprintln!(
                            "infracanvas: note: waivers[{i}] ({} on {}) accepts no finding; remove it if the problem is gone",
                            w.rule,
                            w.targets.join(", ")
                        );
                    }
                }
                let text = match format {
                    Format::Human => report::human(&diagnostics),
                    Format::Json => report::json(&diagnostics) + "\n",
                    Format::Sarif => {
                        let artifact = if file == "-" { "design.json" } else { &file };
                        report::sarif(&diagnostics, artifact, &source) + "\n"
                    }
                };
                out(&text);
                if validate::has_errors(&diagnostics) {
                    return Ok(ExitCode::from(1));
                }
            }
            Command::Link { file, base } => {
                let (_, design) = read_design(&file)?;
                out(&(share::link(&base, &design) + "\n"));
            }
            Command::Export {
                format,
                file,
                out,
                clusters,
                theme,
                select,
            } => {
                let (_, design) = read_design(&file)?;
                let svg = svg_options(format, theme, select, &design)?;
                let mut files = export_files(format, &design, &svg);
                for id in &clusters {
                    if !matches!(format, ExportFormat::Compose) {
                        return Err("--cluster applies to `export compose` only".into());
                    }
                    let stack = export::compose::export_cluster(&design, id)
                        .ok_or_else(|| format!("no cluster with id `{id}` in the design"))?;
                    if !files.iter().any(|f| f.path == stack.path) {
                        files.push(stack);
                    }
                }
                if files.is_empty() {
                    return Err(match format {
                        ExportFormat::K8s | ExportFormat::Helm => {
                            "the design has no Kubernetes cluster to export".into()
                        }
                        ExportFormat::Terraform => "the design has no cloud provider to export".into(),
                        _ => "the design has no Swarm cluster; name a cluster to export as a stack with --cluster ID".into(),
                    });
                }
                match out {
                    Some(dir) => write_files(&dir, &files)?,
                    None => print_files(&files),
                }
            }
            Command::Tidy {
                file,
                out: dest,
                stats,
            } => {
                let (_, before) = read_design(&file)?;
                let start = std::time::Instant::now();
                let after = model::tidy::tidied(before.clone());
                let elapsed = start.elapsed();
                if stats {
                    eprint!("{}", tidy_stats(&before, &after, elapsed));
                }
                let text = model::to_json_pretty(&after) + "\n";
                match dest {
                    Some(path) => std::fs::write(&path, text)
                        .map_err(|e| format!("{}: {e}", path.display()))?,
                    None => out(&text),
                }
            }
            Command::Import { file } => {
                let bytes = read_input(&file, export::image::MAX_IMAGE_BYTES)?;
                let name = if file == "-" { "standard input" } else { &file };
                let design =
                    export::image::design_from_image(&bytes).map_err(|e| format!("{name}: {e}"))?;
                out(&(model::to_json_pretty(&design) + "\n"));
            }
            Command::Open { link } => {
                let link = if link == "-" {
                    String::from_utf8(read_input("-", share::MAX_PAYLOAD_CHARS + 4096)?)
                        .map_err(|_| "the link is not text".to_string())?
                } else {
                    link
                };
                let design = share::decode(link.trim()).map_err(|e| e.to_string())?;
                out(&(model::to_json_pretty(&design) + "\n"));
            }
        }
        Ok(ExitCode::SUCCESS)
    }

    /// `tidy --stats`: the layout figures before and after, one line each.
    fn tidy_stats(before: &Design, after: &Design, took: std::time::Duration) -> String {
        use model::layout_metrics::measure;
        let (b, a) = (measure(before), measure(after));
        format!(
            "crossings {} -> {}\noverlaps {} -> {}\nthrough boxes {} -> {}\noutside parent {} -> {}\ntidy {:.2} ms\n",
            b.crossings,
            a.crossings,
            b.overlaps,
            a.overlaps,
            b.through_boxes,
            a.through_boxes,
            b.outside_parent,
            a.outside_parent,
            took.as_secs_f64() * 1000.0
        )
    }

    /// `IC-XXX-NNN=level`, for `--rule`; the rule must exist in this build.
    fn parse_rule_level(text: &str) -> Result<(String, model::RuleLevel), String> {
        let (id, level) = text
            .split_once('=')
            .ok_or("expected ID=LEVEL, e.g. IC-OPS-003=off")?;
        if validate::rule(id).is_none() {
            return Err(format!(
                "no rule `{id}` (the rules: {})",
                validate::RULES
                    .iter()
                    .map(|r| r.id)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let level = model::RuleLevel::parse(level)
            .ok_or_else(|| format!("`{level}` is not a level: off, info, warning or error"))?;
        Ok((id.to_string(), level))
    }

    /// Today's date (UTC), for waivers' expiry.
    fn today() -> String {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        model::policy::date_from_unix_days((seconds / 86_400) as i64)
    }

    /// The picture's options; `--theme` and `--select` belong to `export svg` only, and every
    /// selected id must name a node.
    fn svg_options(
        format: ExportFormat,
        theme: Option<ThemeArg>,
        select: Vec<String>,
        design: &Design,
    ) -> Result<SvgOptions, String> {
        if !matches!(format, ExportFormat::Svg) && (theme.is_some() || !select.is_empty()) {
            return Err("--theme and --select apply to `export svg` only".into());
        }
        if let Some(id) = select.iter().find(|id| design.node(id).is_none()) {
            return Err(format!("no node with id `{id}` in the design"));
        }
        Ok(SvgOptions {
            theme: match theme {
                Some(ThemeArg::Dark) => Theme::Dark,
                Some(ThemeArg::Light) | None => Theme::Light,
            },
            selection: (!select.is_empty()).then_some(select),
        })
    }

    /// The export's files: the same function, names and bytes as the page's export worker.
    fn export_files(format: ExportFormat, design: &Design, svg: &SvgOptions) -> Vec<ExportFile> {
        use export::job::{export_files, Format};
        let format = match format {
            ExportFormat::K8s => Format::Kubernetes,
            ExportFormat::Helm => Format::Helm,
            ExportFormat::Compose => Format::Compose,
            ExportFormat::Terraform => Format::Terraform,
            ExportFormat::Mermaid => Format::Mermaid,
            ExportFormat::Svg => Format::Svg,
            ExportFormat::Json => Format::Json,
        };
        export_files(format, design, svg)
    }

    /// One file prints as itself; a tree prints each file after a `# file: PATH` line.
    fn print_files(files: &[ExportFile]) {
        if let [only] = files {
            out(&only.contents);
            return;
        }
        for f in files {
            out(&format!("# file: {}\n", f.path));
            out(&f.contents);
            if !f.contents.ends_with('\n') {
                out("\n");
            }
        }
    }

    fn write_files(dir: &Path, files: &[ExportFile]) -> Result<(), String> {
        for f in files {
            // Export paths are built from Kubernetes-safe names; refuse anything else outright.
            let relative = Path::new(&f.path);
            if relative.is_absolute()
                || relative
                    .components()
                    .any(|c| !matches!(c, std::path::Component::Normal(_)))
            {
                return Err(format!(
                    "refusing to write outside {}: {}",
                    dir.display(),
                    f.path
                ));
            }
            let path = dir.join(relative);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("{}: {e}", parent.display()))?;
            }
            std::fs::write(&path, &f.contents).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        eprintln!("wrote {} file(s) under {}", files.len(), dir.display());
        Ok(())
    }

    /// Writes to standard output. A reader that went away (`… | head`) ends the program
    /// quietly, as Unix tools do, instead of the panic `print!` would raise.
    fn out(text: &str) {
        use std::io::Write;
        let mut stdout = std::io::stdout().lock();
        if let Err(e) = stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
        {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
            eprintln!("infracanvas: cannot write the output: {e}");
            std::process::exit(i32::from(EXIT_INPUT));
        }
    }

    /// Reads a design file (or stdin) and loads it; the error says which file and why.
    fn read_design(file: &str) -> Result<(String, Design), String> {
        let bytes = read_input(file, limits::MAX_DESIGN_BYTES)?;
        let name = if file == "-" { "standard input" } else { file };
        let text = String::from_utf8(bytes).map_err(|e| {
            format!(
                "{name}: not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            )
        })?;
        let design = model::load_design(&text).map_err(|e| format!("{name}: {e}"))?;
        Ok((text, design))
    }

    /// Reads at most `limit` bytes; more is an error, so a huge or endless input stops early.
    fn read_input(file: &str, limit: usize) -> Result<Vec<u8>, String> {
        let mut bytes = Vec::new();
        let read = if file == "-" {
            std::io::stdin()
                .lock()
                .take(limit as u64 + 1)
                .read_to_end(&mut bytes)
        } else {
            let path = Path::new(file);
            if path.is_dir() {
                return Err(format!("{file}: is a directory"));
            }
            std::fs::File::open(path).and_then(|f| f.take(limit as u64 + 1).read_to_end(&mut bytes))
        };
        let name = if file == "-" { "standard input" } else { file };
        read.map_err(|e| format!("{name}: {e}"))?;
        if bytes.len() > limit {
            return Err(format!("{name}: larger than the limit of {limit} bytes"));
        }
        Ok(bytes)
    }
}
