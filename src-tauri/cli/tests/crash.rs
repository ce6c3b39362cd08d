//! Kills `mrc` with SIGKILL at random moments during a stream of saves and
//! during a bulk import, many times over, then opens the database: the
//! integrity check passes, every save that was acknowledged is there, and
//! the import is either whole or absent.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use mrc_core::migrant::MigrantQuery;
use mrc_core::partner::PartnerQuery;
use mrc_core::Desk;

mod common;
use common::command as mrc;

fn set_up(db: &Path) {
    common::init_centre(db, "MRC", "TJ", "Khujand");
}

fn signed_in(db: &Path) -> Desk {
    common::supervisor_desk(db)
}

fn integrity_ok(db: &Path) {
    let store = common::raw_connection(db);
    let check: String = store.connection().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
}

/// A cheap, repeatable spread of kill moments (no randomness crate needed).
fn delays(n: usize) -> impl Iterator<Item = Duration> {
    (0..n).map(|i| Duration::from_millis(15 + (i as u64 * 37) % 180))
}

#[test]
fn acknowledged_saves_survive_a_kill_at_any_moment() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    set_up(&db);
    let mut acknowledged = Vec::new();
    for delay in delays(25) {
        let mut child = mrc(&db).args(["save-stream", "--count", "100000"]).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || BufReader::new(stdout).lines().map_while(Result::ok).collect::<Vec<String>>());
        std::thread::sleep(delay);
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        for line in reader.join().unwrap() {
            if let Some(id) = line.strip_prefix("saved ") {
                acknowledged.push(id.parse::<uuid::Uuid>().unwrap());
            }
        }
        integrity_ok(&db);
    }
    assert!(!acknowledged.is_empty(), "the stream should have saved something before the kills");
    let desk = signed_in(&db);
    for id in &acknowledged {
        desk.migrant_profile(*id).unwrap_or_else(|e| panic!("acknowledged save {id} was lost: {e}"));
    }
    let total = desk.list_migrants(&MigrantQuery::default()).unwrap().total as usize;
    assert!(total >= acknowledged.len());
}

#[test]
fn a_killed_import_is_whole_or_absent() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("template.db");
    set_up(&template);
    let rows = 15_000;
    let mut csv = String::from("name,kind,services,country,city,notes\n");
    for i in 0..rows {
        csv.push_str(&format!("Partner {i},ngo,medical;shelter,TJ,Khujand,{}\n", "n".repeat(200)));
    }
    let file = dir.path().join("big.csv");
    std::fs::write(&file, csv).unwrap();
    let fresh = |name: &str| {
        let db = dir.path().join(name);
        std::fs::copy(&template, &db).unwrap();
        // The encrypted file opens with the key file beside it.
        std::fs::copy(template.with_extension("keys"), db.with_extension("keys")).unwrap();
        db
    };
    // How long a whole import takes on this machine, so the kills land
    // before, during and after its commit wherever it runs.
    let started = std::time::Instant::now();
    let whole = mrc(&fresh("whole.db")).args(["partners", "import"]).arg(&file).output().unwrap();
    assert!(whole.status.success(), "{}", String::from_utf8_lossy(&whole.stderr));
    let full = started.elapsed();
    for step in 1..=12u32 {
        let db = fresh(&format!("kill-{step}.db"));
        let mut child = mrc(&db).args(["partners", "import"]).arg(&file).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(full * step / 10);
        child.kill().unwrap();
        child.wait().unwrap();
        integrity_ok(&db);
        let desk = signed_in(&db);
        let count = desk.list_partners(&PartnerQuery { include_inactive: true, ..Default::default() }).unwrap().len();
        assert!(count == 0 || count == rows, "an import killed at {step}/10 of its run was half applied: {count} of {rows} partners");
    }
}
