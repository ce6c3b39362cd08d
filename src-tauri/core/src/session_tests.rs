//! Accounts, roles and the audit log, through the desk as the UI and the CLI use it.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use uuid::Uuid;

use crate::audit::AuditQuery;
use crate::centre::{SetupInput, StaffInput, StaffRole};
use crate::migrant::{MigrantInput, MigrantQuery, MigrationStatus, Sex};
use crate::report::ReportRequest;
use crate::sample::{self, PASSWORD};
use crate::Desk;

fn centre(desk: &mut Desk) -> Uuid {
    sample::start_centre(desk, SetupInput {
        centre_name: "MRC Bishkek".into(),
        country: "KG".into(),
        city: "Bishkek".into(),
        staff: StaffInput { full_name: "Aigerim Supervisor".into(), role: Some(StaffRole::Supervisor), password: String::new() },
        language: "en".into(),
    })
    .unwrap()
    .signed_in
    .unwrap()
}

fn person(family: &str) -> MigrantInput {
    MigrantInput {
        family_name: family.into(),
        given_name: "Nurlan".into(),
        sex: Some(Sex::Male),
        birth_date: NaiveDate::from_ymd_opt(1991, 3, 2),
        citizenship: "KG".into(),
        migration_status: Some(MigrationStatus::Regular),
        ..Default::default()
    }
}

fn code<T: std::fmt::Debug>(r: crate::Result<T>) -> String {
    r.unwrap_err().code().to_string()
}

#[test]
fn the_first_account_is_an_administrator_with_a_good_password() {
    let mut desk = Desk::open_in_memory().unwrap();
    let input = |role, password: &str| SetupInput {
        centre_name: "MRC Osh".into(), country: "KG".into(), city: "Osh".into(), language: "en".into(),
        staff: StaffInput { full_name: "Bakyt Asanov".into(), role: Some(role), password: password.into() },
    };
    let err = desk.set_up(input(StaffRole::Caseworker, "password1234")).unwrap_err();
    let fields: Vec<(&str, &str)> = err.field_errors().iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
    assert_eq!(fields, vec![("staff.role", "first_is_administrator"), ("staff.password", "password_common")]);
    let state = desk.set_up(input(StaffRole::Administrator, "walnut trees by the river")).unwrap();
    assert_eq!(state.role, Some(StaffRole::Administrator));
    let stored: String = desk.store().connection().query_row("SELECT password_hash FROM staff", [], |r| r.get(0)).unwrap();
    assert!(stored.starts_with("$argon2id$") && !stored.contains("walnut"));
}

#[test]
fn a_desk_opens_signed_out_and_a_wrong_password_opens_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mrc-desk.db");
    let mut desk = Desk::open(&path).unwrap();
    let me = centre(&mut desk);
    desk.register_migrant(person("Asanov")).unwrap();
    drop(desk);

    let mut desk = Desk::open(&path).unwrap();
    let state = desk.state().unwrap();
    assert_eq!((state.signed_in, state.role), (None, None));
    assert_eq!(state.staff.len(), 2, "the sign-in screen lists the accounts");
    assert_eq!(code(desk.list_migrants(&MigrantQuery::default())), "not_signed_in");
    assert_eq!(code(desk.sign_in(me, "walnut trees by the river")), "wrong_password");
    assert_eq!(code(desk.list_migrants(&MigrantQuery::default())), "not_signed_in");
    desk.sign_in(me, PASSWORD).unwrap();
    assert_eq!(desk.list_migrants(&MigrantQuery::default()).unwrap().total, 1);
    desk.sign_out().unwrap();
    assert_eq!(code(desk.list_migrants(&MigrantQuery::default())), "not_signed_in");
}

#[test]
fn after_five_wrong_passwords_even_the_right_one_waits() {
    let mut desk = Desk::open_in_memory().unwrap();
    let me = centre(&mut desk);
    desk.sign_out().unwrap();
    for _ in 0..5 {
        assert_eq!(code(desk.sign_in(me, "not my password at all")), "wrong_password");
    }
    match desk.sign_in(me, PASSWORD) {
        Err(crate::CoreError::TooManyAttempts { seconds }) => assert!((1..=1).contains(&seconds), "{seconds}"),
        other => panic!("expected a wait, got {other:?}"),
    }
    std::thread::sleep(Duration::from_millis(1100));
    desk.sign_in(me, PASSWORD).unwrap();
    let failures: i64 = desk.store().connection().query_row("SELECT count(*) FROM audit_entry WHERE action = 'sign_in_failed'", [], |r| r.get(0)).unwrap();
    assert_eq!(failures, 5, "every failure is in the audit log");
    let count: i64 = desk.store().connection().query_row("SELECT failed_sign_ins FROM staff WHERE id = ?1", [me], |r| r.get(0)).unwrap();
    assert_eq!(count, 0, "a right password clears the count");
}

#[test]
fn an_idle_desk_locks_and_only_the_password_opens_it_with_nothing_lost() {
    let mut desk = Desk::open_in_memory().unwrap();
    centre(&mut desk);
    let m = desk.register_migrant(person("Asanov")).unwrap();
    // Ten minutes and a second pass without a key or a click.
    let Some(long_ago) = Instant::now().checked_sub(Duration::from_secs(10 * 60 + 1)) else { return };
    desk.last_active.set(long_ago);
    assert_eq!(code(desk.migrant_profile(m.id)), "desk_locked");
    assert!(desk.state().unwrap().locked);
    assert_eq!(code(desk.unlock("walnut trees by the river")), "wrong_password");
    assert!(desk.unlock(PASSWORD).unwrap().signed_in.is_some());
    assert_eq!(desk.migrant_profile(m.id).unwrap().migrant.family_name, "Asanov");
    // Locking by hand, and the centre's own idle time.
    desk.lock().unwrap();
    assert_eq!(code(desk.register_migrant(person("Later"))), "desk_locked");
    desk.unlock(PASSWORD).unwrap();
    let admin = sample::administrator(&desk).unwrap();
    sample::sign_in(&mut desk, admin).unwrap();
    assert_eq!(code(desk.set_lock_minutes(0)), "validation");
    assert_eq!(desk.set_lock_minutes(3).unwrap().lock_minutes, 3);
}

#[test]
fn a_closed_account_and_a_changed_password_open_nothing() {
    let mut desk = Desk::open_in_memory().unwrap();
    let supervisor = centre(&mut desk);
    let caseworker = sample::add_colleague(&mut desk, "Cholpon Caseworker", StaffRole::Caseworker).unwrap();
    // Only an administrator manages accounts.
    assert_eq!(code(desk.set_password(caseworker, None, "a brand new passphrase")), "not_allowed");
    assert_eq!(code(desk.set_staff_active(caseworker, false)), "not_allowed");
    // One's own password needs the current one.
    let bad = desk.set_password(supervisor, Some("wrong current one"), "a brand new passphrase").unwrap_err();
    assert_eq!(bad.field_errors()[0].field, "current_password");
    desk.set_password(supervisor, Some(PASSWORD), "a brand new passphrase").unwrap();
    assert_eq!(code(desk.sign_in(supervisor, PASSWORD)), "wrong_password");
    desk.sign_in(supervisor, "a brand new passphrase").unwrap();

    let admin = sample::administrator(&desk).unwrap();
    sample::sign_in(&mut desk, admin).unwrap();
    let short = desk.set_password(caseworker, None, "short").unwrap_err();
    assert_eq!(short.field_errors()[0].code, "password_too_short");
    desk.set_staff_active(caseworker, false).unwrap();
    assert_eq!(code(desk.sign_in(caseworker, PASSWORD)), "validation", "a closed account cannot sign in");
    assert_eq!(code(desk.set_staff_active(admin, false)), "validation", "nobody closes their own account");
}

/// Every role against a service of each kind: what the role table says,
/// written out here again so a change to either shows.
#[test]
fn each_role_is_refused_what_it_may_not_do() {
    let mut desk = Desk::open_in_memory().unwrap();
    let supervisor = centre(&mut desk);
    let m = desk.register_migrant(person("Asanov")).unwrap();
    let caseworker = sample::add_colleague(&mut desk, "Cholpon Caseworker", StaffRole::Caseworker).unwrap();
    let viewer = sample::add_colleague(&mut desk, "Monitoring Viewer", StaffRole::Viewer).unwrap();
    let admin = sample::administrator(&desk).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let month = ReportRequest { centre_id: None, from: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(), to: NaiveDate::from_ymd_opt(2026, 10, 31).unwrap(), for_sharing: false };

    type Probe = fn(&mut Desk, Uuid, &ReportRequest, &std::path::Path) -> bool;
    let probes: Vec<(&str, Probe)> = vec![
        ("list people", |d, _, _, _| d.list_migrants(&MigrantQuery::default()).is_ok()),
        ("open a profile", |d, m, _, _| d.migrant_profile(m).is_ok()),
        ("register", |d, _, _, _| d.register_migrant(person("Other")).is_ok()),
        ("report", |d, _, r, _| d.report(r).is_ok()),
        ("people behind the report", |d, _, r, _| d.report_records(r, &Default::default(), 1, 10).is_ok()),
        ("duplicates", |d, _, _, _| d.duplicate_pairs().is_ok()),
        ("partners", |d, _, _, _| d.list_partners(&Default::default()).is_ok()),
        ("add staff", |d, _, _, _| d.add_staff(StaffInput { full_name: "New Person".into(), role: Some(StaffRole::Caseworker), password: PASSWORD.into() }).is_ok()),
        ("audit", |d, _, _, _| d.audit_log(&AuditQuery::default()).is_ok()),
        ("backup", |d, _, _, dir| d.back_up_to(dir, crate::backup::BackupKind::Manual).is_err_and(|e| e.code() != "not_allowed")),
    ];
    let expected = [
        // list, profile, register, report, records, duplicates, partners, staff, audit, backup
        (admin, [false, false, false, false, false, false, true, true, true, true]),
        (supervisor, [true, true, true, true, true, true, true, false, true, false]),
        (caseworker, [true, true, true, false, false, false, true, false, false, false]),
        (viewer, [false, false, false, true, false, false, false, false, false, false]),
    ];
    for (who, allowed) in expected {
        sample::sign_in(&mut desk, who).unwrap();
        let role = desk.state().unwrap().role.unwrap();
        for ((name, probe), want) in probes.iter().zip(allowed) {
            assert_eq!(probe(&mut desk, m.id, &month, dir.path()), want, "{role} may {}{name}", if want { "" } else { "not " });
        }
    }
    let refusals: i64 = desk.store().connection().query_row("SELECT count(*) FROM audit_entry WHERE action = 'refused'", [], |r| r.get(0)).unwrap();
    assert_eq!(refusals, 23, "every refusal is in the audit log");
}

#[test]
fn the_audit_log_keeps_who_saw_and_changed_what_field_by_field() {
    let mut desk = Desk::open_in_memory().unwrap();
    let me = centre(&mut desk);
    let m = desk.register_migrant(person("Asanov")).unwrap();
    let mut changed = person("Asanov");
    changed.occupation = "builder".into();
    desk.update_migrant(m.id, changed).unwrap();
    desk.migrant_profile(m.id).unwrap();

    let about = desk.audit_log(&AuditQuery { record_id: Some(m.id), ..Default::default() }).unwrap();
    let actions: Vec<&str> = about.items.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, vec!["view", "update", "create"], "newest first");
    assert!(about.items.iter().all(|e| e.staff_id == me && e.staff_name == "Aigerim Supervisor"));
    let detail: serde_json::Value = serde_json::from_str(&about.items[1].detail).unwrap();
    assert_eq!(detail["changes"]["occupation"], serde_json::json!({ "before": "", "after": "builder" }));
    assert_eq!(detail["changes"].as_object().unwrap().len(), 1, "only the field that changed: {detail}");
    let mine = desk.audit_log(&AuditQuery { staff_id: Some(me), ..Default::default() }).unwrap();
    assert!(mine.items.iter().any(|e| e.action == "sign_in"));
    let csv = desk.audit_csv(&AuditQuery { record_id: Some(m.id), ..Default::default() }).unwrap();
    assert_eq!(csv.lines().count(), 4);
    assert!(csv.contains("occupation"));
}

/// A desk with a short log, and the id of an entry in its middle.
fn logged_desk() -> (Desk, Uuid) {
    let mut desk = Desk::open_in_memory().unwrap();
    centre(&mut desk);
    for name in ["Asanov", "Bekov", "Chynybaev"] {
        desk.register_migrant(person(name)).unwrap();
    }
    let conn = desk.store().connection();
    let middle = conn.query_row("SELECT id FROM audit_entry WHERE action = 'create' AND record_kind = 'migrant' ORDER BY id LIMIT 1 OFFSET 1", [], |r| r.get(0)).unwrap();
    (desk, middle)
}

/// Edits the file by hand as someone covering their tracks would, then verifies.
fn tampered(sql: &str) -> (crate::audit::AuditCheck, Uuid) {
    let (desk, middle) = logged_desk();
    let conn = desk.store().connection();
    conn.execute_batch("DROP TRIGGER audit_entry_no_update; DROP TRIGGER audit_entry_no_delete;").unwrap();
    conn.execute(sql, rusqlite::params![middle, Uuid::now_v7()]).unwrap();
    (desk.verify_audit().unwrap(), middle)
}

#[test]
fn a_changed_removed_or_added_audit_entry_breaks_the_chain() {
    let (desk, _) = logged_desk();
    let check = desk.verify_audit().unwrap();
    assert!(check.intact && check.entries == 7, "set-up, two sign-ins, an account and three people: {check:?}");
    // The app cannot change or remove an entry; only someone editing the file by hand can.
    let conn = desk.store().connection();
    assert!(conn.execute("UPDATE audit_entry SET detail = '{}'", []).is_err());
    assert!(conn.execute("DELETE FROM audit_entry", []).is_err());

    let (changed, middle) = tampered("UPDATE audit_entry SET staff_id = (SELECT id FROM staff ORDER BY id LIMIT 1) WHERE id = ?1 AND ?2 IS NOT NULL");
    assert_eq!((changed.intact, changed.broken_at), (false, Some(middle)), "{changed:?}");
    let (removed, _) = tampered("DELETE FROM audit_entry WHERE id = ?1 AND ?2 IS NOT NULL");
    assert!(!removed.intact && removed.problem.as_deref().unwrap().contains("removed"), "{removed:?}");
    let (added, _) = tampered(
        "INSERT INTO audit_entry (id, centre_id, staff_id, at, action, prev_hash, hash) SELECT ?2, centre_id, staff_id, at, 'view', prev_hash, hash FROM audit_entry WHERE id = ?1",
    );
    assert!(!added.intact && added.problem.as_deref().unwrap().contains("outside the chain"), "{added:?}");
}

#[test]
fn a_database_from_before_accounts_lets_its_staff_choose_passwords_until_an_administrator_has_one() {
    let mut desk = Desk::open_in_memory().unwrap();
    let me = centre(&mut desk);
    let colleague = sample::add_colleague(&mut desk, "Cholpon Caseworker", StaffRole::Caseworker).unwrap();
    // Passwords a database from before accounts never had.
    desk.store().connection().execute("UPDATE staff SET password_hash = NULL WHERE role != 'administrator'", []).unwrap();
    desk.sign_out().unwrap();
    assert_eq!(code(desk.claim_account(colleague, "mountain 7 apricots")), "not_allowed", "an administrator has a password");
    desk.store().connection().execute("UPDATE staff SET password_hash = NULL", []).unwrap();
    assert!(desk.state().unwrap().first_passwords);
    assert_eq!(code(desk.sign_in(me, PASSWORD)), "no_password");
    desk.claim_account(me, "mountain 7 apricots").unwrap();
    assert_eq!(code(desk.claim_account(me, "another passphrase here")), "not_allowed", "claimed once");
}
