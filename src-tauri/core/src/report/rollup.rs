//! The totals beside the month (previous month, year to date) and the trend,
//! read from the monthly counts and the per-person spans that the triggers
//! keep (migration 0005), not from every fact of the year.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use rusqlite::{params, Connection};
use uuid::Uuid;

use super::count::{count_small_tables, PeriodCounts};
use super::model::{Period, SectionId};
use crate::migrant::Vulnerability;
use crate::referral::ReferralStatus;
use crate::Result;

/// The count of every row of every section, without breakdowns.
#[derive(Debug, Default)]
pub(crate) struct Totals {
    rows: HashMap<(SectionId, String), u32>,
    /// Keys in first-seen order per section (partners appear this way).
    keys: HashMap<SectionId, Vec<String>>,
    pub sessions_held: u32,
    pub referrals_sent: u32,
    pub referrals_completed: u32,
}

impl Totals {
    pub fn count(&self, id: SectionId, key: &str) -> u32 {
        self.rows.get(&(id, key.to_owned())).copied().unwrap_or(0)
    }

    pub fn keys(&self, id: SectionId) -> &[String] {
        self.keys.get(&id).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Adds totals counted elsewhere (another centre, a small table).
    fn absorb(&mut self, other: Totals) {
        self.sessions_held += other.sessions_held;
        self.referrals_sent += other.referrals_sent;
        self.referrals_completed += other.referrals_completed;
        for id in SectionId::ALL {
            for key in other.keys(*id) {
                self.add(*id, key, other.count(*id, key));
            }
        }
    }

    fn add(&mut self, id: SectionId, key: &str, n: u32) {
        let entry = self.rows.entry((id, key.to_owned())).or_insert_with(|| {
            self.keys.entry(id).or_default().push(key.to_owned());
            0
        });
        *entry += n;
    }

    /// The totals of a period counted fact by fact.
    pub fn of(counts: &PeriodCounts) -> Totals {
        let mut totals = Totals {
            sessions_held: counts.sessions_held,
            referrals_sent: counts.referrals_sent,
            referrals_completed: counts.referrals_completed,
            ..Totals::default()
        };
        for table in &counts.tables {
            totals.add(table.id, "total", table.total.total);
            for (key, tally) in table.keys.iter().zip(&table.rows) {
                totals.add(table.id, key, tally.total);
            }
        }
        totals
    }
}

/// `YYYY-MM`, as months are keyed in the rollups and the trend.
pub(super) fn month_of(day: NaiveDate) -> String {
    day.format("%Y-%m").to_string()
}

pub(super) fn is_month_start(day: NaiveDate) -> bool {
    day.day() == 1
}

pub(super) fn is_month_end(day: NaiveDate) -> bool {
    day.succ_opt().is_some_and(|next| next.day() == 1)
}

/// Which span holds the persons of `period`, when one does: a single month,
/// or a year from its first of January.
fn span_of(period: Period) -> Option<String> {
    if !is_month_end(period.to) {
        return None;
    }
    if is_month_start(period.from) && month_of(period.from) == month_of(period.to) {
        return Some(month_of(period.from));
    }
    let year_start = NaiveDate::from_ymd_opt(period.to.year(), 1, 1)?;
    (period.from == year_start).then(|| period.to.year().to_string())
}

/// The totals of `period` from the rollups, or `None` when the period is not
/// one they can answer (then the caller counts the facts).
pub(crate) fn totals(conn: &Connection, centres: &[Uuid], period: Period) -> Result<Option<Totals>> {
    let Some(span) = span_of(period) else { return Ok(None) };
    let mut totals = Totals::default();
    for &centre in centres {
        add_records(conn, centre, period, &mut totals)?;
        add_open_cases(conn, centre, period, &mut totals)?;
        add_persons(conn, centre, &span, period, &mut totals)?;
        totals.absorb(Totals::of(&count_small_tables(conn, centre, period)?));
    }
    Ok(Some(totals))
}

fn add_records(conn: &Connection, centre: Uuid, period: Period, totals: &mut Totals) -> Result<()> {
    use SectionId as S;
    let mut stmt = conn.prepare_cached(
        "SELECT kind, key, detail, partner_id, sum(n) FROM report_count
          WHERE centre_id = ?1 AND month >= ?2 AND month <= ?3 GROUP BY kind, key, detail, partner_id",
    )?;
    let mut rows = stmt.query(params![centre, month_of(period.from), month_of(period.to)])?;
    while let Some(r) = rows.next()? {
        let (kind, key, detail): (String, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let partner: Vec<u8> = r.get(3)?;
        let n: u32 = r.get(4)?;
        let mut add = |id: S, k: &str| {
            totals.add(id, "total", n);
            totals.add(id, k, n);
        };
        match kind.as_str() {
            "visit" => add(S::Contacts, &key),
            "assistance" => add(S::AssistanceRecords, &key),
            "case" => add(S::CasesOpened, &key),
            "case_closed" => add(S::CasesClosed, &detail),
            "referral" => {
                let partner = Uuid::from_slice(&partner).map(|id| id.to_string()).unwrap_or_default();
                add(S::ReferralsByPartner, &partner);
                add(S::ReferralsByService, &key);
                add(S::ReferralsByStatus, &detail);
                let status = ReferralStatus::parse(&detail);
                if !matches!(status, Some(ReferralStatus::Draft | ReferralStatus::Cancelled)) {
                    totals.referrals_sent += n;
                }
                if status == Some(ReferralStatus::Completed) {
                    totals.referrals_completed += n;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Open at the period's end: opened by then, less closed by then.
fn add_open_cases(conn: &Connection, centre: Uuid, period: Period, totals: &mut Totals) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT key, sum(CASE kind WHEN 'case' THEN n ELSE -n END) FROM report_count
          WHERE centre_id = ?1 AND month <= ?2 AND kind IN ('case', 'case_closed') GROUP BY key",
    )?;
    let mut rows = stmt.query(params![centre, month_of(period.to)])?;
    while let Some(r) = rows.next()? {
        let key: String = r.get(0)?;
        let open = r.get::<_, i64>(1)?.max(0) as u32;
        totals.add(SectionId::CasesOpenAtEnd, "total", open);
        totals.add(SectionId::CasesOpenAtEnd, &key, open);
    }
    Ok(())
}

fn add_persons(conn: &Connection, centre: Uuid, span: &str, period: Period, totals: &mut Totals) -> Result<()> {
    use SectionId as S;
    let mut stmt = conn.prepare_cached(
        "SELECT kind, key, registered_month, vulnerabilities, sum(n) FROM report_span_count
          WHERE centre_id = ?1 AND span = ?2 AND first_month <= ?3 GROUP BY kind, key, registered_month, vulnerabilities",
    )?;
    let (first, last) = (month_of(period.from), month_of(period.to));
    let mut rows = stmt.query(params![centre, span, last])?;
    while let Some(r) = rows.next()? {
        let (kind, key, registered): (String, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let vulnerabilities: i64 = r.get(3)?;
        let persons: u32 = r.get(4)?;
        let row = if key == "*" { "total" } else { key.as_str() };
        match kind.as_str() {
            "any" => {
                totals.add(S::Persons, "total", persons);
                totals.add(S::Persons, "assisted", persons);
                let new = !registered.is_empty() && registered >= first && registered <= last;
                totals.add(S::Persons, "new", if new { persons } else { 0 });
                if vulnerabilities != 0 {
                    totals.add(S::VulnerablePersons, "total", persons);
                    totals.add(S::VulnerablePersons, "any", persons);
                }
                for (bit, flag) in Vulnerability::ALL.iter().enumerate() {
                    if vulnerabilities & (1 << bit) != 0 {
                        totals.add(S::VulnerablePersons, flag.as_str(), persons);
                    }
                }
            }
            "assistance" => totals.add(S::AssistancePersons, row, persons),
            "session" => totals.add(S::SessionParticipants, row, persons),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn only_a_month_or_a_year_to_a_month_end_has_a_span() {
        assert_eq!(span_of(Period { from: day(2026, 10, 1), to: day(2026, 10, 31) }).as_deref(), Some("2026-10"));
        assert_eq!(span_of(Period { from: day(2026, 1, 1), to: day(2026, 10, 31) }).as_deref(), Some("2026"));
        assert_eq!(span_of(Period { from: day(2026, 1, 1), to: day(2026, 10, 30) }), None);
        assert_eq!(span_of(Period { from: day(2026, 9, 1), to: day(2026, 10, 31) }), None);
    }
}
