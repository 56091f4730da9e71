//! A multi-file export as one `.zip`, made by the export worker so that the page's first-load
//! bundle carries no zip writer. Stored, not deflated (see Cargo.toml), with the zip crate's
//! fixed default timestamps: the same export gives the same bytes.

use std::io::Write;

use super::ExportFile;

/// The files in a zip archive under `root/` (or at the top when `root` is empty).
pub fn zip_files(root: &str, files: &[ExportFile]) -> Result<Vec<u8>, String> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .unix_permissions(0o644);
    for f in files {
        let path = if root.is_empty() {
            f.path.clone()
        } else {
            format!("{root}/{}", f.path)
        };
        zip.start_file(path, options).map_err(|e| e.to_string())?;
        zip.write_all(f.contents.as_bytes())
            .map_err(|e| e.to_string())?;
    }
    let cursor = zip.finish().map_err(|e| e.to_string())?;
    Ok(cursor.into_inner())
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;
    use crate::export::kubernetes;
    use crate::templates::template;

    #[test]
    fn every_file_is_in_the_archive_under_its_root_and_the_bytes_are_stable() {
        let files = kubernetes::export(&template("site-builder").unwrap());
        assert!(files.len() > 5);
        let bytes = zip_files("kubernetes", &files).unwrap();
        assert_eq!(
            bytes,
            zip_files("kubernetes", &files).unwrap(),
            "deterministic"
        );
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), files.len());
        for f in &files {
            let mut entry = archive.by_name(&format!("kubernetes/{}", f.path)).unwrap();
            let mut text = String::new();
            entry.read_to_string(&mut text).unwrap();
            assert_eq!(text, f.contents, "{}", f.path);
        }
    }
}
