//! Backups to the app-data folder or any folder, and restore.

use std::path::Path;

use mrc_core::backup::{self, BackupInfo, BackupKind};

use super::commands;

commands! {
    /// The automatic backups kept in the app-data folder, newest first.
    fn backup_list() -> Vec<BackupInfo> => |desk| backup::list(&desk.backups_dir()?);
    /// A verified backup now, into the folder chosen (a USB stick).
    fn backup_now(dir: String) -> BackupInfo => |desk| desk.back_up_to(Path::new(&dir), BackupKind::Manual);
    /// Replaces the data with a verified backup; answers where the replaced data was kept.
    fn backup_restore(path: String) -> BackupInfo => |desk| {
        let dir = desk.backups_dir()?;
        desk.restore_from(Path::new(&path), &dir)
    };
}
