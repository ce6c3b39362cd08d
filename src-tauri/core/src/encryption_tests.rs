//! The database at rest, through the same opening the app and the CLI use.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use uuid::Uuid;

use super::*;
use crate::audit::AuditQuery;
use crate::backup::BackupKind;
use crate::centre::{SetupInput, StaffInput};
use crate::migrant::{DocumentKind, IdentityDocument, Messenger, MigrantInput, MigrationStatus, Phone, Sex};
use crate::sample::PASSWORD;

const NAME: &str = "Qodirova";
const PHONE: &str = "+992 93 555 0199";
const DOCUMENT: &str = "AB7305521";

fn set_up(path: &Path) -> (Desk, Uuid) {
    let Opened::Open(mut desk) = open(path).unwrap() else { panic!("a new database opens") };
    let state = desk
        .set_up(SetupInput {
            centre_name: "MRC Khujand".into(),
            country: "TJ".into(),
            city: "Khujand".into(),
            staff: StaffInput { full_name: "Malika Administrator".into(), role: Some(StaffRole::Administrator), password: PASSWORD.into() },
            language: "en".into(),
        })
        .unwrap();
    (desk, state.signed_in.unwrap())
}

fn person() -> MigrantInput {
    MigrantInput {
        family_name: NAME.into(),
        given_name: "Zarina".into(),
        sex: Some(Sex::Female),
        birth_date: NaiveDate::from_ymd_opt(1994, 5, 17),
        citizenship: "TJ".into(),
        migration_status: Some(MigrationStatus::Regular),
        phones: vec![Phone { number: PHONE.into(), messenger: Messenger::None }],
        documents: vec![IdentityDocument { kind: DocumentKind::Passport, number: DOCUMENT.into(), issuing_country: "TJ".into(), expires_on: None }],
        notes: "Left the employer in Yekaterinburg".into(),
        ..Default::default()
    }
}

/// A caseworker registers the person; the desk is left signed out.
fn with_a_person(desk: &mut Desk) -> Uuid {
    let worker = crate::sample::add_colleague(desk, "Farhod Caseworker", StaffRole::Caseworker).unwrap();
    desk.sign_in(worker, PASSWORD).unwrap();
    desk.register_migrant(person()).unwrap();
    desk.sign_out().unwrap();
    worker
}

fn sealed(path: &Path) -> KeyFile {
    match open(path).unwrap() {
        Opened::Sealed(keys) => keys,
        Opened::Open(_) => panic!("the database should be encrypted"),
    }
}

/// Every file in the folder, all bytes, as text where it can be.
fn everything_on_disk(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut found = vec![];
    for entry in walk(dir) {
        found.push((entry.clone(), std::fs::read(&entry).unwrap()));
    }
    found
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = vec![];
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() { files.extend(walk(&path)) } else { files.push(path) }
    }
    files
}

fn holds(bytes: &[u8], text: &str) -> bool {
    bytes.windows(text.len()).any(|w| w == text.as_bytes())
}

#[test]
fn no_file_on_disk_holds_a_name_a_phone_or_a_document_number() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mrc-desk.db");
    let (mut desk, _) = set_up(&path);
    with_a_person(&mut desk);
    let admin = crate::sample::administrator(&desk).unwrap();
    desk.sign_in(admin, PASSWORD).unwrap();
    desk.back_up_to(&crate::backup::backups_dir(&path), BackupKind::Manual).unwrap();
    // The open database's write-ahead log is on disk too.
    let files = everything_on_disk(dir.path());
    assert!(files.iter().any(|(p, _)| p.extension().is_some_and(|e| e == "keys")));
    assert!(files.iter().filter(|(p, _)| p.extension().is_some_and(|e| e == "db")).count() >= 2, "the database and its backup");
    for (file, bytes) in &files {
        for secret in [NAME, "Zarina", "93 555 0199", "935550199", DOCUMENT, "Yekaterinburg", "SQLite format 3"] {
            assert!(!holds(bytes, secret), "{} holds {secret}", file.display());
        }
    }
    // The same person is there for whoever signs in.
    drop(desk);
    let mut keys = sealed(&path);
    let desk = sign_in(&path, &mut keys, admin, PASSWORD).unwrap();
    let n: i64 = desk.store().connection().query_row("SELECT count(*) FROM migrant WHERE family_name = ?1", [NAME], |r| r.get(0)).unwrap();
    assert_eq!(n, 1);
}

#[test]
fn a_wrong_password_or_a_wrong_key_opens_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mrc-desk.db");
    let (mut desk, admin) = set_up(&path);
    with_a_person(&mut desk);
    drop(desk);
    let mut keys = sealed(&path);
    assert_eq!(sign_in(&path, &mut keys, admin, "not the password at all").err().unwrap().code(), "wrong_password");
    assert_eq!(Store::open_keyed(&path, DbKey::random()).err().unwrap().code(), "wrong_key");
    // Opened as a plain file, it is not a database at all.
    let plain = rusqlite::Connection::open(&path).unwrap();
    assert!(plain.query_row("SELECT count(*) FROM migrant", [], |r| r.get::<_, i64>(0)).is_err());
}

#[test]
fn a_closed_account_or_a_changed_password_no_longer_opens_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mrc-desk.db");
    let (mut desk, admin) = set_up(&path);
    let worker = with_a_person(&mut desk);
    desk.sign_in(admin, PASSWORD).unwrap();
    let second = crate::sample::add_colleague(&mut desk, "Dilshod Supervisor", StaffRole::Supervisor).unwrap();
    desk.sign_in(admin, PASSWORD).unwrap();
    desk.set_staff_active(worker, false).unwrap();
    desk.set_password(second, None, "a brand new passphrase here").unwrap();
    desk.sign_out().unwrap();
    drop(desk);
    let mut keys = sealed(&path);
    assert!(!keys.account_ids().contains(&worker));
    assert_eq!(sign_in(&path, &mut keys, worker, PASSWORD).err().unwrap().code(), "validation");
    assert_eq!(sign_in(&path, &mut keys, second, PASSWORD).err().unwrap().code(), "wrong_password");
    let desk = sign_in(&path, &mut keys, second, "a brand new passphrase here").unwrap();
    assert_eq!(desk.state().unwrap().signed_in, Some(second));
}

#[test]
fn failed_sign_ins_while_closed_reach_the_audit_log_and_slow_the_next_try() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mrc-desk.db");
    let (mut desk, admin) = set_up(&path);
    desk.sign_out().unwrap();
    drop(desk);
    let mut keys = sealed(&path);
    for _ in 0..2 {
        assert!(sign_in(&path, &mut keys, admin, "someone guessing here").is_err());
    }
    let desk = sign_in(&path, &mut keys, admin, PASSWORD).unwrap();
    let log = desk.audit_log(&AuditQuery::default()).unwrap();
    let before: Vec<_> = log.items.iter().filter(|e| e.action == "sign_in_failed" && e.detail.contains("before_opening")).collect();
    assert_eq!(before.len(), 2);
    drop(desk);
    let mut keys = sealed(&path);
    for _ in 0..crate::account::FREE_ATTEMPTS {
        let _ = sign_in(&path, &mut keys, admin, "someone guessing here");
    }
    assert_eq!(sign_in(&path, &mut keys, admin, PASSWORD).err().unwrap().code(), "too_many_attempts");
}

#[test]
fn the_recovery_key_gives_the_administrator_a_new_password() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mrc-desk.db");
    let (mut desk, admin) = set_up(&path);
    assert!(desk.state().unwrap().recovery_key_missing);
    let code = desk.make_recovery_key().unwrap();
    assert!(!desk.state().unwrap().recovery_key_missing);
    let worker = with_a_person(&mut desk);
    drop(desk);
    let keys = sealed(&path);
    assert_eq!(recover(&path, &keys, "AAAA-BBBB-CCCC", admin, "a fresh start passphrase").err().unwrap().field_errors()[0].code, "wrong_recovery_key");
    assert_eq!(recover(&path, &keys, &code, worker, "a fresh start passphrase").err().unwrap().field_errors()[0].code, "not_an_administrator");
    let desk = recover(&path, &keys, &code, admin, "a fresh start passphrase").unwrap();
    assert_eq!(desk.state().unwrap().signed_in, Some(admin));
    drop(desk);
    let mut keys = sealed(&path);
    assert!(sign_in(&path, &mut keys, admin, PASSWORD).is_err());
    assert!(sign_in(&path, &mut keys, admin, "a fresh start passphrase").is_ok());
}

/// Row counts of every table, to compare a database before and after encryption.
fn all_counts(conn: &rusqlite::Connection) -> Vec<(String, i64)> {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    tables.into_iter().map(|t| { let n = conn.query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0)).unwrap(); (t, n) }).collect()
}

#[test]
fn a_plain_database_from_before_is_encrypted_with_its_backups_on_first_opening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mrc-desk.db");
    let mut desk = Desk::open(&path).unwrap();
    crate::sample::start_centre(&mut desk, crate::sample::dushanbe("Old Caseworker", StaffRole::Caseworker, "ru")).unwrap();
    desk.register_migrant(person()).unwrap();
    let admin = crate::sample::administrator(&desk).unwrap();
    desk.sign_in(admin, PASSWORD).unwrap();
    let backup = desk.back_up_to(&crate::backup::backups_dir(&path), BackupKind::Manual).unwrap();
    let before = all_counts(desk.store().connection());
    let schema = desk.store().schema_version().unwrap();
    drop(desk);
    assert!(!crate::keyring::is_encrypted(&path).unwrap());

    let mut keys = sealed(&path);
    assert!(crate::keyring::is_encrypted(&path).unwrap());
    assert!(crate::keyring::is_encrypted(Path::new(&backup.path)).unwrap(), "the old backup is encrypted too");
    assert!(crate::keyring::path_for(Path::new(&backup.path)).exists());
    assert_eq!(keys.desk_state().staff.len(), 2);
    assert_eq!(keys.desk_state().language, "ru");
    let desk = sign_in(&path, &mut keys, admin, PASSWORD).unwrap();
    let mut after = all_counts(desk.store().connection());
    // The sign-in itself is one more entry in the audit log.
    let audit = after.iter_mut().find(|(t, _)| t == "audit_entry").unwrap();
    audit.1 -= 1;
    assert_eq!(after, before);
    assert_eq!(desk.store().schema_version().unwrap(), schema);
    let check: String = desk.store().connection().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    // The encrypted backup restores under the same key.
    crate::backup::verify(Path::new(&backup.path), desk.store().key()).unwrap();
    // The slot made from the stored hash was wrapped anew with the password typed.
    let keys = KeyFile::load(&path).unwrap().unwrap();
    assert!(!keys.is_transitional(admin));
}

#[test]
fn a_database_stays_plain_while_its_staff_may_still_claim_first_passwords() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mrc-desk.db");
    {
        let mut desk = Desk::open(&path).unwrap();
        crate::sample::start_centre(&mut desk, SetupInput { centre_name: "MRC Osh".into(), country: "KG".into(), city: "Osh".into(), staff: StaffInput { full_name: "First Caseworker".into(), role: Some(StaffRole::Caseworker), password: String::new() }, language: "en".into() }).unwrap();
        // As in a database from before accounts: the administrator has no password yet.
        desk.store().connection().execute("UPDATE staff SET password_hash = NULL WHERE role = 'administrator'", []).unwrap();
    }
    let Opened::Open(mut desk) = open(&path).unwrap() else { panic!("a caseworker's password alone must not close the file to the administrator's claim") };
    assert!(!crate::keyring::is_encrypted(&path).unwrap());
    let admin = desk.state().unwrap().staff.into_iter().find(|s| s.role == StaffRole::Administrator).unwrap().id;
    desk.claim_account(admin, "the administrator's own words").unwrap();
    assert!(crate::keyring::is_encrypted(&path).unwrap(), "the administrator's first password encrypts it");
    drop(desk);
    let mut keys = sealed(&path);
    assert!(!keys.is_transitional(admin), "the password was at hand: a slot of its own");
    sign_in(&path, &mut keys, admin, "the administrator's own words").unwrap();
}

#[test]
fn a_missing_database_beside_its_key_file_is_not_started_afresh() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mrc-desk.db");
    let (desk, _) = set_up(&path);
    drop(desk);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(open(&path).err().unwrap().code(), "database_missing");
    assert!(!path.exists());
}

#[test]
fn an_encrypted_database_is_backed_up_and_restored_under_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mrc-desk.db");
    let (mut desk, admin) = set_up(&path);
    with_a_person(&mut desk);
    desk.sign_in(admin, PASSWORD).unwrap();
    let backups = crate::backup::backups_dir(&path);
    let made = desk.back_up_to(&backups, BackupKind::Manual).unwrap();
    assert!(crate::keyring::is_encrypted(Path::new(&made.path)).unwrap());
    assert!(crate::backup::verify(Path::new(&made.path), None).is_err(), "no key, no backup");
    // Beside it, a key file that the recovery key opens and no password does.
    let code = desk.make_recovery_key().unwrap();
    let again = desk.back_up_to(&backups, BackupKind::Manual).unwrap();
    let mut beside = KeyFile::load(Path::new(&again.path)).unwrap().unwrap();
    assert_eq!(beside.unwrap(Path::new(&again.path), admin, PASSWORD).err().unwrap().code(), "validation");
    let key = beside.unwrap_with_recovery(&code).unwrap();
    crate::backup::verify(Path::new(&again.path), Some(&key)).unwrap();
    let mut none = |_| {};
    desk.restore_from(Path::new(&made.path), &backups, &mut none).unwrap();
    assert_eq!(desk.state().unwrap().signed_in, Some(admin));
    desk.sign_out().unwrap();
    drop(desk);
    let mut keys = sealed(&path);
    let desk = sign_in(&path, &mut keys, admin, PASSWORD).unwrap();
    let n: i64 = desk.store().connection().query_row("SELECT count(*) FROM migrant", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 1);
}

#[test]
fn a_backup_moved_to_a_new_laptop_opens_with_the_recovery_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mrc-desk.db");
    let (mut desk, admin) = set_up(&path);
    let code = desk.make_recovery_key().unwrap();
    let worker = with_a_person(&mut desk);
    desk.sign_in(admin, PASSWORD).unwrap();
    let made = desk.back_up_to(&dir.path().join("usb"), BackupKind::Manual).unwrap();
    drop(desk);

    // The new laptop's data folder: the backup and the key file beside it, under the app's names.
    let other = dir.path().join("new-laptop").join("mrc-desk.db");
    std::fs::create_dir_all(other.parent().unwrap()).unwrap();
    std::fs::copy(&made.path, &other).unwrap();
    std::fs::copy(crate::keyring::path_for(Path::new(&made.path)), crate::keyring::path_for(&other)).unwrap();
    let mut keys = sealed(&other);
    assert_eq!(sign_in(&other, &mut keys, admin, PASSWORD).err().unwrap().code(), "validation", "no password opens a backup");
    let desk = recover(&other, &keys, &code, admin, "a new laptop, a new passphrase").unwrap();
    assert_eq!(desk.state().unwrap().signed_in, Some(admin));
    drop(desk);
    // The colleagues' passwords open it again (their slots made anew from the file's accounts).
    let mut keys = sealed(&other);
    let desk = sign_in(&other, &mut keys, worker, PASSWORD).unwrap();
    let n: i64 = desk.store().connection().query_row("SELECT count(*) FROM migrant", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 1);
}
