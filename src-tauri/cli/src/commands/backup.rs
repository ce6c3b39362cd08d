//! `mrc backup --out DIR` and `mrc restore FILE`.

use std::io::Write;
use std::path::Path;

use mrc_core::backup::{BackupInfo, BackupKind};

use crate::db;
use crate::error::Result;

fn describe(b: &BackupInfo, out: &mut dyn Write) -> Result<()> {
    let counts: Vec<String> = b.counts.iter().map(|c| format!("{} {}", c.rows, c.table)).collect();
    writeln!(out, "  schema version {}, {} bytes, checked: {}", b.schema_version, b.size_bytes, counts.join(", "))?;
    Ok(())
}

pub fn back_up(path: &Path, dir: &Path, out: &mut dyn Write) -> Result<()> {
    let desk = db::open_existing(path)?;
    let made = desk.back_up_to(dir, BackupKind::Manual)?;
    writeln!(out, "Backup written: {}", made.path)?;
    describe(&made, out)
}

pub fn restore(path: &Path, file: &Path, out: &mut dyn Write) -> Result<()> {
    let mut desk = db::open_existing(path)?;
    let dir = desk.backups_dir()?;
    let aside = desk.restore_from(file, &dir)?;
    writeln!(out, "Restored {} into {}.", file.display(), path.display())?;
    writeln!(out, "The data it replaced was kept in {}", aside.path)?;
    Ok(())
}
