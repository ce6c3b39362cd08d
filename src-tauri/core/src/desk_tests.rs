use chrono::{Duration, NaiveDate};

use super::*;
use crate::assistance::{AssistanceCategory, Outcome};
use crate::duplicate::ReasonKind;
use crate::case::{CaseType, ClosureReason, Priority};
use crate::centre::StaffRole;
use crate::migrant::{DocumentKind, IdentityDocument, MigrationStatus, Messenger, Phone, Sex, Vulnerability};
use crate::visit::{Channel, VisitPurpose};

fn set_up(desk: &mut Desk) -> DeskState {
    crate::sample::start_centre(desk, crate::sample::dushanbe("Supervisor One", StaffRole::Supervisor, "ru")).unwrap()
}

fn migrant_input(family: &str, given: &str) -> MigrantInput {
    MigrantInput {
        family_name: family.into(),
        given_name: given.into(),
        sex: Some(Sex::Male),
        birth_date: NaiveDate::from_ymd_opt(1990, 5, 17),
        citizenship: "TJ".into(),
        migration_status: Some(MigrationStatus::Regular),
        phones: vec![Phone { number: "+992 93 123 4567".into(), messenger: Messenger::Telegram }],
        ..Default::default()
    }
}

fn field_codes(err: CoreError) -> Vec<(String, String)> {
    match err {
        CoreError::Validation(errors) => errors.into_iter().map(|e| (e.field, e.code)).collect(),
        other => panic!("expected a validation error, got {other}"),
    }
}

#[test]
fn nothing_works_before_set_up() {
    let mut desk = Desk::open_in_memory().unwrap();
    assert!(desk.state().unwrap().centre.is_none());
    assert!(matches!(desk.register_migrant(migrant_input("A", "B")), Err(CoreError::NotSetUp)));
    set_up(&mut desk);
    let again = desk.set_up(SetupInput {
        centre_name: "x".into(), country: "TJ".into(), city: "y".into(),
        staff: StaffInput { full_name: "z".into(), role: Some(StaffRole::Administrator), password: crate::sample::PASSWORD.into() }, language: "en".into(),
    });
    assert!(matches!(again, Err(CoreError::AlreadySetUp)));
}

#[test]
fn set_up_names_every_missing_field() {
    let mut desk = Desk::open_in_memory().unwrap();
    let err = desk.set_up(SetupInput { country: "QQ".into(), language: "xx".into(), ..Default::default() }).unwrap_err();
    let codes = field_codes(err);
    for expected in [("centre_name", "required"), ("country", "unknown_country"), ("city", "required"), ("staff.full_name", "required"), ("staff.role", "required"), ("language", "unknown_language")] {
        assert!(codes.contains(&(expected.0.to_string(), expected.1.to_string())), "{expected:?} in {codes:?}");
    }
}

#[test]
fn everything_is_there_after_reopening_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let mut desk = Desk::open(&path).unwrap();
    set_up(&mut desk);
    let mut input = migrant_input("Рахмонов 👍", "O'Brien'; DROP TABLE migrant; --");
    input.documents = vec![IdentityDocument { kind: DocumentKind::Patent, number: "77 1234567".into(), issuing_country: "RU".into(), expires_on: NaiveDate::from_ymd_opt(2027, 1, 31) }];
    input.vulnerabilities = vec![Vulnerability::UnpaidWages];
    input.languages = vec!["tg".into(), "ru".into()];
    let m = desk.register_migrant(input).unwrap();
    let v = desk.log_visit(VisitInput { migrant_id: m.id, channel: Some(Channel::WalkIn), purpose: Some(VisitPurpose::Consultation), duration_minutes: Some(20), ..Default::default() }).unwrap();
    let k = desk.open_case(CaseInput { migrant_id: m.id, case_type: Some(CaseType::LabourDispute), priority: Some(Priority::High), ..Default::default() }).unwrap();
    let a = desk.record_assistance(AssistanceInput {
        migrant_id: m.id, visit_id: Some(v.id), case_id: Some(k.id), category: Some(AssistanceCategory::LegalConsultation),
        amount: "1 500,50".into(), currency: "TJS".into(), outcome: Some(Outcome::Provided), ..Default::default()
    }).unwrap();
    assert_eq!(a.amount_minor, Some(150_050));
    drop(desk);

    let mut desk = Desk::open(&path).unwrap();
    assert_eq!(desk.migrant_profile(m.id).unwrap_err().code(), "not_signed_in", "a desk opens signed out");
    crate::sample::sign_in(&mut desk, m.meta.created_by).unwrap();
    let profile = desk.migrant_profile(m.id).unwrap();
    assert_eq!(profile.migrant, m);
    assert_eq!(profile.migrant.given_name, "O'Brien'; DROP TABLE migrant; --");
    assert_eq!(profile.visits, vec![v]);
    assert_eq!(profile.cases, vec![k]);
    assert_eq!(profile.assistance, vec![a]);
    assert_eq!(desk.state().unwrap().language, "ru");
}

#[test]
fn each_staff_member_keeps_their_language() {
    let mut desk = Desk::open_in_memory().unwrap();
    let state = set_up(&mut desk);
    assert_eq!(state.language, "ru", "the language chosen at set-up is the first person's");
    let first = state.current_staff_id.unwrap();
    let second = crate::sample::add_colleague(&mut desk, "Caseworker Two", StaffRole::Caseworker).unwrap();

    desk.set_language("kk").unwrap();
    // Someone who never chose sees the desk's last choice, then keeps their own.
    assert_eq!(crate::sample::sign_in(&mut desk, second).unwrap().language, "kk");
    desk.set_language("hy").unwrap();
    assert_eq!(crate::sample::sign_in(&mut desk, first).unwrap().language, "kk");
    assert_eq!(crate::sample::sign_in(&mut desk, second).unwrap().language, "hy");
    assert_eq!(field_codes(desk.set_language("xx").unwrap_err()), vec![("language".into(), "unknown_language".into())]);
}

#[test]
fn refuses_bad_migrants_with_field_errors() {
    let mut desk = Desk::open_in_memory().unwrap();
    set_up(&mut desk);
    let mut input = migrant_input(" ", "");
    input.birth_date = Some(crate::record::local_day(chrono::Utc::now()) + Duration::days(1));
    input.citizenship = "XX".into();
    input.phones = vec![Phone { number: "call me".into(), messenger: Messenger::None }];
    input.languages = vec!["zz".into()];
    input.sex = None;
    let codes = field_codes(desk.register_migrant(input).unwrap_err());
    assert_eq!(
        codes,
        vec![
            ("family_name".to_string(), "required".to_string()),
            ("given_name".into(), "required".into()),
            ("sex".into(), "required".into()),
            ("birth_date".into(), "future_date".into()),
            ("citizenship".into(), "unknown_country".into()),
            ("phones.0.number".into(), "invalid_phone".into()),
            ("languages.0".into(), "unknown_language".into()),
        ]
    );
    assert_eq!(desk.list_migrants(&MigrantQuery::default()).unwrap().total, 0);
}

#[test]
fn estimated_age_becomes_an_estimated_date() {
    let mut desk = Desk::open_in_memory().unwrap();
    set_up(&mut desk);
    let mut input = migrant_input("Ғафуров", "Алишер");
    input.birth_date = None;
    input.estimated_age = Some(30);
    let m = desk.register_migrant(input.clone()).unwrap();
    assert!(m.birth_date_estimated);
    let today = crate::record::local_day(chrono::Utc::now());
    assert_eq!(crate::age::age_on(m.birth_date.unwrap(), today), 30, "30 today, whatever the month");
    assert_eq!(crate::age::age_on(m.birth_date.unwrap(), today + Duration::days(170)), 30);
    // Editing something else keeps the stored estimate where it was.
    let mut edit = input.clone();
    edit.occupation = "builder".into();
    assert_eq!(desk.update_migrant(m.id, edit).unwrap().birth_date, m.birth_date);
    input.estimated_age = Some(0);
    assert!(desk.register_migrant(input.clone()).unwrap().birth_date.unwrap() < today, "a baby's estimate is not in the future");
    input.birth_date = NaiveDate::from_ymd_opt(1990, 1, 1);
    assert_eq!(field_codes(desk.register_migrant(input).unwrap_err()), vec![("estimated_age".to_string(), "date_and_age".to_string())]);
}

#[test]
fn a_case_moves_only_along_allowed_transitions() {
    let mut desk = Desk::open_in_memory().unwrap();
    set_up(&mut desk);
    let m = desk.register_migrant(migrant_input("Nazaryan", "Armen")).unwrap();
    let k = desk.open_case(CaseInput { migrant_id: m.id, case_type: Some(CaseType::Documents), ..Default::default() }).unwrap();
    assert_eq!((k.status, k.priority, k.assigned_to), (CaseStatus::Open, Priority::Normal, Some(desk.actor().unwrap().staff_id)));

    let close = |reason| CaseTransition { case_id: k.id, to: CaseStatus::Closed, closure_reason: reason, note: String::new() };
    assert_eq!(field_codes(desk.move_case(close(None)).unwrap_err()), vec![("closure_reason".to_string(), "required".to_string())]);
    assert_eq!(desk.case_detail(k.id).unwrap().case.status, CaseStatus::Open, "a refused move changes nothing");

    let progressed = desk.move_case(CaseTransition { case_id: k.id, to: CaseStatus::InProgress, closure_reason: None, note: "called employer".into() }).unwrap();
    assert_eq!(progressed.status, CaseStatus::InProgress);
    let closed = desk.move_case(close(Some(ClosureReason::Resolved))).unwrap();
    assert_eq!((closed.status, closed.closure_reason), (CaseStatus::Closed, Some(ClosureReason::Resolved)));
    assert!(closed.closed_on.is_some());

    let illegal = desk.move_case(CaseTransition { case_id: k.id, to: CaseStatus::InProgress, closure_reason: None, note: String::new() });
    assert!(matches!(illegal, Err(CoreError::InvalidTransition { .. })));

    let reopened = desk.move_case(CaseTransition { case_id: k.id, to: CaseStatus::Open, closure_reason: None, note: "new facts".into() }).unwrap();
    assert_eq!((reopened.status, reopened.closed_on, reopened.closure_reason), (CaseStatus::Open, None, None));

    let history: Vec<(Option<CaseStatus>, CaseStatus)> = desk.case_detail(k.id).unwrap().events.iter().map(|e| (e.from_status, e.to_status)).collect();
    use CaseStatus::*;
    assert_eq!(history, vec![(None, Open), (Some(Open), InProgress), (Some(InProgress), Closed), (Some(Closed), Open)]);
}

#[test]
fn linked_records_must_belong_to_the_same_person() {
    let mut desk = Desk::open_in_memory().unwrap();
    set_up(&mut desk);
    let a = desk.register_migrant(migrant_input("A", "A")).unwrap();
    let b = desk.register_migrant(migrant_input("B", "B")).unwrap();
    let case_of_a = desk.open_case(CaseInput { migrant_id: a.id, case_type: Some(CaseType::Health), ..Default::default() }).unwrap();
    let err = desk.log_visit(VisitInput { migrant_id: b.id, case_id: Some(case_of_a.id), channel: Some(Channel::Phone), purpose: Some(VisitPurpose::Information), ..Default::default() }).unwrap_err();
    assert_eq!(field_codes(err), vec![("case_id".to_string(), "other_migrant".to_string())]);
    let err = desk.log_visit(VisitInput { migrant_id: Uuid::now_v7(), channel: Some(Channel::Phone), purpose: Some(VisitPurpose::Information), ..Default::default() }).unwrap_err();
    assert!(matches!(err, CoreError::NotFound { kind: "migrant", .. }));
}

#[test]
fn bad_visits_and_assistance_are_refused() {
    let mut desk = Desk::open_in_memory().unwrap();
    set_up(&mut desk);
    let m = desk.register_migrant(migrant_input("A", "A")).unwrap();
    let err = desk.log_visit(VisitInput { migrant_id: m.id, occurred_at: Some(chrono::Utc::now() + Duration::days(2)), duration_minutes: Some(0), ..Default::default() }).unwrap_err();
    let fields: Vec<String> = field_codes(err).into_iter().map(|(f, _)| f).collect();
    assert_eq!(fields, vec!["occurred_at", "channel", "purpose", "duration_minutes"]);
    let err = desk.record_assistance(AssistanceInput { migrant_id: m.id, amount: "12,345.6".into(), currency: "XYZ".into(), ..Default::default() }).unwrap_err();
    let fields: Vec<String> = field_codes(err).into_iter().map(|(f, _)| f).collect();
    assert_eq!(fields, vec!["category", "amount", "currency", "outcome"]);
}

#[test]
fn deleted_records_disappear_and_can_be_restored() {
    let mut desk = Desk::open_in_memory().unwrap();
    set_up(&mut desk);
    let m = desk.register_migrant(migrant_input("Deleted", "Person")).unwrap();
    let v = desk.log_visit(VisitInput { migrant_id: m.id, channel: Some(Channel::Online), purpose: Some(VisitPurpose::Other), ..Default::default() }).unwrap();
    desk.delete_visit(v.id).unwrap();
    assert!(desk.migrant_profile(m.id).unwrap().visits.is_empty());
    desk.delete_migrant(m.id).unwrap();
    assert_eq!(desk.list_migrants(&MigrantQuery::default()).unwrap().total, 0);
    assert!(matches!(desk.migrant_profile(m.id), Err(CoreError::NotFound { .. })));
    assert!(matches!(desk.delete_migrant(m.id), Err(CoreError::NotFound { .. })));
    desk.restore_migrant(m.id).unwrap();
    assert_eq!(desk.migrant_profile(m.id).unwrap().migrant.family_name, "Deleted");
}

#[test]
fn the_list_finds_names_phones_and_documents_in_any_case_and_script() {
    let mut desk = Desk::open_in_memory().unwrap();
    set_up(&mut desk);
    let mut input = migrant_input("Рахмонов", "Фаррух");
    input.family_name_latin = "Rakhmonov".into();
    input.documents = vec![IdentityDocument { kind: DocumentKind::Passport, number: "A 0123456".into(), issuing_country: "TJ".into(), expires_on: None }];
    let wanted = desk.register_migrant(input).unwrap();
    let mut other = migrant_input("Иванова", "Мария");
    other.phones = vec![];
    desk.register_migrant(other).unwrap();
    for text in ["рахмонов", "РАХМ", "rakhmonov", "Фаррух рахм", "992931234567", "93-123-45-67", "a0123456"] {
        let page = desk.list_migrants(&MigrantQuery { text: text.into(), ..Default::default() }).unwrap();
        assert_eq!(page.items.iter().map(|m| m.id).collect::<Vec<_>>(), vec![wanted.id], "search {text}");
    }
    let all = desk.list_migrants(&MigrantQuery { page_size: 1, ..Default::default() }).unwrap();
    assert_eq!((all.total, all.items.len(), all.items[0].family_name.as_str()), (2, 1, "Иванова"));
}

#[test]
fn an_armenian_name_with_the_ligature_is_found_in_latin_after_the_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let mut desk = Desk::open(&path).unwrap();
    set_up(&mut desk);
    let gevorgyan = desk.register_migrant(migrant_input("Գևորգյան", "Արամ")).unwrap().id;
    drop(desk);
    // The keys as the version before wrote them: և read as eu.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("DELETE FROM migrant_key WHERE key IN ('ngevorgian', 'sgvrgn')", []).unwrap();
    for old in ["ngeuorgian", "sgrgn"] {
        conn.execute("INSERT INTO migrant_key (key, migrant_id) VALUES (?1, ?2)", rusqlite::params![old, gevorgyan]).unwrap();
    }
    conn.pragma_update(None, "user_version", 11).unwrap();
    drop(conn);

    let mut desk = Desk::open(&path).unwrap();
    crate::sample::sign_in_role(&mut desk, StaffRole::Supervisor).unwrap();
    let found = desk.list_migrants(&MigrantQuery { text: "Gevorgyan".into(), ..Default::default() }).unwrap();
    assert_eq!(found.items.iter().map(|m| m.id).collect::<Vec<_>>(), vec![gevorgyan]);
    let keys: Vec<String> = desk.store().connection().prepare("SELECT key FROM migrant_key WHERE migrant_id = ?1").unwrap()
        .query_map([gevorgyan], |r| r.get(0)).unwrap().collect::<rusqlite::Result<_>>().unwrap();
    assert!(!keys.contains(&"ngeuorgian".to_string()), "the old key is gone: {keys:?}");
}

#[test]
fn a_name_in_one_script_finds_the_record_in_another_closest_first() {
    let mut desk = Desk::open_in_memory().unwrap();
    set_up(&mut desk);
    let rahmonov = desk.register_migrant(migrant_input("Рахмонов", "Фаррух")).unwrap();
    let mut input = migrant_input("Рахманова", "Шахло");
    input.phones = vec![Phone { number: "8-912-345-67-89".into(), messenger: Messenger::None }];
    let rahmanova = desk.register_migrant(input).unwrap();
    let gafurov = desk.register_migrant(migrant_input("Ғафуров", "Ҷамшед")).unwrap();
    let nazaryan = desk.register_migrant(migrant_input("Նազարյան", "Արամ")).unwrap();
    let find = |desk: &Desk, text: &str| -> Vec<Uuid> {
        desk.list_migrants(&MigrantQuery { text: text.into(), ..Default::default() }).unwrap().items.iter().map(|m| m.id).collect()
    };
    assert_eq!(find(&desk, "Rakhmonov"), vec![rahmonov.id, rahmanova.id], "the same spelling first, a near one after");
    assert_eq!(find(&desk, "Rahmonova"), vec![rahmonov.id, rahmanova.id]);
    assert_eq!(find(&desk, "Ghafurov"), vec![gafurov.id]);
    assert_eq!(find(&desk, "Gafurov Jamshed"), vec![gafurov.id]);
    // Every word must match: Фарход is near Farrukh but is no Rahmonov.
    let farhod = desk.register_migrant(migrant_input("Каримов", "Фарход")).unwrap();
    assert_eq!(find(&desk, "Rahmonov Farrukh"), vec![rahmonov.id]);
    assert_eq!(find(&desk, "Farrukh"), vec![rahmonov.id, farhod.id]);
    assert_eq!(find(&desk, "nazarian"), vec![nazaryan.id]);
    assert_eq!(find(&desk, "+7 912 345 6789"), vec![rahmanova.id]);
    assert_eq!(find(&desk, "6789"), vec![rahmanova.id]);
    let page = desk.list_migrants(&MigrantQuery { text: "6789".into(), ..Default::default() }).unwrap();
    assert_eq!(page.items[0].matched.as_deref(), Some("8-912-345-67-89"), "what matched is shown");

    let k = desk.open_case(CaseInput { migrant_id: nazaryan.id, case_type: Some(CaseType::Documents), ..Default::default() }).unwrap();
    assert_eq!(find(&desk, &k.reference.to_lowercase()), vec![nazaryan.id]);

    // A new name replaces the old keys; a deleted person is not found.
    let mut renamed = migrant_input("Каримов", "Фаррух");
    renamed.phones = vec![];
    desk.update_migrant(rahmonov.id, renamed).unwrap();
    assert_eq!(find(&desk, "Karimov Farrukh"), vec![rahmonov.id, farhod.id], "the exact name first");
    assert_eq!(find(&desk, "Rakhmonov"), vec![rahmanova.id]);
    desk.delete_migrant(gafurov.id).unwrap();
    assert!(find(&desk, "Gafurov").is_empty());
}

#[test]
fn a_registration_like_someone_registered_is_held_until_confirmed_new() {
    let mut desk = Desk::open_in_memory().unwrap();
    set_up(&mut desk);
    let mut first = migrant_input("Рахмонов", "Фаррух");
    first.phones = vec![];
    let rahmonov = desk.register_migrant(first).unwrap();
    let mut other = migrant_input("Каримов", "Джамшед");
    other.phones = vec![Phone { number: "+992 93 555 0101".into(), messenger: Messenger::None }];
    let karimov = desk.register_migrant(other).unwrap();

    let mut again = migrant_input("Rakhmonov", "Farrukh");
    again.phones = vec![];
    let err = desk.register_new_migrant(again.clone(), false).unwrap_err();
    assert_eq!(err.code(), "likely_duplicate");
    let found = desk.likely_duplicates(&again, None).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].migrant.id, rahmonov.id);
    let kinds: Vec<ReasonKind> = found[0].reasons.iter().map(|r| r.kind).collect();
    assert_eq!(kinds, vec![ReasonKind::Name, ReasonKind::BirthDate]);

    // Someone else by name, but with Karimov's phone written another way.
    let mut shares_phone = migrant_input("Саидов", "Алишер");
    shares_phone.phones = vec![Phone { number: "8 (93) 555-01-01".into(), messenger: Messenger::None }];
    let found = desk.likely_duplicates(&shares_phone, None).unwrap();
    assert_eq!(found.iter().map(|f| f.migrant.id).collect::<Vec<_>>(), vec![karimov.id]);
    assert_eq!(found[0].reasons[0].kind, ReasonKind::Phone);

    // A namesake born twenty years earlier is no suggestion; the record being edited is none either.
    let mut namesake = migrant_input("Rahmonov", "Farrukh");
    namesake.birth_date = NaiveDate::from_ymd_opt(1970, 1, 2);
    namesake.phones = vec![];
    assert!(desk.likely_duplicates(&namesake, None).unwrap().is_empty());
    assert!(desk.likely_duplicates(&again, Some(rahmonov.id)).unwrap().is_empty());

    // Confirmed as someone new, the registration goes through; invalid input is named first.
    let mut bad = again.clone();
    bad.given_name = String::new();
    assert_eq!(desk.register_new_migrant(bad, false).unwrap_err().code(), "validation");
    let second = desk.register_new_migrant(again, true).unwrap();
    assert_ne!(second.id, rahmonov.id);
}

#[test]
fn the_list_and_the_search_narrow_by_every_filter() {
    use crate::migrant::MigrantFilter;
    let mut desk = Desk::open_in_memory().unwrap();
    set_up(&mut desk);
    let today = crate::record::local_day(crate::record::now());
    let mut woman = migrant_input("Рахимова", "Малика");
    woman.sex = Some(Sex::Female);
    woman.birth_date = today.checked_sub_months(chrono::Months::new(30 * 12));
    woman.citizenship = "KG".into();
    woman.vulnerabilities = vec![Vulnerability::UnpaidWages];
    let woman = desk.register_migrant(woman).unwrap();
    let mut man = migrant_input("Рахимов", "Бахтиёр");
    man.birth_date = today.checked_sub_months(chrono::Months::new(45 * 12));
    man.migration_status = Some(MigrationStatus::Irregular);
    let man = desk.register_migrant(man).unwrap();
    let colleague = crate::sample::add_colleague(&mut desk, "Caseworker Two", StaffRole::Caseworker).unwrap();
    desk.open_case(CaseInput { migrant_id: man.id, case_type: Some(CaseType::Documents), assigned_to: Some(colleague), ..Default::default() }).unwrap();

    let ids = |desk: &Desk, text: &str, filter: MigrantFilter| -> Vec<Uuid> {
        let query = MigrantQuery { text: text.into(), filter: Some(filter), ..Default::default() };
        desk.list_migrants(&query).unwrap().items.iter().map(|m| m.id).collect()
    };
    for text in ["", "Rahimov"] {
        assert_eq!(ids(&desk, text, MigrantFilter { sex: Some(Sex::Female), ..Default::default() }), vec![woman.id], "{text}");
        assert_eq!(ids(&desk, text, MigrantFilter { age_from: Some(30), age_to: Some(30), ..Default::default() }), vec![woman.id]);
        assert_eq!(ids(&desk, text, MigrantFilter { age_from: Some(31), ..Default::default() }), vec![man.id]);
        assert_eq!(ids(&desk, text, MigrantFilter { citizenship: "KG".into(), ..Default::default() }), vec![woman.id]);
        assert_eq!(ids(&desk, text, MigrantFilter { status: Some(MigrationStatus::Irregular), ..Default::default() }), vec![man.id]);
        assert_eq!(ids(&desk, text, MigrantFilter { vulnerability: Some(Vulnerability::UnpaidWages), ..Default::default() }), vec![woman.id]);
        assert_eq!(ids(&desk, text, MigrantFilter { caseworker: Some(colleague), ..Default::default() }), vec![man.id]);
        assert_eq!(ids(&desk, text, MigrantFilter { registered_from: Some(today), registered_to: Some(today), ..Default::default() }).len(), 2);
        assert!(ids(&desk, text, MigrantFilter { registered_from: today.succ_opt(), ..Default::default() }).is_empty());
    }
    let page = desk.list_migrants(&MigrantQuery { filter: Some(MigrantFilter { sex: Some(Sex::Male), ..Default::default() }), ..Default::default() }).unwrap();
    assert_eq!(page.total, 1, "the count follows the filter");
}

#[test]
fn a_search_broader_than_the_ranked_lists_the_first_and_says_there_are_more() {
    let mut desk = Desk::open_in_memory().unwrap();
    set_up(&mut desk);
    for n in 0..2_005 {
        let mut input = migrant_input("Каримов", &format!("Тест{n}"));
        input.phones = vec![];
        desk.register_migrant(input).unwrap();
    }
    desk.register_migrant(migrant_input("Karimova", "Malika")).unwrap();
    let page = desk.list_migrants(&MigrantQuery { text: "Karimov".into(), ..Default::default() }).unwrap();
    assert!(page.capped);
    assert_eq!((page.total, page.items.len()), (2_000, 50));
    let narrow = desk.list_migrants(&MigrantQuery { text: "Karimov Malika".into(), ..Default::default() }).unwrap();
    assert!(!narrow.capped);
    assert_eq!(narrow.total, 1);
}

#[test]
fn family_links_show_on_both_sides() {
    let mut desk = Desk::open_in_memory().unwrap();
    set_up(&mut desk);
    let father = desk.register_migrant(migrant_input("Karimov", "Rustam")).unwrap();
    let son = desk.register_migrant(migrant_input("Karimov", "Timur")).unwrap();
    let links = desk.link_family(FamilyLinkInput { migrant_id: father.id, relative_id: son.id, relation: Some(crate::family::Relation::Child) }).unwrap();
    assert_eq!(links.len(), 1);
    let seen_by_son = desk.migrant_profile(son.id).unwrap().family;
    assert_eq!((seen_by_son[0].relative_id, seen_by_son[0].relation), (father.id, crate::family::Relation::Parent));
    let again = desk.link_family(FamilyLinkInput { migrant_id: son.id, relative_id: father.id, relation: Some(crate::family::Relation::Parent) }).unwrap_err();
    assert_eq!(field_codes(again), vec![("relative_id".to_string(), "already_linked".to_string())]);
}

#[test]
fn every_write_is_attributed_to_the_staff_member_at_the_desk() {
    let mut desk = Desk::open_in_memory().unwrap();
    set_up(&mut desk);
    let second = crate::sample::colleague(&mut desk, "Supervisor Two", StaffRole::Supervisor).unwrap();
    let m = desk.register_migrant(migrant_input("A", "B")).unwrap();
    assert_eq!((m.meta.created_by, m.centre_id), (second, desk.state().unwrap().centre.unwrap().id));
    let unknown = desk.sign_in(Uuid::now_v7(), crate::sample::PASSWORD).unwrap_err();
    assert_eq!(field_codes(unknown), vec![("staff_id".to_string(), "unknown_staff".to_string())]);
}

mod referrals {
    use super::*;
    use crate::migrant::ConsentScope;
    use crate::partner::{PartnerInput, PartnerKind, PartnerQuery};
    use crate::referral::{ConsentBasis, ReferralInput, ReferralStatus, ReferralTransition, SharedData};

    fn clinic(desk: &mut Desk) -> crate::partner::Partner {
        desk.save_partner(None, PartnerInput {
            name: "Clinic of Hope".into(), name_local: "Клиника Надежда".into(), kind: Some(PartnerKind::Clinic),
            services: vec![AssistanceCategory::Medical, AssistanceCategory::Psychosocial], country: "TJ".into(),
            city: "Душанбе".into(), email: "help@clinic.tj".into(), ..Default::default()
        }).unwrap()
    }

    fn case_for(desk: &mut Desk, consenting: bool) -> Case {
        let mut input = migrant_input("Karimova", "Nilufar");
        if consenting {
            input.consent_given = true;
            input.consent_scope = vec![ConsentScope::DataProcessing, ConsentScope::ShareWithPartners];
        }
        let m = desk.register_migrant(input).unwrap();
        desk.open_case(CaseInput { migrant_id: m.id, case_type: Some(CaseType::Health), ..Default::default() }).unwrap()
    }

    fn referral(case: &Case, partner: &crate::partner::Partner) -> ReferralInput {
        ReferralInput {
            case_id: case.id, partner_id: Some(partner.id), service: Some(AssistanceCategory::Medical),
            reason: "Needs a doctor for a work injury".into(), urgency: Some(Priority::High),
            shared_data: vec![SharedData::Identity, SharedData::Health], override_reason: String::new(), send_now: true,
        }
    }

    #[test]
    fn a_consenting_migrant_is_referred_and_the_referral_completed() {
        let mut desk = Desk::open_in_memory().unwrap();
        set_up(&mut desk);
        let partner = clinic(&mut desk);
        let case = case_for(&mut desk, true);
        let r = desk.refer(referral(&case, &partner)).unwrap();
        assert_eq!((r.status, r.consent_basis, r.partner_name.as_str()), (ReferralStatus::Sent, ConsentBasis::Consent, "Clinic of Hope"));
        assert!(r.reference.starts_with('R'));
        let move_to = |to| ReferralTransition { referral_id: r.id, to, note: String::new(), feedback: String::new() };
        desk.move_referral(move_to(ReferralStatus::Accepted)).unwrap();
        let done = desk.move_referral(ReferralTransition { feedback: "Treated, follow-up in 2 weeks".into(), ..move_to(ReferralStatus::Completed) }).unwrap();
        assert_eq!((done.status, done.feedback.as_str()), (ReferralStatus::Completed, "Treated, follow-up in 2 weeks"));
        assert!(matches!(desk.move_referral(move_to(ReferralStatus::Sent)), Err(CoreError::InvalidTransition { .. })));
        let history: Vec<_> = desk.referral_detail(r.id).unwrap().events.iter().map(|e| e.to_status).collect();
        assert_eq!(history, vec![ReferralStatus::Draft, ReferralStatus::Sent, ReferralStatus::Accepted, ReferralStatus::Completed]);
        assert_eq!(desk.migrant_profile(case.migrant_id).unwrap().referrals[0].status, ReferralStatus::Completed);
    }

    #[test]
    fn without_consent_a_referral_needs_a_written_reason() {
        let mut desk = Desk::open_in_memory().unwrap();
        set_up(&mut desk);
        let partner = clinic(&mut desk);
        let case = case_for(&mut desk, false);
        let refused = desk.refer(referral(&case, &partner)).unwrap_err();
        assert_eq!(field_codes(refused), vec![("override_reason".to_string(), "consent_required".to_string())]);
        assert!(desk.migrant_profile(case.migrant_id).unwrap().referrals.is_empty(), "a refused referral leaves nothing");
        let mut input = referral(&case, &partner);
        input.override_reason = "Unconscious, urgent medical care needed".into();
        let r = desk.refer(input).unwrap();
        assert_eq!((r.consent_basis, r.override_reason.as_str()), (ConsentBasis::Override, "Unconscious, urgent medical care needed"));
    }

    #[test]
    fn the_partner_must_be_active_and_offer_the_service() {
        let mut desk = Desk::open_in_memory().unwrap();
        set_up(&mut desk);
        let partner = clinic(&mut desk);
        let case = case_for(&mut desk, true);
        let mut input = referral(&case, &partner);
        input.service = Some(AssistanceCategory::Shelter);
        assert_eq!(field_codes(desk.refer(input).unwrap_err()), vec![("service".to_string(), "service_not_offered".to_string())]);
        desk.set_partner_active(partner.id, false).unwrap();
        assert_eq!(field_codes(desk.refer(referral(&case, &partner)).unwrap_err()), vec![("partner_id".to_string(), "inactive_partner".to_string())]);
        let mut input = referral(&case, &partner);
        input.partner_id = None;
        input.reason = String::new();
        input.urgency = None;
        let fields: Vec<String> = field_codes(desk.refer(input).unwrap_err()).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, vec!["partner_id", "reason", "urgency"]);
    }

    #[test]
    fn a_closed_case_refers_no_one() {
        let mut desk = Desk::open_in_memory().unwrap();
        set_up(&mut desk);
        let partner = clinic(&mut desk);
        let case = case_for(&mut desk, true);
        desk.move_case(CaseTransition { case_id: case.id, to: CaseStatus::Closed, closure_reason: Some(ClosureReason::Resolved), note: String::new() }).unwrap();
        assert_eq!(field_codes(desk.refer(referral(&case, &partner)).unwrap_err()), vec![("case_id".to_string(), "case_closed".to_string())]);
    }

    #[test]
    fn partners_are_found_by_service_and_city_and_kept_once_used() {
        let mut desk = Desk::open_in_memory().unwrap();
        set_up(&mut desk);
        let partner = clinic(&mut desk);
        let lawyers = desk.save_partner(None, PartnerInput {
            name: "Legal Aid Bureau".into(), kind: Some(PartnerKind::LawFirm), services: vec![AssistanceCategory::LegalRepresentation],
            country: "RU".into(), city: "Москва".into(), ..Default::default()
        }).unwrap();
        let find = |desk: &Desk, q: PartnerQuery| desk.list_partners(&q).unwrap().into_iter().map(|p| p.id).collect::<Vec<_>>();
        assert_eq!(find(&desk, PartnerQuery { service: Some(AssistanceCategory::Medical), ..Default::default() }), vec![partner.id]);
        assert_eq!(find(&desk, PartnerQuery { city: "москва".into(), ..Default::default() }), vec![lawyers.id]);
        assert_eq!(find(&desk, PartnerQuery { text: "надежда".into(), ..Default::default() }), vec![partner.id]);

        let bad = desk.save_partner(None, PartnerInput { email: "nope".into(), country: "XX".into(), ..Default::default() }).unwrap_err();
        let fields: Vec<String> = field_codes(bad).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, vec!["name", "kind", "services", "country", "email"]);

        let case = case_for(&mut desk, true);
        desk.refer(referral(&case, &partner)).unwrap();
        assert!(matches!(desk.delete_partner(partner.id), Err(CoreError::InUse { .. })));
        desk.delete_partner(lawyers.id).unwrap();
        desk.set_partner_active(partner.id, false).unwrap();
        assert!(find(&desk, PartnerQuery::default()).is_empty());
        assert_eq!(find(&desk, PartnerQuery { include_inactive: true, ..Default::default() }), vec![partner.id]);
    }
}

mod daily_work {
    use super::*;
    use crate::age::AgeBand;
    use crate::anonymous::AnonymousContactInput;
    use crate::follow_up::FollowUpInput;
    use crate::group_session::{AnonymousCount, GroupSessionInput, SessionKind};
    use chrono::{TimeZone, Utc};

    fn days(n: i64) -> NaiveDate {
        crate::record::local_day(chrono::Utc::now()) + Duration::days(n)
    }

    #[test]
    fn today_lists_what_is_due_waiting_and_quiet() {
        let mut desk = Desk::open_in_memory().unwrap();
        set_up(&mut desk);
        let me = desk.actor().unwrap().staff_id;
        let m = desk.register_migrant(migrant_input("Каримов", "Рустам")).unwrap();
        let old_case = desk.open_case(CaseInput { migrant_id: m.id, case_type: Some(CaseType::Documents), opened_on: Some(days(-60)), ..Default::default() }).unwrap();
        let add = |desk: &mut Desk, due: i64, note: &str| desk.add_follow_up(FollowUpInput { migrant_id: m.id, case_id: Some(old_case.id), due_on: Some(days(due)), note: note.into(), ..Default::default() }).unwrap();
        let overdue = add(&mut desk, -2, "call the employer");
        add(&mut desk, 0, "call back");
        add(&mut desk, 3, "later");
        let done = add(&mut desk, -1, "done already");
        desk.set_follow_up_done(done.id, true).unwrap();

        let today = desk.today(chrono::Utc::now()).unwrap();
        let notes: Vec<(&str, bool)> = today.follow_ups.iter().map(|f| (f.follow_up.note.as_str(), f.overdue)).collect();
        assert_eq!(notes, vec![("call the employer", true), ("call back", false)]);
        assert_eq!(today.follow_ups[0].follow_up.id, overdue.id);
        assert_eq!(today.follow_ups[0].migrant_name, "Каримов Рустам");
        // The case was opened 60 days ago and nobody has visited since.
        assert_eq!(today.quiet_cases.iter().map(|q| q.case.id).collect::<Vec<_>>(), vec![old_case.id]);

        // A visit makes the case active again; a referral sent long ago waits for an answer.
        desk.log_visit(VisitInput { migrant_id: m.id, channel: Some(Channel::Phone), purpose: Some(VisitPurpose::CaseFollowUp), ..Default::default() }).unwrap();
        let partner = desk.save_partner(None, crate::partner::PartnerInput {
            name: "Legal Aid".into(), kind: Some(crate::partner::PartnerKind::LawFirm), services: vec![AssistanceCategory::LegalConsultation],
            country: "TJ".into(), ..Default::default()
        }).unwrap();
        let r = desk.refer(crate::referral::ReferralInput {
            case_id: old_case.id, partner_id: Some(partner.id), service: Some(AssistanceCategory::LegalConsultation), reason: "Contract".into(),
            urgency: Some(Priority::Normal), override_reason: "Consent to be recorded at next visit".into(), send_now: true, ..Default::default()
        }).unwrap();
        let later = Utc::now() + Duration::days(20);
        let today = desk.today(later).unwrap();
        assert!(today.quiet_cases.is_empty(), "visited today, so not quiet 20 days later");
        assert_eq!(today.waiting_referrals.iter().map(|w| (w.referral.id, w.days_waiting)).collect::<Vec<_>>(), vec![(r.id, 20)]);
        desk.set_referral_reminder_days(Some(30)).unwrap();
        assert!(desk.today(later).unwrap().waiting_referrals.is_empty());
        assert_eq!(field_codes(desk.set_referral_reminder_days(Some(366)).unwrap_err()), vec![("days".to_string(), "out_of_range".to_string())]);
        // With no delay, a referral waiting for an answer shows at once.
        desk.set_referral_reminder_days(Some(0)).unwrap();
        assert_eq!(desk.today(Utc::now()).unwrap().waiting_referrals.len(), 1);

        // Follow-ups of someone else do not show on my Today.
        let other = crate::sample::add_colleague(&mut desk, "Other", StaffRole::Caseworker).unwrap();
        desk.add_follow_up(FollowUpInput { migrant_id: m.id, due_on: Some(days(0)), note: "theirs".into(), assigned_to: Some(other), ..Default::default() }).unwrap();
        assert!(desk.today(Utc::now()).unwrap().follow_ups.iter().all(|f| f.follow_up.assigned_to == me));
        assert_eq!(desk.migrant_profile(m.id).unwrap().follow_ups.len(), 5);
    }

    #[test]
    fn follow_ups_need_a_date_and_a_note() {
        let mut desk = Desk::open_in_memory().unwrap();
        set_up(&mut desk);
        let m = desk.register_migrant(migrant_input("A", "B")).unwrap();
        let err = desk.add_follow_up(FollowUpInput { migrant_id: m.id, ..Default::default() }).unwrap_err();
        assert_eq!(field_codes(err), vec![("due_on".to_string(), "required".to_string()), ("note".to_string(), "required".to_string())]);
        assert!(matches!(desk.set_follow_up_done(Uuid::now_v7(), true), Err(CoreError::NotFound { .. })));
    }

    #[test]
    fn group_sessions_count_registered_and_anonymous_participants() {
        let mut desk = Desk::open_in_memory().unwrap();
        set_up(&mut desk);
        let me = desk.actor().unwrap().staff_id;
        let a = desk.register_migrant(migrant_input("A", "A")).unwrap();
        let b = desk.register_migrant(migrant_input("B", "B")).unwrap();
        let count = |sex, age_band, count| AnonymousCount { sex, age_band, count };
        let input = GroupSessionInput {
            kind: Some(SessionKind::PreDeparture), held_on: Some(days(-1)), topic: "Working legally in Russia".into(), place: "Khujand".into(),
            facilitator_id: Some(me), anonymous_counts: vec![count(Sex::Male, AgeBand::From25To34, 12), count(Sex::Female, AgeBand::From18To24, 5)],
            participant_ids: vec![a.id, b.id], notes: String::new(),
        };
        let s = desk.save_group_session(None, input.clone()).unwrap();
        assert_eq!((s.total_participants, s.participants.len()), (19, 2));
        let mut counts = input.anonymous_counts.clone();
        counts.push(count(Sex::Female, AgeBand::From60, 0));
        let changed = desk.save_group_session(Some(s.id), GroupSessionInput { participant_ids: vec![b.id], anonymous_counts: counts, ..input.clone() }).unwrap();
        assert_eq!((changed.id, changed.total_participants, changed.anonymous_counts.len()), (s.id, 18, 2), "a zero cell is nobody");
        // A participant whose record is deleted stays in the session, hidden, and comes back with it.
        desk.delete_migrant(b.id).unwrap();
        desk.save_group_session(Some(s.id), GroupSessionInput { participant_ids: vec![], ..input.clone() }).unwrap();
        desk.restore_migrant(b.id).unwrap();
        let listed = desk.list_group_sessions(0, 20).unwrap().items;
        assert_eq!(listed[0].participants.iter().map(|p| p.migrant_id).collect::<Vec<_>>(), vec![b.id]);
        desk.save_group_session(Some(s.id), GroupSessionInput { participant_ids: vec![b.id], ..input.clone() }).unwrap();
        let changed = desk.list_group_sessions(0, 20).unwrap().items.remove(0);
        assert_eq!(desk.list_group_sessions(0, 20).unwrap().items, vec![changed.clone()]);

        let bad = GroupSessionInput {
            held_on: Some(days(2)), topic: String::new(), facilitator_id: None,
            anonymous_counts: vec![count(Sex::Male, AgeBand::Unknown, 10_001), count(Sex::Male, AgeBand::Unknown, 3)],
            participant_ids: vec![a.id, a.id, Uuid::now_v7()], ..input
        };
        let fields: Vec<String> = field_codes(desk.save_group_session(None, bad).unwrap_err()).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, vec!["held_on", "topic", "facilitator_id", "anonymous_counts.0.count", "anonymous_counts.1", "participant_ids.1", "participant_ids.2"]);
    }

    #[test]
    fn anonymous_contacts_hold_no_identity() {
        let mut desk = Desk::open_in_memory().unwrap();
        set_up(&mut desk);
        let c = desk.log_anonymous_contact(AnonymousContactInput {
            channel: Some(Channel::Hotline), topic: "Patent renewal".into(), sex: Some(Sex::Female), age_band: Some(AgeBand::From35To49),
            citizenship: "UZ".into(), assistance: vec![AssistanceCategory::Information], referred_to: "Migration service".into(), ..Default::default()
        }).unwrap();
        assert_eq!(desk.list_anonymous_contacts(0, 10).unwrap().items, vec![c]);
        let err = desk.log_anonymous_contact(AnonymousContactInput {
            occurred_at: Some(Utc.with_ymd_and_hms(2099, 1, 1, 0, 0, 0).unwrap()), citizenship: "XX".into(), ..Default::default()
        }).unwrap_err();
        let fields: Vec<String> = field_codes(err).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, vec!["occurred_at", "channel", "topic", "sex", "age_band", "citizenship"]);
    }
}

mod backups {
    use super::*;
    use crate::backup::{self, BackupKind};
    use crate::store::Store;

    fn desk_in(dir: &std::path::Path) -> Desk {
        let mut desk = Desk::open(&dir.join("mrc-desk.db")).unwrap();
        set_up(&mut desk);
        desk
    }

    /// Backups are the administrator's; the people are the supervisor's.
    pub(super) fn as_administrator(desk: &mut Desk) {
        let admin = crate::sample::administrator(desk).unwrap();
        crate::sample::sign_in(desk, admin).unwrap();
    }

    pub(super) fn as_supervisor(desk: &mut Desk) {
        let me = desk.state().unwrap().staff.into_iter().find(|s| s.full_name == "Supervisor One").unwrap().id;
        crate::sample::sign_in(desk, me).unwrap();
    }

    /// The people in a database file, read as a file (no one signs in to a backup).
    fn names_in(path: &std::path::Path) -> Vec<String> {
        let conn = rusqlite::Connection::open(path).unwrap();
        let mut stmt = conn.prepare("SELECT family_name FROM migrant WHERE deleted_at IS NULL ORDER BY family_name").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().collect::<rusqlite::Result<_>>().unwrap()
    }

    fn names(desk: &Desk) -> Vec<String> {
        names_in(desk.store().path().unwrap())
    }

    #[test]
    fn a_backup_is_one_verified_file_with_every_row() {
        let dir = tempfile::tempdir().unwrap();
        let mut desk = desk_in(dir.path());
        desk.register_migrant(migrant_input("Рахмонов", "Фаррух")).unwrap();
        assert_eq!(desk.back_up_to(&dir.path().join("usb"), BackupKind::Manual).unwrap_err().code(), "not_allowed");
        as_administrator(&mut desk);
        let made = desk.back_up_to(&dir.path().join("usb"), BackupKind::Manual).unwrap();
        let path = std::path::Path::new(&made.path);
        assert!(path.exists() && !path.with_extension("db-wal").exists());
        assert_eq!(made.counts.iter().find(|c| c.table == "migrant").unwrap().rows, 1);
        assert_eq!(backup::verify(path, None).unwrap(), (made.schema_version, made.counts.clone()));
        assert_eq!(names_in(path), vec!["Рахмонов"]);
    }

    #[test]
    fn a_restore_brings_back_the_backup_and_keeps_the_replaced_data_aside() {
        let dir = tempfile::tempdir().unwrap();
        let mut desk = desk_in(dir.path());
        desk.register_migrant(migrant_input("Before", "Backup")).unwrap();
        as_administrator(&mut desk);
        let made = desk.back_up_to(&dir.path().join("usb"), BackupKind::Manual).unwrap();
        as_supervisor(&mut desk);
        desk.register_migrant(migrant_input("After", "Backup")).unwrap();
        as_administrator(&mut desk);
        let aside = desk.restore_from(std::path::Path::new(&made.path), &dir.path().join("backups"), &mut |_| {}).unwrap();
        assert_eq!(names(&desk), vec!["Before"]);
        assert_eq!(aside.kind, BackupKind::PreRestore);
        assert_eq!(names_in(std::path::Path::new(&aside.path)), vec!["After", "Before"]);
        // The restored database goes on working and survives a reopen.
        as_supervisor(&mut desk);
        desk.register_migrant(migrant_input("Later", "Again")).unwrap();
        drop(desk);
        assert_eq!(names_in(&dir.path().join("mrc-desk.db")), vec!["Before", "Later"]);
    }

    #[test]
    fn after_a_restore_the_person_signed_in_stays_who_they_are() {
        let dir = tempfile::tempdir().unwrap();
        let mut desk = desk_in(dir.path());
        // The daily backup runs for nobody in particular while the supervisor works.
        as_supervisor(&mut desk);
        let db = dir.path().join("mrc-desk.db");
        let daily = crate::backup::back_up(&db, None, &dir.path().join("usb"), BackupKind::Daily, &mut |_| {}).unwrap();
        as_administrator(&mut desk);
        let admin = desk.actor().unwrap().staff_id;
        desk.restore_from(std::path::Path::new(&daily.path), &dir.path().join("backups"), &mut |_| {}).unwrap();
        let state = desk.state().unwrap();
        assert_eq!((state.signed_in, state.current_staff_id), (Some(admin), Some(admin)), "not the supervisor named in the copy");
        assert_eq!(desk.list_migrants(&Default::default()).unwrap_err().code(), "not_allowed", "with the administrator's rights");
        assert!(desk.audit_csv(&Default::default()).unwrap().contains("restore_backup"));
    }

    #[test]
    fn a_bad_file_is_refused_and_nothing_changes() {
        let dir = tempfile::tempdir().unwrap();
        let mut desk = desk_in(dir.path());
        desk.register_migrant(migrant_input("Kept", "Safe")).unwrap();
        as_administrator(&mut desk);
        let garbage = dir.path().join("garbage.db");
        std::fs::write(&garbage, b"this is not a database at all, just bytes".repeat(200)).unwrap();
        let other = dir.path().join("other.db");
        rusqlite::Connection::open(&other).unwrap().execute_batch("CREATE TABLE t(x); PRAGMA user_version = 2;").unwrap();
        let newer = dir.path().join("newer.db");
        Store::open(&newer).unwrap().connection().pragma_update(None, "user_version", 99).unwrap();
        // A real backup with pages in the middle of it overwritten.
        let damaged = std::path::PathBuf::from(desk.back_up_to(&dir.path().join("usb"), BackupKind::Manual).unwrap().path);
        let mut bytes = std::fs::read(&damaged).unwrap();
        bytes[3 * 4096..7 * 4096].fill(0xAB);
        std::fs::write(&damaged, bytes).unwrap();
        for (file, code) in [(&garbage, "corrupt"), (&other, "not_mrc_desk"), (&newer, "newer_version"), (&damaged, "corrupt")] {
            let err = desk.restore_from(file, &dir.path().join("backups"), &mut |_| {}).unwrap_err();
            assert_eq!(field_codes(err), vec![("file".to_string(), code.to_string())], "{}", file.display());
        }
        assert_eq!(names(&desk), vec!["Kept"]);
        assert!(backup::list(&dir.path().join("backups")).unwrap().is_empty(), "nothing was set aside for a refused restore");
        assert!(!dir.path().join("mrc-desk.restoring").exists(), "the refused copy is removed");
    }

    #[test]
    fn a_backup_is_the_database_as_it_was_when_it_began_while_saves_go_on() {
        let dir = tempfile::tempdir().unwrap();
        let mut desk = desk_in(dir.path());
        for i in 0..40 {
            desk.register_migrant(migrant_input(&format!("Early{i}"), "Person")).unwrap();
        }
        let db = dir.path().join("mrc-desk.db");
        let mut seen = Vec::new();
        // Copied a few pages at a time (tests step small), with a save between every step.
        let made = backup::back_up(&db, None, &dir.path().join("usb"), BackupKind::Manual, &mut |p| {
            seen.push(p);
            desk.register_migrant(migrant_input("Later", "Save")).unwrap();
        })
        .unwrap();
        let copying: Vec<u8> = seen.iter().filter(|p| p.stage == backup::CopyStage::Copying).map(|p| p.percent).collect();
        assert!(copying.len() > 3, "several steps: {seen:?}");
        assert!(copying.windows(2).all(|w| w[0] <= w[1]), "never restarted: {copying:?}");
        assert_eq!(seen.last().unwrap().stage, backup::CopyStage::Checking);
        assert_eq!(made.counts.iter().find(|c| c.table == "migrant").unwrap().rows, 40);
        assert_eq!(names_in(std::path::Path::new(&made.path)).len(), 40);
        assert_eq!(desk.list_migrants(&MigrantQuery::default()).unwrap().total, 40 + seen.len() as u32);
    }

    #[test]
    fn automatic_backups_are_daily_and_rotated() {
        let dir = tempfile::tempdir().unwrap();
        let _desk = desk_in(dir.path());
        let db = dir.path().join("mrc-desk.db");
        let folder = dir.path().join("backups");
        let now = chrono::Utc::now();
        assert_eq!(backup::back_up_if_due(&db, None, &folder, now).unwrap().unwrap().kind, BackupKind::Monthly);
        assert!(backup::back_up_if_due(&db, None, &folder, now + Duration::hours(2)).unwrap().is_none(), "one a day");
        // Old dailies beyond the seven kept are removed.
        for day in 1..=9 {
            let stamp = (now - Duration::days(30 + day)).format("%Y%m%d-%H%M%S-%3f");
            std::fs::write(folder.join(format!("mrc-desk-{stamp}-daily.db")), b"").unwrap();
        }
        backup::back_up_if_due(&db, None, &folder, now + Duration::hours(25)).unwrap().unwrap();
        let kinds: Vec<BackupKind> = backup::list(&folder).unwrap().into_iter().map(|b| b.kind).collect();
        assert_eq!(kinds.iter().filter(|k| **k == BackupKind::Daily).count(), 7);
        assert_eq!(kinds.iter().filter(|k| **k == BackupKind::Monthly).count(), 1);
    }

    #[test]
    fn an_upgrade_keeps_the_old_database_first() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mrc-desk.db");
        drop(Store::open_at_version(&path, 1).unwrap());
        drop(Store::open(&path).unwrap());
        let kept = backup::list(&backup::backups_dir(&path)).unwrap();
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].kind, BackupKind::PreUpgrade);
        let conn = rusqlite::Connection::open(&kept[0].path).unwrap();
        assert_eq!(conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0)).unwrap(), 1);
    }
}

mod backup_rotation {
    use super::*;
    use crate::backup::{self, BackupKind};

    #[test]
    fn restoring_the_oldest_copy_kept_aside_does_not_delete_it_first() {
        let dir = tempfile::tempdir().unwrap();
        let mut desk = Desk::open(&dir.path().join("mrc-desk.db")).unwrap();
        set_up(&mut desk);
        desk.register_migrant(migrant_input("Oldest", "Copy")).unwrap();
        super::backups::as_administrator(&mut desk);
        let folder = dir.path().join("backups");
        // Three copies set aside by earlier restores, the oldest holding "Oldest".
        let oldest = desk.back_up_to(&folder, BackupKind::PreRestore).unwrap();
        desk.back_up_to(&folder, BackupKind::PreRestore).unwrap();
        desk.back_up_to(&folder, BackupKind::PreRestore).unwrap();
        super::backups::as_supervisor(&mut desk);
        desk.delete_migrant(desk.list_migrants(&MigrantQuery::default()).unwrap().items[0].id).unwrap();
        super::backups::as_administrator(&mut desk);
        desk.restore_from(std::path::Path::new(&oldest.path), &folder, &mut |_| {}).unwrap();
        super::backups::as_supervisor(&mut desk);
        assert_eq!(desk.list_migrants(&MigrantQuery::default()).unwrap().total, 1);
        assert!(std::path::Path::new(&oldest.path).exists(), "the file restored from is kept");
        assert_eq!(backup::list(&folder).unwrap().iter().filter(|b| b.kind == BackupKind::PreRestore).count(), 4);
    }
}
