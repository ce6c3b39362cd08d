//! `mrc backup --out DIR` and `mrc restore FILE`.

use std::io::Write;
use std::path::Path;

use mrc_core::backup::{self, BackupInfo, BackupKind, CopyProgress, CopyStage};

use crate::db;
use crate::error::Result;

fn describe(b: &BackupInfo, out: &mut dyn Write) -> Result<()> {
    let counts: Vec<String> = b.counts.iter().map(|c| format!("{} {}", c.rows, c.table)).collect();
    writeln!(out, "  schema version {}, {} bytes, checked: {}", b.schema_version, b.size_bytes, counts.join(", "))?;
    Ok(())
}

/// Tells on stderr how a long copy goes: every tenth, then the check.
fn progress_on_stderr() -> impl FnMut(CopyProgress) {
    let mut told: Option<(CopyStage, u8)> = None;
    move |p| {
        let tenth = p.percent / 10 * 10;
        if told != Some((p.stage, tenth)) {
            told = Some((p.stage, tenth));
            match p.stage {
                CopyStage::Copying => eprintln!("  copying {tenth}%"),
                CopyStage::Checking => eprintln!("  checking the copy"),
            }
        }
    }
}

pub fn back_up(path: &Path, dir: &Path, out: &mut dyn Write) -> Result<()> {
    // Opened as any command opens it: a missing or newer database is refused
    // the same way, and only an administrator backs up.
    let desk = db::open_existing(path)?;
    desk.allowed(mrc_core::permission::Action::Backups)?;
    let made = backup::back_up(path, desk.store().key(), dir, BackupKind::Manual, &mut progress_on_stderr())?;
    writeln!(out, "Backup written: {}", made.path)?;
    describe(&made, out)
}

pub fn restore(path: &Path, file: &Path, out: &mut dyn Write) -> Result<()> {
    let mut desk = db::open_existing(path)?;
    let dir = desk.backups_dir()?;
    let aside = desk.restore_from(file, &dir, &mut progress_on_stderr())?;
    writeln!(out, "Restored {} into {}.", file.display(), path.display())?;
    writeln!(out, "The data it replaced was kept in {}", aside.path)?;
    Ok(())
}
