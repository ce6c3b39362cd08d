//! Property tests of every service's input: hostile text (control
//! characters, formulas, 100,000-character names, invalid dates far out of
//! range, random ids and numbers) must come back as `Ok` or as a typed
//! error, never a panic, and a refused input must change nothing stored.

use chrono::{DateTime, NaiveDate, Utc};
use proptest::prelude::*;
use uuid::Uuid;

use crate::anonymous::AnonymousContactInput;
use crate::assistance::{AssistanceCategory, AssistanceInput, Outcome};
use crate::case::{CaseInput, CaseStatus, CaseTransition, CaseType, ClosureReason, Priority};
use crate::centre::{SetupInput, StaffInput, StaffRole};
use crate::follow_up::FollowUpInput;
use crate::group_session::{AnonymousCount, GroupSessionInput, SessionKind};
use crate::migrant::{DocumentKind, IdentityDocument, MigrantInput, MigrantQuery, MigrantSort, MigrationStatus, Phone, Messenger, Sex, Vulnerability};
use crate::partner::{PartnerInput, PartnerKind};
use crate::partner_csv::ImportMode;
use crate::referral::{ReferralInput, SharedData};
use crate::report::ReportRequest;
use crate::visit::{Channel, VisitInput, VisitPurpose};
use crate::{CoreError, Desk};

/// Text a form or a pasted spreadsheet can hold, the nastier the better.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => any::<String>(),
        2 => "[ -~]{0,40}",
        1 => Just(String::new()),
        1 => Just("=cmd|' /C calc'!A0".to_owned()),
        1 => Just("\u{0}\u{1}\u{7f}\r\n\t\u{202e}".to_owned()),
        1 => Just("Рахмонов Ғафуров Նազարյան O'Brien 🙂".to_owned()),
        1 => (1usize..3).prop_map(|n| "Ж".repeat(n * 50_000)),
    ]
}

fn day() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        (-1_000_000i32..1_000_000).prop_map(|d| NaiveDate::from_num_days_from_ce_opt(730_000 + d).unwrap_or(NaiveDate::MIN)),
        Just(NaiveDate::MIN),
        Just(NaiveDate::MAX),
    ]
}

fn time() -> impl Strategy<Value = DateTime<Utc>> {
    day().prop_map(|d| d.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc())
}

fn pick<T: Copy + std::fmt::Debug + 'static>(all: &'static [T]) -> impl Strategy<Value = T> {
    proptest::sample::select(all)
}

fn migrant_input() -> impl Strategy<Value = MigrantInput> {
    (
        (text(), text(), text(), text()),
        (proptest::option::of(pick(Sex::ALL)), proptest::option::of(day()), proptest::option::of(any::<i64>()), text()),
        (proptest::collection::vec((text(), pick(Messenger::ALL)), 0..3), proptest::collection::vec(text(), 0..3)),
        (proptest::collection::vec((pick(DocumentKind::ALL), text(), text(), proptest::option::of(day())), 0..3), proptest::option::of(pick(MigrationStatus::ALL))),
        (proptest::collection::vec(pick(Vulnerability::ALL), 0..4), text()),
    )
        .prop_map(|((family, given, patronymic, latin), (sex, birth, age, citizenship), (phones, languages), (documents, status), (vulnerable, notes))| {
            MigrantInput {
                family_name: family,
                given_name: given,
                patronymic,
                family_name_latin: latin,
                sex,
                birth_date: birth,
                estimated_age: age,
                citizenship,
                phones: phones.into_iter().map(|(number, messenger)| Phone { number, messenger }).collect(),
                languages,
                documents: documents
                    .into_iter()
                    .map(|(kind, number, issuing_country, expires_on)| IdentityDocument { kind, number, issuing_country, expires_on })
                    .collect(),
                migration_status: status,
                vulnerabilities: vulnerable,
                notes,
                ..Default::default()
            }
        })
}

/// What the database holds, enough to see any change a refused call made.
fn fingerprint(desk: &Desk) -> Vec<(String, i64, String)> {
    let conn = desk.store().connection();
    let tables = ["migrant", "visit", "assistance", "case_file", "case_event", "partner", "referral", "follow_up", "group_session", "anonymous_contact", "staff", "centre", "report_fact"];
    tables
        .iter()
        .map(|t| {
            let sql = format!("SELECT count(*), coalesce(max(rowid), 0) || '' FROM {t}");
            let sql = if *t == "report_fact" { "SELECT count(*), '' FROM report_fact".to_owned() } else { sql };
            let (n, last): (i64, String) = conn.query_row(&sql, [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
            (t.to_string(), n, last)
        })
        .collect()
}

/// A desk with a centre, one migrant, one case and one partner to aim at.
fn desk() -> (Desk, Vec<Uuid>) {
    let mut desk = Desk::open_in_memory().unwrap();
    crate::sample::start_centre(&mut desk, SetupInput {
        centre_name: "MRC Fuzz".into(),
        country: "TJ".into(),
        city: "Dushanbe".into(),
        staff: StaffInput { full_name: "Supervisor".into(), role: Some(StaffRole::Supervisor), password: crate::sample::PASSWORD.into() },
        language: "en".into(),
    })
    .unwrap();
    let migrant = desk
        .register_migrant(MigrantInput { family_name: "Karimov".into(), given_name: "J".into(), sex: Some(Sex::Male), citizenship: "TJ".into(), migration_status: Some(MigrationStatus::Regular), consent_given: true, ..Default::default() })
        .unwrap()
        .id;
    let case = desk.open_case(CaseInput { migrant_id: migrant, case_type: Some(CaseType::Documents), priority: Some(Priority::Normal), ..Default::default() }).unwrap().id;
    let staff = desk.actor().unwrap().staff_id;
    (desk, vec![migrant, case, staff])
}

/// Runs one call: a panic fails the test; a refusal must leave the data as it was.
fn refused_changes_nothing<T: std::fmt::Debug>(desk: &mut Desk, call: impl FnOnce(&mut Desk) -> Result<T, CoreError>) -> Result<(), TestCaseError> {
    let before = fingerprint(desk);
    if call(desk).is_err() {
        prop_assert_eq!(fingerprint(desk), before);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn registering_and_editing_a_migrant(input in migrant_input(), other in migrant_input()) {
        let (mut desk, ids) = desk();
        refused_changes_nothing(&mut desk, |d| d.register_migrant(input))?;
        refused_changes_nothing(&mut desk, |d| d.update_migrant(ids[0], other))?;
    }

    #[test]
    fn visits_assistance_and_anonymous_contacts(
        at in time(), minutes in any::<Option<i64>>(), notes in text(), on in day(), amount in text(), currency in text(),
        quantity in any::<Option<i64>>(), topic in text(), citizenship in text(), pick_id in 0usize..4, random in any::<u128>(),
    ) {
        let (mut desk, ids) = desk();
        let target = ids.get(pick_id).copied().unwrap_or(Uuid::from_u128(random));
        let visit = VisitInput { migrant_id: target, case_id: Some(ids[1]), occurred_at: Some(at), channel: Some(Channel::Phone), purpose: Some(VisitPurpose::Other), duration_minutes: minutes, notes: notes.clone() };
        refused_changes_nothing(&mut desk, |d| d.log_visit(visit))?;
        let help = AssistanceInput { migrant_id: target, category: Some(AssistanceCategory::HumanitarianCash), given_on: Some(on), quantity, amount, currency, outcome: Some(Outcome::Provided), notes: notes.clone(), ..Default::default() };
        refused_changes_nothing(&mut desk, |d| d.record_assistance(help))?;
        let call = AnonymousContactInput { occurred_at: Some(at), channel: Some(Channel::Hotline), topic, sex: Some(Sex::Female), citizenship, notes, ..Default::default() };
        refused_changes_nothing(&mut desk, |d| d.log_anonymous_contact(call))?;
    }

    #[test]
    fn cases_referrals_follow_ups_and_sessions(
        summary in text(), reason in text(), opened in proptest::option::of(day()), due in proptest::option::of(day()),
        head in 0u32..20_000, pick_id in 0usize..4, random in any::<u128>(),
    ) {
        let (mut desk, ids) = desk();
        let target = ids.get(pick_id).copied().unwrap_or(Uuid::from_u128(random));
        let case = CaseInput { migrant_id: target, case_type: Some(CaseType::Health), priority: Some(Priority::Urgent), assigned_to: Some(target), opened_on: opened, summary: summary.clone(), notes: reason.clone() };
        refused_changes_nothing(&mut desk, |d| d.open_case(case))?;
        let close = CaseTransition { case_id: target, to: CaseStatus::Closed, closure_reason: Some(ClosureReason::Other), note: reason.clone() };
        refused_changes_nothing(&mut desk, |d| d.move_case(close))?;
        let referral = ReferralInput { case_id: target, partner_id: Some(target), service: Some(AssistanceCategory::Medical), reason: reason.clone(), urgency: Some(Priority::High), shared_data: vec![SharedData::Health], override_reason: summary.clone(), send_now: true, ..Default::default() };
        refused_changes_nothing(&mut desk, |d| d.refer(referral))?;
        let follow_up = FollowUpInput { migrant_id: target, case_id: Some(ids[1]), due_on: due, note: reason.clone(), assigned_to: Some(target), ..Default::default() };
        refused_changes_nothing(&mut desk, |d| d.add_follow_up(follow_up))?;
        let session = GroupSessionInput { kind: Some(SessionKind::PreDeparture), held_on: due, topic: summary, place: reason, facilitator_id: Some(target), anonymous_counts: vec![AnonymousCount { sex: Sex::Male, age_band: crate::age::AgeBand::Unknown, count: head }], participant_ids: vec![target], ..Default::default() };
        refused_changes_nothing(&mut desk, |d| d.save_group_session(None, session))?;
    }

    #[test]
    fn partners_their_csv_searches_and_reports(
        name in text(), city in text(), email in text(), csv in text(), search in text(), from in day(), to in day(), page in any::<u32>(),
    ) {
        let (mut desk, ids) = desk();
        let partner = PartnerInput { name, kind: Some(PartnerKind::Ngo), services: vec![AssistanceCategory::Shelter], country: city.clone(), city, email, ..Default::default() };
        refused_changes_nothing(&mut desk, |d| d.save_partner(None, partner))?;
        refused_changes_nothing(&mut desk, |d| d.import_partners_csv(&csv, ImportMode::AllOrNothing))?;
        refused_changes_nothing(&mut desk, |d| d.import_partners_csv(&csv, ImportMode::SkipInvalid))?;
        let _ = desk.list_migrants(&MigrantQuery { text: search, sort: MigrantSort::Recent, page, page_size: page, filter: None });
        let _ = desk.report(&ReportRequest { centre_id: Some(ids[0]), from, to, for_sharing: false });
        let _ = desk.report(&ReportRequest { centre_id: None, from, to, for_sharing: true });
    }
}
