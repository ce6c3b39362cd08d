//! `mrc backup` and `mrc restore` on temporary databases.

use std::path::Path;

mod common;
use common::mrc;

/// The demo centre's administrator, who keeps the backups.
const ADMIN: &str = mrc_core::sample::ADMINISTRATOR;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn total(db: &Path) -> i64 {
    let out = mrc(db, &["migrants", "list", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["total"].as_i64().unwrap()
}

#[test]
fn a_backup_is_restored_and_a_bad_file_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("centre.db");
    let usb = dir.path().join("usb");
    assert!(mrc(&db, &["seed-demo", "--seed", "3", "--migrants", "30", "--as-of", "2026-06-30"]).status.success());

    let refused = mrc(&db, &["backup", "--out", usb.to_str().unwrap()]);
    assert!(text(&refused.stderr).contains("a supervisor may not make or restore backups"), "{}", text(&refused.stderr));
    let out = mrc(&db, &["--user", ADMIN, "backup", "--out", usb.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("Backup written:") && stdout.contains("30 migrant"), "{stdout}");
    // The backup, and beside it the key file that opens it.
    let files: Vec<_> = std::fs::read_dir(&usb).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 2, "{files:?}");
    let file = files.iter().find(|f| f.extension().is_some_and(|e| e == "db")).unwrap().clone();
    assert!(file.with_extension("keys").exists());

    // More work after the backup, then the restore takes it back.
    let seeded_again = mrc(&db, &["seed-demo", "--seed", "4", "--migrants", "10", "--as-of", "2026-06-30"]);
    assert!(seeded_again.status.success(), "{}", text(&seeded_again.stderr));
    assert_eq!(total(&db), 40);
    let out = mrc(&db, &["--user", ADMIN, "restore", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("kept in"));
    assert_eq!(total(&db), 30);

    let bad = dir.path().join("bad.db");
    std::fs::write(&bad, b"garbage".repeat(1000)).unwrap();
    let out = mrc(&db, &["--user", ADMIN, "restore", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("file"), "{}", text(&out.stderr));
    assert_eq!(total(&db), 30, "a refused restore changes nothing");
}
