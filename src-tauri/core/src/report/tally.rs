//! Counting one period: tables of rows, each row a tally of persons or
//! records split by sex, age band, citizenship and status.
//!
//! A person's characteristics in a row are those of their first record in
//! it within the period (age on that day), so every split adds up to the
//! row's total: a person whose birthday falls inside the month is counted
//! once, in the band of their first visit.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use uuid::Uuid;

use super::model::{Breakdown, SectionId, Unit};
use crate::age::AgeBand;
use crate::migrant::{MigrationStatus, Sex};

pub(crate) const SEXES: usize = Sex::ALL.len();
pub(crate) const AGES: usize = AgeBand::ALL.len();
pub(crate) const STATUSES: usize = MigrationStatus::ALL.len();

/// What the report needs to know about the person behind a record, as
/// indexes into the vocabularies (and into the citizenship list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Traits {
    pub sex: u8,
    pub age: u8,
    pub status: u8,
    pub citizenship: u16,
    pub vulnerabilities: i64,
}

/// Citizenship codes in first-seen order, so tallies can use small indexes.
#[derive(Debug, Default, Clone)]
pub(crate) struct Citizenships {
    pub codes: Vec<String>,
    index: HashMap<String, u16>,
}

impl Citizenships {
    pub fn intern(&mut self, code: &str) -> u16 {
        if let Some(&i) = self.index.get(code) {
            return i;
        }
        let i = self.codes.len() as u16;
        self.codes.push(code.to_owned());
        self.index.insert(code.to_owned(), i);
        i
    }
}

pub(crate) fn sex_index(text: &str) -> u8 {
    let sex = Sex::parse(text).unwrap_or(Sex::Unknown);
    Sex::ALL.iter().position(|s| *s == sex).unwrap_or(0) as u8
}

pub(crate) fn age_index(text: &str) -> u8 {
    let band = AgeBand::parse(text).unwrap_or(AgeBand::Unknown);
    AgeBand::ALL.iter().position(|a| *a == band).unwrap_or(0) as u8
}

pub(crate) fn status_index(text: &str) -> u8 {
    let status = MigrationStatus::parse(text).unwrap_or(MigrationStatus::Unknown);
    MigrationStatus::ALL.iter().position(|s| *s == status).unwrap_or(0) as u8
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Tally {
    pub total: u32,
    pub sex: [u32; SEXES],
    pub age: [u32; AGES],
    pub sex_age: [[u32; AGES]; SEXES],
    pub status: [u32; STATUSES],
    pub citizenship: Vec<u32>,
}

impl Tally {
    fn add(&mut self, t: &Traits, n: u32) {
        self.total += n;
        self.sex[t.sex as usize] += n;
        self.age[t.age as usize] += n;
        self.sex_age[t.sex as usize][t.age as usize] += n;
        self.status[t.status as usize] += n;
        let c = t.citizenship as usize;
        if self.citizenship.len() <= c {
            self.citizenship.resize(c + 1, 0);
        }
        self.citizenship[c] += n;
    }

    /// Adds another tally's counts, its citizenship indexes renumbered by `map`.
    fn absorb(&mut self, other: &Tally, map: &[u16]) {
        self.total += other.total;
        for i in 0..SEXES {
            self.sex[i] += other.sex[i];
            for a in 0..AGES {
                self.sex_age[i][a] += other.sex_age[i][a];
            }
        }
        for a in 0..AGES {
            self.age[a] += other.age[a];
        }
        for s in 0..STATUSES {
            self.status[s] += other.status[s];
        }
        for (i, n) in other.citizenship.iter().enumerate() {
            let c = map[i] as usize;
            if self.citizenship.len() <= c {
                self.citizenship.resize(c + 1, 0);
            }
            self.citizenship[c] += n;
        }
    }

    /// The breakdown with citizenship columns in `order` (indexes).
    pub fn breakdown(&self, order: &[u16]) -> Breakdown {
        let cit = |i: &u16| Some(self.citizenship.get(*i as usize).copied().unwrap_or(0));
        Breakdown {
            total: Some(self.total),
            by_sex: self.sex.iter().map(|n| Some(*n)).collect(),
            by_age: self.age.iter().map(|n| Some(*n)).collect(),
            by_sex_age: self.sex_age.iter().map(|row| row.iter().map(|n| Some(*n)).collect()).collect(),
            by_citizenship: order.iter().map(cit).collect(),
            by_status: self.status.iter().map(|n| Some(*n)).collect(),
        }
    }
}

/// Asks one count's records to be collected while counting: the list
/// behind a number is gathered by the very code that counted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Probe {
    pub section: SectionId,
    /// `None`: the total row.
    pub key: Option<String>,
    pub sex: Option<u8>,
    pub age: Option<u8>,
    pub status: Option<u8>,
    pub citizenship: Option<String>,
    pub found: Vec<Uuid>,
}

impl Probe {
    fn matches(&self, t: &Traits, citizenships: &Citizenships) -> bool {
        self.sex.is_none_or(|s| s == t.sex)
            && self.age.is_none_or(|a| a == t.age)
            && self.status.is_none_or(|s| s == t.status)
            && self.citizenship.as_deref().is_none_or(|c| citizenships.codes.get(t.citizenship as usize).is_some_and(|x| x == c))
    }
}

/// One table of the report for one period.
#[derive(Debug)]
pub(crate) struct Table {
    pub id: SectionId,
    pub unit: Unit,
    pub keys: Vec<String>,
    pub rows: Vec<Tally>,
    pub total: Tally,
    index: HashMap<String, usize>,
    seen: HashSet<(usize, Uuid)>,
    seen_total: HashSet<Uuid>,
}

impl Table {
    pub fn new(id: SectionId, unit: Unit, fixed_keys: impl IntoIterator<Item = String>) -> Table {
        let mut table = Table {
            id,
            unit,
            keys: Vec::new(),
            rows: Vec::new(),
            total: Tally::default(),
            index: HashMap::default(),
            seen: HashSet::default(),
            seen_total: HashSet::default(),
        };
        for key in fixed_keys {
            table.row(&key);
        }
        table
    }

    fn row(&mut self, key: &str) -> usize {
        if let Some(&i) = self.index.get(key) {
            return i;
        }
        self.keys.push(key.to_owned());
        self.rows.push(Tally::default());
        self.index.insert(key.to_owned(), self.rows.len() - 1);
        self.rows.len() - 1
    }

    /// Adds the counts of the same table from another pass over other kinds
    /// of record (so no person is in both), codes renumbered by `map`.
    pub fn absorb(&mut self, other: Table, map: &[u16]) {
        for (key, tally) in other.keys.iter().zip(&other.rows) {
            let row = self.row(key);
            self.rows[row].absorb(tally, map);
        }
        self.total.absorb(&other.total, map);
    }

    /// Counts a record (or, for persons, the person's first record in the
    /// row). `n` > 1 only for anonymous head counts, which have no person.
    pub fn add(&mut self, key: &str, record: Uuid, person: Option<Uuid>, t: &Traits, n: u32, probe: &mut Option<&mut Probe>, cits: &Citizenships) {
        let row = self.row(key);
        let (in_row, in_total) = match (self.unit, person) {
            (Unit::Persons, Some(p)) => (self.seen.insert((row, p)), self.seen_total.insert(p)),
            _ => (true, true),
        };
        if in_row {
            self.rows[row].add(t, n);
        }
        if in_total {
            self.total.add(t, n);
        }
        if let Some(probe) = probe.as_deref_mut() {
            let wanted_row = match &probe.key {
                None => in_total,
                Some(k) => in_row && k == key,
            };
            if probe.section == self.id && wanted_row && probe.matches(t, cits) {
                probe.found.push(record);
            }
        }
    }
}
