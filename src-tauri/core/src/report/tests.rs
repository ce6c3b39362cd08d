//! The report against figures worked out by hand for a small centre whose
//! every record is known: nothing here calls the counting code's queries.

use chrono::{NaiveDate, TimeZone, Utc};
use uuid::Uuid;

use super::*;
use crate::age::AgeBand;
use crate::assistance::{AssistanceCategory, AssistanceInput, Outcome};
use crate::centre::{SetupInput, StaffInput, StaffRole};
use crate::group_session::{AnonymousCount, GroupSessionInput, SessionKind};
use crate::migrant::{MigrantInput, MigrationStatus, Sex, Vulnerability};
use crate::visit::{Channel, VisitInput, VisitPurpose};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

struct Centre {
    desk: Desk,
    a: Uuid,
    b: Uuid,
}

fn person(desk: &mut Desk, family: &str, sex: Sex, birth: NaiveDate, citizenship: &str, status: MigrationStatus, vulnerable: Vec<Vulnerability>) -> Uuid {
    let input = MigrantInput {
        family_name: family.into(),
        given_name: "Test".into(),
        sex: Some(sex),
        birth_date: Some(birth),
        citizenship: citizenship.into(),
        migration_status: Some(status),
        vulnerabilities: vulnerable,
        ..Default::default()
    };
    desk.register_migrant(input).unwrap().id
}

fn visit(desk: &mut Desk, migrant: Uuid, on: NaiveDate, channel: Channel) -> Uuid {
    // Noon UTC is the same day in every time zone a centre is in.
    let at = Utc.from_utc_datetime(&on.and_hms_opt(12, 0, 0).unwrap());
    let input = VisitInput { migrant_id: migrant, occurred_at: Some(at), channel: Some(channel), purpose: Some(VisitPurpose::Consultation), ..Default::default() };
    desk.log_visit(input).unwrap().id
}

fn help(desk: &mut Desk, migrant: Uuid, on: NaiveDate, category: AssistanceCategory) -> Uuid {
    let input = AssistanceInput { migrant_id: migrant, category: Some(category), given_on: Some(on), outcome: Some(Outcome::Provided), ..Default::default() };
    desk.record_assistance(input).unwrap().id
}

/// A: a woman turning 18 on 15 October 2026, helped before and after her
/// birthday and once in September. B: a man helped in September and
/// October. C: deleted, never counted. Plus a deleted visit of B's.
fn centre() -> Centre {
    let mut desk = Desk::open_in_memory().unwrap();
    crate::sample::start_centre(&mut desk, crate::sample::dushanbe("Supervisor One", StaffRole::Supervisor, "en")).unwrap();
    let a = person(&mut desk, "Alieva", Sex::Female, day(2008, 10, 15), "TJ", MigrationStatus::Regular, vec![Vulnerability::UnpaidWages]);
    let b = person(&mut desk, "Boboev", Sex::Male, day(1990, 5, 17), "UZ", MigrationStatus::Irregular, vec![]);
    let c = person(&mut desk, "Deleted", Sex::Male, day(1985, 1, 1), "KG", MigrationStatus::Regular, vec![]);
    help(&mut desk, a, day(2026, 10, 10), AssistanceCategory::LegalConsultation);
    help(&mut desk, a, day(2026, 10, 20), AssistanceCategory::Documents);
    help(&mut desk, a, day(2026, 9, 5), AssistanceCategory::Information);
    visit(&mut desk, b, day(2026, 10, 3), Channel::WalkIn);
    visit(&mut desk, b, day(2026, 10, 4), Channel::Phone);
    help(&mut desk, b, day(2026, 10, 4), AssistanceCategory::LegalConsultation);
    visit(&mut desk, b, day(2026, 9, 10), Channel::WalkIn);
    let gone = visit(&mut desk, b, day(2026, 10, 5), Channel::Online);
    desk.delete_visit(gone).unwrap();
    visit(&mut desk, c, day(2026, 10, 6), Channel::WalkIn);
    desk.delete_migrant(c).unwrap();
    Centre { desk, a, b }
}

fn october(desk: &Desk, for_sharing: bool) -> Report {
    let request = ReportRequest { centre_id: None, from: day(2026, 10, 1), to: day(2026, 10, 31), for_sharing };
    desk.report(&request).unwrap()
}

fn row<'a>(report: &'a Report, section: SectionId, key: &str) -> &'a Row {
    report.section(section).unwrap().rows.iter().find(|r| r.key == key).unwrap_or_else(|| panic!("{section} {key}"))
}

fn sex(s: Sex) -> usize {
    Sex::ALL.iter().position(|x| *x == s).unwrap()
}

fn age(a: AgeBand) -> usize {
    AgeBand::ALL.iter().position(|x| *x == a).unwrap()
}

#[test]
fn persons_are_counted_once_with_the_traits_of_their_first_record() {
    let c = centre();
    let report = october(&c.desk, false);
    let assisted = row(&report, SectionId::Persons, "assisted");
    assert_eq!(assisted.current.total, Some(2), "A and B; C is deleted");
    // A's first record is on 10 October, before her birthday.
    assert_eq!(assisted.current.by_age[age(AgeBand::Under18)], Some(1));
    assert_eq!(assisted.current.by_age[age(AgeBand::From18To24)], Some(0));
    assert_eq!(assisted.current.by_age[age(AgeBand::From35To49)], Some(1));
    assert_eq!(assisted.current.by_sex[sex(Sex::Female)], Some(1));
    assert_eq!(assisted.current.by_sex_age[sex(Sex::Female)][age(AgeBand::Under18)], Some(1));
    let mut codes = report.citizenships.clone();
    codes.sort();
    assert_eq!(codes, ["TJ", "UZ"]);
    let status = |s: MigrationStatus| MigrationStatus::ALL.iter().position(|x| *x == s).unwrap();
    assert_eq!(assisted.current.by_status[status(MigrationStatus::Irregular)], Some(1));
    // B was also helped in September: two persons in the year, not four.
    assert_eq!(assisted.previous, Some(2));
    assert_eq!(assisted.year_to_date, Some(2));
    assert_eq!(row(&report, SectionId::VulnerablePersons, "any").current.total, Some(1));
    assert_eq!(row(&report, SectionId::VulnerablePersons, "unpaid_wages").current.total, Some(1));
}

#[test]
fn records_take_the_age_on_their_own_day() {
    let c = centre();
    let report = october(&c.desk, false);
    let legal = row(&report, SectionId::AssistanceRecords, "legal_consultation");
    assert_eq!(legal.current.total, Some(2));
    assert_eq!(legal.current.by_age[age(AgeBand::Under18)], Some(1));
    let documents = row(&report, SectionId::AssistanceRecords, "documents");
    assert_eq!(documents.current.by_age[age(AgeBand::From18To24)], Some(1), "after her birthday");
    assert_eq!(row(&report, SectionId::AssistanceRecords, "total").current.total, Some(3));
    assert_eq!(row(&report, SectionId::AssistanceRecords, "information").previous, Some(1));
    assert_eq!(row(&report, SectionId::AssistanceRecords, "total").year_to_date, Some(4));
    // Two people had legal consultations, one person three records in all.
    assert_eq!(row(&report, SectionId::AssistancePersons, "legal_consultation").current.total, Some(2));
    assert_eq!(row(&report, SectionId::AssistancePersons, "total").current.total, Some(2));
}

#[test]
fn deleted_visits_and_deleted_people_are_never_counted() {
    let c = centre();
    let report = october(&c.desk, false);
    let contacts = report.section(SectionId::Contacts).unwrap();
    assert_eq!(contacts.rows[0].current.total, Some(2), "B's walk-in and phone call");
    assert_eq!(row(&report, SectionId::Contacts, "online").current.total, Some(0));
    assert_eq!(row(&report, SectionId::Contacts, "walk_in").year_to_date, Some(2));
    assert_eq!(report.headline(HeadlineId::Visits).unwrap().current, Some(2));
}

#[test]
fn an_edit_of_a_person_recounts_their_past_records() {
    let mut c = centre();
    let mut input = MigrantInput {
        family_name: "Boboev".into(),
        given_name: "Test".into(),
        sex: Some(Sex::Male),
        birth_date: Some(day(1990, 5, 17)),
        citizenship: "KZ".into(),
        migration_status: Some(MigrationStatus::Regular),
        ..Default::default()
    };
    input.sex = Some(Sex::Female);
    c.desk.update_migrant(c.b, input).unwrap();
    let report = october(&c.desk, false);
    assert_eq!(row(&report, SectionId::Persons, "assisted").current.by_sex[sex(Sex::Female)], Some(2));
    assert!(report.citizenships.contains(&"KZ".to_string()) && !report.citizenships.contains(&"UZ".to_string()));
}

#[test]
fn an_empty_month_has_every_row_at_zero() {
    let c = centre();
    let request = ReportRequest { centre_id: None, from: day(2026, 6, 1), to: day(2026, 6, 30), for_sharing: false };
    let report = c.desk.report(&request).unwrap();
    for section in &report.sections {
        for r in &section.rows {
            assert_eq!(r.current.total, Some(0), "{} {}", section.id, r.key);
        }
    }
    assert_eq!(report.section(SectionId::AssistanceRecords).unwrap().rows.len(), 1 + AssistanceCategory::ALL.len());
    assert!(report.citizenships.is_empty());
    assert_eq!(report.previous, Period { from: day(2026, 5, 1), to: day(2026, 5, 31) });
    assert_eq!(report.year_to_date, Period { from: day(2026, 1, 1), to: day(2026, 6, 30) });
}

#[test]
fn another_centre_counts_only_in_the_report_for_every_centre() {
    let c = centre();
    let own = c.desk.actor().unwrap().centre_id;
    // A second centre arrives in this database the way synchronised records
    // will: rows written by another laptop.
    let other = crate::record::new_id();
    let staff = crate::record::new_id();
    let migrant = crate::record::new_id();
    let now = crate::record::now();
    c.desk
        .store()
        .connection()
        .execute_batch(&format!(
            "INSERT INTO centre (id, name, country, city, created_at, updated_at) VALUES (x'{o}', 'MRC Osh', 'KG', 'Osh', '{now}', '{now}');
             INSERT INTO staff (id, centre_id, full_name, role, created_at, updated_at) VALUES (x'{s}', x'{o}', 'Other', 'caseworker', '{now}', '{now}');
             INSERT INTO migrant (id, centre_id, family_name, given_name, sex, citizenship, migration_status, created_at, updated_at, created_by, updated_by)
                  VALUES (x'{m}', x'{o}', 'Osmonov', 'T', 'male', 'KG', 'regular', '{now}', '{now}', x'{s}', x'{s}');
             INSERT INTO assistance (id, centre_id, migrant_id, category, provider, given_on, outcome, created_at, updated_at, created_by, updated_by)
                  VALUES (x'{a}', x'{o}', x'{m}', 'medical', 'centre', '2026-10-12', 'provided', '{now}', '{now}', x'{s}', x'{s}');",
            o = other.simple(),
            s = staff.simple(),
            m = migrant.simple(),
            a = crate::record::new_id().simple(),
            now = now.to_rfc3339(),
        ))
        .unwrap();
    let mine = ReportRequest { centre_id: Some(own), from: day(2026, 10, 1), to: day(2026, 10, 31), for_sharing: false };
    let report = c.desk.report(&mine).unwrap();
    assert_eq!(row(&report, SectionId::Persons, "assisted").current.total, Some(2));
    assert_eq!(row(&report, SectionId::AssistanceRecords, "medical").current.total, Some(0));
    let all = october(&c.desk, false);
    assert_eq!(row(&all, SectionId::Persons, "assisted").current.total, Some(3));
    assert_eq!(row(&all, SectionId::AssistanceRecords, "medical").current.total, Some(1));
    assert_eq!(all.centres.len(), 2);
}

#[test]
fn new_persons_are_those_registered_in_the_period_and_sessions_count_heads() {
    let mut c = centre();
    let today = crate::record::local_day(crate::record::now());
    let input = GroupSessionInput {
        kind: Some(SessionKind::PreDeparture),
        held_on: Some(today),
        topic: "Before you go".into(),
        anonymous_counts: vec![AnonymousCount { sex: Sex::Female, age_band: AgeBand::From25To34, count: 6 }],
        participant_ids: vec![c.a],
        facilitator_id: Some(c.desk.actor().unwrap().staff_id),
        ..Default::default()
    };
    c.desk.save_group_session(None, input).unwrap();
    let request = ReportRequest { centre_id: None, from: today, to: today, for_sharing: false };
    let report = c.desk.report(&request).unwrap();
    assert_eq!(row(&report, SectionId::Persons, "assisted").current.total, Some(1));
    assert_eq!(row(&report, SectionId::Persons, "new").current.total, Some(1), "A was registered today");
    let sessions = row(&report, SectionId::SessionParticipants, "pre_departure");
    assert_eq!(sessions.current.total, Some(7), "one registered, six counted by head");
    assert_eq!(sessions.current.by_sex[sex(Sex::Female)], Some(7));
    assert_eq!(report.headline(HeadlineId::SessionsHeld).unwrap().current, Some(1));
}

#[test]
fn the_list_behind_a_number_has_exactly_that_many_records() {
    let c = centre();
    let report = october(&c.desk, false);
    let request = report.request.clone();
    let filter = CellFilter { section: Some(SectionId::AssistanceRecords), key: Some("legal_consultation".into()), age_band: Some(AgeBand::Under18), ..Default::default() };
    let page = c.desk.report_records(&request, &filter, 0, 50).unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].migrant_id, c.a);
    assert_eq!(page.items[0].day, day(2026, 10, 10));
    let shared = ReportRequest { for_sharing: true, ..request.clone() };
    match c.desk.report_records(&shared, &filter, 0, 50) {
        Err(CoreError::Validation(errors)) => assert_eq!(errors[0].field, "for_sharing"),
        other => panic!("a report for sharing must not list people: {other:?}"),
    }
    let everyone = CellFilter { section: Some(SectionId::Persons), ..Default::default() };
    let page = c.desk.report_records(&request, &everyone, 0, 50).unwrap();
    assert_eq!(Some(page.total), row(&report, SectionId::Persons, "assisted").current.total);
}

#[test]
fn a_report_for_sharing_hides_small_counts_and_names() {
    let c = centre();
    let report = october(&c.desk, true);
    assert_eq!(report.generated_by, "");
    for section in &report.sections {
        for r in &section.rows {
            let b = &r.current;
            let cells = [b.total].into_iter().chain(b.by_sex.iter().copied()).chain(b.by_age.iter().copied()).chain(b.by_status.iter().copied());
            for cell in cells.chain([r.previous, r.year_to_date]) {
                assert!(!matches!(cell, Some(1..=4)), "{} {} shows {cell:?}", section.id, r.key);
            }
        }
    }
    assert_eq!(report.headline(HeadlineId::PersonsAssisted).unwrap().current, None);
    assert_eq!(report.referral_completed_rate.current, None);
}

#[test]
fn a_period_ending_before_it_starts_is_refused_by_field() {
    let c = centre();
    let request = ReportRequest { centre_id: None, from: day(2026, 10, 31), to: day(2026, 10, 1), for_sharing: false };
    match c.desk.report(&request) {
        Err(CoreError::Validation(errors)) => assert_eq!(errors[0].field, "to"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn periods() {
    let month = Period::month("2026-03").unwrap();
    assert_eq!(month, Period { from: day(2026, 3, 1), to: day(2026, 3, 31) });
    assert_eq!(month.previous(), Period { from: day(2026, 2, 1), to: day(2026, 2, 28) });
    let quarter = Period { from: day(2026, 1, 1), to: day(2026, 3, 31) };
    assert_eq!(quarter.previous(), Period { from: day(2025, 10, 1), to: day(2025, 12, 31) });
    let days = Period { from: day(2026, 3, 10), to: day(2026, 3, 19) };
    assert_eq!(days.previous(), Period { from: day(2026, 2, 28), to: day(2026, 3, 9) });
    assert!(Period::month("2026-13").is_none());
}

/// The triggers keep the facts equal to what the migration's view derives
/// from the records, after a year of demo work and edits on top of it.
#[test]
fn the_facts_always_equal_their_definition() {
    let mut c = centre();
    let options = crate::demo::DemoOptions::new(3, 150, 3.0, day(2026, 11, 1));
    crate::demo::seed_demo(&mut c.desk, &options).unwrap();
    c.desk.delete_migrant(c.a).unwrap();
    c.desk.restore_migrant(c.a).unwrap();
    let moved = MigrantInput { family_name: "Boboev".into(), given_name: "T".into(), sex: Some(Sex::Other), citizenship: "KZ".into(), migration_status: Some(MigrationStatus::Returnee), ..Default::default() };
    c.desk.update_migrant(c.b, moved).unwrap();
    let conn = c.desk.store().connection();
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    let stored = count("SELECT count(*) FROM report_fact");
    assert!(stored > 500, "{stored}");
    assert_eq!(count("SELECT count(*) FROM (SELECT * FROM report_fact EXCEPT SELECT * FROM report_fact_source)"), 0);
    assert_eq!(count("SELECT count(*) FROM (SELECT * FROM report_fact_source EXCEPT SELECT * FROM report_fact)"), 0);
    let counts = "SELECT centre_id, substr(day, 1, 7), kind, key, CASE WHEN kind = 'case' THEN '' ELSE detail END, coalesce(partner_id, x''), count(*)
                    FROM report_fact GROUP BY 1, 2, 3, 4, 5, 6
                  UNION ALL
                  SELECT centre_id, substr(end_day, 1, 7), 'case_closed', key, detail, x'', count(*)
                    FROM report_fact WHERE kind = 'case' AND end_day IS NOT NULL GROUP BY 1, 2, 3, 4, 5";
    assert_eq!(count(&format!("SELECT count(*) FROM (SELECT * FROM report_count EXCEPT SELECT * FROM ({counts}))")), 0);
    assert_eq!(count(&format!("SELECT count(*) FROM (SELECT * FROM ({counts}) EXCEPT SELECT * FROM report_count)")), 0);
    let spans = "WITH f AS (SELECT * FROM report_fact WHERE kind <> 'case'),
                      s AS (SELECT centre_id, substr(day, 1, 4) AS span, 'any' AS kind, '*' AS key, person_id, day, registered_on, vulnerabilities FROM f
                            UNION ALL SELECT centre_id, substr(day, 1, 7), 'any', '*', person_id, day, registered_on, vulnerabilities FROM f
                            UNION ALL SELECT centre_id, substr(day, 1, 4), kind, key, person_id, day, registered_on, vulnerabilities FROM f WHERE kind IN ('assistance', 'session')
                            UNION ALL SELECT centre_id, substr(day, 1, 7), kind, key, person_id, day, registered_on, vulnerabilities FROM f WHERE kind IN ('assistance', 'session')
                            UNION ALL SELECT centre_id, substr(day, 1, 4), kind, '*', person_id, day, registered_on, vulnerabilities FROM f WHERE kind IN ('assistance', 'session')
                            UNION ALL SELECT centre_id, substr(day, 1, 7), kind, '*', person_id, day, registered_on, vulnerabilities FROM f WHERE kind IN ('assistance', 'session'))
                 SELECT centre_id, span, kind, key, person_id, min(day), count(*), max(registered_on), max(vulnerabilities) FROM s GROUP BY 1, 2, 3, 4, 5";
    assert!(count("SELECT count(*) FROM report_span") > 100);
    assert_eq!(count(&format!("SELECT count(*) FROM (SELECT * FROM report_span EXCEPT SELECT * FROM ({spans}))")), 0);
    assert_eq!(count(&format!("SELECT count(*) FROM (SELECT * FROM ({spans}) EXCEPT SELECT * FROM report_span)")), 0);
    let span_counts = "SELECT centre_id, span, substr(first_day, 1, 7), kind, key,
                              CASE WHEN kind = 'any' AND substr(registered_on, 1, 4) = substr(span, 1, 4) THEN substr(registered_on, 1, 7) ELSE '' END,
                              CASE WHEN kind = 'any' THEN vulnerabilities ELSE 0 END, count(*)
                         FROM report_span GROUP BY 1, 2, 3, 4, 5, 6, 7";
    assert_eq!(count(&format!("SELECT count(*) FROM (SELECT * FROM report_span_count EXCEPT SELECT * FROM ({span_counts}))")), 0);
    assert_eq!(count(&format!("SELECT count(*) FROM (SELECT * FROM ({span_counts}) EXCEPT SELECT * FROM report_span_count)")), 0);
}

/// The fast totals (from the rollups) and the slow ones (fact by fact) agree
/// on every row of every section, for a month and for a year to date.
#[test]
fn the_rollups_give_the_same_totals_as_counting_every_fact() {
    let mut c = centre();
    crate::demo::seed_demo(&mut c.desk, &crate::demo::DemoOptions::new(5, 200, 4.0, day(2026, 11, 1))).unwrap();
    let conn = c.desk.store().connection();
    let centres = [c.desk.actor().unwrap().centre_id];
    for period in [Period::month("2026-10").unwrap(), Period { from: day(2026, 1, 1), to: day(2026, 9, 30) }] {
        let fast = rollup::totals(conn, &centres, period).unwrap().expect("a month or a year to date");
        let slow = Totals::of(&count_period(conn, &centres, period, &mut Citizenships::default(), None, None).unwrap());
        for id in SectionId::ALL {
            let mut keys: Vec<&String> = fast.keys(*id).iter().chain(slow.keys(*id)).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                assert_eq!(fast.count(*id, key), slow.count(*id, key), "{period:?} {id} {key}");
            }
        }
        assert_eq!((fast.sessions_held, fast.referrals_sent, fast.referrals_completed), (slow.sessions_held, slow.referrals_sent, slow.referrals_completed));
        assert!(fast.count(SectionId::Persons, "assisted") > 20);
    }
}

#[test]
fn the_trend_for_sharing_hides_small_months() {
    let c = centre();
    let open = c.desk.report_trend(None, day(2026, 10, 31), false).unwrap();
    let shared = c.desk.report_trend(None, day(2026, 10, 31), true).unwrap();
    assert_eq!(open.len(), 12);
    assert_eq!(open.last().unwrap().month, "2026-10");
    assert_eq!(open.last().unwrap().persons_assisted, Some(2));
    assert_eq!(open.last().unwrap().assistance_records, Some(3));
    assert_eq!(shared.last().unwrap().persons_assisted, None);
    assert_eq!(shared[0].persons_assisted, Some(0), "an empty month is no secret");
}

/// What migration 0005 does to a database that already holds years of
/// work (derive every fact at once) gives the same report as facts kept
/// record by record; clearing the facts clears every rollup with them.
#[test]
fn facts_derived_at_once_give_the_same_report_as_facts_kept_one_by_one() {
    let mut c = centre();
    crate::demo::seed_demo(&mut c.desk, &crate::demo::DemoOptions::new(9, 120, 4.0, day(2026, 11, 1))).unwrap();
    let before = october(&c.desk, false);
    let conn = c.desk.store().connection();
    conn.execute("DELETE FROM report_fact", []).unwrap();
    for table in ["report_count", "report_span", "report_span_count"] {
        let left: i64 = conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap();
        assert_eq!(left, 0, "{table}");
    }
    conn.execute("INSERT INTO report_fact SELECT * FROM report_fact_source", []).unwrap();
    let after = october(&c.desk, false);
    assert_eq!(before.sections, after.sections);
    assert_eq!(before.headline, after.headline);
}

/// On a database file the month's visits are counted on a second thread;
/// the tables are the same as counted in one pass.
#[test]
fn counting_visits_on_a_second_thread_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = Desk::open(&dir.path().join("desk.db")).unwrap();
    crate::sample::start_centre(&mut desk, SetupInput {
        centre_name: "MRC Osh".into(),
        country: "KG".into(),
        city: "Osh".into(),
        staff: StaffInput { full_name: "Supervisor".into(), role: Some(StaffRole::Supervisor), password: crate::sample::PASSWORD.into() },
        language: "en".into(),
    })
    .unwrap();
    crate::demo::seed_demo(&mut desk, &crate::demo::DemoOptions::new(4, 150, 4.0, day(2026, 11, 1))).unwrap();
    let conn = desk.store().connection();
    let centres = [desk.actor().unwrap().centre_id];
    let period = Period::month("2026-10").unwrap();
    let (mut one, mut two) = (Citizenships::default(), Citizenships::default());
    let single = count_period(conn, &centres, period, &mut one, None, None).unwrap();
    let parallel = count_period(conn, &centres, period, &mut two, None, desk.store().reader().unwrap()).unwrap();
    let order_one = citizenship_order(&single, &one);
    let order_two = citizenship_order(&parallel, &two);
    let codes = |order: &[u16], c: &Citizenships| order.iter().map(|i| c.codes[*i as usize].clone()).collect::<Vec<_>>();
    assert_eq!(codes(&order_one, &one), codes(&order_two, &two));
    for (a, b) in single.tables.iter().zip(&parallel.tables) {
        assert_eq!(a.total.breakdown(&order_one), b.total.breakdown(&order_two), "{}", a.id);
        for (key, tally) in a.keys.iter().zip(&a.rows) {
            let other = b.keys.iter().position(|k| k == key).map(|i| b.rows[i].breakdown(&order_two)).unwrap_or_default();
            assert_eq!(tally.breakdown(&order_one), other, "{} {key}", a.id);
        }
    }
    assert!(single.tables.iter().any(|t| t.id == SectionId::Contacts && t.total.total > 20));
}
