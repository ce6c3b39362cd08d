//! Backups to the app-data folder or any folder, and restore. Copies run
//! without the desk locked, so a large database is copied while the work
//! goes on; their progress arrives as `backup-progress` events.

use std::path::Path;

use mrc_core::backup::{self, BackupInfo, BackupKind, CopyProgress};
use mrc_core::permission::Action;
use tauri::{AppHandle, Emitter, State};

use super::commands;
use crate::bindings::Signature;
use crate::error::CommandResult;
use crate::state::AppState;

/// The event a backup's or restore's progress arrives as, with a `CopyProgress`.
pub const BACKUP_PROGRESS_EVENT: &str = "backup-progress";

commands! {
    /// The automatic backups kept in the app-data folder, newest first.
    fn backup_list() -> Vec<BackupInfo> => |desk| backup::list(&desk.backups_dir()?);
    /// The second folder every automatic backup is also written to, if one was chosen.
    fn backup_copy_folder() -> Option<String> => |desk| Ok::<_, mrc_core::CoreError>(desk.backup_copy_folder()?.map(|p| p.display().to_string()));
    fn backup_copy_folder_set(folder: Option<String>) -> () => |desk| desk.set_backup_copy_folder(folder.as_deref());
}

fn tell(app: &AppHandle) -> impl FnMut(CopyProgress) + '_ {
    // A window that is gone does not stop the copy.
    move |progress| {
        let _ = app.emit(BACKUP_PROGRESS_EVENT, progress);
    }
}

/// A verified backup now, into the folder chosen (a USB stick).
#[tauri::command(rename_all = "snake_case")]
pub async fn backup_now(app: AppHandle, state: State<'_, AppState>, dir: String) -> CommandResult<BackupInfo> {
    let made = state.copying("backup_now", Some(Action::Backups), |db, key| backup::back_up(db, key, Path::new(&dir), BackupKind::Manual, &mut tell(&app)))?;
    state.with("backup_now", |desk| desk.record_export("backup", serde_json::json!({ "file": made.path })))?;
    Ok(made)
}

/// Replaces the data with a verified copy of a backup; answers where the
/// replaced data was kept. Only the final switch of files locks the desk.
#[tauri::command(rename_all = "snake_case")]
pub async fn backup_restore(app: AppHandle, state: State<'_, AppState>, path: String) -> CommandResult<BackupInfo> {
    state.copying("backup_restore", Some(Action::Backups), |db, key| {
        let prepared = backup::prepare_restore(Path::new(&path), db, key, &mut tell(&app))?;
        state.with("backup_restore", |desk| {
            let dir = desk.backups_dir()?;
            desk.switch_to(prepared, &dir)
        })
    })
}

/// The signatures of the commands written out above, for the generated TypeScript.
pub fn copy_signatures() -> Vec<Signature> {
    let sig = |name, arg| Signature { name, args: vec![(arg, <String as ts_rs::TS>::name())], result: <BackupInfo as ts_rs::TS>::name() };
    vec![sig("backup_now", "dir"), sig("backup_restore", "path")]
}
