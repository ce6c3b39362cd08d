//! A visit or contact: each time a person is in touch with the centre.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{params, Connection, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::Result;
use crate::record::{new_id, Actor, RecordMeta, META_COLUMNS};
use crate::validate::Checks;
use crate::vocab::vocabulary;

vocabulary! {
    Channel { WalkIn = "walk_in", Phone = "phone", Hotline = "hotline", Messenger = "messenger", Outreach = "outreach", Online = "online" }
}

vocabulary! {
    VisitPurpose {
        Information = "information", Consultation = "consultation", Documents = "documents", CaseFollowUp = "case_follow_up",
        Referral = "referral", Emergency = "emergency", PreDeparture = "pre_departure", Other = "other",
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct VisitInput {
    pub migrant_id: Uuid,
    pub case_id: Option<Uuid>,
    /// When the visit happened; now when left out.
    pub occurred_at: Option<DateTime<Utc>>,
    pub channel: Option<Channel>,
    pub purpose: Option<VisitPurpose>,
    #[ts(type = "number | null")]
    pub duration_minutes: Option<i64>,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Visit {
    pub id: Uuid,
    pub centre_id: Uuid,
    pub migrant_id: Uuid,
    pub case_id: Option<Uuid>,
    pub occurred_at: DateTime<Utc>,
    pub channel: Channel,
    pub purpose: VisitPurpose,
    pub duration_minutes: Option<u32>,
    pub caseworker_id: Uuid,
    pub notes: String,
    pub meta: RecordMeta,
}

impl VisitInput {
    pub(crate) fn check(&self, now: DateTime<Utc>, c: &mut Checks) {
        if let Some(at) = self.occurred_at {
            if at > now + Duration::minutes(crate::record::CLOCK_GRACE_MINUTES) {
                c.fail("occurred_at", "future_date", "must not be in the future");
            }
        }
        if self.channel.is_none() {
            c.fail("channel", "required", "is required");
        }
        if self.purpose.is_none() {
            c.fail("purpose", "required", "is required");
        }
        if matches!(self.duration_minutes, Some(m) if !(1..=24 * 60).contains(&m)) {
            c.fail("duration_minutes", "out_of_range", "must be between 1 and 1440 minutes");
        }
        c.notes("notes", &self.notes, 5000);
    }

    pub(crate) fn into_visit(self, actor: &Actor, now: DateTime<Utc>) -> Visit {
        Visit {
            id: new_id(),
            centre_id: actor.centre_id,
            migrant_id: self.migrant_id,
            case_id: self.case_id,
            occurred_at: self.occurred_at.unwrap_or(now),
            channel: self.channel.unwrap_or(Channel::WalkIn),
            purpose: self.purpose.unwrap_or(VisitPurpose::Other),
            duration_minutes: self.duration_minutes.map(|m| m as u32),
            caseworker_id: actor.staff_id,
            notes: self.notes.trim_end().to_string(),
            meta: RecordMeta::new(actor, now),
        }
    }
}

const COLUMNS: &str = "id, centre_id, migrant_id, case_id, occurred_at, channel, purpose, duration_minutes, caseworker_id, notes";

pub(crate) fn insert(tx: &Connection, v: &Visit) -> Result<()> {
    tx.prepare_cached(&format!("INSERT INTO visit ({COLUMNS}, {META_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"))?
        .execute(params![
            v.id, v.centre_id, v.migrant_id, v.case_id, v.occurred_at, v.channel, v.purpose, v.duration_minutes,
            v.caseworker_id, v.notes, v.meta.created_at, v.meta.updated_at, v.meta.created_by, v.meta.updated_by, v.meta.deleted_at,
        ])?;
    Ok(())
}

fn from_row(r: &Row) -> rusqlite::Result<Visit> {
    Ok(Visit {
        id: r.get(0)?,
        centre_id: r.get(1)?,
        migrant_id: r.get(2)?,
        case_id: r.get(3)?,
        occurred_at: r.get(4)?,
        channel: r.get(5)?,
        purpose: r.get(6)?,
        duration_minutes: r.get(7)?,
        caseworker_id: r.get(8)?,
        notes: r.get(9)?,
        meta: RecordMeta::from_row(r, 10)?,
    })
}

/// A migrant's visits, newest first.
pub(crate) fn of_migrant(conn: &Connection, migrant_id: Uuid) -> Result<Vec<Visit>> {
    let sql = format!("SELECT {COLUMNS}, {META_COLUMNS} FROM visit WHERE migrant_id = ?1 AND deleted_at IS NULL ORDER BY occurred_at DESC");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([migrant_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The visit's migrant, to check that linked records belong together.
pub(crate) fn migrant_of(conn: &Connection, centre_id: Uuid, id: Uuid) -> Result<Option<Uuid>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached("SELECT migrant_id FROM visit WHERE id = ?1 AND centre_id = ?2 AND deleted_at IS NULL")?
        .query_row(params![id, centre_id], |r| r.get(0))
        .optional()?)
}
