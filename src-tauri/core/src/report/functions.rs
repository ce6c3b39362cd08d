//! The core's rules, registered as SQL functions so that the report facts
//! (kept by triggers, see migration 0005) use exactly the Rust definitions.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::functions::{Context, FunctionFlags};
use rusqlite::Connection;

use crate::age::AgeBand;
use crate::migrant::Vulnerability;
use crate::record::local_day;

/// Registers `age_band`, `local_day` and `vulnerability_mask` on `conn`.
/// Innocuous: with `trusted_schema` off, triggers and views may only call
/// functions marked so.
pub(crate) fn register(conn: &Connection) -> rusqlite::Result<()> {
    let pure = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC | FunctionFlags::SQLITE_INNOCUOUS;
    // The laptop's time zone decides the day, so not deterministic.
    let local = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_INNOCUOUS;
    conn.create_scalar_function("age_band", 2, pure, age_band)?;
    conn.create_scalar_function("local_day", 1, local, day_of)?;
    conn.create_scalar_function("vulnerability_mask", 1, pure, vulnerability_mask)?;
    Ok(())
}

fn age_band(ctx: &Context) -> rusqlite::Result<&'static str> {
    let birth: Option<NaiveDate> = ctx.get(0)?;
    let on: NaiveDate = ctx.get(1)?;
    Ok(AgeBand::of(birth, on).as_str())
}

fn day_of(ctx: &Context) -> rusqlite::Result<String> {
    let at: DateTime<Utc> = ctx.get(0)?;
    Ok(local_day(at).to_string())
}

/// Bit i set when the person has `Vulnerability::ALL[i]`; new flags are
/// appended to the vocabulary, so stored masks keep their meaning.
fn vulnerability_mask(ctx: &Context) -> rusqlite::Result<i64> {
    let text: String = ctx.get(0)?;
    let flags: Vec<Vulnerability> =
        serde_json::from_str(&text).map_err(|e| rusqlite::Error::UserFunctionError(Box::new(e)))?;
    Ok(mask_of(&flags))
}

pub fn mask_of(flags: &[Vulnerability]) -> i64 {
    flags.iter().fold(0, |mask, flag| {
        let bit = Vulnerability::ALL.iter().position(|f| f == flag).unwrap_or(0);
        mask | (1 << bit)
    })
}
