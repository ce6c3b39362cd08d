//! A case: a problem being worked on for a migrant, with its status history.
//! The allowed status transitions live here and nowhere else.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rand::RngCore;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{CoreError, Result};
use crate::record::{new_id, Actor, RecordMeta, META_COLUMNS};
use crate::validate::Checks;
use crate::vocab::vocabulary;

vocabulary! {
    CaseType {
        LabourDispute = "labour_dispute", Documents = "documents", EntryBan = "entry_ban", Detention = "detention",
        Health = "health", Trafficking = "trafficking", ReturnReintegration = "return_reintegration", Family = "family", Other = "other",
    }
}

vocabulary! { CaseStatus { Open = "open", InProgress = "in_progress", Closed = "closed" } }

vocabulary! { Priority { Low = "low", Normal = "normal", High = "high", Urgent = "urgent" } }

vocabulary! {
    ClosureReason {
        Resolved = "resolved", PartiallyResolved = "partially_resolved", Referred = "referred", LostContact = "lost_contact",
        Withdrawn = "withdrawn", NotEligible = "not_eligible", Duplicate = "duplicate", Other = "other",
    }
}

impl CaseStatus {
    /// The status changes a caseworker may make. A closed case is reopened to open.
    pub fn can_move_to(self, to: CaseStatus) -> bool {
        use CaseStatus::*;
        matches!((self, to), (Open, InProgress) | (Open, Closed) | (InProgress, Closed) | (Closed, Open))
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct CaseInput {
    pub migrant_id: Uuid,
    pub case_type: Option<CaseType>,
    pub priority: Option<Priority>,
    /// The caseworker in charge; the author when left out.
    pub assigned_to: Option<Uuid>,
    /// The day the case was opened; today when left out.
    pub opened_on: Option<NaiveDate>,
    pub summary: String,
    pub notes: String,
}

/// A move of a case to another status.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct CaseTransition {
    pub case_id: Uuid,
    pub to: CaseStatus,
    /// Required when closing.
    pub closure_reason: Option<ClosureReason>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Case {
    pub id: Uuid,
    pub centre_id: Uuid,
    pub migrant_id: Uuid,
    /// A short reference to quote on the phone, unique without any counter.
    pub reference: String,
    pub case_type: CaseType,
    pub status: CaseStatus,
    pub priority: Priority,
    pub assigned_to: Option<Uuid>,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub closure_reason: Option<ClosureReason>,
    pub summary: String,
    pub notes: String,
    pub meta: RecordMeta,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CaseEvent {
    pub id: Uuid,
    pub case_id: Uuid,
    pub from_status: Option<CaseStatus>,
    pub to_status: CaseStatus,
    pub note: String,
    pub at: DateTime<Utc>,
    pub by_staff: Uuid,
}

impl CaseInput {
    pub(crate) fn check(&self, today: NaiveDate, c: &mut Checks) {
        if self.case_type.is_none() {
            c.fail("case_type", "required", "is required");
        }
        if let Some(day) = self.opened_on {
            c.not_future("opened_on", day, today);
        }
        c.text("summary", &self.summary, false, 200);
        c.notes("notes", &self.notes, 10_000);
    }
}

/// A reference such as `2026-K7QD-M3XA`: the year and 40 random bits in
/// Crockford base 32, so laptops that never talk still never clash.
pub fn new_reference(year: i32, rng: &mut impl RngCore) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let bits = rng.next_u64();
    let chars: String = (0..8).map(|i| ALPHABET[((bits >> (i * 5)) & 31) as usize] as char).collect();
    format!("{year}-{}-{}", &chars[..4], &chars[4..])
}

pub(crate) fn build(input: CaseInput, actor: &Actor, now: DateTime<Utc>) -> Case {
    let opened_on = input.opened_on.unwrap_or(crate::record::local_day(now));
    Case {
        id: new_id(),
        centre_id: actor.centre_id,
        migrant_id: input.migrant_id,
        reference: new_reference(opened_on.year(), &mut rand::rng()),
        case_type: input.case_type.unwrap_or(CaseType::Other),
        status: CaseStatus::Open,
        priority: input.priority.unwrap_or(Priority::Normal),
        assigned_to: Some(input.assigned_to.unwrap_or(actor.staff_id)),
        opened_on,
        closed_on: None,
        closure_reason: None,
        summary: input.summary.trim().to_string(),
        notes: input.notes.trim_end().to_string(),
        meta: RecordMeta::new(actor, now),
    }
}

/// Applies a transition to a case, or says why it is not allowed.
pub(crate) fn apply(case: &mut Case, t: &CaseTransition, actor: &Actor, now: DateTime<Utc>) -> Result<()> {
    if !case.status.can_move_to(t.to) {
        return Err(CoreError::InvalidTransition { from: case.status.to_string(), to: t.to.to_string() });
    }
    let mut c = Checks::new();
    if t.to == CaseStatus::Closed && t.closure_reason.is_none() {
        c.fail("closure_reason", "required", "is required to close a case");
    }
    c.notes("note", &t.note, 2000);
    c.finish()?;
    case.status = t.to;
    if t.to == CaseStatus::Closed {
        case.closed_on = Some(crate::record::local_day(now));
        case.closure_reason = t.closure_reason;
    } else {
        case.closed_on = None;
        case.closure_reason = None;
    }
    case.meta.updated_at = now;
    case.meta.updated_by = actor.staff_id;
    Ok(())
}

const COLUMNS: &str = "id, centre_id, migrant_id, reference, case_type, status, priority, assigned_to, opened_on, closed_on, closure_reason, summary, notes";

pub(crate) fn insert(tx: &Connection, k: &Case) -> Result<()> {
    tx.prepare_cached(&format!(
        "INSERT INTO case_file ({COLUMNS}, {META_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"
    ))?
    .execute(params![
        k.id, k.centre_id, k.migrant_id, k.reference, k.case_type, k.status, k.priority, k.assigned_to, k.opened_on,
        k.closed_on, k.closure_reason, k.summary, k.notes, k.meta.created_at, k.meta.updated_at, k.meta.created_by,
        k.meta.updated_by, k.meta.deleted_at,
    ])?;
    Ok(())
}

pub(crate) fn update_status(tx: &Connection, k: &Case) -> Result<()> {
    tx.execute(
        "UPDATE case_file SET status = ?2, closed_on = ?3, closure_reason = ?4, updated_at = ?5, updated_by = ?6 WHERE id = ?1",
        params![k.id, k.status, k.closed_on, k.closure_reason, k.meta.updated_at, k.meta.updated_by],
    )?;
    Ok(())
}

pub(crate) fn record_event(tx: &Connection, case_id: Uuid, from: Option<CaseStatus>, to: CaseStatus, note: &str, actor: &Actor, at: DateTime<Utc>) -> Result<()> {
    insert_event(tx, new_id(), case_id, from, to, note, actor, at)
}

/// `record_event` with the event's id given, for generated data whose ids must repeat.
#[allow(clippy::too_many_arguments)]
pub(crate) fn insert_event(tx: &Connection, id: Uuid, case_id: Uuid, from: Option<CaseStatus>, to: CaseStatus, note: &str, actor: &Actor, at: DateTime<Utc>) -> Result<()> {
    tx.prepare_cached("INSERT INTO case_event (id, case_id, from_status, to_status, note, at, by_staff) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?
        .execute(params![id, case_id, from, to, note.trim(), at, actor.staff_id])?;
    Ok(())
}

fn from_row(r: &Row) -> rusqlite::Result<Case> {
    Ok(Case {
        id: r.get(0)?,
        centre_id: r.get(1)?,
        migrant_id: r.get(2)?,
        reference: r.get(3)?,
        case_type: r.get(4)?,
        status: r.get(5)?,
        priority: r.get(6)?,
        assigned_to: r.get(7)?,
        opened_on: r.get(8)?,
        closed_on: r.get(9)?,
        closure_reason: r.get(10)?,
        summary: r.get(11)?,
        notes: r.get(12)?,
        meta: RecordMeta::from_row(r, 13)?,
    })
}

pub(crate) fn get(conn: &Connection, centre_id: Uuid, id: Uuid) -> Result<Case> {
    conn.prepare_cached(&format!("SELECT {COLUMNS}, {META_COLUMNS} FROM case_file WHERE id = ?1 AND centre_id = ?2 AND deleted_at IS NULL"))?
        .query_row(params![id, centre_id], from_row)
        .optional()?
        .ok_or_else(|| CoreError::not_found("case", id))
}

/// A migrant's cases, newest first.
pub(crate) fn of_migrant(conn: &Connection, migrant_id: Uuid) -> Result<Vec<Case>> {
    let sql = format!("SELECT {COLUMNS}, {META_COLUMNS} FROM case_file WHERE migrant_id = ?1 AND deleted_at IS NULL ORDER BY opened_on DESC, created_at DESC");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([migrant_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn events(conn: &Connection, case_id: Uuid) -> Result<Vec<CaseEvent>> {
    let mut stmt = conn.prepare_cached("SELECT id, case_id, from_status, to_status, note, at, by_staff FROM case_event WHERE case_id = ?1 ORDER BY at, id")?;
    let rows = stmt.query_map([case_id], |r| {
        Ok(CaseEvent { id: r.get(0)?, case_id: r.get(1)?, from_status: r.get(2)?, to_status: r.get(3)?, note: r.get(4)?, at: r.get(5)?, by_staff: r.get(6)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sensible_transitions_are_allowed() {
        use CaseStatus::*;
        let allowed: Vec<(CaseStatus, CaseStatus)> = CaseStatus::ALL
            .iter()
            .flat_map(|&a| CaseStatus::ALL.iter().map(move |&b| (a, b)))
            .filter(|(a, b)| a.can_move_to(*b))
            .collect();
        assert_eq!(allowed, vec![(Open, InProgress), (Open, Closed), (InProgress, Closed), (Closed, Open)]);
    }

    #[test]
    fn references_are_readable_and_distinct() {
        let mut rng = rand::rng();
        let a = new_reference(2026, &mut rng);
        let b = new_reference(2026, &mut rng);
        assert_eq!(a.len(), "2026-XXXX-XXXX".len());
        assert!(a.starts_with("2026-"));
        assert!(!a.contains(['I', 'L', 'O', 'U']));
        assert_ne!(a, b);
    }
}
