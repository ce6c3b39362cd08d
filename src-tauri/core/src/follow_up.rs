//! Follow-ups: dated tasks on a case or a referral ("call back on Friday"),
//! each with the staff member who must do it.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::permission::Action;
use crate::centre;
use crate::desk::{check_links, Desk};
use crate::error::{CoreError, Result};
use crate::record::{new_id, now, Actor, RecordMeta, META_COLUMNS};
use crate::referral;
use crate::validate::Checks;

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct FollowUpInput {
    pub migrant_id: Uuid,
    pub case_id: Option<Uuid>,
    pub referral_id: Option<Uuid>,
    pub due_on: Option<NaiveDate>,
    pub note: String,
    /// Who must do it; the author when left out.
    pub assigned_to: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FollowUp {
    pub id: Uuid,
    pub centre_id: Uuid,
    pub migrant_id: Uuid,
    pub case_id: Option<Uuid>,
    pub referral_id: Option<Uuid>,
    pub due_on: NaiveDate,
    pub note: String,
    pub assigned_to: Uuid,
    pub done_at: Option<DateTime<Utc>>,
    pub done_by: Option<Uuid>,
    pub meta: RecordMeta,
}

pub(crate) const COLUMNS: &str = "f.id, f.centre_id, f.migrant_id, f.case_id, f.referral_id, f.due_on, f.note, f.assigned_to, f.done_at, f.done_by, \
    f.created_at, f.updated_at, f.created_by, f.updated_by, f.deleted_at";

pub(crate) fn from_row(r: &Row) -> rusqlite::Result<FollowUp> {
    Ok(FollowUp {
        id: r.get(0)?,
        centre_id: r.get(1)?,
        migrant_id: r.get(2)?,
        case_id: r.get(3)?,
        referral_id: r.get(4)?,
        due_on: r.get(5)?,
        note: r.get(6)?,
        assigned_to: r.get(7)?,
        done_at: r.get(8)?,
        done_by: r.get(9)?,
        meta: RecordMeta::from_row(r, 10)?,
    })
}

pub(crate) fn insert(tx: &Connection, f: &FollowUp) -> Result<()> {
    tx.prepare_cached(&format!(
        "INSERT INTO follow_up (id, centre_id, migrant_id, case_id, referral_id, due_on, note, assigned_to, done_at, done_by, {META_COLUMNS}) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
    ))?
    .execute(params![
        f.id, f.centre_id, f.migrant_id, f.case_id, f.referral_id, f.due_on, f.note, f.assigned_to, f.done_at, f.done_by,
        f.meta.created_at, f.meta.updated_at, f.meta.created_by, f.meta.updated_by, f.meta.deleted_at,
    ])?;
    Ok(())
}

fn get(conn: &Connection, centre_id: Uuid, id: Uuid) -> Result<FollowUp> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM follow_up f WHERE f.id = ?1 AND f.centre_id = ?2 AND f.deleted_at IS NULL"))?
        .query_row(params![id, centre_id], from_row)
        .optional()?
        .ok_or_else(|| CoreError::not_found("follow-up", id))
}

/// A migrant's follow-ups, open ones first, each group by due date.
pub(crate) fn of_migrant(conn: &Connection, migrant_id: Uuid) -> Result<Vec<FollowUp>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM follow_up f WHERE f.migrant_id = ?1 AND f.deleted_at IS NULL ORDER BY f.done_at IS NOT NULL, f.due_on"
    ))?;
    let rows = stmt.query_map([migrant_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn check_note(note: &str, c: &mut Checks) {
    c.text("note", note, true, 500);
}

impl FollowUpInput {
    fn check(&self, tx: &Connection, actor: &Actor, c: &mut Checks) -> Result<()> {
        if self.due_on.is_none() {
            c.fail("due_on", "required", "is required");
        }
        check_note(&self.note, c);
        if let Some(staff) = self.assigned_to {
            centre::check_staff_member(tx, actor.centre_id, staff, "assigned_to", c)?;
        }
        if let Some(id) = self.referral_id {
            match referral::get(tx, actor.centre_id, id) {
                Ok(r) if r.migrant_id != self.migrant_id => c.fail("referral_id", "other_migrant", "belongs to another person"),
                Ok(_) => {}
                Err(CoreError::NotFound { .. }) => c.fail("referral_id", "unknown_referral", "is not an existing referral"),
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

impl Desk {
    pub fn add_follow_up(&mut self, input: FollowUpInput) -> Result<FollowUp> {
        let actor = self.allowed(Action::WorkCases)?;
        let at = now();
        self.store_mut().write(|tx| {
            let mut c = Checks::new();
            input.check(tx, &actor, &mut c)?;
            check_links(tx, &actor, input.migrant_id, input.case_id, None, &mut c)?;
            c.finish()?;
            let record = FollowUp {
                id: new_id(),
                centre_id: actor.centre_id,
                migrant_id: input.migrant_id,
                case_id: input.case_id,
                referral_id: input.referral_id,
                due_on: input.due_on.unwrap_or(crate::record::local_day(at)),
                note: input.note.trim().to_string(),
                assigned_to: input.assigned_to.unwrap_or(actor.staff_id),
                done_at: None,
                done_by: None,
                meta: RecordMeta::new(&actor, at),
            };
            insert(tx, &record)?;
            Ok(record)
        })
    }

    /// Ticks a follow-up off (or back on, when ticked by mistake).
    pub fn set_follow_up_done(&mut self, id: Uuid, done: bool) -> Result<FollowUp> {
        let actor = self.allowed(Action::WorkCases)?;
        let at = now();
        self.store_mut().write(|tx| {
            let (done_at, done_by) = if done { (Some(at), Some(actor.staff_id)) } else { (None, None) };
            let changed = tx.execute(
                "UPDATE follow_up SET done_at = ?1, done_by = ?2, updated_at = ?3, updated_by = ?4 WHERE id = ?5 AND centre_id = ?6 AND deleted_at IS NULL",
                params![done_at, done_by, at, actor.staff_id, id, actor.centre_id],
            )?;
            if changed == 0 {
                return Err(CoreError::not_found("follow-up", id));
            }
            get(tx, actor.centre_id, id)
        })
    }
}
