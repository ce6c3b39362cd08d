use super::*;
use crate::case::{CaseInput, CaseType};
use crate::centre::{SetupInput, StaffInput};
use crate::desk::Desk;
use crate::migrant::{MigrantFilter, MigrantQuery, MigrationStatus, Sex};
use crate::visit::{Channel, VisitInput, VisitPurpose};

const PERSON_NOTE: &str = "Escaped from the employer who kept her passport";
const CASE_NOTE: &str = "Pregnant, needs a doctor who speaks Tajik";

struct Centre {
    desk: Desk,
    supervisor: Uuid,
    first: Uuid,
    second: Uuid,
    third: Uuid,
    person: Uuid,
    theirs: Uuid,
    visit_on_theirs: Uuid,
}

/// A supervisor registers a trafficked person; the first caseworker works a
/// documents case, the second a health case with notes; the third has none.
fn centre() -> Centre {
    let mut desk = Desk::open_in_memory().unwrap();
    let staff = StaffInput { full_name: "Supervisor One".into(), role: Some(StaffRole::Supervisor), password: crate::sample::PASSWORD.into() };
    crate::sample::start_centre(&mut desk, SetupInput { centre_name: "MRC Osh".into(), country: "KG".into(), city: "Osh".into(), staff, language: "en".into() }).unwrap();
    let supervisor = desk.actor().unwrap().staff_id;
    let first = crate::sample::add_colleague(&mut desk, "Caseworker One", StaffRole::Caseworker).unwrap();
    let second = crate::sample::add_colleague(&mut desk, "Caseworker Two", StaffRole::Caseworker).unwrap();
    let third = crate::sample::add_colleague(&mut desk, "Caseworker Three", StaffRole::Caseworker).unwrap();
    let person = desk
        .register_migrant(MigrantInput {
            family_name: "Саидова".into(),
            given_name: "Мадина".into(),
            sex: Some(Sex::Female),
            citizenship: "TJ".into(),
            migration_status: Some(MigrationStatus::Irregular),
            vulnerabilities: vec![Vulnerability::Trafficking, Vulnerability::UnpaidWages],
            notes: PERSON_NOTE.into(),
            ..Default::default()
        })
        .unwrap()
        .id;
    let case = |desk: &mut Desk, case_type, assigned_to, summary: &str| {
        desk.open_case(CaseInput { migrant_id: person, case_type: Some(case_type), assigned_to: Some(assigned_to), summary: summary.into(), ..Default::default() }).unwrap().id
    };
    case(&mut desk, CaseType::Documents, first, "New passport");
    let theirs = case(&mut desk, CaseType::Health, second, CASE_NOTE);
    let visit = VisitInput { migrant_id: person, case_id: Some(theirs), channel: Some(Channel::WalkIn), purpose: Some(VisitPurpose::Consultation), notes: CASE_NOTE.into(), ..Default::default() };
    let visit_on_theirs = desk.log_visit(visit).unwrap().id;
    Centre { desk, supervisor, first, second, third, person, theirs, visit_on_theirs }
}

#[test]
fn a_caseworker_sees_the_notes_of_their_own_cases_only() {
    let mut c = centre();
    crate::sample::sign_in(&mut c.desk, c.first).unwrap();
    let seen = c.desk.migrant_profile(c.person).unwrap();
    assert_eq!(seen.withheld_cases, vec![c.theirs]);
    let theirs = seen.cases.iter().find(|k| k.id == c.theirs).unwrap();
    assert_eq!(theirs.summary, "", "another caseworker's case keeps its notes");
    assert_eq!(seen.cases.iter().find(|k| k.id != c.theirs).unwrap().summary, "New passport");
    assert_eq!(seen.visits.iter().find(|v| v.id == c.visit_on_theirs).unwrap().notes, "");
    assert!(seen.migrant.vulnerabilities.contains(&Vulnerability::Trafficking), "working one of the person's cases, they see why");
    assert!(!seen.withheld_person);
    assert_eq!(c.desk.case_detail(c.theirs).unwrap().case.summary, "");

    crate::sample::sign_in(&mut c.desk, c.second).unwrap();
    let seen = c.desk.migrant_profile(c.person).unwrap();
    assert_eq!(seen.cases.iter().find(|k| k.id == c.theirs).unwrap().summary, CASE_NOTE);
    assert_eq!(seen.visits[0].notes, CASE_NOTE);

    crate::sample::sign_in(&mut c.desk, c.supervisor).unwrap();
    let seen = c.desk.migrant_profile(c.person).unwrap();
    assert!(seen.withheld_cases.is_empty() && !seen.withheld_person, "a supervisor sees everything");
}

#[test]
fn a_caseworker_with_no_part_in_the_work_sees_no_sensitive_trait_and_keeps_it_on_saving() {
    let mut c = centre();
    crate::sample::sign_in(&mut c.desk, c.third).unwrap();
    let seen = c.desk.migrant_profile(c.person).unwrap();
    assert!(seen.withheld_person);
    assert_eq!(seen.migrant.vulnerabilities, vec![Vulnerability::UnpaidWages]);
    assert_eq!(seen.migrant.notes, "");

    // Their edit of the phone, from a form that never showed the rest, keeps it.
    let mut input = MigrantInput {
        family_name: seen.migrant.family_name.clone(),
        given_name: seen.migrant.given_name.clone(),
        sex: Some(seen.migrant.sex),
        citizenship: seen.migrant.citizenship.clone(),
        migration_status: Some(seen.migrant.migration_status),
        vulnerabilities: seen.migrant.vulnerabilities.clone(),
        ..Default::default()
    };
    input.phones = vec![crate::migrant::Phone { number: "+992 93 000 1122".into(), messenger: crate::migrant::Messenger::WhatsApp }];
    let answered = c.desk.update_migrant(c.person, input).unwrap();
    assert!(!answered.vulnerabilities.contains(&Vulnerability::Trafficking) && answered.notes.is_empty(), "the saved record handed back withholds the same");
    crate::sample::sign_in(&mut c.desk, c.supervisor).unwrap();
    let stored = c.desk.migrant_profile(c.person).unwrap().migrant;
    assert!(stored.vulnerabilities.contains(&Vulnerability::Trafficking));
    assert_eq!((stored.notes.as_str(), stored.phones.len()), (PERSON_NOTE, 1));

    // Nor does a filter on a sensitive trait tell them who has it.
    let trafficked = MigrantQuery { filter: Some(MigrantFilter { vulnerability: Some(Vulnerability::Trafficking), ..Default::default() }), ..Default::default() };
    assert_eq!(c.desk.list_migrants(&trafficked).unwrap().total, 1);
    crate::sample::sign_in(&mut c.desk, c.third).unwrap();
    assert_eq!(c.desk.list_migrants(&trafficked).unwrap().total, 0);
    crate::sample::sign_in(&mut c.desk, c.first).unwrap();
    assert_eq!(c.desk.list_migrants(&trafficked).unwrap().total, 1, "the person is theirs too");
}
