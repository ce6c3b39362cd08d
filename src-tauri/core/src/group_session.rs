//! Group sessions: pre-departure orientation, information sessions,
//! workshops, outreach. Registered participants are linked; everyone else is
//! counted by sex and age band only.

use std::collections::HashSet;

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::permission::Action;
use crate::migrant::display_name;
use crate::age::AgeBand;
use crate::centre;
use crate::desk::Desk;
use crate::error::{CoreError, Result};
use crate::migrant::{self, Sex};
use crate::record::{new_id, now, Actor, Page, RecordMeta, META_COLUMNS};
use crate::validate::Checks;
use crate::vocab::vocabulary;

vocabulary! {
    SessionKind {
        PreDeparture = "pre_departure", InformationSession = "information_session", AwarenessWorkshop = "awareness_workshop",
        OutreachEvent = "outreach_event", Training = "training",
    }
}

/// People who took part without registering, counted by sex and age band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AnonymousCount {
    pub sex: Sex,
    pub age_band: AgeBand,
    pub count: u32,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct GroupSessionInput {
    pub kind: Option<SessionKind>,
    pub held_on: Option<NaiveDate>,
    pub topic: String,
    pub place: String,
    pub facilitator_id: Option<Uuid>,
    pub anonymous_counts: Vec<AnonymousCount>,
    pub participant_ids: Vec<Uuid>,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Participant {
    pub migrant_id: Uuid,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct GroupSession {
    pub id: Uuid,
    pub centre_id: Uuid,
    pub kind: SessionKind,
    pub held_on: NaiveDate,
    pub topic: String,
    pub place: String,
    pub facilitator_id: Uuid,
    pub anonymous_counts: Vec<AnonymousCount>,
    pub notes: String,
    pub participants: Vec<Participant>,
    /// Registered participants plus everyone counted anonymously.
    pub total_participants: u32,
    pub meta: RecordMeta,
}

impl GroupSessionInput {
    pub(crate) fn check(&self, tx: &Connection, actor: &Actor, today: NaiveDate) -> Result<()> {
        let mut c = Checks::new();
        if self.kind.is_none() {
            c.fail("kind", "required", "is required");
        }
        match self.held_on {
            None => c.fail("held_on", "required", "is required"),
            Some(day) => c.not_future("held_on", day, today),
        }
        c.text("topic", &self.topic, true, 200);
        c.text("place", &self.place, false, 200);
        match self.facilitator_id {
            None => c.fail("facilitator_id", "required", "is required"),
            Some(id) => centre::check_staff_member(tx, actor.centre_id, id, "facilitator_id", &mut c)?,
        }
        let mut cells = HashSet::new();
        for (i, cell) in self.anonymous_counts.iter().enumerate() {
            if cell.count > 10_000 {
                c.fail(format!("anonymous_counts.{i}.count"), "out_of_range", "must be between 0 and 10000");
            }
            if !cells.insert((cell.sex, cell.age_band)) {
                c.fail(format!("anonymous_counts.{i}"), "duplicate", "this sex and age band is counted twice");
            }
        }
        let mut seen = HashSet::new();
        for (i, id) in self.participant_ids.iter().enumerate() {
            if !seen.insert(*id) {
                c.fail(format!("participant_ids.{i}"), "duplicate", "is listed twice");
            } else if !migrant::exists(tx, actor.centre_id, *id)? {
                c.fail(format!("participant_ids.{i}"), "unknown_migrant", "is not a registered migrant");
            }
        }
        c.notes("notes", &self.notes, 5000);
        c.finish()
    }
}

const COLUMNS: &str = "id, centre_id, kind, held_on, topic, place, facilitator_id, anonymous_counts, notes";

fn from_row(r: &Row) -> rusqlite::Result<GroupSession> {
    let anonymous_counts: Vec<AnonymousCount> = crate::record::json_column(r, 7)?;
    Ok(GroupSession {
        id: r.get(0)?,
        centre_id: r.get(1)?,
        kind: r.get(2)?,
        held_on: r.get(3)?,
        topic: r.get(4)?,
        place: r.get(5)?,
        facilitator_id: r.get(6)?,
        total_participants: anonymous_counts.iter().map(|c| c.count).sum(),
        anonymous_counts,
        notes: r.get(8)?,
        participants: Vec::new(),
        meta: RecordMeta::from_row(r, 9)?,
    })
}

fn participants(conn: &Connection, session_id: Uuid) -> Result<Vec<Participant>> {
    let mut stmt = conn.prepare_cached(
        concat!("SELECT p.migrant_id, ", display_name!(), " FROM group_participant p JOIN migrant m ON m.id = p.migrant_id \
         WHERE p.session_id = ?1 AND m.deleted_at IS NULL ORDER BY m.family_name, m.given_name"),
    )?;
    let rows = stmt.query_map([session_id], |r| Ok(Participant { migrant_id: r.get(0)?, name: r.get(1)? }))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn with_participants(conn: &Connection, mut s: GroupSession) -> Result<GroupSession> {
    s.participants = participants(conn, s.id)?;
    s.total_participants += s.participants.len() as u32;
    Ok(s)
}

fn get(conn: &Connection, centre_id: Uuid, id: Uuid) -> Result<GroupSession> {
    let s = conn
        .prepare_cached(&format!("SELECT {COLUMNS}, {META_COLUMNS} FROM group_session WHERE id = ?1 AND centre_id = ?2 AND deleted_at IS NULL"))?
        .query_row(params![id, centre_id], from_row)
        .optional()?
        .ok_or_else(|| CoreError::not_found("group session", id))?;
    with_participants(conn, s)
}

/// Writes the session's own row (not its participants).
pub(crate) fn save_row(tx: &Connection, s: &GroupSession) -> Result<()> {
    tx.prepare_cached(&format!(
        "INSERT INTO group_session ({COLUMNS}, {META_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) \
         ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, held_on = excluded.held_on, topic = excluded.topic, place = excluded.place, \
         facilitator_id = excluded.facilitator_id, anonymous_counts = excluded.anonymous_counts, notes = excluded.notes, \
         updated_at = excluded.updated_at, updated_by = excluded.updated_by"
    ))?
    .execute(params![
        s.id, s.centre_id, s.kind, s.held_on, s.topic, s.place, s.facilitator_id, serde_json::to_string(&s.anonymous_counts)?, s.notes,
        s.meta.created_at, s.meta.updated_at, s.meta.created_by, s.meta.updated_by, s.meta.deleted_at,
    ])?;
    Ok(())
}

/// Adds one registered participant under a given id.
pub(crate) fn insert_participant(tx: &Connection, id: Uuid, session_id: Uuid, migrant_id: Uuid, at: chrono::DateTime<chrono::Utc>, by: Uuid) -> Result<()> {
    tx.prepare_cached("INSERT INTO group_participant (id, session_id, migrant_id, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![id, session_id, migrant_id, at, by])?;
    Ok(())
}

/// Writes the session and makes its participant list exactly `ids`.
fn save(tx: &Connection, s: &GroupSession, ids: &[Uuid], actor: &Actor) -> Result<()> {
    save_row(tx, s)?;
    // Participants whose record was deleted are not shown, so the form cannot
    // send them back: keep their rows, a restored migrant keeps the session.
    let current: Vec<Uuid> = tx
        .prepare_cached(
            "SELECT p.migrant_id FROM group_participant p JOIN migrant m ON m.id = p.migrant_id \
             WHERE p.session_id = ?1 AND m.deleted_at IS NULL",
        )?
        .query_map([s.id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for gone in current.iter().filter(|id| !ids.contains(id)) {
        tx.execute("DELETE FROM group_participant WHERE session_id = ?1 AND migrant_id = ?2", params![s.id, gone])?;
    }
    for new in ids.iter().filter(|id| !current.contains(id)) {
        insert_participant(tx, new_id(), s.id, *new, s.meta.updated_at, actor.staff_id)?;
    }
    Ok(())
}

impl Desk {
    /// Records a new session (`id` None) or changes one, with its participants.
    pub fn save_group_session(&mut self, id: Option<Uuid>, input: GroupSessionInput) -> Result<GroupSession> {
        let actor = self.allowed(Action::WorkCases)?;
        let at = now();
        self.store_mut().write(|tx| {
            input.check(tx, &actor, crate::record::local_day(at))?;
            let existing = id.map(|id| get(tx, actor.centre_id, id)).transpose()?;
            let mut meta = existing.as_ref().map(|s| s.meta.clone()).unwrap_or_else(|| RecordMeta::new(&actor, at));
            meta.updated_at = at;
            meta.updated_by = actor.staff_id;
            let record = GroupSession {
                id: existing.as_ref().map(|s| s.id).unwrap_or_else(new_id),
                centre_id: actor.centre_id,
                kind: input.kind.unwrap_or(SessionKind::InformationSession),
                held_on: input.held_on.unwrap_or(crate::record::local_day(at)),
                topic: input.topic.trim().to_string(),
                place: input.place.trim().to_string(),
                facilitator_id: input.facilitator_id.unwrap_or(actor.staff_id),
                // A zero is "nobody of that sex and age": not a cell to keep.
                anonymous_counts: input.anonymous_counts.iter().filter(|c| c.count > 0).copied().collect(),
                notes: input.notes.trim_end().to_string(),
                participants: Vec::new(),
                total_participants: 0,
                meta,
            };
            save(tx, &record, &input.participant_ids, &actor)?;
            get(tx, actor.centre_id, record.id)
        })
    }

    /// Sessions, the latest first.
    pub fn list_group_sessions(&self, page: u32, page_size: u32) -> Result<Page<GroupSession>> {
        let actor = self.allowed(Action::SeePeople)?;
        let page_size = page_size.clamp(1, 200);
        self.store().read(|conn| {
            let total: u32 = conn.query_row("SELECT count(*) FROM group_session WHERE centre_id = ?1 AND deleted_at IS NULL", [actor.centre_id], |r| r.get(0))?;
            let sessions: Vec<GroupSession> = conn
                .prepare_cached(&format!(
                    "SELECT {COLUMNS}, {META_COLUMNS} FROM group_session WHERE centre_id = ?1 AND deleted_at IS NULL \
                     ORDER BY held_on DESC, created_at DESC LIMIT ?2 OFFSET ?3"
                ))?
                .query_map(params![actor.centre_id, page_size, page as u64 * page_size as u64], from_row)?
                .collect::<rusqlite::Result<_>>()?;
            let items = sessions.into_iter().map(|s| with_participants(conn, s)).collect::<Result<_>>()?;
            Ok(Page { items, total, page, page_size, capped: false })
        })
    }
}
