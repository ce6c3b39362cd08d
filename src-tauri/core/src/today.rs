//! The caseworker's "Today": what is due, what is waiting for a partner's
//! answer, and which of their cases nobody has seen for a month.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::{params, Connection};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use crate::permission::Action;
use crate::migrant::display_name;
use crate::case::{self, Case};
use crate::desk::Desk;
use crate::error::Result;
use crate::follow_up::{self, FollowUp};
use crate::record::Actor;
use crate::referral::{self, Referral};

/// A case with no visit for this many days shows on Today.
pub const QUIET_CASE_DAYS: i64 = 30;

#[derive(Debug, Clone, Serialize, TS)]
pub struct DueFollowUp {
    pub follow_up: FollowUp,
    pub migrant_name: String,
    pub overdue: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct WaitingReferral {
    pub referral: Referral,
    pub migrant_name: String,
    #[ts(type = "number")]
    pub days_waiting: i64,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct QuietCase {
    pub case: Case,
    pub migrant_name: String,
    pub last_visit: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Today {
    pub date: NaiveDate,
    pub follow_ups: Vec<DueFollowUp>,
    pub waiting_referrals: Vec<WaitingReferral>,
    pub quiet_cases: Vec<QuietCase>,
    /// Days after which a sent referral with no answer shows here (set per centre).
    pub reminder_days: u32,
}

impl Desk {
    /// Today's work of the staff member at the desk, as of `now`.
    pub fn today(&self, now: DateTime<Utc>) -> Result<Today> {
        let actor = self.allowed(Action::SeePeople)?;
        self.store().read(|conn| {
            let reminder_days: u32 = conn.query_row("SELECT referral_reminder_days FROM centre WHERE id = ?1", [actor.centre_id], |r| r.get(0))?;
            Ok(Today {
                date: crate::record::local_day(now),
                follow_ups: due_follow_ups(conn, &actor, crate::record::local_day(now))?,
                waiting_referrals: waiting_referrals(conn, &actor, now, reminder_days)?,
                quiet_cases: quiet_cases(conn, &actor, now)?,
                reminder_days,
            })
        })
    }

    /// Sets after how many days an unanswered referral is brought back to
    /// mind; 0 shows every referral still waiting for an answer.
    pub fn set_referral_reminder_days(&mut self, days: Option<i32>) -> Result<()> {
        let actor = self.allowed(Action::SetUpCentre)?;
        let mut c = crate::validate::Checks::new();
        match days {
            None => c.fail("days", "required", "is required"),
            Some(d) if !(0..=365).contains(&d) => c.fail("days", "out_of_range", "must be between 0 and 365"),
            Some(_) => {}
        }
        c.finish()?;
        self.store_mut().write(|tx| {
            tx.execute("UPDATE centre SET referral_reminder_days = ?1, updated_at = ?2 WHERE id = ?3", params![days, crate::record::now(), actor.centre_id])?;
            Ok(())
        })
    }
}

fn due_follow_ups(conn: &Connection, actor: &Actor, today: NaiveDate) -> Result<Vec<DueFollowUp>> {
    let mut stmt = conn.prepare_cached(&format!(
        concat!("SELECT {}, ", display_name!(), " FROM follow_up f JOIN migrant m ON m.id = f.migrant_id \
         WHERE f.assigned_to = ?1 AND f.done_at IS NULL AND f.deleted_at IS NULL AND f.due_on <= ?2 AND m.deleted_at IS NULL \
         ORDER BY f.due_on, f.created_at LIMIT 200"),
        follow_up::COLUMNS
    ))?;
    let rows = stmt.query_map(params![actor.staff_id, today], |r| {
        let follow_up = follow_up::from_row(r)?;
        let overdue = follow_up.due_on < today;
        Ok(DueFollowUp { follow_up, migrant_name: r.get(15)?, overdue })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn waiting_referrals(conn: &Connection, actor: &Actor, now: DateTime<Utc>, days: u32) -> Result<Vec<WaitingReferral>> {
    let cutoff = now - Duration::days(days as i64);
    let ids: Vec<(Uuid, String)> = conn
        .prepare_cached(
            concat!("SELECT r.id, ", display_name!(), " FROM referral r \
             JOIN case_file c ON c.id = r.case_id JOIN migrant m ON m.id = r.migrant_id \
             WHERE r.centre_id = ?1 AND r.status = 'sent' AND r.status_changed_at < ?2 AND r.deleted_at IS NULL \
             AND c.assigned_to = ?3 AND c.deleted_at IS NULL AND m.deleted_at IS NULL ORDER BY r.status_changed_at LIMIT 200"),
        )?
        .query_map(params![actor.centre_id, cutoff, actor.staff_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    ids.into_iter()
        .map(|(id, migrant_name)| {
            let referral = referral::get(conn, actor.centre_id, id)?;
            let days_waiting = (now - referral.status_changed_at).num_days();
            Ok(WaitingReferral { referral, migrant_name, days_waiting })
        })
        .collect()
}

fn quiet_cases(conn: &Connection, actor: &Actor, now: DateTime<Utc>) -> Result<Vec<QuietCase>> {
    let cutoff = now - Duration::days(QUIET_CASE_DAYS);
    let rows: Vec<(Uuid, String, Option<DateTime<Utc>>)> = conn
        .prepare_cached(
            concat!("SELECT id, name, last FROM ( \
               SELECT c.id, ", display_name!(), " AS name, c.opened_on, \
                 (SELECT max(v.occurred_at) FROM visit v WHERE v.migrant_id = c.migrant_id AND v.deleted_at IS NULL) AS last \
               FROM case_file c JOIN migrant m ON m.id = c.migrant_id \
               WHERE c.assigned_to = ?1 AND c.status != 'closed' AND c.deleted_at IS NULL AND m.deleted_at IS NULL AND c.opened_on <= ?2) \
             WHERE last IS NULL OR last < ?3 ORDER BY last, opened_on LIMIT 200"),
        )?
        .query_map(params![actor.staff_id, crate::record::local_day(cutoff), cutoff], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter()
        .map(|(id, migrant_name, last_visit)| Ok(QuietCase { case: case::get(conn, actor.centre_id, id)?, migrant_name, last_visit }))
        .collect()
}
