//! Counting one period from the report facts: one range scan per kind of
//! record, every table filled in the same pass.

use rustc_hash::FxHashMap as HashMap;

use chrono::{DateTime, Days, NaiveDate, Utc};
use rusqlite::types::ValueRef;
use rusqlite::{params, Connection};
use uuid::Uuid;

use super::model::{Period, SectionId, Unit};
use super::tally::{age_index, sex_index, status_index, Citizenships, Probe, Table, Traits};
use crate::assistance::AssistanceCategory;
use crate::case::{CaseType, ClosureReason};
use crate::group_session::{AnonymousCount, SessionKind};
use crate::migrant::{MigrationStatus, Vulnerability};
use crate::record::local_day;
use crate::referral::ReferralStatus;
use crate::visit::Channel;
use crate::Result;

/// Every table of one period, plus the few figures that are not tables.
#[derive(Debug)]
pub(crate) struct PeriodCounts {
    pub tables: Vec<Table>,
    pub sessions_held: u32,
    /// Referrals that reached the partner (not drafts, not cancelled).
    pub referrals_sent: u32,
    pub referrals_completed: u32,
}

impl PeriodCounts {
    fn table_mut(&mut self, id: SectionId) -> &mut Table {
        self.tables.iter_mut().find(|t| t.id == id).expect("every section has a table")
    }
}

fn keys<T: Copy + ToString>(all: &[T]) -> Vec<String> {
    all.iter().map(|v| v.to_string()).collect()
}

fn empty_tables() -> Vec<Table> {
    use SectionId as S;
    let persons_rows = vec!["assisted".to_owned(), "new".to_owned()];
    let mut vulnerable_rows = vec!["any".to_owned()];
    vulnerable_rows.extend(keys(Vulnerability::ALL));
    vec![
        Table::new(S::Persons, Unit::Persons, persons_rows),
        Table::new(S::Contacts, Unit::Records, keys(Channel::ALL)),
        Table::new(S::AnonymousContacts, Unit::Records, keys(Channel::ALL)),
        Table::new(S::AssistanceRecords, Unit::Records, keys(AssistanceCategory::ALL)),
        Table::new(S::AssistancePersons, Unit::Persons, keys(AssistanceCategory::ALL)),
        Table::new(S::ReferralsByPartner, Unit::Records, Vec::new()),
        Table::new(S::ReferralsByService, Unit::Records, keys(AssistanceCategory::ALL)),
        Table::new(S::ReferralsByStatus, Unit::Records, keys(ReferralStatus::ALL)),
        Table::new(S::CasesOpened, Unit::Records, keys(CaseType::ALL)),
        Table::new(S::CasesClosed, Unit::Records, keys(ClosureReason::ALL)),
        Table::new(S::CasesOpenAtEnd, Unit::Records, keys(CaseType::ALL)),
        Table::new(S::SessionParticipants, Unit::Persons, keys(SessionKind::ALL)),
        Table::new(S::VulnerablePersons, Unit::Persons, vulnerable_rows),
    ]
}

/// One row of `report_fact`, borrowed from the statement while it is read.
struct Fact<'a> {
    record: Uuid,
    day: &'a str,
    key: &'a str,
    detail: &'a str,
    partner: Option<Uuid>,
    end_day: Option<&'a str>,
    person: Uuid,
    traits: Traits,
    registered_on: &'a str,
}

fn text<'a>(v: ValueRef<'a>) -> rusqlite::Result<&'a str> {
    Ok(v.as_str()?)
}

fn uuid_of(v: ValueRef<'_>) -> rusqlite::Result<Uuid> {
    Uuid::from_slice(v.as_blob()?).map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Blob, Box::new(e)))
}

/// Calls `each` for every fact of `kind` in the centre whose day is in
/// `[from, to]`, in day order, leaving out cases closed before `ended_from`.
fn scan(
    conn: &Connection,
    centre: Uuid,
    kind: &str,
    (from, to): (&str, &str),
    ended_from: &str,
    cits: &mut Citizenships,
    mut each: impl FnMut(&Fact, &Citizenships),
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT record_id, day, key, detail, partner_id, end_day, person_id, sex, age_band, citizenship,
                migration_status, vulnerabilities, registered_on
           FROM report_fact WHERE centre_id = ?1 AND kind = ?2 AND day >= ?3 AND day <= ?4
            AND (end_day IS NULL OR end_day >= ?5)",
    )?;
    let mut rows = stmt.query(params![centre, kind, from, to, ended_from])?;
    while let Some(r) = rows.next()? {
        let partner = match r.get_ref(4)? {
            ValueRef::Null => None,
            v => Some(uuid_of(v)?),
        };
        let end_day = match r.get_ref(5)? {
            ValueRef::Null => None,
            v => Some(text(v)?),
        };
        let traits = Traits {
            sex: sex_index(text(r.get_ref(7)?)?),
            age: age_index(text(r.get_ref(8)?)?),
            citizenship: cits.intern(text(r.get_ref(9)?)?),
            status: status_index(text(r.get_ref(10)?)?),
            vulnerabilities: r.get_ref(11)?.as_i64().map_err(rusqlite::Error::from)?,
        };
        let fact = Fact {
            record: uuid_of(r.get_ref(0)?)?,
            day: text(r.get_ref(1)?)?,
            key: text(r.get_ref(2)?)?,
            detail: text(r.get_ref(3)?)?,
            partner,
            end_day,
            person: uuid_of(r.get_ref(6)?)?,
            traits,
            registered_on: text(r.get_ref(12)?)?,
        };
        each(&fact, cits);
    }
    Ok(())
}

/// A person's first record in the period, for the tables of persons that
/// span every kind of record.
struct FirstSeen {
    day: String,
    record: Uuid,
    traits: Traits,
    new: bool,
}

/// Which records one pass reads: on a second core, visits and cases are
/// read alongside the rest, about half of the work each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    All,
    VisitsAndCases,
    Rest,
}

/// What one pass counted, with its own citizenship codes.
struct Part {
    counts: PeriodCounts,
    persons: HashMap<Uuid, FirstSeen>,
    cits: Citizenships,
}

/// Counts one period for the given centres. With a probe, also collects
/// the records behind the number it names. With a second connection to the
/// same file (`reader`), visits are read on another thread.
pub(crate) fn count_period(
    conn: &Connection,
    centres: &[Uuid],
    period: Period,
    cits: &mut Citizenships,
    mut probe: Option<&mut Probe>,
    reader: Option<Connection>,
) -> Result<PeriodCounts> {
    let parts = match reader {
        Some(reader) if probe.is_none() => std::thread::scope(|s| {
            let visits = s.spawn(move || count_part(&reader, centres, period, Pass::VisitsAndCases, &mut None));
            let rest = count_part(conn, centres, period, Pass::Rest, &mut None);
            let visits = visits.join().unwrap_or_else(|_| Err(crate::CoreError::Corrupt("the visit count stopped".into())));
            Ok::<_, crate::CoreError>(vec![rest?, visits?])
        })?,
        _ => vec![count_part(conn, centres, period, Pass::All, &mut probe)?],
    };
    let (mut counts, persons) = merge(parts, cits);
    add_persons(&mut counts, persons, cits, &mut probe);
    Ok(counts)
}

/// One set of tables from the parts, citizenship codes renumbered into `cits`.
fn merge(parts: Vec<Part>, cits: &mut Citizenships) -> (PeriodCounts, HashMap<Uuid, FirstSeen>) {
    let mut counts = PeriodCounts { tables: empty_tables(), sessions_held: 0, referrals_sent: 0, referrals_completed: 0 };
    let mut persons: HashMap<Uuid, FirstSeen> = HashMap::default();
    for part in parts {
        let map: Vec<u16> = part.cits.codes.iter().map(|code| cits.intern(code)).collect();
        counts.sessions_held += part.counts.sessions_held;
        counts.referrals_sent += part.counts.referrals_sent;
        counts.referrals_completed += part.counts.referrals_completed;
        for table in part.counts.tables {
            counts.table_mut(table.id).absorb(table, &map);
        }
        for (person, mut seen) in part.persons {
            seen.traits.citizenship = map[seen.traits.citizenship as usize];
            let earlier = persons.get(&person).is_none_or(|kept| (seen.day.as_str(), seen.record) < (kept.day.as_str(), kept.record));
            if earlier {
                persons.insert(person, seen);
            }
        }
    }
    (counts, persons)
}

fn count_part(conn: &Connection, centres: &[Uuid], period: Period, pass: Pass, mut probe: &mut Option<&mut Probe>) -> Result<Part> {
    let mut counts = PeriodCounts { tables: empty_tables(), sessions_held: 0, referrals_sent: 0, referrals_completed: 0 };
    let mut cits = Citizenships::default();
    let cits = &mut cits;
    let (from, to) = (period.from.to_string(), period.to.to_string());
    let mut persons: HashMap<Uuid, FirstSeen> = HashMap::default();
    for &centre in centres {
        let mut first_seen = |f: &Fact| {
            let earlier = persons.get(&f.person).is_none_or(|seen| f.day < seen.day.as_str());
            if earlier {
                let new = f.registered_on >= from.as_str() && f.registered_on <= to.as_str();
                persons.insert(f.person, FirstSeen { day: f.day.to_owned(), record: f.record, traits: f.traits, new });
            }
        };
        let p = &mut probe;
        let tables = &mut counts;
        if pass != Pass::Rest {
            scan(conn, centre, "visit", (&from, &to), "", cits, |f, c| {
                first_seen(f);
                tables.table_mut(SectionId::Contacts).add(f.key, f.record, None, &f.traits, 1, p, c);
            })?;
        }
        if pass != Pass::Rest {
            count_cases(conn, centre, (&from, &to), cits, tables, p)?;
        }
        if pass == Pass::VisitsAndCases {
            continue;
        }
        scan(conn, centre, "assistance", (&from, &to), "", cits, |f, c| {
            first_seen(f);
            tables.table_mut(SectionId::AssistanceRecords).add(f.key, f.record, None, &f.traits, 1, p, c);
            tables.table_mut(SectionId::AssistancePersons).add(f.key, f.record, Some(f.person), &f.traits, 1, p, c);
        })?;
        let (mut sent, mut completed) = (0, 0);
        scan(conn, centre, "referral", (&from, &to), "", cits, |f, c| {
            first_seen(f);
            let partner = f.partner.map(|id| id.to_string()).unwrap_or_default();
            tables.table_mut(SectionId::ReferralsByPartner).add(&partner, f.record, None, &f.traits, 1, p, c);
            tables.table_mut(SectionId::ReferralsByService).add(f.key, f.record, None, &f.traits, 1, p, c);
            tables.table_mut(SectionId::ReferralsByStatus).add(f.detail, f.record, None, &f.traits, 1, p, c);
            let status = ReferralStatus::parse(f.detail);
            if !matches!(status, Some(ReferralStatus::Draft | ReferralStatus::Cancelled)) {
                sent += 1;
            }
            if status == Some(ReferralStatus::Completed) {
                completed += 1;
            }
        })?;
        tables.referrals_sent += sent;
        tables.referrals_completed += completed;
        scan(conn, centre, "session", (&from, &to), "", cits, |f, c| {
            first_seen(f);
            tables.table_mut(SectionId::SessionParticipants).add(f.key, f.record, Some(f.person), &f.traits, 1, p, c);
        })?;
        count_anonymous_contacts(conn, centre, period, cits, tables, p)?;
        count_session_heads(conn, centre, period, cits, tables, p)?;
    }
    let cits = std::mem::take(cits);
    Ok(Part { counts, persons, cits })
}

/// Cases opened in the period, closed in it (by reason), and open at its end.
fn count_cases(conn: &Connection, centre: Uuid, (from, to): (&str, &str), cits: &mut Citizenships, tables: &mut PeriodCounts, p: &mut Option<&mut Probe>) -> Result<()> {
    // Cases opened long ago can close, or still be open, in this period;
    // those closed before it are left out by the query.
    scan(conn, centre, "case", ("0000-00-00", to), from, cits, |f, c| {
        if f.day >= from {
            tables.table_mut(SectionId::CasesOpened).add(f.key, f.record, None, &f.traits, 1, p, c);
        }
        match f.end_day {
            Some(end) if end <= to => tables.table_mut(SectionId::CasesClosed).add(f.detail, f.record, None, &f.traits, 1, p, c),
            _ => tables.table_mut(SectionId::CasesOpenAtEnd).add(f.key, f.record, None, &f.traits, 1, p, c),
        }
    })
}

/// The anonymous contacts and sessions (held, and their head counts) of a
/// period: small tables, read whole by the rollups as by the full count.
pub(crate) fn count_small_tables(conn: &Connection, centre: Uuid, period: Period) -> Result<PeriodCounts> {
    let mut counts = PeriodCounts { tables: empty_tables(), sessions_held: 0, referrals_sent: 0, referrals_completed: 0 };
    let mut cits = Citizenships::default();
    count_anonymous_contacts(conn, centre, period, &mut cits, &mut counts, &mut None)?;
    count_session_heads(conn, centre, period, &mut cits, &mut counts, &mut None)?;
    Ok(counts)
}

/// The tables of persons across every kind of record: each person once, with
/// the traits of their first record in the period.
fn add_persons(counts: &mut PeriodCounts, persons: HashMap<Uuid, FirstSeen>, cits: &Citizenships, probe: &mut Option<&mut Probe>) {
    let mut people: Vec<(Uuid, FirstSeen)> = persons.into_iter().collect();
    // A stable order, so the records listed behind a number never shuffle.
    people.sort_by(|a, b| (a.1.day.as_str(), a.1.record).cmp(&(b.1.day.as_str(), b.1.record)));
    for (person, seen) in &people {
        let t = &seen.traits;
        counts.table_mut(SectionId::Persons).add("assisted", seen.record, Some(*person), t, 1, probe, cits);
        if seen.new {
            counts.table_mut(SectionId::Persons).add("new", seen.record, Some(*person), t, 1, probe, cits);
        }
        if t.vulnerabilities != 0 {
            let vulnerable = counts.table_mut(SectionId::VulnerablePersons);
            vulnerable.add("any", seen.record, Some(*person), t, 1, probe, cits);
            for (bit, flag) in Vulnerability::ALL.iter().enumerate() {
                if t.vulnerabilities & (1 << bit) != 0 {
                    vulnerable.add(flag.as_str(), seen.record, Some(*person), t, 1, probe, cits);
                }
            }
        }
    }
}

/// Stored times are UTC; a period is in the laptop's days, so read a day
/// either side and keep what falls inside.
fn utc_window(period: Period) -> (String, String) {
    let before = period.from.checked_sub_days(Days::new(1)).unwrap_or(period.from);
    let after = period.to.checked_add_days(Days::new(2)).unwrap_or(period.to);
    (before.to_string(), after.to_string())
}

fn in_period(day: NaiveDate, period: Period) -> bool {
    day >= period.from && day <= period.to
}

fn count_anonymous_contacts(
    conn: &Connection,
    centre: Uuid,
    period: Period,
    cits: &mut Citizenships,
    counts: &mut PeriodCounts,
    probe: &mut Option<&mut Probe>,
) -> Result<()> {
    let (start, end) = utc_window(period);
    let mut stmt = conn.prepare_cached(
        "SELECT id, occurred_at, channel, sex, age_band, citizenship FROM anonymous_contact
          WHERE centre_id = ?1 AND deleted_at IS NULL AND occurred_at >= ?2 AND occurred_at < ?3",
    )?;
    let mut rows = stmt.query(params![centre, start, end])?;
    while let Some(r) = rows.next()? {
        let at: DateTime<Utc> = r.get(1)?;
        if !in_period(local_day(at), period) {
            continue;
        }
        let channel: String = r.get(2)?;
        let traits = Traits {
            sex: sex_index(&r.get::<_, String>(3)?),
            age: age_index(&r.get::<_, String>(4)?),
            citizenship: cits.intern(&r.get::<_, String>(5)?),
            status: status_index(MigrationStatus::Unknown.as_str()),
            vulnerabilities: 0,
        };
        let id: Uuid = r.get(0)?;
        counts.table_mut(SectionId::AnonymousContacts).add(&channel, id, None, &traits, 1, probe, cits);
    }
    Ok(())
}

/// Sessions held, and the people at them counted by head without a name.
fn count_session_heads(
    conn: &Connection,
    centre: Uuid,
    period: Period,
    cits: &mut Citizenships,
    counts: &mut PeriodCounts,
    probe: &mut Option<&mut Probe>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, anonymous_counts FROM group_session
          WHERE centre_id = ?1 AND deleted_at IS NULL AND held_on >= ?2 AND held_on <= ?3",
    )?;
    let mut rows = stmt.query(params![centre, period.from, period.to])?;
    let unknown = cits.intern("");
    while let Some(r) = rows.next()? {
        counts.sessions_held += 1;
        let id: Uuid = r.get(0)?;
        let kind: String = r.get(1)?;
        let heads: Vec<AnonymousCount> = crate::record::json_column(r, 2)?;
        for head in heads.iter().filter(|h| h.count > 0) {
            let traits = Traits {
                sex: sex_index(head.sex.as_str()),
                age: age_index(head.age_band.as_str()),
                citizenship: unknown,
                status: status_index(MigrationStatus::Unknown.as_str()),
                vulnerabilities: 0,
            };
            counts.table_mut(SectionId::SessionParticipants).add(&kind, id, None, &traits, head.count, probe, cits);
        }
    }
    Ok(())
}
