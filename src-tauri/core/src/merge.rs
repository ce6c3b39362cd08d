//! Two registrations of one person made one. Every visit, assistance
//! record, case, referral, follow-up, group session and family link of the
//! merged record moves to the kept one; what the kept record lacks (another
//! spelling, a phone, a document, consent) is taken from the merged one,
//! which is then deleted. The merge is recorded, and the report counts one
//! person from then on, because its facts follow the records. Only a
//! supervisor merges, or says two people are not the same.

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::permission::Action;
use crate::desk::Desk;
use crate::duplicate::{self, DuplicateScan, ScanProgress};
use crate::error::Result;
use crate::migrant::{self, Migrant};
use crate::record::{new_id, now, set_deleted, Actor};
use crate::search::{document_keys, phone_tail};
use crate::validate::Checks;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct MergeInput {
    /// The record that stays.
    pub kept_id: Uuid,
    /// The record whose work moves to the kept one; it is deleted.
    pub merged_id: Uuid,
}

/// Records that name a migrant in `migrant_id` and are moved as they are.
const MOVED_TABLES: &[&str] = &["visit", "assistance", "case_file", "referral", "follow_up"];

impl Desk {
    /// Merges `merged_id` into `kept_id`; answers the kept record as it now is.
    pub fn merge_migrants(&mut self, input: MergeInput) -> Result<Migrant> {
        let actor = self.allowed(Action::MergeDuplicates)?;
        if input.kept_id == input.merged_id {
            let mut c = Checks::new();
            c.fail("merged_id", "same_person", "a record cannot be merged into itself");
            c.finish()?;
        }
        self.store_mut().write(|tx| {
            let kept = migrant::get(tx, actor.centre_id, input.kept_id)?;
            let merged = migrant::get(tx, actor.centre_id, input.merged_id)?;
            if kept.anonymised_at.is_some() || merged.anonymised_at.is_some() {
                return Err(crate::error::CoreError::Anonymised);
            }
            let moved = move_records(tx, &actor, &input)?;
            let combined = combine(kept, &merged, &actor);
            migrant::save(tx, &combined)?;
            crate::consent::move_to(tx, merged.id, combined.id)?;
            crate::consent::keep_in_step(tx, &actor, &combined, now(), "")?;
            set_deleted(tx, "migrant", merged.id, &actor, true)?;
            tx.execute(
                "INSERT INTO migrant_merge (id, centre_id, kept_id, merged_id, moved, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![new_id(), actor.centre_id, input.kept_id, input.merged_id, moved, now(), actor.staff_id],
            )?;
            crate::audit::add(tx, &actor, crate::audit::Event::on("merge", "migrant", input.kept_id).with(serde_json::json!({ "merged": input.merged_id, "moved": moved })))?;
            Ok(combined)
        })
    }

    /// The likeliest duplicate pairs of the whole centre, for a supervisor to merge or dismiss.
    pub fn duplicate_pairs(&self) -> Result<DuplicateScan> {
        self.duplicate_pairs_told(&mut |_| {})
    }

    /// [`Desk::duplicate_pairs`], telling `progress` how far the scan has got.
    pub fn duplicate_pairs_told(&self, progress: &mut dyn FnMut(ScanProgress)) -> Result<DuplicateScan> {
        let actor = self.allowed(Action::MergeDuplicates)?;
        let today = crate::record::local_day(now());
        self.store().read(|conn| duplicate::scan(conn, actor.centre_id, today, progress))
    }

    /// The scan of [`Desk::duplicate_pairs`] on a read connection of its own,
    /// to run while the desk goes on serving: a million people take half a
    /// minute. None for a database in memory, which has no second connection.
    pub fn duplicate_scan(&self) -> Result<Option<ScanJob>> {
        let actor = self.allowed(Action::MergeDuplicates)?;
        let today = crate::record::local_day(now());
        Ok(self.store().reader()?.map(|conn| ScanJob { conn, centre_id: actor.centre_id, today }))
    }

    /// Records that two people are not the same, so the duplicate scan stops listing them.
    pub fn dismiss_duplicate(&mut self, first: Uuid, second: Uuid) -> Result<()> {
        let actor = self.allowed(Action::MergeDuplicates)?;
        if first == second {
            let mut c = Checks::new();
            c.fail("second", "same_person", "a person is not a duplicate of themselves");
            c.finish()?;
        }
        let (first_id, second_id) = if first < second { (first, second) } else { (second, first) };
        self.store_mut().write(|tx| {
            migrant::get(tx, actor.centre_id, first_id)?;
            migrant::get(tx, actor.centre_id, second_id)?;
            tx.execute(
                "INSERT OR IGNORE INTO duplicate_dismissal (id, centre_id, first_id, second_id, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![new_id(), actor.centre_id, first_id, second_id, now(), actor.staff_id],
            )?;
            crate::audit::add(tx, &actor, crate::audit::Event::on("dismiss_duplicate", "migrant", first_id).with(serde_json::json!({ "second": second_id })))
        })
    }
}

/// A duplicate scan allowed and ready to run, away from the desk.
pub struct ScanJob {
    conn: Connection,
    centre_id: Uuid,
    today: chrono::NaiveDate,
}

impl ScanJob {
    /// Scans one snapshot of the file: what is saved meanwhile waits for the next scan.
    pub fn run(self, progress: &mut dyn FnMut(ScanProgress)) -> Result<DuplicateScan> {
        let snapshot = self.conn.unchecked_transaction()?;
        duplicate::scan(&snapshot, self.centre_id, self.today, progress)
    }
}

/// Points every record of the merged person at the kept one; answers how many moved.
fn move_records(tx: &Connection, actor: &Actor, input: &MergeInput) -> Result<u32> {
    let at = now();
    let mut moved = 0;
    for table in MOVED_TABLES {
        moved += tx.execute(
            &format!("UPDATE {table} SET migrant_id = ?1, updated_at = ?3, updated_by = ?4 WHERE migrant_id = ?2"),
            params![input.kept_id, input.merged_id, at, actor.staff_id],
        )?;
    }
    // A participant row is re-made rather than re-pointed, so that the
    // report's facts (kept by insert and delete triggers) follow; someone
    // in a session under both names is in it once.
    let sessions: Vec<(Uuid, rusqlite::types::Value, Uuid)> = tx
        .prepare("SELECT session_id, created_at, created_by FROM group_participant WHERE migrant_id = ?1")?
        .query_map([input.merged_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    tx.execute("DELETE FROM group_participant WHERE migrant_id = ?1", [input.merged_id])?;
    for (session, created_at, created_by) in sessions {
        moved += tx.execute(
            "INSERT OR IGNORE INTO group_participant (id, session_id, migrant_id, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![new_id(), session, input.kept_id, created_at, created_by],
        )?;
    }
    for column in ["migrant_id", "relative_id"] {
        moved += tx.execute(
            &format!("UPDATE family_link SET {column} = ?1, updated_at = ?3, updated_by = ?4 WHERE {column} = ?2"),
            params![input.kept_id, input.merged_id, at, actor.staff_id],
        )?;
    }
    // A link between the two registrations would now link the person to
    // themselves, and a relative linked to both would be linked twice.
    tx.execute(
        "UPDATE family_link SET deleted_at = ?2, deleted_by = ?3, updated_at = ?2, updated_by = ?3
         WHERE deleted_at IS NULL AND (migrant_id = ?1 OR relative_id = ?1)
           AND (migrant_id = relative_id OR EXISTS (
                SELECT 1 FROM family_link o WHERE o.deleted_at IS NULL AND o.id < family_link.id
                  AND ((o.migrant_id = family_link.migrant_id AND o.relative_id = family_link.relative_id)
                    OR (o.migrant_id = family_link.relative_id AND o.relative_id = family_link.migrant_id))))",
        params![input.kept_id, at, actor.staff_id],
    )?;
    // Pairs said to be two people stay said for the kept record.
    let others: Vec<Uuid> = tx
        .prepare("SELECT CASE WHEN first_id = ?1 THEN second_id ELSE first_id END FROM duplicate_dismissal WHERE first_id = ?1 OR second_id = ?1")?
        .query_map([input.merged_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for other in others.into_iter().filter(|o| *o != input.kept_id) {
        let (first, second) = if other < input.kept_id { (other, input.kept_id) } else { (input.kept_id, other) };
        tx.execute(
            "INSERT OR IGNORE INTO duplicate_dismissal (id, centre_id, first_id, second_id, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![new_id(), actor.centre_id, first, second, at, actor.staff_id],
        )?;
    }
    Ok(moved as u32)
}

/// The kept record, completed from the merged one where it says nothing.
fn combine(mut kept: Migrant, merged: &Migrant, actor: &Actor) -> Migrant {
    let fill = |mine: &mut String, theirs: &str| {
        if mine.trim().is_empty() {
            *mine = theirs.to_string();
        }
    };
    // The merged record's names become the Latin spelling when the kept one has none.
    let latin = |native: &str, latin: &str| if latin.is_empty() && native.is_ascii() { native.to_string() } else { latin.to_string() };
    fill(&mut kept.family_name_latin, &latin(&merged.family_name, &merged.family_name_latin));
    fill(&mut kept.given_name_latin, &latin(&merged.given_name, &merged.given_name_latin));
    for (mine, theirs) in [
        (&mut kept.patronymic, &merged.patronymic),
        (&mut kept.birth_country, &merged.birth_country),
        (&mut kept.origin_region, &merged.origin_region),
        (&mut kept.origin_town, &merged.origin_town),
        (&mut kept.current_country, &merged.current_country),
        (&mut kept.current_city, &merged.current_city),
        (&mut kept.occupation, &merged.occupation),
    ] {
        fill(mine, theirs);
    }
    if merged.birth_date.is_some() && (kept.birth_date.is_none() || (kept.birth_date_estimated && !merged.birth_date_estimated)) {
        kept.birth_date = merged.birth_date;
        kept.birth_date_estimated = merged.birth_date_estimated;
    }
    for phone in &merged.phones {
        if !kept.phones.iter().any(|p| phone_tail(&p.number) == phone_tail(&phone.number)) {
            kept.phones.push(phone.clone());
        }
    }
    for document in &merged.documents {
        if !kept.documents.iter().any(|d| document_keys(&d.number).first() == document_keys(&document.number).first()) {
            kept.documents.push(document.clone());
        }
    }
    union(&mut kept.languages, &merged.languages);
    union(&mut kept.vulnerabilities, &merged.vulnerabilities);
    if merged.consent_given {
        if !kept.consent_given {
            kept.consent_date = merged.consent_date;
        }
        kept.consent_given = true;
        union(&mut kept.consent_scope, &merged.consent_scope);
    }
    if !merged.notes.trim().is_empty() && !kept.notes.contains(merged.notes.trim()) {
        kept.notes = [kept.notes.trim(), merged.notes.trim()].iter().filter(|n| !n.is_empty()).copied().collect::<Vec<_>>().join("\n\n");
    }
    kept.meta.updated_at = now();
    kept.meta.updated_by = actor.staff_id;
    kept
}

fn union<T: Clone + PartialEq>(mine: &mut Vec<T>, theirs: &[T]) {
    for item in theirs {
        if !mine.contains(item) {
            mine.push(item.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};

    use super::*;
    use crate::assistance::{AssistanceCategory, AssistanceInput, Outcome};
    use crate::case::{CaseInput, CaseType};
    use crate::duplicate::ScanStage;
    use crate::centre::{SetupInput, StaffInput, StaffRole};
    use crate::migrant::{MigrantInput, MigrantQuery, MigrationStatus, Sex};
    use crate::report::{HeadlineId, ReportRequest};
    use crate::visit::{Channel, VisitInput, VisitPurpose};

    fn desk_with_supervisor() -> (Desk, Uuid, Uuid) {
        centre_with_supervisor(Desk::open_in_memory().unwrap())
    }

    fn centre_with_supervisor(mut desk: Desk) -> (Desk, Uuid, Uuid) {
        let state = crate::sample::start_centre(&mut desk, SetupInput {
                centre_name: "MRC Osh".into(),
                country: "KG".into(),
                city: "Osh".into(),
                language: "en".into(),
                staff: StaffInput { full_name: "Caseworker".into(), role: Some(StaffRole::Caseworker), password: crate::sample::PASSWORD.into() },
            })
            .unwrap();
        let caseworker = state.current_staff_id.unwrap();
        let supervisor = crate::sample::colleague(&mut desk, "Supervisor", StaffRole::Supervisor).unwrap();
        crate::sample::sign_in(&mut desk, caseworker).unwrap();
        (desk, caseworker, supervisor)
    }

    fn person(desk: &mut Desk, family: &str, given: &str, latin: &str, phone: &str) -> Uuid {
        let input = MigrantInput {
            family_name: family.into(),
            given_name: given.into(),
            family_name_latin: latin.into(),
            sex: Some(Sex::Male),
            birth_date: NaiveDate::from_ymd_opt(1990, 5, 17),
            citizenship: "KG".into(),
            migration_status: Some(MigrationStatus::Regular),
            phones: (!phone.is_empty()).then(|| crate::migrant::Phone { number: phone.into(), messenger: crate::migrant::Messenger::None }).into_iter().collect(),
            ..Default::default()
        };
        desk.register_migrant(input).unwrap().id
    }

    fn october_persons(desk: &Desk) -> Option<u32> {
        let day = |d| NaiveDate::from_ymd_opt(2026, 10, d).unwrap();
        let request = ReportRequest { centre_id: None, from: day(1), to: day(31), for_sharing: false };
        desk.report(&request).unwrap().headline.iter().find(|h| h.id == HeadlineId::PersonsAssisted).unwrap().current
    }

    fn help(desk: &mut Desk, migrant: Uuid) {
        let at = Utc.with_ymd_and_hms(2026, 10, 12, 12, 0, 0).unwrap();
        let visit = VisitInput { migrant_id: migrant, occurred_at: Some(at), channel: Some(Channel::WalkIn), purpose: Some(VisitPurpose::Consultation), ..Default::default() };
        desk.log_visit(visit).unwrap();
        let given_on = at.date_naive();
        let help = AssistanceInput { migrant_id: migrant, category: Some(AssistanceCategory::Medical), given_on: Some(given_on), outcome: Some(Outcome::Provided), ..Default::default() };
        desk.record_assistance(help).unwrap();
    }

    #[test]
    fn a_scan_tells_how_far_it_has_got_stage_by_stage() {
        let (mut desk, _, supervisor) = desk_with_supervisor();
        for i in 0..7 {
            person(&mut desk, "Жумабаев", "Бакыт", "", &format!("+996 555 123 45{i}"));
        }
        crate::sample::sign_in(&mut desk, supervisor).unwrap();
        let mut told = Vec::new();
        let scan = desk.duplicate_pairs_told(&mut |p| told.push(p)).unwrap();
        assert_eq!(scan.people, 7);
        let of = |stage| told.iter().filter(|p| p.stage == stage).map(|p| p.percent).collect::<Vec<_>>();
        for stage in [ScanStage::Reading, ScanStage::Comparing] {
            let percents = of(stage);
            assert_eq!((percents.first(), percents.last()), (Some(&0), Some(&100)), "{stage:?}: {percents:?}");
            assert!(percents.windows(2).all(|w| w[0] < w[1]), "{stage:?} only moves on: {percents:?}");
        }
        assert!(told.iter().position(|p| p.stage == ScanStage::Comparing) > told.iter().rposition(|p| p.stage == ScanStage::Reading));
    }

    #[test]
    fn a_scan_on_its_own_connection_leaves_the_desk_free_and_sees_the_file_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let (mut desk, _, supervisor) = centre_with_supervisor(Desk::open(&dir.path().join("desk.db")).unwrap());
        person(&mut desk, "Жумабаев", "Бакыт", "", "+996 555 123 456");
        person(&mut desk, "Zhumabaev", "Bakyt", "", "0555 123 456");
        assert_eq!(desk.duplicate_scan().err().map(|e| e.code()), Some("not_allowed"));
        crate::sample::sign_in(&mut desk, supervisor).unwrap();
        let job = desk.duplicate_scan().unwrap().expect("a file has room for a second connection");
        let mut registered = false;
        let scan = job
            .run(&mut |_| {
                if !registered {
                    registered = true;
                    person(&mut desk, "Jumabaev", "Bakit", "", "+996 555 123 456");
                }
            })
            .unwrap();
        assert!(registered, "the desk saved while the scan ran");
        assert_eq!((scan.people, scan.total), (2, 1), "who is registered meanwhile waits for the next scan");
        assert_eq!(desk.duplicate_pairs().unwrap().total, 3);
        let (mut in_memory, _, supervisor) = desk_with_supervisor();
        crate::sample::sign_in(&mut in_memory, supervisor).unwrap();
        assert!(in_memory.duplicate_scan().unwrap().is_none(), "scanned under the desk instead");
    }

    #[test]
    fn a_merge_moves_the_work_keeps_the_other_spelling_and_the_report_counts_one_person() {
        let (mut desk, _, supervisor) = desk_with_supervisor();
        let kept = person(&mut desk, "Жумабаев", "Бакыт", "", "+996 555 123 456");
        let merged = person(&mut desk, "Zhumabaev", "Bakyt", "", "0555 123 456");
        help(&mut desk, kept);
        help(&mut desk, merged);
        desk.open_case(CaseInput { migrant_id: merged, case_type: Some(CaseType::Health), ..Default::default() }).unwrap();

        // A caseworker is refused, and nothing changes.
        let input = MergeInput { kept_id: kept, merged_id: merged };
        assert_eq!(desk.duplicate_pairs().unwrap_err().code(), "not_allowed");
        assert_eq!(desk.merge_migrants(input.clone()).unwrap_err().code(), "not_allowed");

        crate::sample::sign_in(&mut desk, supervisor).unwrap();
        assert_eq!(october_persons(&desk), Some(2));
        let scan = desk.duplicate_pairs().unwrap();
        assert_eq!(scan.pairs.len(), 1);
        assert_eq!([scan.pairs[0].first.id, scan.pairs[0].second.id], [kept, merged]);
        assert_eq!(desk.merge_migrants(MergeInput { kept_id: kept, merged_id: kept }).unwrap_err().code(), "validation");

        let after = desk.merge_migrants(input).unwrap();
        assert_eq!(after.family_name_latin, "Zhumabaev", "the other spelling is kept");
        assert_eq!(after.phones.len(), 1, "one phone written two ways is one phone");
        let profile = desk.migrant_profile(kept).unwrap();
        assert_eq!((profile.visits.len(), profile.assistance.len(), profile.cases.len()), (2, 2, 1));
        assert_eq!(desk.migrant_profile(merged).unwrap_err().code(), "not_found");
        assert_eq!(october_persons(&desk), Some(1));
        let found = desk.list_migrants(&MigrantQuery { text: "Zhumabaev".into(), ..Default::default() }).unwrap();
        assert_eq!(found.items.iter().map(|m| m.id).collect::<Vec<_>>(), vec![kept]);
        assert!(desk.duplicate_pairs().unwrap().pairs.is_empty());
        let recorded: u32 = desk.store().connection().query_row("SELECT moved FROM migrant_merge WHERE kept_id = ?1", [kept], |r| r.get(0)).unwrap();
        assert_eq!(recorded, 3);
    }

    #[test]
    fn a_pair_said_to_be_two_people_is_not_listed_again() {
        let (mut desk, _, supervisor) = desk_with_supervisor();
        let a = person(&mut desk, "Асанов", "Нурлан", "", "");
        let b = person(&mut desk, "Asanov", "Nurlan", "", "");
        let c = person(&mut desk, "Асанов", "Нурлан", "Asanov", "");
        crate::sample::sign_in(&mut desk, supervisor).unwrap();
        assert_eq!(desk.duplicate_pairs().unwrap().total, 3);
        desk.dismiss_duplicate(b, a).unwrap();
        let left: Vec<[Uuid; 2]> = desk.duplicate_pairs().unwrap().pairs.iter().map(|p| [p.first.id, p.second.id]).collect();
        assert_eq!(left, vec![[a, c], [b, c]]);
    }

    #[test]
    fn a_relative_of_both_is_linked_once_a_dismissal_follows_and_a_merged_record_stays_merged() {
        use crate::family::{FamilyLinkInput, Relation};
        let (mut desk, _, supervisor) = desk_with_supervisor();
        let kept = person(&mut desk, "Жумабаев", "Бакыт", "", "");
        let merged = person(&mut desk, "Zhumabaev", "Bakyt", "", "");
        let wife = person(&mut desk, "Жумабаева", "Айгуль", "", "");
        let namesake = person(&mut desk, "Жумабаев", "Бакыт", "Jumabaev", "");
        for id in [kept, merged] {
            desk.link_family(FamilyLinkInput { migrant_id: id, relative_id: wife, relation: Some(Relation::Spouse) }).unwrap();
        }
        crate::sample::sign_in(&mut desk, supervisor).unwrap();
        assert_eq!(desk.dismiss_duplicate(merged, merged).unwrap_err().code(), "validation");
        desk.dismiss_duplicate(merged, namesake).unwrap();
        desk.merge_migrants(MergeInput { kept_id: kept, merged_id: merged }).unwrap();
        assert_eq!(desk.migrant_profile(wife).unwrap().family.len(), 1, "the wife has one husband, linked once");
        let listed: Vec<[Uuid; 2]> = desk.duplicate_pairs().unwrap().pairs.iter().map(|p| [p.first.id, p.second.id]).collect();
        assert!(!listed.contains(&[kept, namesake]), "said to be two people before the merge, still two after: {listed:?}");
        assert_eq!(desk.restore_migrant(merged).unwrap_err().code(), "validation");
    }

    #[test]
    fn an_age_out_of_range_while_typing_is_no_panic() {
        let (desk, _, _) = desk_with_supervisor();
        let input = MigrantInput { family_name: "A".into(), given_name: "B".into(), estimated_age: Some(357_913_942), ..Default::default() };
        assert!(desk.likely_duplicates(&input, None).unwrap().is_empty());
    }
}
