//! Importing a register kept in Excel or CSV: what the file holds and the
//! proposed mapping, the problems of a mapping as it is corrected, the
//! preview, and the import. The file is read again by each step, so nothing
//! is held between them and a file corrected meanwhile is read as it is now.

use std::path::Path;

use mrc_core::register_import::{
    describe_register_file, read_register_file, ImportMode, ImportOptions, Mapping, MappingProblem, RegisterFile, RegisterPreview, RegisterReport,
};
use mrc_core::CoreError;
use tauri::Emitter;

use super::commands;

/// The event an import's progress arrives as, with an `ImportProgress`.
pub const IMPORT_PROGRESS_EVENT: &str = "register-import-progress";

commands! {
    /// The file's columns with their first values, and the mapping proposed from its headers.
    fn register_open(path: String, sheet: Option<String>) -> RegisterFile => |_desk| describe_register_file(Path::new(&path), sheet.as_deref());
    /// Why the mapping cannot be used with a file of these headers; nothing when it can.
    fn register_mapping_problems(headers: Vec<String>, mapping: Mapping) -> Vec<MappingProblem> =>
        |_desk| Ok::<_, CoreError>(mapping.problems(&headers));
    /// What importing the file would do, row by row; writes nothing.
    fn register_preview(path: String, sheet: Option<String>, mapping: Mapping, options: ImportOptions) -> RegisterPreview => |desk| {
        let sheet = read_register_file(Path::new(&path), sheet.as_deref())?;
        desk.preview_register(&sheet, &mapping, &options)
    };
    /// Imports the file in one transaction; its progress arrives as `register-import-progress` events.
    fn register_import(path: String, sheet: Option<String>, mapping: Mapping, options: ImportOptions, mode: ImportMode) -> RegisterReport => |desk, app| {
        let sheet = read_register_file(Path::new(&path), sheet.as_deref())?;
        desk.import_register(&sheet, &mapping, &options, mode, &mut |progress| {
            // A window that is gone does not stop the import.
            let _ = app.emit(IMPORT_PROGRESS_EVENT, progress);
        })
    };
}
