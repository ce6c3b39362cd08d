use chrono::NaiveDate;

use super::*;
use crate::assistance::{AssistanceCategory, AssistanceInput, Outcome};
use crate::case::{CaseInput, CaseStatus, CaseTransition, CaseType, ClosureReason};
use crate::centre::{SetupInput, StaffInput, StaffRole};
use crate::migrant::{DocumentKind, IdentityDocument, Messenger, MigrantInput, MigrantQuery, MigrationStatus, Phone, Sex};
use crate::report::ReportRequest;
use crate::visit::{Channel, VisitInput, VisitPurpose};

const NAME: &str = "Назарбекова";
const PHONE: &str = "+996 700 11 22 33";
const DOCUMENT: &str = "AN4455667";
const NOTE: &str = "Lives behind the bazaar, works nights";

fn desk() -> Desk {
    let mut desk = Desk::open_in_memory().unwrap();
    let staff = StaffInput { full_name: "Supervisor One".into(), role: Some(StaffRole::Supervisor), password: crate::sample::PASSWORD.into() };
    crate::sample::start_centre(&mut desk, SetupInput { centre_name: "MRC Osh".into(), country: "KG".into(), city: "Osh".into(), staff, language: "en".into() }).unwrap();
    desk
}

/// A person with a visit, assistance and a closed case, every note naming them.
fn person_with_work(desk: &mut Desk) -> Uuid {
    let m = desk
        .register_migrant(MigrantInput {
            family_name: NAME.into(),
            given_name: "Айзада".into(),
            sex: Some(Sex::Female),
            birth_date: NaiveDate::from_ymd_opt(1994, 2, 3),
            citizenship: "KG".into(),
            migration_status: Some(MigrationStatus::Returnee),
            phones: vec![Phone { number: PHONE.into(), messenger: Messenger::WhatsApp }],
            documents: vec![IdentityDocument { kind: DocumentKind::Passport, number: DOCUMENT.into(), issuing_country: "KG".into(), expires_on: None }],
            origin_town: "Kara-Suu".into(),
            notes: NOTE.into(),
            ..Default::default()
        })
        .unwrap();
    let visit = desk
        .log_visit(VisitInput { migrant_id: m.id, channel: Some(Channel::WalkIn), purpose: Some(VisitPurpose::Consultation), notes: NOTE.into(), ..Default::default() })
        .unwrap();
    let case = desk.open_case(CaseInput { migrant_id: m.id, case_type: Some(CaseType::LabourDispute), summary: NOTE.into(), ..Default::default() }).unwrap();
    desk.record_assistance(AssistanceInput {
        migrant_id: m.id, visit_id: Some(visit.id), case_id: Some(case.id), category: Some(AssistanceCategory::LegalConsultation),
        outcome: Some(Outcome::Provided), notes: NOTE.into(), ..Default::default()
    })
    .unwrap();
    desk.move_case(CaseTransition { case_id: case.id, to: CaseStatus::Closed, closure_reason: Some(ClosureReason::Resolved), note: NOTE.into() }).unwrap();
    m.id
}

fn this_month(desk: &Desk) -> ReportRequest {
    let today = crate::record::local_day(crate::record::now());
    let from = today.with_day0(0).unwrap();
    ReportRequest { centre_id: Some(desk.actor().unwrap().centre_id), from, to: today, for_sharing: false }
}

/// Every text cell of every table that contains `needle`.
fn found_in_tables(desk: &Desk, needle: &str) -> Vec<String> {
    let conn = desk.store().connection();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut found = Vec::new();
    for table in tables {
        let columns: Vec<String> =
            conn.prepare(&format!("SELECT name FROM pragma_table_info('{table}')")).unwrap().query_map([], |r| r.get(0)).unwrap().collect::<rusqlite::Result<_>>().unwrap();
        for column in columns {
            let n: i64 = conn.query_row(&format!("SELECT count(*) FROM \"{table}\" WHERE CAST(\"{column}\" AS TEXT) LIKE ?1"), [format!("%{needle}%")], |r| r.get(0)).unwrap();
            if n > 0 {
                found.push(format!("{table}.{column}"));
            }
        }
    }
    found
}

use chrono::Datelike;

#[test]
fn what_the_audit_log_kept_of_a_changed_file_is_unreadable_once_the_person_is_anonymised() {
    let mut desk = desk();
    let id = person_with_work(&mut desk);
    let mut changed = desk.migrant_profile(id).unwrap().migrant;
    let old_phone = changed.phones[0].number.clone();
    changed.phones[0].number = "+996 555 98 76 54".into();
    let input: MigrantInput = serde_json::from_value(serde_json::to_value(&changed).unwrap()).unwrap();
    desk.update_migrant(id, input).unwrap();
    // While the person is there, the log shows the change, value by value.
    let log = desk.audit_csv(&crate::audit::AuditQuery { record_id: Some(id), ..Default::default() }).unwrap();
    assert!(log.contains(&old_phone) && log.contains("98 76 54"), "{log}");
    // The log holds neither value in the clear: the new one is in the person's record only, the old one nowhere.
    assert_eq!(found_in_tables(&desk, "98 76 54"), vec!["migrant.phones".to_string()]);
    assert_eq!(found_in_tables(&desk, &old_phone), Vec::<String>::new());

    desk.anonymise_migrant(id).unwrap();
    let log = desk.audit_csv(&crate::audit::AuditQuery { record_id: Some(id), ..Default::default() }).unwrap();
    assert!(!log.contains(&old_phone) && !log.contains("98 76 54") && !log.contains(NAME), "{log}");
    assert!(log.contains("values_removed") && log.contains("phones"), "the field names stay: {log}");
    assert!(desk.verify_audit().unwrap().intact, "the chain is whole: nothing in it was rewritten");
}

#[test]
fn anonymising_removes_the_identity_and_keeps_the_report() {
    let mut desk = desk();
    let id = person_with_work(&mut desk);
    let before = desk.report(&this_month(&desk)).unwrap();
    for needle in [NAME, PHONE, DOCUMENT, NOTE] {
        assert!(!found_in_tables(&desk, needle).is_empty(), "{needle} is stored before");
    }

    let profile = desk.anonymise_migrant(id).unwrap();
    assert!(profile.migrant.anonymised_at.is_some());
    assert_eq!((profile.migrant.family_name.as_str(), profile.migrant.phones.len(), profile.migrant.documents.len()), ("", 0, 0));
    assert_eq!(profile.migrant.birth_date, NaiveDate::from_ymd_opt(1994, 2, 3), "the age band stays countable");
    for needle in [NAME, PHONE, DOCUMENT, NOTE, "Kara-Suu"] {
        assert_eq!(found_in_tables(&desk, needle), Vec::<String>::new(), "{needle} is gone from every table");
    }
    let after = desk.report(&this_month(&desk)).unwrap();
    assert_eq!((after.sections, after.headline, after.citizenships), (before.sections, before.headline, before.citizenships), "past reports do not change");

    let found = desk.list_migrants(&MigrantQuery { text: NAME.into(), page_size: 10, ..Default::default() }).unwrap();
    assert_eq!(found.total, 0, "no search finds them");
    let log = desk.audit_csv(&Default::default()).unwrap();
    assert!(log.contains("anonymise") && !log.contains(NAME), "{log}");
}

#[test]
fn an_anonymised_file_takes_no_more_work() {
    let mut desk = desk();
    let id = person_with_work(&mut desk);
    desk.anonymise_migrant(id).unwrap();
    let visit = desk.log_visit(VisitInput { migrant_id: id, channel: Some(Channel::Phone), purpose: Some(VisitPurpose::Consultation), ..Default::default() });
    assert_eq!(visit.unwrap_err().code(), "anonymised");
    let edit = desk.update_migrant(id, MigrantInput { family_name: NAME.into(), sex: Some(Sex::Female), citizenship: "KG".into(), migration_status: Some(MigrationStatus::Regular), ..Default::default() });
    assert_eq!(edit.unwrap_err().code(), "anonymised");
    assert_eq!(desk.anonymise_migrants(&[id]).unwrap(), 0, "twice changes nothing");

    // Whatever service writes it, the file stays as it is (the triggers of migration 0010).
    let case = desk.migrant_profile(id).unwrap().cases[0].id;
    let reopen = desk.move_case(CaseTransition { case_id: case, to: CaseStatus::Open, closure_reason: None, note: NOTE.into() });
    assert_eq!(reopen.unwrap_err().code(), "anonymised");
    let other = desk.register_new_migrant(MigrantInput { family_name: "Other".into(), given_name: "O".into(), sex: Some(Sex::Male), citizenship: "KG".into(), migration_status: Some(MigrationStatus::Regular), ..Default::default() }, true).unwrap();
    let link = desk.link_family(crate::family::FamilyLinkInput { migrant_id: other.id, relative_id: id, relation: Some(crate::family::Relation::Sibling) });
    assert_eq!(link.unwrap_err().code(), "anonymised", "a family link would name them again");
}

#[test]
fn records_merged_into_the_person_over_several_merges_lose_their_identity_too() {
    let mut desk = desk();
    let person = |desk: &mut Desk, phone: &str| {
        let input = MigrantInput {
            family_name: NAME.into(), given_name: "Айзада".into(), sex: Some(Sex::Female), citizenship: "KG".into(), migration_status: Some(MigrationStatus::Regular),
            phones: vec![Phone { number: phone.into(), messenger: Messenger::WhatsApp }], ..Default::default()
        };
        desk.register_new_migrant(input, true).unwrap().id
    };
    let (a, b, c) = (person(&mut desk, "+996 700 00 00 01"), person(&mut desk, "+996 700 00 00 02"), person(&mut desk, "+996 700 00 00 03"));
    desk.merge_migrants(crate::merge::MergeInput { kept_id: b, merged_id: a }).unwrap();
    desk.merge_migrants(crate::merge::MergeInput { kept_id: c, merged_id: b }).unwrap();
    desk.anonymise_migrant(c).unwrap();
    assert_eq!(found_in_tables(&desk, NAME), Vec::<String>::new());
    assert_eq!(found_in_tables(&desk, "+996 700 00 00 01"), Vec::<String>::new(), "the first record, merged twice over");
}

#[test]
fn an_administrator_reads_which_fields_changed_but_not_their_values() {
    let mut desk = desk();
    let id = person_with_work(&mut desk);
    let mut input = MigrantInput { family_name: "Назарова".into(), given_name: "Айзада".into(), sex: Some(Sex::Female), citizenship: "KG".into(), migration_status: Some(MigrationStatus::Returnee), ..Default::default() };
    input.birth_date = NaiveDate::from_ymd_opt(1994, 2, 3);
    desk.update_migrant(id, input).unwrap();
    assert!(desk.audit_csv(&Default::default()).unwrap().contains(NAME), "a supervisor sees the change itself");
    let admin = crate::sample::administrator(&desk).unwrap();
    crate::sample::sign_in(&mut desk, admin).unwrap();
    let log = desk.audit_csv(&Default::default()).unwrap();
    assert!(log.contains("family_name") && !log.contains(NAME) && !log.contains("Назарова"), "{log}");
    let page = desk.audit_log(&Default::default()).unwrap();
    assert!(page.items.iter().all(|e| !e.detail.contains(NAME)));
}

#[test]
fn people_past_the_retention_time_are_listed_and_anonymised_in_one_go() {
    let mut desk = desk();
    let old = person_with_work(&mut desk);
    let recent = person_with_work(&mut desk);
    // The first person's work ended six years ago.
    desk.store()
        .connection()
        .execute_batch(&format!(
            "UPDATE case_file SET closed_on = '2020-05-04', opened_on = '2020-03-01' WHERE migrant_id = x'{id}';
             UPDATE visit SET occurred_at = '2020-03-01 10:00:00.000+00:00' WHERE migrant_id = x'{id}';
             UPDATE assistance SET given_on = '2020-03-01' WHERE migrant_id = x'{id}';",
            id = old.simple()
        ))
        .unwrap();
    let list = desk.retention_due().unwrap();
    assert_eq!(list.years, 5);
    assert_eq!(list.due.iter().map(|d| d.person.id).collect::<Vec<_>>(), vec![old], "{recent} still works with the centre");
    assert_eq!(list.due[0].last_closed_on, NaiveDate::from_ymd_opt(2020, 5, 4).unwrap());

    // Kept longer, nobody is due yet.
    desk.set_retention_years(10).unwrap();
    assert_eq!(desk.retention_due().unwrap().total, 0);
    assert_eq!(desk.set_retention_years(0).unwrap_err().code(), "validation");
    desk.set_retention_years(5).unwrap();
    assert_eq!(desk.anonymise_migrants(&[old]).unwrap(), 1);
    assert_eq!(desk.retention_due().unwrap().total, 0);

    crate::sample::colleague(&mut desk, "Caseworker Two", StaffRole::Caseworker).unwrap();
    assert_eq!(desk.retention_due().unwrap_err().code(), "not_allowed");
    assert_eq!(desk.anonymise_migrant(recent).unwrap_err().code(), "not_allowed");
}
