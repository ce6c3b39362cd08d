//! What importing each row would do: add a person, or find them already
//! registered (in the database or on an earlier row), and which of the
//! row's visit and help are not recorded yet. The preview shows the plan;
//! the import writes it.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection};
use uuid::Uuid;

use crate::assistance::{self, AssistanceCategory, AssistanceInput};
use crate::error::Result;
use crate::migrant::{self, IdentityDocument, MigrantInput, Phone};
use crate::record::{json_column, local_day, Actor};
use crate::visit::{self, Channel, VisitInput};

use super::convert::{convert, Draft};
use super::mapping::Layout;
use super::read::Sheet;
use super::values::{shown, word};
use super::{ImportOptions, ImportProgress, ImportStage, MatchKind, RowOutcome, RowStatus, PROGRESS_EVERY};

/// Who a row is: a registered person, or the person first met on a row of this file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Who {
    Existing(Uuid),
    Row(u32),
}

/// A row's outcome and what importing it writes.
pub(crate) struct Planned {
    pub outcome: RowOutcome,
    who: Who,
    migrant: Option<MigrantInput>,
    visit: Option<VisitInput>,
    assistance: Option<AssistanceInput>,
}

/// The ways a row is recognised as a person, strongest first. A phone is
/// shared by a household, so it recognises a person only with the same
/// given name: a wife is not taken for her husband.
fn keys(family: &str, given: &str, birth: Option<NaiveDate>, phones: &[Phone], documents: &[IdentityDocument]) -> Vec<(MatchKind, String)> {
    let mut keys = Vec::new();
    for doc in documents {
        let number: String = doc.number.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_uppercase).collect();
        if number.chars().count() >= 4 {
            keys.push((MatchKind::Document, format!("d\u{1f}{number}")));
        }
    }
    let (family, given) = (word(family), word(given));
    if let (false, false, Some(date)) = (family.is_empty(), given.is_empty(), birth) {
        keys.push((MatchKind::NameAndBirthDate, format!("n\u{1f}{family}\u{1f}{given}\u{1f}{date}")));
    }
    for phone in phones {
        let digits: String = phone.number.chars().filter(char::is_ascii_digit).collect();
        // The last nine digits: +7 912 345 67 89 and 8 912 345 67 89 are one number.
        let tail = &digits[digits.len().saturating_sub(9)..];
        if tail.len() >= 7 && !given.is_empty() {
            keys.push((MatchKind::Phone, format!("p\u{1f}{tail}\u{1f}{given}")));
        }
    }
    keys
}

fn keys_of_input(input: &MigrantInput) -> Vec<(MatchKind, String)> {
    keys(&input.family_name, &input.given_name, input.birth_date, &input.phones, &input.documents)
}

/// Everyone the rows may be: the centre's people, then the file's own.
struct Known {
    by_key: HashMap<String, Who>,
}

impl Known {
    fn load(conn: &Connection, centre_id: Uuid) -> Result<Known> {
        let mut stmt = conn.prepare(
            "SELECT id, family_name, given_name, birth_date, birth_date_estimated, phones, documents \
             FROM migrant WHERE centre_id = ?1 AND deleted_at IS NULL",
        )?;
        let mut rows = stmt.query([centre_id])?;
        let mut by_key = HashMap::new();
        while let Some(r) = rows.next()? {
            let (id, family, given): (Uuid, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
            // An estimated date of birth is not a date to recognise anyone by.
            let birth: Option<NaiveDate> = if r.get::<_, bool>(4)? { None } else { r.get(3)? };
            let phones: Vec<Phone> = json_column(r, 5)?;
            let documents: Vec<IdentityDocument> = json_column(r, 6)?;
            for (_, key) in keys(&family, &given, birth, &phones, &documents) {
                by_key.entry(key).or_insert(Who::Existing(id));
            }
        }
        Ok(Known { by_key })
    }

    /// The person the keys point to: someone registered before anyone of the file.
    fn find(&self, keys: &[(MatchKind, String)]) -> Option<(Who, MatchKind)> {
        let hits = || keys.iter().filter_map(|(kind, key)| self.by_key.get(key).map(|&who| (who, *kind)));
        hits().find(|(who, _)| matches!(who, Who::Existing(_))).or_else(|| hits().next())
    }

    fn remember(&mut self, keys: Vec<(MatchKind, String)>, who: Who) {
        for (_, key) in keys {
            self.by_key.entry(key).or_insert(who);
        }
    }
}

/// The visits and help already recorded, by person and day, so neither is recorded twice.
#[derive(Default)]
struct Recorded {
    visits: HashSet<(Who, NaiveDate, Channel)>,
    help: HashSet<(Who, NaiveDate, AssistanceCategory)>,
    loaded: HashSet<Uuid>,
}

impl Recorded {
    fn load(&mut self, conn: &Connection, who: Who) -> Result<()> {
        let Who::Existing(id) = who else { return Ok(()) };
        if !self.loaded.insert(id) {
            return Ok(());
        }
        let mut visits = conn.prepare_cached("SELECT occurred_at, channel FROM visit WHERE migrant_id = ?1 AND deleted_at IS NULL")?;
        for row in visits.query_map(params![id], |r| Ok((r.get::<_, DateTime<Utc>>(0)?, r.get::<_, Channel>(1)?)))? {
            let (at, channel) = row?;
            self.visits.insert((who, local_day(at), channel));
        }
        let mut help = conn.prepare_cached("SELECT given_on, category FROM assistance WHERE migrant_id = ?1 AND deleted_at IS NULL")?;
        for row in help.query_map(params![id], |r| Ok((r.get::<_, NaiveDate>(0)?, r.get::<_, AssistanceCategory>(1)?)))? {
            let (day, category) = row?;
            self.help.insert((who, day, category));
        }
        Ok(())
    }

    /// Whether the visit is new for the person, noting it if so.
    fn new_visit(&mut self, who: Who, visit: &VisitInput) -> bool {
        match (visit.occurred_at, visit.channel) {
            (Some(at), Some(channel)) => self.visits.insert((who, local_day(at), channel)),
            _ => false,
        }
    }

    fn new_help(&mut self, who: Who, help: &AssistanceInput) -> bool {
        match (help.given_on, help.category) {
            (Some(day), Some(category)) => self.help.insert((who, day, category)),
            _ => false,
        }
    }
}

/// Every row's outcome, in the file's order. Reads only.
pub(crate) fn plan(
    conn: &Connection,
    centre_id: Uuid,
    sheet: &Sheet,
    layout: &Layout,
    options: &ImportOptions,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(ImportProgress),
) -> Result<Vec<Planned>> {
    let mut known = Known::load(conn, centre_id)?;
    let mut recorded = Recorded::default();
    let total = sheet.rows.len() as u32;
    let mut planned = Vec::with_capacity(sheet.rows.len());
    for (i, row) in sheet.rows.iter().enumerate() {
        let draft = convert(row, layout, options.date_order, now);
        planned.push(plan_row(conn, row.row, draft, &mut known, &mut recorded)?);
        let done = i as u32 + 1;
        if done % PROGRESS_EVERY == 0 || done == total {
            progress(ImportProgress { stage: ImportStage::Checking, done, total });
        }
    }
    Ok(planned)
}

fn plan_row(conn: &Connection, row: u32, draft: Draft, known: &mut Known, recorded: &mut Recorded) -> Result<Planned> {
    let Draft { input, visit, assistance, problems } = draft;
    let keys = keys_of_input(&input);
    let matched = known.find(&keys);
    let who = matched.map_or(Who::Row(row), |(who, _)| who);
    let status = match (problems.is_empty(), who) {
        (false, _) => RowStatus::Invalid,
        (true, Who::Existing(_)) => RowStatus::AlreadyRegistered,
        (true, Who::Row(first)) if first != row => RowStatus::RepeatedInFile,
        (true, Who::Row(_)) => RowStatus::New,
    };
    let mut outcome = RowOutcome {
        row,
        name: shown(&format!("{} {}", input.family_name.trim(), input.given_name.trim())),
        status,
        existing_id: match who { Who::Existing(id) => Some(id), Who::Row(_) => None },
        same_as_row: match who { Who::Row(first) if first != row => Some(first), _ => None },
        matched_by: matched.map(|(_, kind)| kind),
        adds_visit: false,
        adds_assistance: false,
        problems,
    };
    if status == RowStatus::Invalid {
        return Ok(Planned { outcome, who, migrant: None, visit: None, assistance: None });
    }
    known.remember(keys, who);
    recorded.load(conn, who)?;
    let visit = visit.filter(|v| recorded.new_visit(who, v));
    let assistance = assistance.filter(|a| recorded.new_help(who, a));
    outcome.adds_visit = visit.is_some();
    outcome.adds_assistance = assistance.is_some();
    let migrant = (status == RowStatus::New).then_some(input);
    Ok(Planned { outcome, who, migrant, visit, assistance })
}

/// What the writing added.
#[derive(Default)]
pub(crate) struct Written {
    pub added: u32,
    pub visits: u32,
    pub assistance: u32,
}

/// Writes the valid rows of the plan; the caller holds the transaction.
pub(crate) fn write(tx: &Connection, actor: &Actor, at: DateTime<Utc>, planned: Vec<Planned>, progress: &mut dyn FnMut(ImportProgress)) -> Result<Written> {
    let mut written = Written::default();
    let mut ids: HashMap<u32, Uuid> = HashMap::new();
    let total = planned.len() as u32;
    for (i, p) in planned.into_iter().enumerate() {
        let done = i as u32 + 1;
        if done % PROGRESS_EVERY == 0 || done == total {
            progress(ImportProgress { stage: ImportStage::Writing, done, total });
        }
        if let Some(input) = &p.migrant {
            let record = migrant::from_input(input, actor, at, None);
            migrant::save(tx, &record)?;
            crate::consent::keep_in_step(tx, actor, &record, at, "")?;
            ids.insert(p.outcome.row, record.id);
            written.added += 1;
        }
        // A repeated row's person was added by the row it repeats, earlier in the plan.
        let Some(id) = (match p.who {
            Who::Existing(id) => Some(id),
            Who::Row(row) => ids.get(&row).copied(),
        }) else {
            continue;
        };
        let mut visit_id = None;
        if let Some(visit) = p.visit {
            let record = VisitInput { migrant_id: id, ..visit }.into_visit(actor, at);
            visit::insert(tx, &record)?;
            visit_id = Some(record.id);
            written.visits += 1;
        }
        if let Some(help) = p.assistance {
            let record = AssistanceInput { migrant_id: id, visit_id, ..help }.into_assistance(actor, at);
            assistance::insert(tx, &record)?;
            written.assistance += 1;
        }
    }
    Ok(written)
}
