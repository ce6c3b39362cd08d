//! The monthly assistance report: one model computed here, shown by the
//! dashboard and written to every format from the same value.

mod count;
pub(crate) mod functions;
pub mod model;
mod rollup;
mod suppress;
mod tally;

use chrono::{Datelike, Days, Months, NaiveDate};
use rusqlite::Connection;
use uuid::Uuid;

pub use model::*;

use crate::permission::Action;
use crate::desk::Desk;
use crate::migrant::display_name;
use crate::error::CoreError;
use crate::validate::Checks;
use crate::record::Page;
use crate::Result;
use count::{count_period, PeriodCounts};
use rollup::Totals;
use tally::{age_index, sex_index, status_index, Citizenships, Probe};

/// The longest period one report covers: two years of months side by side
/// is what a programme compares; more is a data export, not a report.
const MAX_PERIOD_DAYS: i64 = 3 * 366;

impl Period {
    /// The calendar month `YYYY-MM`.
    pub fn month(text: &str) -> Option<Period> {
        Period::month_from(NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d").ok()?)
    }

    /// The calendar month that starts on `from`.
    fn month_from(from: NaiveDate) -> Option<Period> {
        let to = from.checked_add_months(Months::new(1))?.pred_opt()?;
        Some(Period { from, to })
    }

    fn is_whole_months(&self) -> bool {
        rollup::is_month_start(self.from) && rollup::is_month_end(self.to)
    }

    /// The period of the same length just before: the previous months for
    /// whole months, otherwise the same number of days.
    pub fn previous(&self) -> Period {
        if self.is_whole_months() {
            let months = (self.to.year() - self.from.year()) * 12 + self.to.month() as i32 - self.from.month() as i32 + 1;
            let from = self.from.checked_sub_months(Months::new(months as u32)).unwrap_or(self.from);
            return Period { from, to: self.from.pred_opt().unwrap_or(self.from) };
        }
        let days = (self.to - self.from).num_days() as u64 + 1;
        let to = self.from.pred_opt().unwrap_or(self.from);
        Period { from: self.from.checked_sub_days(Days::new(days)).unwrap_or(self.from), to }
    }

    pub fn year_to_date(&self) -> Period {
        Period { from: NaiveDate::from_ymd_opt(self.to.year(), 1, 1).unwrap_or(self.to), to: self.to }
    }
}

fn check(request: &ReportRequest) -> Result<()> {
    let mut c = Checks::new();
    if request.to < request.from {
        c.fail("to", "before_start", "must not be before the start of the period");
    } else if (request.to - request.from).num_days() >= MAX_PERIOD_DAYS {
        c.fail("to", "too_long", "the period may be at most three years");
    }
    c.finish()
}

fn centres_of(conn: &Connection, request: &ReportRequest, actor: &crate::record::Actor) -> Result<Vec<(Uuid, String)>> {
    // From the practice centre only its own invented work is in reach, never
    // a real centre's people (anyone may practise as a supervisor there).
    let practising: bool = conn.query_row("SELECT practice FROM centre WHERE id = ?1", [actor.centre_id], |r| r.get(0))?;
    let wanted = if practising { Some(actor.centre_id) } else { request.centre_id };
    // "Every centre" means every real one: a practice centre's invented work is never counted with them.
    let mut stmt = conn.prepare("SELECT id, name FROM centre WHERE (?1 IS NULL AND practice = 0) OR id = ?1 ORDER BY name")?;
    let rows = stmt.query_map([wanted], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let centres = rows.collect::<rusqlite::Result<Vec<(Uuid, String)>>>()?;
    if centres.is_empty() {
        return Err(CoreError::NotFound { kind: "centre", id: request.centre_id.map(|id| id.to_string()).unwrap_or_default() });
    }
    Ok(centres)
}

/// Citizenship columns: those counted in the period, most frequent first.
fn citizenship_order(current: &PeriodCounts, cits: &Citizenships) -> Vec<u16> {
    let mut totals = vec![0u64; cits.codes.len()];
    for table in &current.tables {
        for (i, n) in table.total.citizenship.iter().enumerate() {
            totals[i] += *n as u64;
        }
    }
    let mut order: Vec<u16> = (0..cits.codes.len() as u16).filter(|i| totals[*i as usize] > 0).collect();
    order.sort_by(|a, b| totals[*b as usize].cmp(&totals[*a as usize]).then_with(|| cits.codes[*a as usize].cmp(&cits.codes[*b as usize])));
    order
}

fn partner_names(conn: &Connection) -> Result<std::collections::HashMap<String, String>> {
    let mut stmt = conn.prepare("SELECT id, name FROM partner")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, Uuid>(0)?.to_string(), r.get::<_, String>(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn build_sections(conn: &Connection, current: &PeriodCounts, previous: &Totals, ytd: &Totals, order: &[u16]) -> Result<Vec<Section>> {
    let partners = partner_names(conn)?;
    let mut sections = Vec::new();
    for table in &current.tables {
        let mut keys = table.keys.clone();
        // Partners appear when they had a referral in any of the columns.
        for other in [previous, ytd] {
            for key in other.keys(table.id).iter().filter(|k| *k != "total") {
                if !keys.contains(key) {
                    keys.push(key.clone());
                }
            }
        }
        let row = |key: &str, current_breakdown: Breakdown| Row {
            key: key.to_owned(),
            label: if table.id == SectionId::ReferralsByPartner { partners.get(key).cloned() } else { None },
            current: current_breakdown,
            previous: Some(previous.count(table.id, key)),
            year_to_date: Some(ytd.count(table.id, key)),
        };
        // Where a named row already is the total (everyone assisted, anyone
        // vulnerable), a "total" row would only repeat it.
        let mut rows = Vec::new();
        if !matches!(table.id, SectionId::Persons | SectionId::VulnerablePersons) {
            rows.push(row("total", table.total.breakdown(order)));
        }
        for key in &keys {
            let tally = table.keys.iter().position(|k| k == key).map(|i| table.rows[i].clone()).unwrap_or_default();
            rows.push(row(key, tally.breakdown(order)));
        }
        if table.id == SectionId::ReferralsByPartner && rows.len() > 1 {
            rows[1..].sort_by(|a, b| a.label.cmp(&b.label));
        }
        sections.push(Section { id: table.id, unit: table.unit, rows });
    }
    Ok(sections)
}

fn headline(current: &Totals, previous: &Totals, ytd: &Totals) -> Vec<Headline> {
    let of = |id: HeadlineId, p: &Totals| -> u32 {
        match suppress::source_of(id) {
            Some((section, key)) if id != HeadlineId::ReferralsCompleted => p.count(section, key),
            _ if id == HeadlineId::ReferralsCompleted => p.referrals_completed,
            _ => p.sessions_held,
        }
    };
    HeadlineId::ALL
        .iter()
        .map(|&id| Headline { id, current: Some(of(id, current)), previous: Some(of(id, previous)), year_to_date: Some(of(id, ytd)) })
        .collect()
}

fn rate(p: &Totals) -> Option<f64> {
    (p.referrals_sent > 0).then(|| (p.referrals_completed as f64 * 1000.0 / p.referrals_sent as f64).round() / 10.0)
}

impl Desk {
    /// The report for a centre (or every centre) and a period, with the
    /// previous period and the year to date beside it.
    pub fn report(&self, request: &ReportRequest) -> Result<Report> {
        let actor = self.allowed(Action::SeeReport)?;
        check(request)?;
        let report = self.store().read(|conn| {
            let generated_by = crate::centre::staff_name(conn, actor.staff_id)?;
            let centres = centres_of(conn, request, &actor)?;
            let ids: Vec<Uuid> = centres.iter().map(|c| c.0).collect();
            let period = Period { from: request.from, to: request.to };
            let (previous_period, ytd_period) = (period.previous(), period.year_to_date());
            let mut cits = Citizenships::default();
            let current = count_period(conn, &ids, period, &mut cits, None, self.store().reader()?)?;
            let previous = totals_of(conn, &ids, previous_period)?;
            let ytd = totals_of(conn, &ids, ytd_period)?;
            let order = citizenship_order(&current, &cits);
            let current_totals = Totals::of(&current);
            let mut report = Report {
                request: request.clone(),
                centres: centres.into_iter().map(|c| c.1).collect(),
                period,
                previous: previous_period,
                year_to_date: ytd_period,
                generated_at: crate::record::now(),
                generated_by,
                citizenships: order.iter().map(|i| cits.codes[*i as usize].clone()).collect(),
                headline: headline(&current_totals, &previous, &ytd),
                referral_completed_rate: Rates { current: rate(&current_totals), previous: rate(&previous), year_to_date: rate(&ytd) },
                sections: build_sections(conn, &current, &previous, &ytd, &order)?,
            };
            if request.for_sharing {
                suppress::protect(&mut report);
            }
            Ok(report)
        })?;
        let what = serde_json::json!({ "from": request.from, "to": request.to, "centre": request.centre_id, "for_sharing": request.for_sharing });
        self.audit(&actor, crate::audit::Event::plain("report").with(what))?;
        Ok(report)
    }

    /// The records behind one number of the current period's report, in
    /// the order they were counted. Never for a report meant for sharing.
    pub fn report_records(&self, request: &ReportRequest, filter: &CellFilter, page: u32, page_size: u32) -> Result<Page<ReportRecord>> {
        let actor = self.allowed(Action::SeeReportRecords)?;
        check(request)?;
        if request.for_sharing {
            let mut c = Checks::new();
            c.fail("for_sharing", "no_records_for_sharing", "a report for sharing never lists the people behind its numbers");
            c.finish()?;
        }
        let section = filter.section.unwrap_or(SectionId::Persons);
        let mut probe = Probe {
            section,
            key: filter.key.clone().filter(|k| k != "total"),
            sex: filter.sex.map(|s| sex_index(s.as_str())),
            age: filter.age_band.map(|a| age_index(a.as_str())),
            status: filter.migration_status.map(|s| status_index(s.as_str())),
            citizenship: filter.citizenship.clone(),
            found: Vec::new(),
        };
        // The persons table's total is the "assisted" row.
        if section == SectionId::Persons && probe.key.is_none() {
            probe.key = Some("assisted".into());
        }
        let page_size = page_size.clamp(1, 500);
        self.store().read(|conn| {
            let centres = centres_of(conn, request, &actor)?;
            let ids: Vec<Uuid> = centres.iter().map(|c| c.0).collect();
            let mut cits = Citizenships::default();
            count_period(conn, &ids, Period { from: request.from, to: request.to }, &mut cits, Some(&mut probe), None)?;
            let total = probe.found.len() as u32;
            let wanted = probe.found.iter().skip((page as usize).saturating_mul(page_size as usize)).take(page_size as usize);
            let items = wanted.map(|id| record_of(conn, *id)).collect::<Result<Vec<_>>>()?;
            Ok(Page { items, total, page, page_size, capped: false })
        })
    }

    /// Persons, visits, assistance and referrals for the twelve months up to
    /// the month of `to`.
    pub fn report_trend(&self, centre_id: Option<Uuid>, to: NaiveDate, for_sharing: bool) -> Result<Vec<TrendPoint>> {
        let actor = self.allowed(Action::SeeReport)?;
        let request = ReportRequest { centre_id, from: to, to, for_sharing: false };
        self.store().read(|conn| {
            let ids: Vec<Uuid> = centres_of(conn, &request, &actor)?.into_iter().map(|c| c.0).collect();
            let last = NaiveDate::from_ymd_opt(to.year(), to.month(), 1).unwrap_or(to);
            let mut points = Vec::new();
            for back in (0..12).rev() {
                let from = last.checked_sub_months(Months::new(back)).unwrap_or(last);
                let period = Period::month_from(from).unwrap_or(Period { from, to: from });
                let p = totals_of(conn, &ids, period)?;
                let shown = |n: u32| if for_sharing { suppress::shareable(n) } else { Some(n) };
                points.push(TrendPoint {
                    month: rollup::month_of(from),
                    persons_assisted: shown(p.count(SectionId::Persons, "assisted")),
                    visits: shown(p.count(SectionId::Contacts, "total")),
                    assistance_records: shown(p.count(SectionId::AssistanceRecords, "total")),
                    referrals_made: shown(p.count(SectionId::ReferralsByStatus, "total")),
                });
            }
            Ok(points)
        })
    }
}

/// The totals of a period from the rollups where they can answer, else
/// counted fact by fact.
fn totals_of(conn: &Connection, centres: &[Uuid], period: Period) -> Result<Totals> {
    match rollup::totals(conn, centres, period)? {
        Some(totals) => Ok(totals),
        None => Ok(Totals::of(&count_period(conn, centres, period, &mut Citizenships::default(), None, None)?)),
    }
}

/// What a counted record is, for the list behind a number.
fn record_of(conn: &Connection, id: Uuid) -> Result<ReportRecord> {
    let found = conn.query_row(
        concat!("SELECT f.kind, f.day, f.key, m.id, ", display_name!(), "
           FROM report_fact f JOIN migrant m ON m.id = f.person_id WHERE f.record_id = ?1"),
        [id],
        |r| Ok(ReportRecord { record_id: id, kind: r.get(0)?, day: r.get(1)?, key: r.get(2)?, migrant_id: r.get(3)?, migrant_name: r.get(4)? }),
    );
    match found {
        Ok(record) => Ok(record),
        // Anonymous contacts and session head counts have no person.
        Err(rusqlite::Error::QueryReturnedNoRows) => anonymous_record_of(conn, id),
        Err(e) => Err(e.into()),
    }
}

fn anonymous_record_of(conn: &Connection, id: Uuid) -> Result<ReportRecord> {
    conn.query_row(
        "SELECT 'anonymous_contact', occurred_at, channel FROM anonymous_contact WHERE id = ?1
         UNION ALL SELECT 'session', held_on, kind FROM group_session WHERE id = ?1",
        [id],
        |r| {
            let day = match r.get::<_, chrono::DateTime<chrono::Utc>>(1) {
                Ok(at) => crate::record::local_day(at),
                Err(_) => r.get(1)?,
            };
            Ok(ReportRecord { record_id: id, kind: r.get(0)?, day, key: r.get(2)?, migrant_id: Uuid::nil(), migrant_name: String::new() })
        },
    )
    .map_err(Into::into)
}

#[cfg(test)]
mod tests;
