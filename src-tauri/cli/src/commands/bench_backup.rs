//! `mrc bench-backup`: a backup and a restore of the large centre that
//! `mrc bench-report` generates (and reuses, with --keep-in), each timed
//! whole and by stage. Every run is the real thing, the first included: a
//! backup is made once a day, not in a warm loop. Needs free disk space of
//! twice the database's size (the backup, then the copy a restore checks).
//! `--cold` drops each file from the system's cache before it is read.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use mrc_core::backup::{self, BackupKind, CopyProgress, CopyStage};
use mrc_core::Desk;

use crate::args::LargeCentreArgs;
use crate::commands::bench_report::{open_large_centre, Timings};
use crate::error::Result;

/// How long the copying took, from the first progress of the checking stage.
struct Stages {
    started: Instant,
    copied: Option<Duration>,
}

impl Stages {
    fn new() -> Stages {
        Stages { started: Instant::now(), copied: None }
    }

    fn see(&mut self, p: CopyProgress) {
        if p.stage == CopyStage::Checking && self.copied.is_none() {
            self.copied = Some(self.started.elapsed());
        }
    }
}

/// Total, copying and checking (the rest), one list each.
#[derive(Default)]
struct Runs {
    total: Vec<Duration>,
    copy: Vec<Duration>,
    check: Vec<Duration>,
}

impl Runs {
    /// Adds the run `stages` watched, ended now; answers its total.
    fn add(&mut self, stages: &Stages) -> Duration {
        let total = stages.started.elapsed();
        let copied = stages.copied.unwrap_or(total);
        self.total.push(total);
        self.copy.push(copied);
        self.check.push(total - copied);
        total
    }

    fn write(self, what: &str, rest: &str, out: &mut dyn Write) -> Result<()> {
        let seconds: Vec<String> = self.total.iter().map(|d| format!("{:.1}", d.as_secs_f64())).collect();
        writeln!(out, "  {what:<11} {}   (each run, s: {})", Timings(self.total).line(), seconds.join(", "))?;
        writeln!(out, "    copying   {}", Timings(self.copy).line())?;
        writeln!(out, "    then      {}   ({rest})", Timings(self.check).line())?;
        Ok(())
    }
}

fn remove(path: &Path) {
    let _ = std::fs::remove_file(path);
}

pub fn run(args: LargeCentreArgs, cold: bool, out: &mut dyn Write) -> Result<()> {
    let mut centre = open_large_centre(&args, "backup", out)?;
    let path = centre.path.clone();
    if cold {
        writeln!(out, "  cold        each file dropped from the system's cache before it is read")?;
    }
    // Beside the database, as the automatic backups are: the same disk.
    let dir = path.with_extension("bench-backups");
    let (mut backups, mut restores) = (Runs::default(), Runs::default());
    for run in 0..args.runs {
        if cold {
            // Closed meanwhile: a descriptor opened and closed beside SQLite's would drop its locks.
            centre.desk = Desk::open_in_memory()?;
            backup::drop_from_cache(&path);
            centre.desk = Desk::open(&path)?;
        }
        // Restoring is the administrator's.
        mrc_core::sample::sign_in_role(&mut centre.desk, mrc_core::centre::StaffRole::Administrator)?;
        let mut stages = Stages::new();
        let made = backup::back_up(&path, None, &dir, BackupKind::Manual, &mut |p| stages.see(p))?;
        let backed_up = backups.add(&stages);
        let file = Path::new(&made.path).to_path_buf();
        if cold {
            backup::drop_from_cache(&file);
        }

        let mut stages = Stages::new();
        let aside = centre.desk.restore_from(&file, &dir, &mut |p| stages.see(p))?;
        let restored = restores.add(&stages);
        writeln!(out, "  run {}       backup {:.1} s, restore {:.1} s", run + 1, backed_up.as_secs_f64(), restored.as_secs_f64())?;
        out.flush()?;
        remove(&file);
        remove(Path::new(&aside.path));
    }
    let _ = std::fs::remove_dir(&dir);
    backups.write("backup", "checking the copy, counting its rows", out)?;
    restores.write("restore", "checking the copy, switching files, opening", out)?;
    Ok(())
}
