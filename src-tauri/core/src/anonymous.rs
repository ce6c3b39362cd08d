//! Anonymous contacts: a hotline call or a walk-in from someone who gives no
//! name. Counted by sex and age band; nothing that identifies the person.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{params, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::permission::Action;
use crate::age::AgeBand;
use crate::assistance::AssistanceCategory;
use crate::desk::Desk;
use crate::error::Result;
use crate::migrant::Sex;
use crate::record::{new_id, now, Page, RecordMeta, META_COLUMNS};
use crate::validate::Checks;
use crate::visit::Channel;

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct AnonymousContactInput {
    /// When it happened; now when left out.
    pub occurred_at: Option<DateTime<Utc>>,
    pub channel: Option<Channel>,
    pub topic: String,
    pub sex: Option<Sex>,
    pub age_band: Option<AgeBand>,
    /// Only if the person said it.
    pub citizenship: String,
    pub assistance: Vec<AssistanceCategory>,
    /// Where the person was told to go, as information only: no data is shared.
    pub referred_to: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AnonymousContact {
    pub id: Uuid,
    pub centre_id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub channel: Channel,
    pub topic: String,
    pub sex: Sex,
    pub age_band: AgeBand,
    pub citizenship: String,
    pub assistance: Vec<AssistanceCategory>,
    pub referred_to: String,
    pub notes: String,
    pub meta: RecordMeta,
}

impl AnonymousContactInput {
    pub(crate) fn check(&self, now: DateTime<Utc>) -> Result<()> {
        let mut c = Checks::new();
        if matches!(self.occurred_at, Some(at) if at > now + Duration::minutes(crate::record::CLOCK_GRACE_MINUTES)) {
            c.fail("occurred_at", "future_date", "must not be in the future");
        }
        if self.channel.is_none() {
            c.fail("channel", "required", "is required");
        }
        c.text("topic", &self.topic, true, 200);
        if self.sex.is_none() {
            c.fail("sex", "required", "is required (choose “not stated” if unknown)");
        }
        if self.age_band.is_none() {
            c.fail("age_band", "required", "is required (choose “unknown” if not said)");
        }
        c.country("citizenship", &self.citizenship, false);
        c.text("referred_to", &self.referred_to, false, 200);
        c.notes("notes", &self.notes, 2000);
        c.finish()
    }
}

const COLUMNS: &str = "id, centre_id, occurred_at, channel, topic, sex, age_band, citizenship, assistance, referred_to, notes";

pub(crate) fn insert(tx: &rusqlite::Connection, record: &AnonymousContact) -> Result<()> {
    tx.prepare_cached(&format!("INSERT INTO anonymous_contact ({COLUMNS}, {META_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"))?
        .execute(params![
            record.id, record.centre_id, record.occurred_at, record.channel, record.topic, record.sex, record.age_band,
            record.citizenship, serde_json::to_string(&record.assistance)?, record.referred_to, record.notes,
            record.meta.created_at, record.meta.updated_at, record.meta.created_by, record.meta.updated_by, record.meta.deleted_at,
        ])?;
    Ok(())
}

fn from_row(r: &Row) -> rusqlite::Result<AnonymousContact> {
    Ok(AnonymousContact {
        id: r.get(0)?,
        centre_id: r.get(1)?,
        occurred_at: r.get(2)?,
        channel: r.get(3)?,
        topic: r.get(4)?,
        sex: r.get(5)?,
        age_band: r.get(6)?,
        citizenship: r.get(7)?,
        assistance: crate::record::json_column(r, 8)?,
        referred_to: r.get(9)?,
        notes: r.get(10)?,
        meta: RecordMeta::from_row(r, 11)?,
    })
}

impl Desk {
    pub fn log_anonymous_contact(&mut self, input: AnonymousContactInput) -> Result<AnonymousContact> {
        let actor = self.allowed(Action::WorkCases)?;
        let at = now();
        input.check(at)?;
        let assistance = crate::validate::unique(&input.assistance);
        let record = AnonymousContact {
            id: new_id(),
            centre_id: actor.centre_id,
            occurred_at: input.occurred_at.unwrap_or(at),
            channel: input.channel.unwrap_or(crate::visit::Channel::Hotline),
            topic: input.topic.trim().to_string(),
            sex: input.sex.unwrap_or(Sex::Unknown),
            age_band: input.age_band.unwrap_or(AgeBand::Unknown),
            citizenship: input.citizenship.clone(),
            assistance,
            referred_to: input.referred_to.trim().to_string(),
            notes: input.notes.trim_end().to_string(),
            meta: RecordMeta::new(&actor, at),
        };
        self.store_mut().write(|tx| insert(tx, &record))?;
        Ok(record)
    }

    /// Anonymous contacts, the latest first.
    pub fn list_anonymous_contacts(&self, page: u32, page_size: u32) -> Result<Page<AnonymousContact>> {
        let actor = self.allowed(Action::SeePeople)?;
        let page_size = page_size.clamp(1, 500);
        self.store().read(|conn| {
            let total: u32 = conn.query_row("SELECT count(*) FROM anonymous_contact WHERE centre_id = ?1 AND deleted_at IS NULL", [actor.centre_id], |r| r.get(0))?;
            let items = conn
                .prepare_cached(&format!(
                    "SELECT {COLUMNS}, {META_COLUMNS} FROM anonymous_contact WHERE centre_id = ?1 AND deleted_at IS NULL ORDER BY occurred_at DESC LIMIT ?2 OFFSET ?3"
                ))?
                .query_map(params![actor.centre_id, page_size, page as u64 * page_size as u64], from_row)?
                .collect::<rusqlite::Result<_>>()?;
            Ok(Page { items, total, page, page_size, capped: false })
        })
    }
}
