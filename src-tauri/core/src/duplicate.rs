//! Is this person already registered? Before a new registration is saved,
//! the people who look like it: the same document or phone, or names that
//! fold to the same keys across scripts (Рахмонов and Rakhmonov), weighed
//! with the date of birth or age, sex and citizenship. Each suggestion says
//! why, so the caseworker can decide at a glance.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use crate::age::age_on;
use crate::migrant::{self, MigrantInput, MigrantSummary, Sex};
use crate::names::{closeness, skeleton};
use crate::place::{self, place_key};
use crate::search::{digits, document_keys, hits, json_strings, phone_tail, words};
use crate::vocab::vocabulary;
use crate::Result;

vocabulary! { ReasonKind { Document = "document", Phone = "phone", Name = "name", BirthDate = "birth_date", Age = "age", Origin = "origin" } }

vocabulary! {
    /// What a scan of the whole centre is doing, for its progress bar.
    ScanStage { Reading = "reading", Comparing = "comparing" }
}

/// How far a scan of the whole centre has got: a million people take tens of seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct ScanProgress {
    pub stage: ScanStage,
    /// Of this stage.
    pub percent: u8,
}

/// One reason a registered person looks like the one being registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DuplicateReason {
    pub kind: ReasonKind,
    /// What matched, as the registered record has it: a document or phone
    /// number, how alike the names are in percent, the date of birth (ISO),
    /// the age in years, or the town of origin.
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PossibleDuplicate {
    pub migrant: MigrantSummary,
    /// How alike, 0 to 100.
    pub score: u8,
    pub reasons: Vec<DuplicateReason>,
}

/// The most suggestions shown at registration.
pub const SHOWN: usize = 5;
/// Below this a resemblance is coincidence: namesakes born years apart.
const LIKELY: f64 = 0.5;
/// Names this close (1 is the same keys) count as the same names.
const NAME_ALIKE: f64 = 0.75;
/// At most this many people are weighed; a very common name and nothing
/// else to go on would otherwise weigh thousands.
const CANDIDATES: usize = 2000;
/// What a different father's name takes off: a strong sign of another person,
/// though a clerk may have written the name another way.
const OTHER_FATHER: f64 = 0.2;
/// Numbers shorter than this are too common to point at one person.
const NUMBER_FROM: usize = 5;
/// A phone matches on at least this many of its last digits.
const PHONE_FROM: usize = 7;

/// What the comparison needs of a person, registered or being registered.
#[derive(Debug, Clone, Default)]
pub(crate) struct Person {
    family: Vec<String>,
    given: Vec<String>,
    patronymic: Vec<String>,
    sex: Option<Sex>,
    birth: Option<NaiveDate>,
    estimated: bool,
    citizenship: String,
    /// The region and town of origin, as `place::place_key` folds them.
    region: String,
    town: String,
    /// The town of origin as written.
    town_written: String,
    phones: Vec<String>,
    documents: Vec<String>,
}

impl Person {
    pub(crate) fn of_input(input: &MigrantInput, today: NaiveDate) -> Person {
        // The check runs on unchecked input, while the form is typed: an age
        // out of range says nothing (and would overflow the date arithmetic).
        let mut sane = input.clone();
        sane.estimated_age = input.estimated_age.filter(|age| (0..=120).contains(age));
        let (birth, estimated) = sane.birth(today, None);
        Person {
            family: name_words(&[&input.family_name, &input.family_name_latin]),
            given: name_words(&[&input.given_name, &input.given_name_latin]),
            patronymic: father_words(&input.patronymic),
            sex: input.sex,
            birth,
            estimated,
            citizenship: input.citizenship.clone(),
            region: place_key(&input.origin_region),
            town: place_key(&input.origin_town),
            town_written: input.origin_town.trim().to_string(),
            phones: input.phones.iter().map(|p| p.number.clone()).collect(),
            documents: input.documents.iter().map(|d| d.number.clone()).collect(),
        }
    }
}

/// Words written after a father's name to make a patronymic ("son of",
/// "daughter of"): everyone's Kyrgyz, Uzbek, Kazakh or Azerbaijani
/// patronymic has one, so they say nothing about whose child a person is.
const PATRONYMIC_WORDS: &[&str] = &["уулу", "кызы", "ўғли", "қизи", "угли", "кизи", "ұлы", "қызы", "оглы", "uulu", "kyzy", "o'g'li", "ogli", "ugli", "qizi", "kizi", "uly", "oglu", "ogly"];

/// Endings that make a father's name a patronymic, as folded (`names::name_key`):
/// Тоҳирович, Ивановна, Арманқызы, Болатұлы. Armenian's genitive -и is a
/// letter too short to tell from a name's own.
const PATRONYMIC_ENDINGS: &[&str] = &["oviC", "eviC", "ovna", "evna", "kizi", "uli"];

/// The words of a patronymic that name the father, each as the father's
/// name itself, so that Тоҳирович and Тоҳир ўғли agree.
fn father_words(patronymic: &str) -> Vec<String> {
    static PARTICLES: std::sync::OnceLock<HashSet<String>> = std::sync::OnceLock::new();
    let particles = PARTICLES.get_or_init(|| PATRONYMIC_WORDS.iter().flat_map(|w| words(w)).collect());
    let mut father: Vec<String> = name_words(&[patronymic]).into_iter().filter(|w| !particles.contains(w)).map(father_of).collect();
    father.sort();
    father.dedup();
    father
}

/// The father's name in one folded patronymic word.
fn father_of(word: String) -> String {
    match PATRONYMIC_ENDINGS.iter().find(|end| word.len() >= end.len() + 3 && word.ends_with(**end)) {
        Some(end) => word[..word.len() - end.len()].to_string(),
        None => word,
    }
}

fn name_words(names: &[&str]) -> Vec<String> {
    let mut all: Vec<String> = names.iter().flat_map(|n| words(n)).collect();
    all.sort();
    all.dedup();
    all
}

/// The registered people most like `input`, most alike first, at most [`SHOWN`].
/// `exclude` leaves out the record being edited.
pub(crate) fn likely(conn: &Connection, centre_id: Uuid, input: &MigrantInput, exclude: Option<Uuid>, today: NaiveDate) -> Result<Vec<PossibleDuplicate>> {
    let person = Person::of_input(input, today);
    let candidates = candidates(conn, centre_id, &person, exclude)?;
    let crowd = Crowd::around(&person, &candidates);
    let mut found = Vec::new();
    for (id, other) in candidates {
        let (score, reasons) = compare(&person, &other, crowd, today);
        if score >= LIKELY {
            found.push((id, score, reasons));
        }
    }
    found.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    found.truncate(SHOWN);
    let ids: Vec<Uuid> = found.iter().map(|f| f.0).collect();
    let summaries = migrant::summaries(conn, &ids)?;
    Ok(summaries
        .into_iter()
        .zip(found)
        .map(|(migrant, (_, score, reasons))| PossibleDuplicate { migrant, score: (score.min(1.0) * 100.0).round() as u8, reasons })
        .collect())
}

/// Whether two people come from the same place: the same town, or another
/// region; none when a record does not say, or the towns differ within one region.
fn same_place(a: &Person, b: &Person) -> Option<bool> {
    if place::same_place(&a.town, &b.town) {
        return Some(true);
    }
    let known = !a.region.is_empty() && !b.region.is_empty();
    if known && !place::same_place(&a.region, &b.region) {
        return Some(false);
    }
    None
}

fn same_patronymic(a: &Person, b: &Person) -> bool {
    !a.patronymic.is_empty() && !b.patronymic.is_empty() && words_alike(&a.patronymic, &b.patronymic) >= 0.85
}

/// The people who share a document or phone number, or whose family and
/// given names both share a key with the input's.
fn candidates(conn: &Connection, centre_id: Uuid, person: &Person, exclude: Option<Uuid>) -> Result<Vec<(Uuid, Person)>> {
    let mut args: Vec<String> = Vec::new();
    let mut union = Vec::new();
    let key_in = |keys: Vec<String>, args: &mut Vec<String>| -> Option<String> {
        if keys.is_empty() {
            return None;
        }
        let marks: Vec<String> = keys.into_iter().map(|k| {
            args.push(k);
            format!("?{}", args.len() + 2)
        }).collect();
        Some(format!("SELECT migrant_id FROM migrant_key WHERE key IN ({})", marks.join(", ")))
    };
    let documents: Vec<String> = person.documents.iter().flat_map(|d| document_numbers(d)).map(|k| format!("d{k}")).collect();
    union.extend(key_in(documents, &mut args));
    for tail in person.phones.iter().filter_map(|p| phone_key(p)) {
        args.push(format!("p{tail}"));
        args.push(format!("p{tail}\u{7f}"));
        union.push(format!("SELECT migrant_id FROM migrant_key WHERE key >= ?{} AND key < ?{}", args.len() + 1, args.len() + 2));
    }
    if let (Some(family), Some(given)) = (key_in(name_keys(&person.family), &mut args), key_in(name_keys(&person.given), &mut args)) {
        union.push(format!("SELECT migrant_id FROM ({family} INTERSECT {given})"));
    }
    if union.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!("SELECT {PERSON} FROM {} AND m.id IS NOT ?2 LIMIT {CANDIDATES}", hits(&union.join(" UNION ")));
    let mut params: Vec<&dyn rusqlite::ToSql> = vec![&centre_id, &exclude];
    params.extend(args.iter().map(|a| a as &dyn rusqlite::ToSql));
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params.as_slice(), person_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// What `person_row` reads, over a migrant aliased `m`.
const PERSON: &str = "m.id, m.family_name, m.family_name_latin, m.given_name, m.given_name_latin, m.sex, m.birth_date, \
    m.birth_date_estimated, m.citizenship, m.phones, m.documents, m.patronymic, m.origin_region, m.origin_town";

fn person_row(r: &rusqlite::Row) -> rusqlite::Result<(Uuid, Person)> {
    let town: String = r.get(13)?;
    Ok((
        r.get(0)?,
        Person {
            family: name_words(&[&r.get::<_, String>(1)?, &r.get::<_, String>(2)?]),
            given: name_words(&[&r.get::<_, String>(3)?, &r.get::<_, String>(4)?]),
            sex: r.get(5)?,
            birth: r.get(6)?,
            estimated: r.get(7)?,
            citizenship: r.get(8)?,
            phones: json_strings(&r.get::<_, String>(9)?, "number"),
            documents: json_strings(&r.get::<_, String>(10)?, "number"),
            patronymic: father_words(&r.get::<_, String>(11)?),
            region: place_key(&r.get::<_, String>(12)?),
            town: place_key(&town),
            town_written: town,
        },
    ))
}

/// The keys a name word is stored under: itself, and its skeleton when that says enough.
fn name_keys(words: &[String]) -> Vec<String> {
    let mut keys = Vec::new();
    for word in words {
        keys.push(format!("n{word}"));
        let bones = skeleton(word);
        if bones.len() >= 2 {
            keys.push(format!("s{bones}"));
        }
    }
    keys
}

/// How many registered people bear names like the new one's, and how many of
/// them also have the same father's name.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Crowd {
    namesakes: usize,
    kin: usize,
    /// Namesakes from the new person's town of origin, or all of them when it is not given.
    townsfolk: usize,
}

impl Crowd {
    fn around(person: &Person, candidates: &[(Uuid, Person)]) -> Crowd {
        let namesakes: Vec<&Person> = candidates.iter().map(|(_, other)| other).filter(|other| names_alike(person, other) >= NAME_ALIKE).collect();
        let kin = namesakes.iter().filter(|other| same_patronymic(person, other)).count();
        let townsfolk = if person.town.is_empty() {
            namesakes.len()
        } else {
            namesakes.iter().filter(|other| place::same_place(&person.town, &other.town)).count()
        };
        Crowd { namesakes: namesakes.len(), kin, townsfolk }
    }

    /// As many namesakes as people, with nothing known of their fathers: the scan's view.
    fn of(namesakes: usize) -> Crowd {
        Crowd { namesakes, kin: namesakes, townsfolk: namesakes }
    }
}

/// How much the same names say: a great deal when few people bear them, little
/// when hundreds do (a common name in a large centre), so that namesakes
/// need a date of birth, a phone or a document to be suggested.
fn rarity(namesakes: usize) -> f64 {
    1.0 / (1.0 + (1.0 + namesakes as f64 / 50.0).ln())
}

/// What the same father's name adds. With no birth date or age to go by it
/// is what tells namesakes apart, the more so the fewer of them share it;
/// among a crowd of namesakes some share a father's name by chance, so it
/// never makes a common name likely on its own.
fn father_weight(new: &Person, crowd: Crowd) -> f64 {
    if new.birth.is_some() {
        return 0.1;
    }
    0.1 + 0.1 / crowd.kin.max(1) as f64
}

/// How alike two people are (about 0 to 1), and why; `crowd` is who else
/// bears names like the new one's.
pub(crate) fn compare(new: &Person, old: &Person, crowd: Crowd, today: NaiveDate) -> (f64, Vec<DuplicateReason>) {
    let mut score = 0.0;
    let mut reasons = Vec::new();
    let mut reason = |kind, detail: String| reasons.push(DuplicateReason { kind, detail });
    if let Some(number) = old.documents.iter().find(|d| shares_document(d, &new.documents)) {
        score += 0.9;
        reason(ReasonKind::Document, number.clone());
    }
    if let Some(number) = old.phones.iter().find(|p| shares_phone(p, &new.phones)) {
        score += 0.5;
        reason(ReasonKind::Phone, number.clone());
    }
    let names = names_alike(new, old);
    if names >= NAME_ALIKE {
        // Names alone never reach LIKELY: they need a birth date, an age, a
        // phone or a document beside them, or the same father's name among few.
        let same_father = same_patronymic(new, old);
        let place = same_place(new, old);
        // From the same town, the names are as rare as the town's namesakes.
        let crowd_size = if place == Some(true) { crowd.townsfolk } else { crowd.namesakes };
        score += 0.45 * names * rarity(crowd_size);
        reason(ReasonKind::Name, format!("{}", (names * 100.0).round()));
        if !new.patronymic.is_empty() && !old.patronymic.is_empty() {
            score += if same_father { father_weight(new, crowd) } else { -OTHER_FATHER };
        }
        match place {
            Some(true) => {
                score += 0.1;
                reason(ReasonKind::Origin, old.town_written.clone());
            }
            Some(false) => score -= 0.1,
            None => {}
        }
    }
    match (new.birth, old.birth) {
        (Some(a), Some(b)) if !new.estimated && !old.estimated => {
            if a == b {
                score += 0.45;
                reason(ReasonKind::BirthDate, b.to_string());
            } else {
                score -= 0.35;
            }
        }
        (Some(a), Some(b)) => {
            // An estimated date sits half a year past the stated age's
            // birthday, so the same person's dates lie within about a year.
            let years = (a - b).num_days().abs() as f64 / 365.25;
            if years <= 1.0 {
                score += if years <= 0.5 { 0.2 } else { 0.15 };
                reason(ReasonKind::Age, age_on(b, today).to_string());
            } else {
                score -= if years > 5.0 { 0.25 } else if years > 3.0 { 0.1 } else { 0.05 };
            }
        }
        _ => {}
    }
    let known = |s: Option<Sex>| matches!(s, Some(Sex::Female | Sex::Male));
    if known(new.sex) && known(old.sex) && new.sex != old.sex {
        score -= 0.4;
    }
    if !new.citizenship.is_empty() && !old.citizenship.is_empty() && new.citizenship != old.citizenship {
        score -= 0.1;
    }
    (score, reasons)
}

/// A document's numbers (as written, and its digits), when long enough to point at one person.
fn document_numbers(number: &str) -> Vec<String> {
    document_keys(number).into_iter().filter(|k| k.len() >= NUMBER_FROM).collect()
}

/// A phone's last digits, when there are enough of them to point at one person.
fn phone_key(number: &str) -> Option<String> {
    Some(phone_tail(number)).filter(|tail| tail.len() >= PHONE_FROM)
}

fn shares_document(number: &str, others: &[String]) -> bool {
    others.iter().any(|other| same_document(number, other))
}

/// Two numbers name one document when their letters and digits are the
/// same, or when one leaves out the series the other has (a clerk may write
/// the digits only). Series that differ make two documents whatever the
/// digits: a million passports share many seven-digit numbers.
fn same_document(a: &str, b: &str) -> bool {
    let whole = |n: &str| n.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_uppercase).collect::<String>();
    let series = |n: &str| n.chars().filter(|c| c.is_alphabetic()).count();
    let (x, y) = (whole(a), whole(b));
    if x.chars().count() >= NUMBER_FROM && x == y {
        return true;
    }
    let numbers = digits(a);
    numbers.len() >= NUMBER_FROM && numbers == digits(b) && (series(a) == 0 || series(b) == 0)
}

fn shares_phone(number: &str, others: &[String]) -> bool {
    phone_key(number).is_some_and(|mine| others.iter().any(|o| phone_tail(o) == mine))
}

/// How alike the names are, 0 to 1: family with family and given with given,
/// or crosswise when one clerk wrote them the other way round.
fn names_alike(a: &Person, b: &Person) -> f64 {
    let straight = words_alike(&a.family, &b.family) + words_alike(&a.given, &b.given);
    let crossed = words_alike(&a.family, &b.given) + words_alike(&a.given, &b.family);
    straight.max(crossed) / 2.0
}

/// The closest pair of words: the same keys 1, the same skeleton at least 0.9.
fn words_alike(a: &[String], b: &[String]) -> f64 {
    let mut best: f64 = 0.0;
    for x in a {
        for y in b {
            let mut close = closeness(x, y);
            if close < 0.9 && skeleton(x).len() >= 2 && skeleton(x) == skeleton(y) {
                close = 0.9;
            }
            best = best.max(close);
        }
    }
    best
}

/// Two people of the centre who are likely one, found by the scan.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DuplicatePair {
    pub first: MigrantSummary,
    pub second: MigrantSummary,
    /// How alike, 0 to 100.
    pub score: u8,
    /// Why, as the second person's record has it.
    pub reasons: Vec<DuplicateReason>,
}

/// What a scan of the whole centre found: the likeliest pairs first.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DuplicateScan {
    pub pairs: Vec<DuplicatePair>,
    /// Pairs found, of which `pairs` holds the first [`PAIRS`].
    pub total: u32,
    /// People looked at.
    pub people: u32,
}

/// The most pairs a scan answers; a supervisor works through them and scans again.
pub const PAIRS: usize = 200;
/// A number shared by more people than this is an office's, not a person's.
const SHARED_NUMBER: usize = 20;

/// Every likely pair among the centre's living migrants, except those a
/// supervisor said are different people. People are grouped by what a pair
/// must share (a document number, a phone, the skeletons of a family and a
/// given name), and compared only within a group: within a name group, only
/// with those born within a year, so a common name costs little.
pub(crate) fn scan(conn: &Connection, centre_id: Uuid, today: NaiveDate, progress: &mut dyn FnMut(ScanProgress)) -> Result<DuplicateScan> {
    let (mut found, people) = likely_pairs_told(conn, centre_id, today, progress)?;
    let total = found.len() as u32;
    found.truncate(PAIRS);
    let mut pairs = Vec::with_capacity(found.len());
    for found in found {
        let mut two = migrant::summaries(conn, &[found.first, found.second])?.into_iter();
        if let (Some(first), Some(second)) = (two.next(), two.next()) {
            pairs.push(DuplicatePair { first, second, score: (found.score.min(1.0) * 100.0).round() as u8, reasons: found.reasons });
        }
    }
    Ok(DuplicateScan { pairs, total, people })
}

/// A pair the scan found, by id.
#[derive(Debug, Clone)]
pub struct FoundPair {
    pub first: Uuid,
    pub second: Uuid,
    pub score: f64,
    pub reasons: Vec<DuplicateReason>,
}

/// Every likely pair, likeliest first, and how many people were looked at.
/// The supervisor's screen goes through `Desk::duplicate_pairs`, which
/// checks the role; the benchmark calls this directly.
pub fn likely_pairs(conn: &Connection, centre_id: Uuid, today: NaiveDate) -> Result<(Vec<FoundPair>, u32)> {
    likely_pairs_told(conn, centre_id, today, &mut |_| {})
}

/// [`likely_pairs`], telling `progress` as it goes.
fn likely_pairs_told(conn: &Connection, centre_id: Uuid, today: NaiveDate, progress: &mut dyn FnMut(ScanProgress)) -> Result<(Vec<FoundPair>, u32)> {
    let living = "FROM migrant m WHERE m.centre_id = ?1 AND m.deleted_at IS NULL";
    let total: usize = conn.query_row(&format!("SELECT count(*) {living}"), [centre_id], |r| r.get(0))?;
    let mut reading = Stage::new(ScanStage::Reading, total, progress);
    let mut people: Vec<(Uuid, Person)> = Vec::with_capacity(total);
    for row in conn.prepare(&format!("SELECT {PERSON} {living}"))?.query_map([centre_id], person_row)? {
        people.push(row?);
        reading.step();
    }
    let progress = reading.done();
    let dismissed: HashSet<(Uuid, Uuid)> = conn
        .prepare("SELECT first_id, second_id FROM duplicate_dismissal WHERE centre_id = ?1")?
        .query_map([centre_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let groups = groups(&people);
    let mut namesakes = vec![1usize; people.len()];
    for (key, members) in &groups {
        if key.starts_with('n') {
            for &i in members {
                namesakes[i] = namesakes[i].max(members.len());
            }
        }
    }
    let mut seen = HashSet::new();
    let mut found = Vec::new();
    let mut comparing = Stage::new(ScanStage::Comparing, groups.len(), progress);
    for (key, members) in &groups {
        comparing.step();
        for (a, b) in pairs_to_compare(key, members, &people) {
            let (a, b) = if people[a].0 < people[b].0 { (a, b) } else { (b, a) };
            if !seen.insert((a, b)) || dismissed.contains(&(people[a].0, people[b].0)) {
                continue;
            }
            let (score, reasons) = compare(&people[a].1, &people[b].1, Crowd::of(namesakes[a]), today);
            if score >= LIKELY {
                found.push(FoundPair { first: people[a].0, second: people[b].0, score, reasons });
            }
        }
    }
    found.sort_by(|x, y| y.score.total_cmp(&x.score).then((x.first, x.second).cmp(&(y.first, y.second))));
    Ok((found, people.len() as u32))
}

/// One stage of a scan, told at every whole percent.
struct Stage<'a> {
    stage: ScanStage,
    total: usize,
    done: usize,
    told: Option<u8>,
    progress: &'a mut dyn FnMut(ScanProgress),
}

impl<'a> Stage<'a> {
    fn new(stage: ScanStage, total: usize, progress: &'a mut dyn FnMut(ScanProgress)) -> Stage<'a> {
        let mut s = Stage { stage, total, done: 0, told: None, progress };
        s.tell();
        s
    }

    fn step(&mut self) {
        self.done += 1;
        self.tell();
    }

    fn tell(&mut self) {
        let percent = (self.done * 100 / self.total.max(1)).min(100) as u8;
        if self.told != Some(percent) {
            self.told = Some(percent);
            (self.progress)(ScanProgress { stage: self.stage, percent });
        }
    }

    /// Hands the listener back for the next stage.
    fn done(self) -> &'a mut dyn FnMut(ScanProgress) {
        self.progress
    }
}

/// People by what a duplicate pair shares: `d` + a document number, `p` + a
/// phone's last digits, `n` + the skeletons of a family and a given name.
fn groups(people: &[(Uuid, Person)]) -> HashMap<String, Vec<usize>> {
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, (_, p)) in people.iter().enumerate() {
        let mut keys = HashSet::new();
        keys.extend(p.documents.iter().flat_map(|d| document_numbers(d)).map(|k| format!("d{k}")));
        keys.extend(p.phones.iter().filter_map(|n| phone_key(n)).map(|tail| format!("p{tail}")));
        for family in &p.family {
            for given in &p.given {
                keys.insert(format!("n{} {}", skeleton(family), skeleton(given)));
            }
        }
        for key in keys {
            groups.entry(key).or_default().push(i);
        }
    }
    groups
}

/// The pairs of a group worth weighing.
fn pairs_to_compare(key: &str, members: &[usize], people: &[(Uuid, Person)]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    if members.len() < 2 || (!key.starts_with('n') && members.len() > SHARED_NUMBER) {
        return pairs;
    }
    if !key.starts_with('n') {
        for (x, &a) in members.iter().enumerate() {
            pairs.extend(members[x + 1..].iter().map(|&b| (a, b)));
        }
        return pairs;
    }
    // Names with nothing beside them are for the registration check; here a
    // pair of namesakes needs births within a year.
    let mut dated: Vec<(NaiveDate, usize)> = members.iter().filter_map(|&i| people[i].1.birth.map(|b| (b, i))).collect();
    dated.sort();
    for (x, &(born, a)) in dated.iter().enumerate() {
        for &(other, b) in &dated[x + 1..] {
            if (other - born).num_days() > 366 {
                break;
            }
            pairs.push((a, b));
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(family: &str, given: &str, birth: Option<&str>) -> Person {
        Person {
            family: name_words(&[family]),
            given: name_words(&[given]),
            sex: Some(Sex::Male),
            birth: birth.map(|b| b.parse().unwrap()),
            citizenship: "TJ".into(),
            ..Person::default()
        }
    }

    fn today() -> NaiveDate {
        "2026-12-01".parse().unwrap()
    }

    fn with_father(mut p: Person, patronymic: &str) -> Person {
        p.patronymic = father_words(patronymic);
        p
    }

    #[test]
    fn a_patronymic_compares_by_the_fathers_name() {
        let a = with_father(person("Исмоилова", "Умида", None), "Ҳамид қизи");
        assert!(!same_patronymic(&a, &with_father(person("Исмоилова", "Умида", None), "Эркин қизи")), "every daughter is қизи");
        assert!(same_patronymic(&a, &with_father(person("Ismoilova", "Umida", None), "Hamid qizi")));
        assert!(same_patronymic(&with_father(person("A", "B", None), "Саматович"), &with_father(person("A", "B", None), "Samatovich")));
        assert!(!same_patronymic(&a, &person("Исмоилова", "Умида", None)), "a patronymic not written says nothing");
    }

    #[test]
    fn a_patronymic_written_another_way_names_the_same_father() {
        let ending = with_father(person("Исмоилов", "Умед", None), "Тоҳирович");
        assert!(same_patronymic(&ending, &with_father(person("Ismoilov", "Umed", None), "Tohir o'g'li")));
        let kazakh = with_father(person("Нұрланова", "Айгүл", None), "Арманқызы");
        assert!(same_patronymic(&kazakh, &with_father(person("Nurlanova", "Aigul", None), "Arman kyzy")));
        assert!(!same_patronymic(&ending, &kazakh));
    }

    fn from(mut p: Person, region: &str, town: &str) -> Person {
        (p.region, p.town, p.town_written) = (place_key(region), place_key(town), town.to_string());
        p
    }

    #[test]
    fn the_same_town_of_origin_tells_a_common_name_with_an_age_from_its_namesakes() {
        let mut new = from(person("Rahimov", "Sherzod", Some("1990-09-01")), "Khatlon", "Kulob");
        new.estimated = true;
        let old = person("Раҳимов", "Шерзод", Some("1990-06-04"));
        let among_many = |old: &Person| compare(&new, old, Crowd::of(100), today());
        assert!(among_many(&old).0 < LIKELY, "one of a hundred namesakes of that age");
        let (score, reasons) = among_many(&from(old.clone(), "Хатлон", "Кӯлоб"));
        assert!(score >= LIKELY, "{score}");
        assert!(reasons.contains(&DuplicateReason { kind: ReasonKind::Origin, detail: "Кӯлоб".into() }), "{reasons:?}");
        assert!(among_many(&from(old.clone(), "Sughd", "Khujand")).0 < among_many(&old).0, "another region counts against");
        let mut russian = new.clone();
        (russian.region, russian.town) = (place_key("Хатлонская область"), place_key("Кулоб"));
        let sughd = from(old.clone(), "Согдийская область", "Худжанд");
        assert_eq!(same_place(&russian, &sughd), Some(false), "two regions, though both are an область");
        assert_eq!(same_place(&russian, &from(old.clone(), "Khatlon", "Kulob")), Some(true));
    }

    #[test]
    fn a_common_name_from_the_same_town_is_as_rare_as_the_towns_namesakes() {
        let mut new = from(person("Rahimov", "Sherzod", Some("1990-09-01")), "Khatlon", "Kulob");
        new.estimated = true;
        let old = from(person("Раҳимов", "Шерзод", Some("1990-06-04")), "Хатлон", "Кӯлоб");
        assert!(compare(&new, &old, Crowd { namesakes: 300, kin: 0, townsfolk: 10 }, today()).0 >= LIKELY, "ten of three hundred namesakes are from Kulob");
        assert!(compare(&new, &old, Crowd::of(300), today()).0 < LIKELY, "all three hundred are");
    }

    #[test]
    fn a_different_fathers_name_outweighs_an_age_that_fits() {
        let mut new = with_father(person("Abdulloev", "Umed", Some("1990-09-01")), "Nodirovich");
        new.estimated = true;
        let old = with_father(person("Абдуллоев", "Умед", Some("1990-06-04")), "Саидович");
        assert!(compare(&new, &old, Crowd::of(1), today()).0 < LIKELY);
        assert!(compare(&new, &with_father(old, "Нодирович"), Crowd::of(1), today()).0 >= LIKELY);
    }

    #[test]
    fn without_a_birth_date_the_same_father_tells_namesakes_apart_when_few_share_him() {
        let new = with_father(person("Turdiev", "Anvar", None), "Tohirovich");
        let old = with_father(person("Турдиев", "Анвар", Some("1988-02-11")), "Тоҳирович");
        let one_of = |namesakes, kin| compare(&new, &old, Crowd { namesakes, kin, townsfolk: namesakes }, today()).0;
        assert!(one_of(20, 1) >= LIKELY, "the only namesake with that father");
        assert!(one_of(20, 20) < LIKELY, "every namesake has that father");
        let mut born = new.clone();
        born.birth = Some("1994-05-05".parse().unwrap());
        assert!(compare(&born, &old, Crowd { namesakes: 20, kin: 1, townsfolk: 20 }, today()).0 < LIKELY, "a birth date says more than the father's name");
    }

    #[test]
    fn among_a_crowd_of_namesakes_the_same_fathers_name_is_no_suggestion_without_a_birth_date() {
        let new = with_father(person("Saidov", "Kahramon", None), "Nodirovich");
        let old = with_father(person("Саидов", "Қаҳрамон", Some("1994-03-24")), "Нодирович");
        assert!(compare(&new, &old, Crowd { namesakes: 90, kin: 1, townsfolk: 90 }, today()).0 < LIKELY, "ninety namesakes: some share a father's name by chance");
        assert!(compare(&new, &old, Crowd { namesakes: 10, kin: 1, townsfolk: 10 }, today()).0 >= LIKELY);
    }

    #[test]
    fn a_name_with_the_same_patronymic_borne_by_few_is_worth_a_look_without_a_birth_date() {
        let new = with_father(person("Komronova", "Malika", None), "Shohrukhovna");
        let old = with_father(person("Комронова", "Малика", Some("1992-10-21")), "Шоҳруховна");
        assert!(compare(&new, &old, Crowd::of(1), today()).0 >= LIKELY);
        let other_father = with_father(person("Комронова", "Малика", Some("1992-10-21")), "Саидовна");
        assert!(compare(&new, &other_father, Crowd::of(1), today()).0 < LIKELY, "another father's daughter");
        assert!(compare(&person("Komronova", "Malika", None), &old, Crowd::of(1), today()).0 < LIKELY, "names alone never are");
    }

    #[test]
    fn the_same_names_in_another_script_and_the_same_birth_date_are_likely_one_person() {
        let (score, reasons) = compare(&person("Rakhmonov", "Farrukh", Some("1990-03-04")), &person("Рахмонов", "Фаррух", Some("1990-03-04")), Crowd::of(1), today());
        assert!(score > 0.8, "{score}");
        let kinds: Vec<ReasonKind> = reasons.iter().map(|r| r.kind).collect();
        assert_eq!(kinds, vec![ReasonKind::Name, ReasonKind::BirthDate]);
    }

    #[test]
    fn namesakes_born_years_apart_are_not_suggested() {
        let (score, _) = compare(&person("Karimov", "Jamshed", Some("1990-03-04")), &person("Каримов", "Джамшед", Some("1971-08-19")), Crowd::of(1), today());
        assert!(score < LIKELY, "{score}");
    }

    #[test]
    fn a_shared_document_outweighs_different_spellings_and_a_wrong_date() {
        let mut a = person("Nazarian", "Aram", Some("1985-01-01"));
        a.documents = vec!["AN 0123456".into()];
        let mut b = person("Սարգսյան", "Արամ", Some("1986-01-01"));
        b.documents = vec!["an0123456".into()];
        let (score, reasons) = compare(&a, &b, Crowd::of(1), today());
        assert!(score >= LIKELY, "{score}");
        assert_eq!(reasons[0], DuplicateReason { kind: ReasonKind::Document, detail: "an0123456".into() });
    }

    #[test]
    fn a_document_of_another_series_is_another_document() {
        assert!(same_document("AN 0123456", "an0123456"));
        assert!(same_document("AN 0123456", "0123456"), "the series left out");
        assert!(!same_document("AN 0123456", "KB 0123456"), "same digits, another series");
        assert!(!same_document("0123", "0123"), "too short to point at one person");
        assert!(same_document("ABC12", "abc-12"));
    }

    #[test]
    fn names_written_the_other_way_round_still_match() {
        let a = person("Farrukh", "Rahmonov", None);
        let b = person("Рахмонов", "Фаррух", None);
        assert!(names_alike(&a, &b) > 0.95);
    }

    #[test]
    fn a_common_name_with_an_age_is_no_suggestion_but_with_the_same_birth_date_it_is() {
        let mut new = person("Karimov", "Jamshed", Some("1990-09-01"));
        new.estimated = true;
        let old = person("Каримов", "Джамшед", Some("1990-03-04"));
        assert!(compare(&new, &old, Crowd::of(1), today()).0 >= LIKELY, "a rare name and the age are worth a look");
        assert!(compare(&new, &old, Crowd::of(300), today()).0 < LIKELY, "one of 300 namesakes is not");
        assert!(compare(&person("Karimov", "Jamshed", None), &old, Crowd::of(1), today()).0 < LIKELY, "names alone are not");
        let born = person("Karimov", "Jamshed", Some("1990-03-04"));
        assert!(compare(&born, &old, Crowd::of(300), today()).0 >= LIKELY);
    }

    #[test]
    fn a_phone_in_another_format_matches_and_a_short_one_does_not() {
        assert!(shares_phone("+992 93 123 4567", &["8 (93) 123-45-67".into()]));
        assert!(!shares_phone("4567", &["4567".into()]));
    }

    #[test]
    fn a_different_sex_counts_against() {
        let mut b = person("Рахмонов", "Фаррух", Some("1990-03-04"));
        let (same, _) = compare(&person("Rahmonov", "Farrukh", Some("1990-03-04")), &b, Crowd::of(1), today());
        b.sex = Some(Sex::Female);
        let (other, _) = compare(&person("Rahmonov", "Farrukh", Some("1990-03-04")), &b, Crowd::of(1), today());
        assert!(other < same - 0.3);
    }
}
