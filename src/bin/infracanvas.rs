//! `infracanvas`: validate, share and open designs from the command line.
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
        /// Bring an existing system in: `import compose FILE…`, `import k8s PATH…`,
        /// `import terraform DIR` make a design (laid out by Tidy) and report what was not
        /// mapped. `import FILE` reads the design inside an SVG or PNG picture exported by
        /// Infracanvas. The design goes to standard output.
        #[command(args_conflicts_with_subcommands = true)]
        Import {
            #[command(subcommand)]
            from: Option<ImportFrom>,
            /// The picture (.svg or .png), or `-` for standard input.
            file: Option<String>,
        },
        /// Decode a share link (or its payload) into the design file, on standard output.
        Open {
            /// The link, or `-` to read it from standard input.
            link: String,
        },
    }

    #[derive(Subcommand)]
    enum ImportFrom {
        /// Docker Compose files of one project (later files override earlier ones, as with
        /// `docker compose -f`); `-` reads standard input.
        Compose {
            #[arg(required = true)]
            files: Vec<String>,
            #[command(flatten)]
            options: ImportOptions,
        },
        /// Kubernetes manifests: files, folders (read recursively; Kustomize trees through their
        /// kustomization.yaml), multi-document streams, `List`s; `-` reads standard input
        /// (e.g. `kubectl kustomize DIR | infracanvas import k8s -`).
        K8s {
            #[arg(required = true)]
            paths: Vec<String>,
            #[command(flatten)]
            options: ImportOptions,
        },
        /// Terraform: a root module folder (its .tf files) or a terraform.tfstate file, for the
        /// AWS and Yandex Cloud resources the Terraform export writes.
        Terraform {
            path: String,
            #[command(flatten)]
            options: ImportOptions,
        },
    }

    #[derive(clap::Args)]
    struct ImportOptions {
        /// Write the design here instead of standard output.
        #[arg(short, long)]
        out: Option<std::path::PathBuf>,
        /// The report of what was not mapped: for people, JSON or SARIF.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Write the report here instead of standard error.
        #[arg(long)]
        report: Option<std::path::PathBuf>,
        /// The design's (and cluster's) name; by default the folder's or file's name.
        #[arg(long)]
        name: Option<String>,
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
            Command::Import {
                from: Some(from), ..
            } => return import_system(from),
            Command::Import { from: None, file } => {
                let file = file.ok_or(
                    "name a picture to read, or `import compose|k8s|terraform …` (see --help)",
                )?;
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

    /// The most files and bytes one import reads (a folder of manifests, a module).
    const MAX_IMPORT_FILES: usize = 10_000;
    const MAX_IMPORT_BYTES: usize = 256 * 1024 * 1024;

    /// `import compose|k8s|terraform`: the design to standard output (or `--out`), the report
    /// to standard error (or `--report`); exit 2 when nothing could be made of the files.
    fn import_system(from: ImportFrom) -> Result<ExitCode, String> {
        use infracanvas::import::{self, report};
        let (result, options) = match from {
            ImportFrom::Compose { files, options } => {
                let sources = read_sources(&files, &["yaml", "yml"], false)?;
                let name = options
                    .name
                    .clone()
                    .unwrap_or_else(|| default_name(&files, true));
                (import::compose::import(&sources, &name), options)
            }
            ImportFrom::K8s { paths, options } => {
                let sources = read_sources(&paths, &["yaml", "yml", "json"], true)?;
                let name = options
                    .name
                    .clone()
                    .unwrap_or_else(|| default_name(&paths, false));
                (import::kubernetes::import(&sources, &name), options)
            }
            ImportFrom::Terraform { path, options } => {
                let paths = [path];
                let sources = read_sources(&paths, &["tf", "tfstate", "json"], true)?;
                let name = options
                    .name
                    .clone()
                    .unwrap_or_else(|| default_name(&paths, true));
                (import::terraform::import(&sources, &name), options)
            }
        };
        let notes = match &result {
            Ok(imported) => &imported.notes,
            Err(e) => &e.notes,
        };
        let text = match options.format {
            Format::Human => report::human(notes),
            Format::Json => report::json(notes) + "\n",
            Format::Sarif => report::sarif(notes) + "\n",
        };
        match &options.report {
            Some(path) => {
                std::fs::write(path, &text).map_err(|e| format!("{}: {e}", path.display()))?
            }
            None => eprint!("{text}"),
        }
        let imported = result.map_err(|e| e.message)?;
        let design = model::to_json_pretty(&imported.design) + "\n";
        match &options.out {
            Some(path) => {
                std::fs::write(path, design).map_err(|e| format!("{}: {e}", path.display()))?
            }
            None => out(&design),
        }
        Ok(ExitCode::SUCCESS)
    }

    /// The project's name as Compose takes it (the first file's folder) or the first path's.
    fn default_name(paths: &[String], folder: bool) -> String {
        let Some(first) = paths.first().filter(|p| *p != "-") else {
            return "imported".into();
        };
        let path = Path::new(first);
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let named = if path.is_dir() {
            Some(path.clone())
        } else if folder {
            path.parent().map(Path::to_path_buf)
        } else {
            Some(path.with_extension(""))
        };
        named
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().to_string()))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "imported".into())
    }

    /// The text of every file named, folders read recursively (only files with one of
    /// `extensions`, hidden entries and symbolic links to folders skipped), in path order.
    fn read_sources(
        paths: &[String],
        extensions: &[&str],
        folders: bool,
    ) -> Result<Vec<infracanvas::import::Source>, String> {
        use infracanvas::import::{Source, MAX_SOURCE_BYTES};
        let mut files: Vec<std::path::PathBuf> = Vec::new();
        let mut sources = Vec::new();
        for p in paths {
            if p == "-" {
                let bytes = read_input("-", MAX_SOURCE_BYTES)?;
                let text = String::from_utf8(bytes)
                    .map_err(|_| "standard input: not UTF-8 text".to_string())?;
                sources.push(Source::new("<stdin>", text));
                continue;
            }
            let path = Path::new(p);
            if path.is_dir() {
                if !folders {
                    return Err(format!("{p}: is a directory; name the Compose files"));
                }
                walk(path, extensions, &mut files)?;
            } else {
                files.push(path.to_path_buf());
            }
        }
        if files.len() > MAX_IMPORT_FILES {
            return Err(format!("more than {MAX_IMPORT_FILES} files to read"));
        }
        let mut total = 0;
        for f in files {
            let name = f.to_string_lossy().to_string();
            let bytes = read_input(&name, MAX_SOURCE_BYTES)?;
            total += bytes.len();
            if total > MAX_IMPORT_BYTES {
                return Err(format!("more than {MAX_IMPORT_BYTES} bytes to read"));
            }
            let text = String::from_utf8(bytes).map_err(|e| {
                format!(
                    "{name}: not UTF-8 text (invalid byte at offset {})",
                    e.utf8_error().valid_up_to()
                )
            })?;
            sources.push(Source::new(name, text));
        }
        Ok(sources)
    }

    fn walk(
        dir: &Path,
        extensions: &[&str],
        files: &mut Vec<std::path::PathBuf>,
    ) -> Result<(), String> {
        let mut entries: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for path in entries {
            let hidden = path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            if hidden || files.len() > MAX_IMPORT_FILES {
                continue;
            }
            if meta.is_dir() {
                walk(&path, extensions, files)?;
            } else if path.is_file()
                && path
                    .extension()
                    .is_some_and(|e| extensions.contains(&e.to_string_lossy().as_ref()))
                || path.file_name().is_some_and(|n| n == "Kustomization")
            {
                files.push(path);
            }
        }
        Ok(())
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
