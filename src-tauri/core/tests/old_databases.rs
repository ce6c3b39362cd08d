//! Today's MRC Desk opens a database written by an earlier version (kept as
//! a fixture file, built by `fixtures/make_schema_4.py` from the shipped
//! migrations), keeps a copy of it, upgrades it, and reports on the work
//! that was already there as if it had been recorded today.

use chrono::NaiveDate;
use mrc_core::report::{HeadlineId, ReportRequest, SectionId};
use mrc_core::store::SCHEMA_VERSION;
use mrc_core::Desk;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn a_schema_4_database_is_kept_upgraded_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mrc-desk.db");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/schema-4.db"), &path).unwrap();

    let mut desk = Desk::open(&path).unwrap();
    assert_eq!(desk.store().schema_version().unwrap(), SCHEMA_VERSION);
    let kept: Vec<String> = std::fs::read_dir(dir.path().join("backups")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(kept.iter().any(|n| n.ends_with("-pre-upgrade.db")), "{kept:?}");

    // Its staff had no passwords: the one who signs in first chooses theirs,
    // and nobody else can sign in on it without one.
    let staff = desk.state().unwrap().staff;
    assert_eq!(staff.len(), 1);
    assert!(!staff[0].has_password);
    assert_eq!(desk.sign_in(staff[0].id, "anything at all").unwrap_err().code(), "no_password");
    desk.claim_account(staff[0].id, "apricot orchard in spring").unwrap();
    let october = ReportRequest { centre_id: None, from: day(2026, 10, 1), to: day(2026, 10, 31), for_sharing: false };
    let report = desk.report(&october).unwrap();
    let headline = |id: HeadlineId| report.headline(id).unwrap();
    assert_eq!(headline(HeadlineId::PersonsAssisted).current, Some(3));
    assert_eq!(headline(HeadlineId::PersonsAssisted).previous, Some(1), "Nazaryan came in September");
    assert_eq!(headline(HeadlineId::PersonsAssisted).year_to_date, Some(3));
    assert_eq!(headline(HeadlineId::NewPersons).current, Some(2));
    assert_eq!(headline(HeadlineId::Visits).current, Some(3));
    assert_eq!(headline(HeadlineId::AnonymousContacts).current, Some(1));
    assert_eq!(headline(HeadlineId::AssistanceRecords).current, Some(3));
    assert_eq!(headline(HeadlineId::ReferralsMade).current, Some(1));
    assert_eq!(headline(HeadlineId::CasesOpenAtEnd).current, Some(1));
    assert_eq!(headline(HeadlineId::SessionParticipants).current, Some(7));
    assert_eq!(headline(HeadlineId::VulnerablePersons).current, Some(1));
    let documents = report.section(SectionId::AssistanceRecords).unwrap().rows.iter().find(|r| r.key == "documents").unwrap();
    // Rahimova turned 18 on 15 October: one record each side of it.
    assert_eq!(documents.current.by_age[0], Some(1));
    assert_eq!(documents.current.by_age[1], Some(1));
}
