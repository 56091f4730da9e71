//! A set of files as the page receives them (chosen, dropped, a folder, a `.zip`), sorted into
//! one import: archives unpacked, each file recognised as Compose, Kubernetes or Terraform by
//! its name and first keys, the format most files have imported, and a [`Summary`] of what came
//! of it for the user to read before the design opens.
//!
//! The export worker runs this; the page only sends bytes and shows the summary, so no reader
//! of YAML, HCL or zip reaches the page's first-load bundle.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use serde::{Deserialize, Serialize};

use super::{ImportError, Note, NoteKind, Source, MAX_SOURCE_BYTES};
use crate::model::{Design, EdgeSpec};

/// The most files one import reads (after unpacking archives).
pub const MAX_FILES: usize = 5_000;
/// The most bytes one import reads, archives unpacked.
pub const MAX_TOTAL_BYTES: usize = 64 * 1024 * 1024;
/// The largest archive read.
pub const MAX_ARCHIVE_BYTES: usize = 32 * 1024 * 1024;

/// The kinds of files an import reads (by extension; `Kustomization` too), and archives.
pub const EXTENSIONS: [&str; 7] = ["yaml", "yml", "json", "tf", "tfstate", "tfvars", "zip"];

/// What the files are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    Kubernetes,
    Compose,
    Terraform,
}

impl SourceFormat {
    pub fn label(self) -> &'static str {
        match self {
            SourceFormat::Kubernetes => "Kubernetes manifests",
            SourceFormat::Compose => "Docker Compose",
            SourceFormat::Terraform => "Terraform",
        }
    }
}

/// One file given to the import: its path (a folder's relative path, or the name) and bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl InputFile {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        InputFile {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// A component of the imported design, as the summary lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryNode {
    pub name: String,
    /// The kind's label (`Workload`, `Database`…).
    pub kind: String,
    /// The box it sits in (a namespace, a subnet), or empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub parent: String,
}

/// A link of the imported design, as the summary lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryLink {
    pub from: String,
    pub to: String,
    /// The link kind's label (`Traffic`, `Reads / writes`…).
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
}

/// What the user reads before the imported design opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// The design's name.
    pub name: String,
    pub format: SourceFormat,
    /// The files imported, in the order read.
    pub files: Vec<String>,
    /// How many files were left aside (other kinds, hidden folders, another format).
    pub skipped: usize,
    /// The components (containers such as clusters, namespaces and subnets left out).
    pub services: Vec<SummaryNode>,
    pub links: Vec<SummaryLink>,
    /// What was not mapped and why, with file and line.
    pub notes: Vec<Note>,
}

/// The summary as the page shows it: sentences and list lines made here, natively tested, so
/// that the page carries no formatting and no nested decoding of its own (its first-load
/// bundle stays small). A list is one line an entry, `text` and `detail` split by a tab
/// (control characters in either became spaces). It travels as one text ([`Self::encode`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryText {
    /// `Import “name”`.
    pub title: String,
    /// `Kubernetes manifests from 15 files (2 left aside)`.
    pub files: String,
    /// `15 components · 18 links inferred · 0 not mapped · 2 secret values dropped`.
    pub figures: String,
    /// What the page says once the design is open.
    pub done: String,
    /// `name\t — kind in box` lines.
    pub services: String,
    /// `from → to:port\t (kind)` lines.
    pub links: String,
    /// `file:line\t kind — object: message` lines.
    pub notes: String,
}

/// One list line each (text, detail) pair, as [`SummaryText`] holds them.
fn list_text(items: impl Iterator<Item = (String, String)>) -> String {
    let clean = |t: &str| -> String {
        t.chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect()
    };
    items
        .map(|(text, detail)| format!("{}\t{}\n", clean(&text), clean(&detail)))
        .collect()
}

/// Between the parts of an encoded [`SummaryText`] (a control character no part holds).
const PART: char = '\u{1e}';

fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

impl SummaryText {
    /// One text for the worker's answer: the parts in order, split by a record separator.
    pub fn encode(&self) -> String {
        let lists = |l: &str| l.replace(PART, " ");
        [
            one_line(&self.title),
            one_line(&self.files),
            one_line(&self.figures),
            one_line(&self.done),
            lists(&self.services),
            lists(&self.links),
            lists(&self.notes),
        ]
        .join(&PART.to_string())
    }

    /// The summary [`Self::encode`] wrote; `None` for any other text.
    pub fn decode(text: &str) -> Option<SummaryText> {
        let mut parts = text.split(PART).map(str::to_string);
        let mut next = || parts.next();
        let summary = SummaryText {
            title: next()?,
            files: next()?,
            figures: next()?,
            done: next()?,
            services: next()?,
            links: next()?,
            notes: next()?,
        };
        parts.next().is_none().then_some(summary)
    }

    /// The (text, detail) pairs of a list.
    pub fn entries(list: &str) -> impl Iterator<Item = (&str, &str)> {
        list.lines().map(|l| l.split_once('\t').unwrap_or((l, "")))
    }
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

impl Summary {
    /// The summary in words, as the page shows it.
    pub fn text(&self) -> SummaryText {
        let dropped = self
            .notes
            .iter()
            .filter(|n| n.kind == NoteKind::SecretDropped)
            .count();
        let mut figures = format!(
            "{} · {} inferred · {} not mapped",
            plural(self.services.len(), "component"),
            plural(self.links.len(), "link"),
            self.notes.len() - dropped
        );
        if dropped > 0 {
            figures.push_str(&format!(" · {} dropped", plural(dropped, "secret value")));
        }
        let mut files = format!(
            "{} from {}",
            self.format.label(),
            plural(self.files.len(), "file")
        );
        if self.skipped > 0 {
            files.push_str(&format!(" ({} left aside)", self.skipped));
        }
        SummaryText {
            title: format!("Import “{}”", self.name),
            files,
            figures,
            done: format!(
                "Imported “{}”: {} and {}",
                self.name,
                plural(self.services.len(), "component"),
                plural(self.links.len(), "link")
            ),
            services: list_text(self.services.iter().map(|n| {
                let place = if n.parent.is_empty() {
                    String::new()
                } else {
                    format!(" in {}", n.parent)
                };
                (n.name.clone(), format!(" — {}{place}", n.kind))
            })),
            links: list_text(self.links.iter().map(|l| {
                let port = l.port.map(|p| format!(":{p}")).unwrap_or_default();
                (
                    format!("{} → {}{port}", l.from, l.to),
                    format!(" ({})", l.kind),
                )
            })),
            notes: list_text(self.notes.iter().map(|n| {
                let place = if n.line > 0 {
                    format!("{}:{}", n.file, n.line)
                } else {
                    n.file.clone()
                };
                let object = if n.object.is_empty() {
                    String::new()
                } else {
                    format!("{}: ", n.object)
                };
                (
                    place,
                    format!(" {} — {object}{}", n.kind.label(), n.message),
                )
            })),
        }
    }
}

/// Imports `files` as one design named `name` (or as the files name themselves): the design,
/// laid out by Tidy, and its summary; an error with the reason when nothing could be made.
pub fn import_files(name: &str, files: Vec<InputFile>) -> Result<(Design, Summary), ImportError> {
    let mut notes = Vec::new();
    let mut skipped = 0;
    let unpacked = unpack(files, &mut notes, &mut skipped);
    let mut groups: BTreeMap<SourceFormat, Vec<Source>> = BTreeMap::new();
    for (path, bytes) in unpacked {
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                notes.push(note(
                    NoteKind::Unreadable,
                    &path,
                    format!(
                        "not UTF-8 text (invalid byte at offset {})",
                        e.utf8_error().valid_up_to()
                    ),
                ));
                continue;
            }
        };
        let text = text
            .strip_prefix('\u{feff}')
            .map(str::to_string)
            .unwrap_or(text);
        match classify(&path, &text) {
            Some(format) => groups
                .entry(format)
                .or_default()
                .push(Source::new(path, text)),
            None => {
                skipped += 1;
                notes.push(note(
                    NoteKind::NotMapped,
                    &path,
                    "neither a Compose file, a Kubernetes manifest nor Terraform".into(),
                ));
            }
        }
    }
    // The format most files have (Kubernetes, then Compose, then Terraform on a tie).
    let Some(format) = groups
        .iter()
        .max_by_key(|(f, s)| (s.len(), std::cmp::Reverse(**f)))
        .map(|(f, _)| *f)
    else {
        notes.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        return Err(ImportError {
            message: "none of the files is a Compose file, a Kubernetes manifest or Terraform \
                      (.yaml, .yml, .tf, .tfstate, or a .zip or folder of them)"
                .into(),
            notes,
        });
    };
    let mut sources = groups.remove(&format).unwrap_or_default();
    for (other, left) in groups {
        for s in left {
            skipped += 1;
            notes.push(note(
                NoteKind::NotMapped,
                &s.path,
                format!(
                    "{} among {}: import it on its own",
                    other.label(),
                    format.label()
                ),
            ));
        }
    }
    if format == SourceFormat::Compose {
        // Base files first, overrides after them (`compose.yaml`, then `compose.override.yaml`).
        sources.sort_by_key(|s| (file_name(&s.path).contains(".override."), s.path.clone()));
    }
    let name = design_name(name, &sources);
    let result = match format {
        SourceFormat::Kubernetes => super::kubernetes::import(&sources, &name),
        SourceFormat::Compose => super::compose::import(&sources, &name),
        SourceFormat::Terraform => super::terraform::import(&sources, &name),
    };
    match result {
        Ok(imported) => {
            notes.extend(imported.notes);
            notes.sort_by(|a, b| (&a.file, a.line, a.kind).cmp(&(&b.file, b.line, b.kind)));
            let summary = summarise(
                &imported.design,
                format,
                sources.into_iter().map(|s| s.path).collect(),
                skipped,
                notes,
            );
            Ok((imported.design, summary))
        }
        Err(mut e) => {
            notes.append(&mut e.notes);
            notes.sort_by(|a, b| (&a.file, a.line, a.kind).cmp(&(&b.file, b.line, b.kind)));
            e.notes = notes;
            Err(e)
        }
    }
}

fn note(kind: NoteKind, file: &str, message: String) -> Note {
    Note {
        kind,
        file: file.to_string(),
        line: 0,
        object: String::new(),
        message,
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn extension(path: &str) -> String {
    let name = file_name(path);
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Whether an import reads this file (by its name), as the page and the archive reader filter.
pub fn is_importable(path: &str) -> bool {
    EXTENSIONS.contains(&extension(path).as_str()) || file_name(path) == "Kustomization"
}

/// A path of a folder or archive that is hidden (`.git/…`, `.terraform/…`), or an archiver's
/// by-product (`__MACOSX/…`).
pub fn is_hidden(path: &str) -> bool {
    path.split(['/', '\\'])
        .any(|part| part.starts_with('.') && part != "." && part != ".." || part == "__MACOSX")
}

/// What a file is, by its name and its first top-level keys.
pub fn classify(path: &str, text: &str) -> Option<SourceFormat> {
    let name = file_name(path).to_ascii_lowercase();
    match extension(path).as_str() {
        "tf" | "tfstate" | "tfvars" => return Some(SourceFormat::Terraform),
        "json" => {
            return if text.contains("\"terraform_version\"") {
                Some(SourceFormat::Terraform)
            } else if text.contains("\"apiVersion\"") && text.contains("\"kind\"") {
                Some(SourceFormat::Kubernetes)
            } else {
                None
            }
        }
        "yaml" | "yml" => {}
        _ if name == "kustomization" => return Some(SourceFormat::Kubernetes),
        _ => return None,
    }
    if name.starts_with("kustomization.") {
        return Some(SourceFormat::Kubernetes);
    }
    if name.starts_with("compose") || name.starts_with("docker-compose") {
        return Some(SourceFormat::Compose);
    }
    // The first top-level key that tells: a manifest has `apiVersion` and `kind`, a Compose
    // file `services`.
    for line in text.lines() {
        let key = line.split(':').next().unwrap_or("").trim_end();
        match key {
            "apiVersion" | "kind" => return Some(SourceFormat::Kubernetes),
            "services" => return Some(SourceFormat::Compose),
            _ => {}
        }
    }
    None
}

/// The design's name: the one given, else the files' common folder, else the first file's name.
fn design_name(given: &str, sources: &[Source]) -> String {
    let given = given.trim();
    if !given.is_empty() {
        return given.to_string();
    }
    let Some(first) = sources.first() else {
        return "imported".into();
    };
    let top = first.path.split('/').next().unwrap_or("");
    if first.path.contains('/')
        && sources
            .iter()
            .all(|s| s.path.starts_with(&format!("{top}/")))
    {
        return top.to_string();
    }
    let stem = file_name(&first.path);
    let stem = stem.split('.').next().unwrap_or(stem);
    if stem.is_empty() {
        "imported".into()
    } else {
        stem.to_string()
    }
}

/// The files to read: archives unpacked (hidden entries, folders and other kinds left out),
/// within the limits of count and size.
fn unpack(
    files: Vec<InputFile>,
    notes: &mut Vec<Note>,
    skipped: &mut usize,
) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut total = 0usize;
    let mut full = false;
    let mut take = |path: String,
                    bytes: Vec<u8>,
                    out: &mut Vec<(String, Vec<u8>)>,
                    notes: &mut Vec<Note>| {
        if full {
            return;
        }
        if out.len() >= MAX_FILES || total + bytes.len() > MAX_TOTAL_BYTES {
            full = true;
            notes.push(note(
                NoteKind::Unreadable,
                &path,
                format!(
                    "more than {MAX_FILES} files or {} MB in all: this file and the ones after it were not read",
                    MAX_TOTAL_BYTES >> 20
                ),
            ));
            return;
        }
        total += bytes.len();
        out.push((path, bytes));
    };
    for f in files {
        if is_hidden(&f.path) || !is_importable(&f.path) {
            *skipped += 1;
            continue;
        }
        if extension(&f.path) == "zip" || f.bytes.starts_with(b"PK\x03\x04") {
            for (path, bytes) in read_zip(&f.path, &f.bytes, notes, skipped) {
                take(path, bytes, &mut out, notes);
            }
        } else if f.bytes.len() > MAX_SOURCE_BYTES {
            notes.push(note(
                NoteKind::Unreadable,
                &f.path,
                format!("larger than {} MB", MAX_SOURCE_BYTES >> 20),
            ));
        } else {
            take(f.path, f.bytes, &mut out, notes);
        }
    }
    out
}

/// The files of a zip archive that an import reads, as `archive.zip/inner/path`. Stored and
/// deflated entries are read (the zip crate reads the archive's directory, miniz_oxide inflates,
/// crc32fast checks); anything else is noted.
fn read_zip(
    path: &str,
    bytes: &[u8],
    notes: &mut Vec<Note>,
    skipped: &mut usize,
) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    if bytes.len() > MAX_ARCHIVE_BYTES {
        notes.push(note(
            NoteKind::Unreadable,
            path,
            format!("archives are read up to {} MB", MAX_ARCHIVE_BYTES >> 20),
        ));
        return out;
    }
    let mut archive = match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(a) => a,
        Err(e) => {
            notes.push(note(
                NoteKind::Unreadable,
                path,
                format!("not a zip archive that can be read ({e})"),
            ));
            return out;
        }
    };
    let mut total = 0usize;
    for i in 0..archive.len() {
        let mut entry = match archive.by_index_raw(i) {
            Ok(e) => e,
            Err(e) => {
                notes.push(note(
                    NoteKind::Unreadable,
                    path,
                    format!("entry {} could not be read ({e})", i + 1),
                ));
                continue;
            }
        };
        let inner = entry.name().replace('\\', "/");
        let inner = inner.trim_start_matches('/').to_string();
        let shown = format!("{path}/{inner}");
        if entry.is_dir() {
            continue;
        }
        if is_hidden(&inner) || !is_importable(&inner) {
            *skipped += 1;
            continue;
        }
        if extension(&inner) == "zip" {
            *skipped += 1;
            notes.push(note(
                NoteKind::NotMapped,
                &shown,
                "an archive inside an archive is not opened".into(),
            ));
            continue;
        }
        if entry.encrypted() {
            notes.push(note(NoteKind::Unreadable, &shown, "encrypted".into()));
            continue;
        }
        let size = entry.size();
        if size > MAX_SOURCE_BYTES as u64 || total + size as usize > MAX_TOTAL_BYTES {
            notes.push(note(
                NoteKind::Unreadable,
                &shown,
                format!("larger than {} MB unpacked", MAX_SOURCE_BYTES >> 20),
            ));
            continue;
        }
        let method = entry.compression();
        let mut raw = Vec::new();
        let read = (&mut entry)
            .take(MAX_ARCHIVE_BYTES as u64)
            .read_to_end(&mut raw);
        if read.is_err() {
            notes.push(note(NoteKind::Unreadable, &shown, "damaged entry".into()));
            continue;
        }
        let data = if method == zip::CompressionMethod::STORE {
            raw
        } else if method == zip::CompressionMethod::DEFLATE {
            match miniz_oxide::inflate::decompress_to_vec_with_limit(&raw, size as usize) {
                Ok(d) => d,
                Err(_) => {
                    notes.push(note(
                        NoteKind::Unreadable,
                        &shown,
                        "damaged entry (it does not inflate to its stated size)".into(),
                    ));
                    continue;
                }
            }
        } else {
            notes.push(note(
                NoteKind::Unreadable,
                &shown,
                format!("compressed with {method}, which is not read (only stored and deflated entries are)"),
            ));
            continue;
        };
        if data.len() as u64 != size || crc32fast::hash(&data) != entry.crc32() {
            notes.push(note(
                NoteKind::Unreadable,
                &shown,
                "damaged entry (its checksum or size does not match)".into(),
            ));
            continue;
        }
        total += data.len();
        out.push((shown, data));
    }
    out
}

/// What the summary shows of a design.
fn summarise(
    design: &Design,
    format: SourceFormat,
    files: Vec<String>,
    skipped: usize,
    notes: Vec<Note>,
) -> Summary {
    let name_of = |id: &str| {
        design
            .node(id)
            .map(|n| n.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let services = design
        .nodes
        .iter()
        .filter(|n| !n.kind().is_container())
        .map(|n| SummaryNode {
            name: n.name.clone(),
            kind: n.kind().label().to_string(),
            parent: n.parent.as_deref().map(name_of).unwrap_or_default(),
        })
        .collect();
    let links = design
        .edges
        .iter()
        .map(|e| SummaryLink {
            from: name_of(&e.from),
            to: name_of(&e.to),
            kind: e.kind().label().to_string(),
            port: match &e.spec {
                EdgeSpec::Traffic(t) => t.port,
                _ => None,
            },
        })
        .collect();
    Summary {
        name: design.name.clone(),
        format,
        files,
        skipped,
        services,
        links,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    const COMPOSE: &str = "services:\n  web:\n    image: nginx:1.27\n    ports: [\"80:80\"]\n    depends_on: [app]\n  app:\n    image: shop/app:1.0\n    environment:\n      DATABASE_URL: postgres://app:hunter2@db:5432/app\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: hunter2\n";
    const MANIFEST: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers:\n        - name: api\n          image: shop/api:2\n          env:\n            - name: REDIS_ADDR\n              value: redis:6379\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: redis\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: redis}\n  template:\n    metadata:\n      labels: {app: redis}\n    spec:\n      containers:\n        - name: redis\n          image: redis:7.2\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: redis\n  namespace: shop\nspec:\n  selector: {app: redis}\n  ports: [{port: 6379}]\n";

    fn zip(entries: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
        let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        for (path, bytes) in entries {
            z.start_file(*path, options).unwrap();
            z.write_all(bytes).unwrap();
        }
        z.finish().unwrap().into_inner()
    }

    /// A zip of one deflated entry, made by hand: the zip crate here writes stored entries only.
    fn deflated_zip(path: &str, data: &[u8]) -> Vec<u8> {
        let packed = miniz_oxide::deflate::compress_to_vec(data, 6);
        let crc = crc32fast::hash(data);
        let mut out = Vec::new();
        let header = |out: &mut Vec<u8>, central: bool, offset: u32| {
            out.extend_from_slice(if central {
                b"PK\x01\x02"
            } else {
                b"PK\x03\x04"
            });
            if central {
                out.extend_from_slice(&20u16.to_le_bytes());
            }
            out.extend_from_slice(&20u16.to_le_bytes()); // version needed
            out.extend_from_slice(&0u16.to_le_bytes()); // flags
            out.extend_from_slice(&8u16.to_le_bytes()); // deflate
            out.extend_from_slice(&[0, 0, 0x21, 0]); // time, date (1980-01-01)
            out.extend_from_slice(&crc.to_le_bytes());
            out.extend_from_slice(&(packed.len() as u32).to_le_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(path.len() as u16).to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes()); // extra
            if central {
                out.extend_from_slice(&[0; 6]); // comment, disk, internal attributes
                out.extend_from_slice(&0u32.to_le_bytes()); // external attributes
                out.extend_from_slice(&offset.to_le_bytes());
            }
            out.extend_from_slice(path.as_bytes());
        };
        header(&mut out, false, 0);
        out.extend_from_slice(&packed);
        let cd = out.len() as u32;
        header(&mut out, true, 0);
        let cd_len = out.len() as u32 - cd;
        out.extend_from_slice(b"PK\x05\x06");
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&1u16.to_le_bytes());
        out.extend_from_slice(&1u16.to_le_bytes());
        out.extend_from_slice(&cd_len.to_le_bytes());
        out.extend_from_slice(&cd.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }

    fn names(s: &Summary) -> Vec<&str> {
        s.services.iter().map(|n| n.name.as_str()).collect()
    }

    #[test]
    fn files_are_recognised_by_name_and_first_keys() {
        use SourceFormat::*;
        assert_eq!(classify("x/compose.yaml", ""), Some(Compose));
        assert_eq!(classify("docker-compose.prod.yml", ""), Some(Compose));
        assert_eq!(
            classify("stack.yaml", "version: '3'\nservices:\n"),
            Some(Compose)
        );
        assert_eq!(
            classify("deploy.yaml", "# c\n---\napiVersion: v1\n"),
            Some(Kubernetes)
        );
        assert_eq!(classify("k/kustomization.yaml", ""), Some(Kubernetes));
        assert_eq!(classify("k/Kustomization", ""), Some(Kubernetes));
        assert_eq!(classify("main.tf", ""), Some(Terraform));
        assert_eq!(classify("terraform.tfstate", "{}"), Some(Terraform));
        assert_eq!(
            classify("state.json", "{\"terraform_version\":\"1.9\"}"),
            Some(Terraform)
        );
        assert_eq!(
            classify("svc.json", "{\"apiVersion\":\"v1\",\"kind\":\"Service\"}"),
            Some(Kubernetes)
        );
        assert_eq!(classify("values.yaml", "replicaCount: 2\n"), None);
        assert_eq!(classify("README.md", "services:\n"), None);
        assert!(is_hidden(".git/config.yaml") && is_hidden("a/__MACOSX/b.yaml"));
        assert!(!is_hidden("a/b.yaml") && !is_hidden("../a.yaml"));
    }

    #[test]
    fn a_compose_file_imports_with_a_summary_and_no_secret() {
        let (design, summary) =
            import_files("", vec![InputFile::new("shop/compose.yaml", COMPOSE)]).unwrap();
        assert_eq!(summary.format, SourceFormat::Compose);
        assert_eq!(summary.name, "shop");
        assert_eq!(design.name, "shop");
        let mut n = names(&summary);
        n.sort();
        assert!(
            n.contains(&"web") && n.contains(&"app") && n.contains(&"db"),
            "{n:?}"
        );
        let pairs: Vec<(&str, &str)> = summary
            .links
            .iter()
            .map(|l| (l.from.as_str(), l.to.as_str()))
            .collect();
        assert!(pairs.contains(&("web", "app")), "{pairs:?}");
        assert!(pairs.contains(&("app", "db")), "{pairs:?}");
        assert!(summary
            .notes
            .iter()
            .any(|n| n.kind == NoteKind::SecretDropped && n.line > 0));
        let json = serde_json::to_string(&summary).unwrap();
        let written = crate::model::to_json_compact(&design);
        assert!(!json.contains("hunter2") && !written.contains("hunter2"));
        // The summary travels as JSON and reads back the same.
        assert_eq!(serde_json::from_str::<Summary>(&json).unwrap(), summary);
        // In words, as the page shows it.
        let text = summary.text();
        assert_eq!(text.title, "Import “shop”");
        assert_eq!(text.files, "Docker Compose from 1 file");
        assert_eq!(
            text.figures,
            format!(
                "{} components · {} links inferred · 0 not mapped · 2 secret values dropped",
                summary.services.len(),
                summary.links.len()
            )
        );
        let entries = |list: &str| -> Vec<(String, String)> {
            SummaryText::entries(list)
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        assert!(entries(&text.links).contains(&("app → db".into(), " (Reads / writes)".into())));
        assert!(entries(&text.services).contains(&("db".into(), " — Database in shop".into())));
        assert_eq!(entries(&text.services).len(), summary.services.len());
        assert!(entries(&text.notes).iter().any(|(place, what)| {
            place == "shop/compose.yaml:10" && what.contains("POSTGRES_PASSWORD")
        }));
        assert!(!format!("{text:?}").contains("hunter2"));
        // As the worker sends it, and back.
        assert_eq!(SummaryText::decode(&text.encode()), Some(text.clone()));
        assert_eq!(SummaryText::decode("a\u{1e}b"), None);
        let hostile = SummaryText {
            title: "a\u{1e}b\nc".into(),
            ..text.clone()
        };
        let back = SummaryText::decode(&hostile.encode()).unwrap();
        assert_eq!(back.title, "a b c");
        assert_eq!(back.services, text.services);
    }

    #[test]
    fn a_zip_of_manifests_imports_and_leaves_other_files_aside() {
        let archive = zip(
            &[
                ("k8s/app.yaml", MANIFEST.as_bytes()),
                ("k8s/README.md", b"# notes"),
                (".git/HEAD.yaml", b"kind: x"),
                ("__MACOSX/k8s/._app.yaml", b"\0\0"),
                ("k8s/values.yaml", b"replicas: 3\n"),
            ],
            zip::CompressionMethod::Stored,
        );
        let (design, summary) =
            import_files("shop", vec![InputFile::new("shop.zip", archive)]).unwrap();
        assert_eq!(summary.format, SourceFormat::Kubernetes);
        assert_eq!(summary.files, ["shop.zip/k8s/app.yaml"]);
        // README, .git, __MACOSX, values.yaml.
        assert_eq!(summary.skipped, 4);
        assert!(design.nodes.iter().any(|n| n.name == "api"));
        let redis = summary.services.iter().find(|n| n.name == "redis").unwrap();
        assert_eq!(redis.parent, "shop");
        assert!(summary
            .links
            .iter()
            .any(|l| l.from == "api" && l.to == "redis"));
        assert!(summary
            .notes
            .iter()
            .any(|n| n.file == "shop.zip/k8s/values.yaml"));
    }

    #[test]
    fn deflated_entries_are_inflated_and_damaged_ones_noted() {
        let good = deflated_zip("compose.yaml", COMPOSE.as_bytes());
        let (_, summary) = import_files("p", vec![InputFile::new("p.zip", good.clone())]).unwrap();
        assert_eq!(summary.files, ["p.zip/compose.yaml"]);
        assert!(["web", "app", "db"]
            .iter()
            .all(|n| names(&summary).contains(n)));
        // A flipped byte in the deflated data: the entry is refused, nothing panics.
        let mut bad = good;
        bad[30 + "compose.yaml".len() + 5] ^= 0x55;
        let e = import_files("p", vec![InputFile::new("p.zip", bad)]).unwrap_err();
        assert!(e.message.contains("none of the files"), "{}", e.message);
        assert!(e.notes.iter().any(|n| n.file == "p.zip/compose.yaml"
            && n.kind == NoteKind::Unreadable
            && n.message.contains("damaged")));
    }

    #[test]
    fn the_format_most_files_have_wins_and_the_others_are_noted() {
        let files = vec![
            InputFile::new("repo/k8s/a.yaml", MANIFEST),
            InputFile::new(
                "repo/k8s/b.yaml",
                MANIFEST.replace("namespace: shop", "namespace: b"),
            ),
            InputFile::new("repo/compose.yaml", COMPOSE),
            InputFile::new("repo/logo.png", b"\x89PNG".to_vec()),
        ];
        let (design, summary) = import_files("", files).unwrap();
        assert_eq!(summary.format, SourceFormat::Kubernetes);
        assert_eq!(design.name, "repo");
        assert_eq!(summary.skipped, 2);
        assert!(summary.notes.iter().any(|n| n.file == "repo/compose.yaml"
            && n.message.contains("Docker Compose among Kubernetes")));
    }

    #[test]
    fn compose_overrides_are_read_after_their_base() {
        let over = "services:\n  app:\n    image: shop/app:1.1\n";
        let files = vec![
            InputFile::new("p/compose.override.yaml", over),
            InputFile::new("p/compose.yaml", COMPOSE),
        ];
        let (design, summary) = import_files("", files).unwrap();
        assert_eq!(summary.files, ["p/compose.yaml", "p/compose.override.yaml"]);
        let app = design.nodes.iter().find(|n| n.name == "app").unwrap();
        assert_eq!(app.spec.workload().unwrap().tag, "1.1");
    }

    #[test]
    fn bad_input_is_an_error_with_reasons_never_a_panic() {
        let cases: Vec<Vec<InputFile>> = vec![
            vec![],
            vec![InputFile::new("a.yaml", "services: [")],
            vec![InputFile::new("a.zip", b"PK\x03\x04garbage".to_vec())],
            vec![InputFile::new("a.yaml", vec![0xff, 0xfe, 0x00])],
            vec![InputFile::new("main.tf", "resource \"aws_vpc\" {")],
            vec![InputFile::new(
                "compose.yaml",
                "services:\n  a: {image: &x [*x]}\n",
            )],
        ];
        for files in cases {
            let label = format!("{:?}", files.iter().map(|f| &f.path).collect::<Vec<_>>());
            match import_files("", files) {
                Ok((d, _)) => assert!(crate::model::load::check_design(&d).is_ok(), "{label}"),
                Err(e) => assert!(!e.message.is_empty(), "{label}"),
            }
        }
        let e = import_files("", vec![InputFile::new("a.yaml", vec![0xff, 0xfe])]).unwrap_err();
        assert!(e.notes.iter().any(|n| n.message.contains("not UTF-8")));
    }
}
