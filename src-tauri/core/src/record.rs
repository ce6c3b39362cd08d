//! What every record carries: its id, who wrote it and when, and whether it
//! was deleted. Also the acting staff member that every write is made by.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// Who is doing the work: every write is attributed to them and their centre.
/// When accounts arrive, an authenticated session produces this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Actor {
    pub centre_id: Uuid,
    pub staff_id: Uuid,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RecordMeta {
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: Uuid,
    pub updated_by: Uuid,
    pub deleted_at: Option<DateTime<Utc>>,
}

impl RecordMeta {
    pub(crate) fn new(actor: &Actor, now: DateTime<Utc>) -> Self {
        RecordMeta { created_at: now, updated_at: now, created_by: actor.staff_id, updated_by: actor.staff_id, deleted_at: None }
    }

    /// Reads the common columns, which every query selects last in this order.
    pub(crate) fn from_row(row: &rusqlite::Row, first: usize) -> rusqlite::Result<Self> {
        Ok(RecordMeta {
            created_at: row.get(first)?,
            updated_at: row.get(first + 1)?,
            created_by: row.get(first + 2)?,
            updated_by: row.get(first + 3)?,
            deleted_at: row.get(first + 4)?,
        })
    }
}

/// The common columns, in the order `RecordMeta::from_row` reads them.
pub(crate) const META_COLUMNS: &str = "created_at, updated_at, created_by, updated_by, deleted_at";

/// The calendar day of `at` where the laptop is: a centre in Dushanbe works
/// on Dushanbe's dates, whatever UTC says.
pub fn local_day(at: DateTime<Utc>) -> chrono::NaiveDate {
    at.with_timezone(&chrono::Local).date_naive()
}

/// Reads a JSON column (a list kept inside the row) into its Rust type.
pub(crate) fn json_column<T: serde::de::DeserializeOwned>(row: &rusqlite::Row, index: usize) -> rusqlite::Result<T> {
    let text: String = row.get(index)?;
    serde_json::from_str(&text).map_err(|e| rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(e)))
}

/// How far ahead of the laptop's clock a time may be: the form's clock and
/// the laptop's may disagree by a few minutes.
pub(crate) const CLOCK_GRACE_MINUTES: i64 = 5;

/// A new time-ordered id: v7 ids sort by creation and never clash across laptops.
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}

/// The current time, truncated to milliseconds so it round-trips through text exactly.
pub fn now() -> DateTime<Utc> {
    let t = Utc::now();
    DateTime::parse_from_rfc3339(&t.to_rfc3339_opts(SecondsFormat::Millis, true)).map(|t| t.with_timezone(&Utc)).unwrap_or(t)
}

/// Marks a record of the actor's centre deleted or restores it; shared by
/// every kind of record that has a centre.
pub(crate) fn set_deleted(
    tx: &rusqlite::Connection,
    table: &'static str,
    id: Uuid,
    actor: &Actor,
    deleted: bool,
) -> crate::error::Result<()> {
    let now = now();
    let sql = if deleted {
        format!("UPDATE {table} SET deleted_at = ?1, deleted_by = ?2, updated_at = ?1, updated_by = ?2 WHERE id = ?3 AND centre_id = ?4 AND deleted_at IS NULL")
    } else {
        format!("UPDATE {table} SET deleted_at = NULL, deleted_by = NULL, updated_at = ?1, updated_by = ?2 WHERE id = ?3 AND centre_id = ?4 AND deleted_at IS NOT NULL")
    };
    let changed = tx.execute(&sql, rusqlite::params![now, actor.staff_id, id, actor.centre_id])?;
    if changed == 0 {
        return Err(crate::error::CoreError::not_found(table, id));
    }
    Ok(())
}

/// A page of a longer list.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u32,
    pub page: u32,
    pub page_size: u32,
    /// More matched than `total`: a search this broad lists only the first
    /// `total`, and says so, rather than count and sort them all.
    pub capped: bool,
}
