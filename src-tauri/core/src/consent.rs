//! Consent as a history: each scope a migrant agreed to, the day and the
//! staff member who took it, and its withdrawal. The migrant's
//! `consent_scope` is the current answer that forms and the referral rule
//! read; [`keep_in_step`] writes this history from it in the same
//! transaction, so the two never disagree.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::audit::{self, Event};
use crate::desk::Desk;
use crate::error::Result;
use crate::migrant::{self, ConsentScope, Migrant};
use crate::permission::Action;
use crate::record::{local_day, new_id, now, Actor};
use crate::validate::Checks;

/// One scope agreed to, and its withdrawal once withdrawn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Consent {
    pub id: Uuid,
    pub migrant_id: Uuid,
    pub scope: ConsentScope,
    pub given_on: NaiveDate,
    pub taken_by: Uuid,
    pub withdrawn_on: Option<NaiveDate>,
    pub withdrawn_by: Option<Uuid>,
    pub withdrawal_note: String,
}

/// A migrant takes back one scope of their consent.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct ConsentWithdrawal {
    pub migrant_id: Uuid,
    pub scope: Option<ConsentScope>,
    /// How the migrant said it, or why (optional).
    pub note: String,
}

const COLUMNS: &str = "id, migrant_id, scope, given_on, taken_by, withdrawn_on, withdrawn_by, withdrawal_note";

fn from_row(r: &Row) -> rusqlite::Result<Consent> {
    Ok(Consent {
        id: r.get(0)?,
        migrant_id: r.get(1)?,
        scope: r.get(2)?,
        given_on: r.get(3)?,
        taken_by: r.get(4)?,
        withdrawn_on: r.get(5)?,
        withdrawn_by: r.get(6)?,
        withdrawal_note: r.get(7)?,
    })
}

/// A migrant's consent history: what stands first, then what was withdrawn,
/// each newest first.
pub(crate) fn of_migrant(conn: &Connection, migrant_id: Uuid) -> Result<Vec<Consent>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM consent WHERE migrant_id = ?1 ORDER BY withdrawn_on IS NOT NULL, given_on DESC, id DESC"
    ))?;
    let rows = stmt.query_map([migrant_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The scopes `m` agrees to now.
fn agreed(m: &Migrant) -> &[ConsentScope] {
    if m.consent_given { &m.consent_scope } else { &[] }
}

/// Brings the history in step with what `m` agrees to now: a scope newly
/// agreed to is given by the actor on the day of `at`; one no longer agreed
/// to is withdrawn that day, with `note`.
pub(crate) fn keep_in_step(tx: &Connection, actor: &Actor, m: &Migrant, at: DateTime<Utc>, note: &str) -> Result<()> {
    let standing: Vec<(Uuid, ConsentScope)> = tx
        .prepare_cached("SELECT id, scope FROM consent WHERE migrant_id = ?1 AND withdrawn_on IS NULL")?
        .query_map([m.id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let day = local_day(at);
    let mut given: Vec<ConsentScope> = standing.iter().map(|(_, s)| *s).collect();
    for scope in agreed(m) {
        // A scope ticked twice is one consent.
        if given.contains(scope) {
            continue;
        }
        given.push(*scope);
        tx.prepare_cached(
            "INSERT INTO consent (id, centre_id, migrant_id, scope, given_on, taken_by, created_at, updated_at, created_by, updated_by) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?6, ?6)",
        )?
        .execute(params![new_id(), m.centre_id, m.id, scope, day, actor.staff_id, at])?;
    }
    for (id, _) in standing.iter().filter(|(_, scope)| !agreed(m).contains(scope)) {
        tx.prepare_cached(
            "UPDATE consent SET withdrawn_on = ?2, withdrawn_by = ?3, withdrawal_note = ?4, updated_at = ?5, updated_by = ?3 WHERE id = ?1",
        )?
        .execute(params![id, day, actor.staff_id, note, at])?;
    }
    Ok(())
}

/// Moves the consent history of a merged record to the one kept.
pub(crate) fn move_to(tx: &Connection, from: Uuid, to: Uuid) -> Result<usize> {
    Ok(tx.execute("UPDATE consent SET migrant_id = ?2 WHERE migrant_id = ?1", params![from, to])?)
}

impl Desk {
    /// Records that a migrant takes back one scope of their consent. A
    /// referral then needs a written reason again; the history keeps who
    /// took the consent and who recorded its withdrawal.
    pub fn withdraw_consent(&mut self, input: ConsentWithdrawal) -> Result<Migrant> {
        let actor = self.allowed(Action::WorkCases)?;
        let limited = self.limited();
        let at = now();
        self.store_mut().write(|tx| {
            let existing = migrant::get(tx, actor.centre_id, input.migrant_id)?;
            if existing.anonymised_at.is_some() {
                return Err(crate::error::CoreError::Anonymised);
            }
            let mut c = Checks::new();
            match input.scope {
                None => c.fail("scope", "required", "is required"),
                Some(scope) if !agreed(&existing).contains(&scope) => c.fail("scope", "not_given", "was not agreed to, so cannot be withdrawn"),
                Some(_) => {}
            }
            c.notes("note", &input.note, 500);
            c.finish()?;
            let mut record = existing.clone();
            record.consent_scope.retain(|s| Some(*s) != input.scope);
            record.consent_given = !record.consent_scope.is_empty();
            if !record.consent_given {
                record.consent_date = None;
            }
            record.meta.updated_at = at;
            record.meta.updated_by = actor.staff_id;
            migrant::save(tx, &record)?;
            keep_in_step(tx, &actor, &record, at, input.note.trim())?;
            audit::add(tx, &actor, Event::on("update", "migrant", record.id).with(audit::person_changes(tx, record.id, &existing, &record)?))?;
            if limited {
                let cases = crate::case::of_migrant(tx, record.id)?;
                crate::need_to_know::withhold_migrant(&mut record, &cases, actor.staff_id);
            }
            Ok(record)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::centre::{SetupInput, StaffInput, StaffRole};
    use crate::error::CoreError;
    use crate::migrant::{MigrantInput, MigrationStatus, Sex};
    use crate::referral::consents_to_sharing;

    fn desk() -> Desk {
        let mut desk = Desk::open_in_memory().unwrap();
        let staff = StaffInput { full_name: "Supervisor One".into(), role: Some(StaffRole::Supervisor), password: crate::sample::PASSWORD.into() };
        let setup = SetupInput { centre_name: "MRC Osh".into(), country: "KG".into(), city: "Osh".into(), staff, language: "en".into() };
        crate::sample::start_centre(&mut desk, setup).unwrap();
        desk
    }

    fn input(scopes: &[ConsentScope]) -> MigrantInput {
        MigrantInput {
            family_name: "Rahimova".into(),
            given_name: "Dilnoza".into(),
            sex: Some(Sex::Female),
            citizenship: "UZ".into(),
            migration_status: Some(MigrationStatus::Regular),
            consent_given: !scopes.is_empty(),
            consent_scope: scopes.to_vec(),
            ..Default::default()
        }
    }

    const BOTH: &[ConsentScope] = &[ConsentScope::DataProcessing, ConsentScope::ShareWithPartners];

    fn field_codes(err: CoreError) -> Vec<(String, String)> {
        match err {
            CoreError::Validation(errors) => errors.into_iter().map(|e| (e.field, e.code)).collect(),
            other => panic!("expected a validation error, got {other}"),
        }
    }

    #[test]
    fn registration_records_each_scope_with_who_took_it() {
        let mut desk = desk();
        let m = desk.register_migrant(input(BOTH)).unwrap();
        let history = desk.migrant_profile(m.id).unwrap().consents;
        let mut scopes: Vec<_> = history.iter().map(|c| c.scope).collect();
        scopes.sort_by_key(|s| s.as_str());
        assert_eq!(scopes, BOTH.to_vec());
        let me = desk.actor().unwrap().staff_id;
        assert!(history.iter().all(|c| c.taken_by == me && c.withdrawn_on.is_none() && Some(c.given_on) == m.consent_date));
    }

    #[test]
    fn a_withdrawal_is_kept_and_the_referral_rule_follows_it() {
        let mut desk = desk();
        let m = desk.register_migrant(input(BOTH)).unwrap();
        let withdrawal = ConsentWithdrawal { migrant_id: m.id, scope: Some(ConsentScope::ShareWithPartners), note: "Said so on the phone".into() };
        let after = desk.withdraw_consent(withdrawal.clone()).unwrap();
        assert!(!consents_to_sharing(&after), "a referral now needs a written reason");
        assert_eq!(after.consent_scope, vec![ConsentScope::DataProcessing]);
        let history = desk.migrant_profile(m.id).unwrap().consents;
        let gone = history.iter().find(|c| c.scope == ConsentScope::ShareWithPartners).unwrap();
        assert_eq!((gone.withdrawn_by, gone.withdrawal_note.as_str()), (Some(desk.actor().unwrap().staff_id), "Said so on the phone"));
        assert_eq!(history.last().unwrap().scope, ConsentScope::ShareWithPartners, "what was withdrawn is listed after what stands");

        // Twice is refused by name; giving it again starts a new record.
        assert_eq!(field_codes(desk.withdraw_consent(withdrawal).unwrap_err()), vec![("scope".to_string(), "not_given".to_string())]);
        desk.update_migrant(m.id, input(BOTH)).unwrap();
        let history = desk.migrant_profile(m.id).unwrap().consents;
        assert_eq!(history.iter().filter(|c| c.scope == ConsentScope::ShareWithPartners).count(), 2);
        assert_eq!(history.iter().filter(|c| c.withdrawn_on.is_none()).count(), 2);
    }

    #[test]
    fn a_scope_ticked_twice_is_one_consent() {
        let mut desk = desk();
        let m = desk.register_migrant(input(&[ConsentScope::DataProcessing, ConsentScope::DataProcessing])).unwrap();
        assert_eq!(desk.migrant_profile(m.id).unwrap().consents.len(), 1);
    }

    #[test]
    fn unticking_every_scope_on_the_form_withdraws_them_all() {
        let mut desk = desk();
        let m = desk.register_migrant(input(BOTH)).unwrap();
        desk.update_migrant(m.id, input(&[])).unwrap();
        let history = desk.migrant_profile(m.id).unwrap().consents;
        assert_eq!(history.len(), 2);
        assert!(history.iter().all(|c| c.withdrawn_on.is_some()));
    }

    #[test]
    fn a_viewer_cannot_withdraw_and_nothing_changes() {
        let mut desk = desk();
        let m = desk.register_migrant(input(BOTH)).unwrap();
        crate::sample::colleague(&mut desk, "Monitoring Viewer", StaffRole::Viewer).unwrap();
        let refused = desk.withdraw_consent(ConsentWithdrawal { migrant_id: m.id, scope: Some(ConsentScope::ShareWithPartners), note: String::new() });
        assert_eq!(refused.unwrap_err().code(), "not_allowed");
    }

    #[test]
    fn an_upgrade_turns_the_consent_on_record_into_its_history() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        let (centre, staff, migrant) = (new_id(), new_id(), new_id());
        let old = crate::store::Store::open_at_version(&path, 9).unwrap();
        old.connection()
            .execute_batch(&format!(
                "INSERT INTO centre (id, name, country, city, created_at, updated_at) VALUES (x'{c}', 'MRC Osh', 'KG', 'Osh', '{now}', '{now}');
                 INSERT INTO staff (id, centre_id, full_name, role, created_at, updated_at) VALUES (x'{s}', x'{c}', 'Caseworker', 'caseworker', '{now}', '{now}');
                 INSERT INTO migrant (id, centre_id, family_name, given_name, sex, citizenship, migration_status, consent_given, consent_scope, consent_date,
                                      created_at, updated_at, created_by, updated_by)
                      VALUES (x'{m}', x'{c}', 'Osmonov', 'T', 'male', 'KG', 'regular', 1, '[\"data_processing\",\"contact_by_phone\"]', '2025-03-14',
                              '{now}', '{now}', x'{s}', x'{s}');",
                c = centre.simple(),
                s = staff.simple(),
                m = migrant.simple(),
                now = "2025-03-14T09:00:00+00:00",
            ))
            .unwrap();
        drop(old);
        let store = crate::store::Store::open(&path).unwrap();
        let history = store.read(|conn| of_migrant(conn, migrant)).unwrap();
        let mut scopes: Vec<_> = history.iter().map(|c| c.scope.as_str()).collect();
        scopes.sort();
        assert_eq!(scopes, vec!["contact_by_phone", "data_processing"]);
        assert!(history.iter().all(|c| c.taken_by == staff && c.given_on == NaiveDate::from_ymd_opt(2025, 3, 14).unwrap() && c.withdrawn_on.is_none()));
        assert_ne!(history[0].id, history[1].id);
    }

    #[test]
    fn a_merge_moves_the_history_to_the_kept_record() {
        let mut desk = desk();
        let kept = desk.register_migrant(input(&[ConsentScope::DataProcessing])).unwrap();
        let twice = desk.register_new_migrant(input(&[ConsentScope::DataProcessing, ConsentScope::ContactByPhone]), true).unwrap();
        desk.merge_migrants(crate::merge::MergeInput { kept_id: kept.id, merged_id: twice.id }).unwrap();
        let history = desk.migrant_profile(kept.id).unwrap().consents;
        assert_eq!(history.len(), 3, "both records' consents, none lost");
        assert!(history.iter().any(|c| c.scope == ConsentScope::ContactByPhone && c.withdrawn_on.is_none()));
    }
}
