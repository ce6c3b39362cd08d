//! Anonymisation and retention: a person's identity (names, contacts,
//! documents, places, every free-text note about them) removed for good,
//! while what the report counts stays (sex, birth date and so the age band,
//! citizenship, status, vulnerabilities, every visit, assistance, case and
//! referral), so past reports do not change. People whose last case closed
//! longer ago than the centre keeps identities are listed for it in batch.

use chrono::{DateTime, Months, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use crate::audit::{self, Event};
use crate::desk::{Desk, DeskState};
use crate::error::{CoreError, Result};
use crate::migrant::{self, MigrantSummary};
use crate::permission::Action;
use crate::record::{local_day, now, Actor};
use crate::validate::Checks;

/// At most this many people are listed at once; anonymising them lists the next.
const LISTED: usize = 500;

/// The people whose identity the centre no longer needs to keep.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RetentionList {
    pub years: u32,
    /// Cases closed before this day are old enough.
    pub closed_before: NaiveDate,
    pub due: Vec<RetentionDue>,
    pub total: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct RetentionDue {
    pub person: MigrantSummary,
    pub last_closed_on: NaiveDate,
}

/// Refuses any change to the file of someone anonymised.
pub(crate) fn refuse_if_anonymised(conn: &Connection, id: Uuid) -> Result<()> {
    let at: Option<Option<String>> = conn.query_row("SELECT anonymised_at FROM migrant WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    match at {
        Some(Some(_)) => Err(CoreError::Anonymised),
        _ => Ok(()),
    }
}

/// Removes the identity of one record and every note about the person;
/// the rows and the facts the report reads stay.
fn scrub(tx: &Connection, person: Uuid, actor: &Actor, at: DateTime<Utc>) -> Result<()> {
    for sql in [
        "UPDATE visit SET notes = '' WHERE migrant_id = ?1 AND notes != ''",
        "UPDATE assistance SET notes = '' WHERE migrant_id = ?1 AND notes != ''",
        "UPDATE case_file SET summary = '', notes = '' WHERE migrant_id = ?1 AND (summary != '' OR notes != '')",
        "UPDATE case_event SET note = '' WHERE note != '' AND case_id IN (SELECT id FROM case_file WHERE migrant_id = ?1)",
        "UPDATE referral SET reason = '', override_reason = '', feedback = '' WHERE migrant_id = ?1",
        "UPDATE referral_event SET note = '' WHERE note != '' AND referral_id IN (SELECT id FROM referral WHERE migrant_id = ?1)",
        "UPDATE follow_up SET note = '' WHERE migrant_id = ?1 AND note != ''",
        "UPDATE consent SET withdrawal_note = '' WHERE migrant_id = ?1 AND withdrawal_note != ''",
        // Who their relatives are would name them again.
        "DELETE FROM family_link WHERE migrant_id = ?1 OR relative_id = ?1",
    ] {
        tx.execute(sql, [person])?;
    }
    // Last: once marked, the triggers of migration 0010 refuse any change to their records.
    tx.execute(
        "UPDATE migrant SET family_name = '', given_name = '', patronymic = '', family_name_latin = '', given_name_latin = '', \
         origin_region = '', origin_town = '', current_city = '', phones = '[]', documents = '[]', occupation = '', notes = '', \
         anonymised_at = ?2, anonymised_by = ?3, updated_at = ?2, updated_by = ?3 WHERE id = ?1",
        params![person, at, actor.staff_id],
    )?;
    Ok(())
}

/// Anonymises one person of the centre, and the records once merged into
/// theirs; false when they already were.
fn anonymise(tx: &Connection, actor: &Actor, id: Uuid, at: DateTime<Utc>) -> Result<bool> {
    let m = migrant::get(tx, actor.centre_id, id)?;
    if m.anonymised_at.is_some() {
        return Ok(false);
    }
    // Merges chain (A into B, then B into C): every record that became this person's.
    let merged: Vec<Uuid> = tx
        .prepare(
            "WITH RECURSIVE into_them(id) AS (SELECT merged_id FROM migrant_merge WHERE kept_id = ?1 \
             UNION SELECT m.merged_id FROM migrant_merge m JOIN into_them t ON m.kept_id = t.id) SELECT id FROM into_them",
        )?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let people: Vec<Uuid> = std::iter::once(id).chain(merged).collect();
    for person in &people {
        scrub(tx, *person, actor, at)?;
    }
    // What the log kept of changes to their files can no longer be read.
    audit::forget_people(tx, &people)?;
    // Only that it happened: the log must not keep what was removed.
    audit::add(tx, actor, Event::on("anonymise", "migrant", id))?;
    Ok(true)
}

fn retention_years(conn: &Connection, centre_id: Uuid) -> Result<u32> {
    Ok(conn.query_row("SELECT retention_years FROM centre WHERE id = ?1", [centre_id], |r| r.get(0))?)
}

impl Desk {
    /// Anonymises one person (a supervisor's task); answers their file as it now is.
    pub fn anonymise_migrant(&mut self, id: Uuid) -> Result<crate::desk::MigrantProfile> {
        let actor = self.allowed(Action::ErasePerson)?;
        let at = now();
        self.store_mut().write(|tx| anonymise(tx, &actor, id, at).map(|_| ()))?;
        self.store().read(|conn| crate::desk::profile(conn, actor.centre_id, id))
    }

    /// Anonymises the people chosen from the retention list, all or none;
    /// answers how many were anonymised (some may have been already).
    pub fn anonymise_migrants(&mut self, ids: &[Uuid]) -> Result<u32> {
        let actor = self.allowed(Action::ErasePerson)?;
        let at = now();
        self.store_mut().write(|tx| {
            let mut done = 0;
            for id in ids {
                done += u32::from(anonymise(tx, &actor, *id, at)?);
            }
            Ok(done)
        })
    }

    /// The people whose cases are all closed, the last one longer ago than
    /// the centre keeps identities, with no visit or assistance since.
    pub fn retention_due(&self) -> Result<RetentionList> {
        let actor = self.allowed(Action::ErasePerson)?;
        let today = local_day(now());
        self.store().read(|conn| {
            let years = retention_years(conn, actor.centre_id)?;
            let closed_before = today.checked_sub_months(Months::new(years * 12)).unwrap_or(NaiveDate::MIN);
            let due: Vec<(Uuid, NaiveDate)> = conn
                .prepare_cached(
                    "SELECT m.id, max(c.closed_on) AS last FROM migrant m JOIN case_file c ON c.migrant_id = m.id AND c.deleted_at IS NULL \
                     WHERE m.centre_id = ?1 AND m.deleted_at IS NULL AND m.anonymised_at IS NULL \
                     GROUP BY m.id HAVING sum(c.status != 'closed') = 0 AND max(c.closed_on) < ?2 \
                       AND NOT EXISTS (SELECT 1 FROM visit v WHERE v.migrant_id = m.id AND v.deleted_at IS NULL AND v.occurred_at >= ?2) \
                       AND NOT EXISTS (SELECT 1 FROM assistance a WHERE a.migrant_id = m.id AND a.deleted_at IS NULL AND a.given_on >= ?2) \
                     ORDER BY last, m.id",
                )?
                .query_map(params![actor.centre_id, closed_before], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let total = due.len() as u32;
            let shown: Vec<(Uuid, NaiveDate)> = due.into_iter().take(LISTED).collect();
            let ids: Vec<Uuid> = shown.iter().map(|(id, _)| *id).collect();
            let people = migrant::summaries(conn, &ids)?;
            let due = people.into_iter().zip(shown).map(|(person, (_, last_closed_on))| RetentionDue { person, last_closed_on }).collect();
            Ok(RetentionList { years, closed_before, due, total })
        })
    }

    /// How many years after the last closed case a person's identity is kept.
    pub fn set_retention_years(&mut self, years: u32) -> Result<DeskState> {
        let actor = self.allowed(Action::SetUpCentre)?;
        if !(1..=30).contains(&years) {
            let mut c = Checks::new();
            c.fail("retention_years", "out_of_range", "must be between 1 and 30 years");
            c.finish()?;
        }
        self.store_mut().write(|tx| {
            let before = retention_years(tx, actor.centre_id)?;
            tx.execute("UPDATE centre SET retention_years = ?1, updated_at = ?2 WHERE id = ?3", params![years, now(), actor.centre_id])?;
            let change = serde_json::json!({ "retention_years": { "before": before, "after": years } });
            audit::add(tx, &actor, Event::on("update", "centre", actor.centre_id).with(change))
        })?;
        self.state()
    }
}

#[cfg(test)]
#[path = "anonymise_tests.rs"]
mod tests;
