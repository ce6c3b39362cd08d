//! A demo centre: a year of invented but plausible work, for trying the app,
//! training staff and measuring speed at scale.
//!
//! Everything comes from one seeded generator, so the same seed and the same
//! `as_of` date give the same centre, down to the record ids (UUIDv7 built
//! from the simulated time and the generator). Names are common names of the
//! region (assets/demo/names.json) combined at random, so nobody real is named;
//! partner organisations are made up the same way (assets/demo/partners.json).
//!
//! Records go through the same module functions the desk uses, and every input
//! is checked by the same rules, but each carries the simulated time of the
//! work instead of the clock, and a thousand migrants share one transaction.
//! Follow-ups, group sessions and anonymous contacts have no insert function
//! the demo can reach, so they are written here, column for column as their
//! modules write them, after the same checks.

use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

use chrono::{DateTime, Datelike, Days, Duration, Months, NaiveDate, NaiveTime, Utc, Weekday};
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::age::AgeBand;
use crate::anonymous::{self, AnonymousContact, AnonymousContactInput};
use crate::assistance::{self, AssistanceCategory, AssistanceInput, Outcome};
use crate::case::{self, Case, CaseInput, CaseStatus, CaseTransition, CaseType, ClosureReason, Priority};
use crate::centre::{self, StaffInput, StaffRole};
use crate::error::{CoreError, Result};
use crate::family::{self, FamilyLinkInput, Relation};
use crate::follow_up::FollowUp;
use crate::group_session::{self, AnonymousCount, GroupSession, GroupSessionInput, SessionKind};
use crate::migrant::{
    self, ConsentScope, DocumentKind, IdentityDocument, Messenger, MigrantInput, MigrationStatus, Phone, Sex, Vulnerability,
};
use crate::partner::{self, Partner, PartnerInput, PartnerKind};
use crate::record::{Actor, RecordMeta};
use crate::referral::{self, ReferralInput, ReferralStatus, ReferralTransition, SharedData};
use crate::validate::Checks;
use crate::visit::{self, Channel, VisitInput, VisitPurpose};
use crate::Desk;

/// Referrals per case in a realistic centre: many cases are settled at the
/// centre, others need a clinic, a lawyer and a shelter.
pub const REFERRALS_PER_CASE: f64 = 2.0;
/// Follow-ups per case in a realistic centre.
pub const FOLLOW_UPS_PER_CASE: f64 = 3.0;

/// How many of something made from cases.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Amount {
    /// This many per case on average: the total is exactly cases × this, rounded.
    PerCase(f64),
    /// Exactly this many over the centre (none when there are no cases).
    Total(usize),
}

impl Amount {
    fn total(self, cases: usize) -> usize {
        match self {
            _ if cases == 0 => 0,
            Amount::PerCase(n) => (cases as f64 * n).round() as usize,
            Amount::Total(n) => n,
        }
    }
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub seed: u64,
    pub migrants: usize,
    /// The average number of visits per migrant; the total is exactly `migrants × this`, rounded.
    pub visits_per_migrant: f64,
    /// Referrals from cases to partners.
    pub referrals: Amount,
    /// Follow-ups on cases and referrals.
    pub follow_ups: Amount,
    /// The work covers the twelve months before this day (the day itself excluded).
    pub as_of: NaiveDate,
}

impl DemoOptions {
    /// A realistic centre of this size: referrals and follow-ups at their usual rate per case.
    pub fn new(seed: u64, migrants: usize, visits_per_migrant: f64, as_of: NaiveDate) -> DemoOptions {
        DemoOptions {
            seed,
            migrants,
            visits_per_migrant,
            referrals: Amount::PerCase(REFERRALS_PER_CASE),
            follow_ups: Amount::PerCase(FOLLOW_UPS_PER_CASE),
            as_of,
        }
    }
}

/// What was generated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DemoSummary {
    pub migrants: usize,
    pub visits: usize,
    pub assistance: usize,
    pub cases: usize,
    pub cases_closed: usize,
    pub case_events: usize,
    pub family_links: usize,
    pub staff_added: usize,
    pub partners: usize,
    pub partners_inactive: usize,
    pub referrals: usize,
    pub referral_events: usize,
    /// Referrals by their status at the end of the year.
    pub referrals_by_status: BTreeMap<String, usize>,
    pub follow_ups: usize,
    /// Follow-ups not done yet, of which some were due before `as_of`.
    pub follow_ups_open: usize,
    pub follow_ups_overdue: usize,
    pub group_sessions: usize,
    pub group_participants: usize,
    pub anonymous_contacts: usize,
}

/// Migrants written per transaction: large enough to be fast, small enough
/// that the database is never locked for long.
const BATCH: usize = 1000;

/// Fills the set-up centre with a year of demo work.
pub fn seed_demo(desk: &mut Desk, opts: &DemoOptions) -> Result<DemoSummary> {
    let actor = desk.allowed(crate::permission::Action::SeeCentre)?;
    check_options(opts)?;
    let state = desk.state()?;
    let centre = state.centre.ok_or(CoreError::NotSetUp)?;
    // Anyone may fill their practice centre; invented work in a real centre is the centre's leads' call.
    if !centre.practice {
        desk.allowed(crate::permission::Action::SetUpCentre)?;
    }
    let mut world = World::new(actor.centre_id, &centre.country, &centre.city, opts.as_of);
    world.desk_staff = actor.staff_id;

    // Separate streams, so that one part's draws never shift another's: the
    // same seed gives the same migrants whatever the number of referrals.
    let mut plan_rng = stream(opts.seed, 1);
    let mut staff_rng = stream(opts.seed, 2);
    let mut rng = stream(opts.seed, 3);
    let mut partner_rng = stream(opts.seed, 4);
    let mut work_rng = stream(opts.seed, 5);
    let mut session_rng = stream(opts.seed, 6);
    let mut contact_rng = stream(opts.seed, 7);

    let skeletons = world.plan(&mut plan_rng, opts);
    if let Some(first) = skeletons.first() {
        let loaded = desk.store().read(|conn| Ok(conn.query_row("SELECT 1 FROM migrant WHERE id = ?1", [first.id], |_| Ok(())).optional()?))?;
        if loaded.is_some() {
            let mut c = Checks::new();
            c.fail("seed", "already_loaded", format!("demo seed {} is already loaded in this database: use another seed", opts.seed));
            c.finish()?;
        }
    }

    let mut summary = DemoSummary { staff_added: add_demo_staff(desk, &mut staff_rng, &world)?, ..Default::default() };
    world.staff = desk
        .store()
        .read(|conn| centre::list_staff(conn, actor.centre_id))?
        .into_iter()
        .filter(|s| s.active)
        .map(|s| (s.id, s.role))
        .collect();

    // The partner directory was there before the year's referrals.
    world.partners = world.partner_directory(&mut partner_rng)?;
    desk.store_mut().write(|tx| {
        for p in &world.partners {
            partner::save(tx, &p.record)?;
        }
        Ok(())
    })?;
    summary.partners = world.partners.len();
    summary.partners_inactive = world.partners.iter().filter(|p| !p.record.active).count();

    let mut references = HashSet::new();
    for (batch_index, batch) in skeletons.chunks(BATCH).enumerate() {
        let offset = batch_index * BATCH;
        desk.store_mut().write(|tx| {
            for (i, skeleton) in batch.iter().enumerate() {
                let anchor = skeleton.relative_of.map(|(a, relation)| (&skeletons[a], relation));
                world.migrant(tx, &mut rng, offset + i, skeleton, anchor, &mut references, &mut summary)?;
            }
            Ok(())
        })?;
    }

    // Referrals and follow-ups once every case is known, so their totals are exact.
    let (referrals, follow_ups) = world.share_case_work(&mut work_rng, opts);
    for ((cases, referrals), follow_ups) in world.cases.chunks(BATCH).zip(referrals.chunks(BATCH)).zip(follow_ups.chunks(BATCH)) {
        desk.store_mut().write(|tx| {
            for ((case, &r), &f) in cases.iter().zip(referrals).zip(follow_ups) {
                world.case_work(tx, &mut work_rng, case, r, f, &mut references, &mut summary)?;
            }
            Ok(())
        })?;
    }

    world.attendees.sort_by_key(|a| (a.registered, a.id));
    desk.store_mut().write(|tx| {
        world.group_sessions(tx, &mut session_rng, &mut summary)?;
        world.anonymous_contacts(tx, &mut contact_rng, &mut summary)
    })?;
    Ok(summary)
}

/// The active staff member with the most open cases, and how many: who the
/// benchmark puts at the desk, so that Today has something to show.
pub fn busiest_staff(desk: &Desk) -> Result<Option<(Uuid, usize)>> {
    let actor = desk.actor()?;
    desk.store().read(|conn| {
        Ok(conn
            .query_row(
                "SELECT c.assigned_to, count(*) FROM case_file c JOIN staff s ON s.id = c.assigned_to \
                 WHERE c.centre_id = ?1 AND c.status != 'closed' AND c.deleted_at IS NULL AND s.active = 1 \
                 GROUP BY c.assigned_to ORDER BY count(*) DESC, c.assigned_to LIMIT 1",
                [actor.centre_id],
                |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as usize)),
            )
            .optional()?)
    })
}

fn stream(seed: u64, n: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(n);
    rng
}

fn check_options(opts: &DemoOptions) -> Result<()> {
    let mut c = Checks::new();
    if opts.migrants > 1_000_000 {
        c.fail("migrants", "out_of_range", "must be at most 1000000");
    }
    if !opts.visits_per_migrant.is_finite() || !(0.0..=100.0).contains(&opts.visits_per_migrant) {
        c.fail("visits_per_migrant", "out_of_range", "must be between 0 and 100");
    }
    for (amount, per_case, total) in [(opts.referrals, "referrals_per_case", "referrals"), (opts.follow_ups, "follow_ups_per_case", "follow_ups")] {
        match amount {
            Amount::PerCase(n) if !n.is_finite() || !(0.0..=50.0).contains(&n) => c.fail(per_case, "out_of_range", "must be between 0 and 50"),
            Amount::Total(n) if n > 10_000_000 => c.fail(total, "out_of_range", "must be at most 10000000"),
            _ => {}
        }
    }
    if opts.as_of.year() < 2000 {
        c.fail("as_of", "too_old", "must be in 2000 or later");
    }
    if opts.as_of > Utc::now().date_naive() + Days::new(1) {
        c.fail("as_of", "future_date", "must not be in the future");
    }
    c.finish()
}

// ----- the data the demo is made of -----

#[derive(Deserialize)]
struct NameData {
    countries: BTreeMap<String, CountryNames>,
}

/// Each name is (own script, Latin).
#[derive(Deserialize)]
struct CountryNames {
    male: Vec<(String, String)>,
    female: Vec<(String, String)>,
    family: Vec<(String, String)>,
    patronymic: Patronymics,
}

#[derive(Deserialize)]
struct Patronymics {
    bases: Vec<String>,
    styles: Vec<PatronymicStyle>,
}

#[derive(Deserialize)]
struct PatronymicStyle {
    male: String,
    female: String,
    weight: u32,
}

#[derive(Deserialize)]
struct Content {
    regions: BTreeMap<String, Vec<Region>>,
    destinations: BTreeMap<String, Vec<String>>,
    occupations: Occupations,
    migrant_notes: Vec<String>,
    visit_notes: BTreeMap<String, Vec<String>>,
    case_summaries: BTreeMap<String, Vec<String>>,
    transition_notes: BTreeMap<String, Vec<String>>,
    assistance_notes: BTreeMap<String, Vec<String>>,
    referral_reasons: BTreeMap<String, Vec<String>>,
    override_reasons: Vec<String>,
    referral_notes: BTreeMap<String, Vec<String>>,
    referral_outcomes: BTreeMap<String, Vec<String>>,
    referral_declines: Vec<String>,
    referral_no_shows: Vec<String>,
    follow_up_notes: BTreeMap<String, Vec<String>>,
    follow_up_referral_notes: Vec<String>,
    session_topics: BTreeMap<String, Vec<String>>,
    session_places: SessionPlaces,
    session_notes: Vec<String>,
    anonymous_topics: Vec<String>,
    anonymous_notes: Vec<String>,
}

#[derive(Deserialize)]
struct SessionPlaces {
    centre: Vec<String>,
    outreach: Vec<String>,
}

/// Parts of partner names, by kind of organisation. Each pair is (the centre's language, Latin).
#[derive(Deserialize)]
struct PartnerData {
    words: Vec<(String, String)>,
    kinds: BTreeMap<String, KindData>,
    streets: Vec<String>,
    notes: Vec<String>,
}

#[derive(Deserialize)]
struct KindData {
    weight: u32,
    core: Vec<AssistanceCategory>,
    /// Further services, each with the percentage of partners of the kind that offer it.
    extra: Vec<(AssistanceCategory, u32)>,
    patterns: Vec<(String, String)>,
    /// Embassies of other countries, (country, name, Latin name): state bodies only.
    #[serde(default)]
    embassies: Vec<(String, String, String)>,
    contacts: Vec<String>,
    mail: String,
    hours: Vec<String>,
}

#[derive(Deserialize)]
struct Region {
    region: String,
    towns: Vec<String>,
}

#[derive(Deserialize)]
struct Occupations {
    male: Vec<String>,
    female: Vec<String>,
}

fn names() -> &'static NameData {
    static DATA: OnceLock<NameData> = OnceLock::new();
    DATA.get_or_init(|| serde_json::from_str(include_str!("../../../assets/demo/names.json")).expect("assets/demo/names.json is valid"))
}

fn content() -> &'static Content {
    static DATA: OnceLock<Content> = OnceLock::new();
    DATA.get_or_init(|| serde_json::from_str(include_str!("../../../assets/demo/content.json")).expect("assets/demo/content.json is valid"))
}

fn partner_data() -> &'static PartnerData {
    static DATA: OnceLock<PartnerData> = OnceLock::new();
    DATA.get_or_init(|| serde_json::from_str(include_str!("../../../assets/demo/partners.json")).expect("assets/demo/partners.json is valid"))
}

/// The partners a centre starts with, one of each kind, so every service a
/// case may need has someone to take it all year.
const CORE_KINDS: &[PartnerKind] = &[
    PartnerKind::Clinic,
    PartnerKind::LawFirm,
    PartnerKind::Shelter,
    PartnerKind::Ngo,
    PartnerKind::StateBody,
    PartnerKind::Employer,
    PartnerKind::InternationalOrganisation,
];

fn kind_data(kind: PartnerKind) -> &'static KindData {
    partner_data().kinds.get(kind.as_str()).unwrap_or_else(|| &partner_data().kinds["ngo"])
}

/// The citizenships the demo knows names for.
const ORIGINS: &[&str] = &["TJ", "KG", "UZ", "AM", "KZ", "RU"];

fn country_names(code: &str) -> &'static CountryNames {
    names().countries.get(code).unwrap_or_else(|| &names().countries["RU"])
}

/// A patronymic (most people have one) in one of the country's styles;
/// `any_father` takes the father's name from all the country's men's names,
/// not only the listed bases.
fn patronymic_for(rng: &mut ChaCha8Rng, names: &CountryNames, sex: Sex, any_father: bool) -> String {
    if !chance(rng, 0.92) {
        return String::new();
    }
    let style_options: Vec<(usize, u32)> = names.patronymic.styles.iter().enumerate().map(|(i, s)| (i, s.weight)).collect();
    let style = &names.patronymic.styles[weighted(rng, &style_options)];
    let father = if any_father && chance(rng, 0.5) { Some(&pick(rng, &names.male).0).filter(|f| ends_in_consonant(f)) } else { None };
    let base = match father {
        Some(name) => name,
        None => pick(rng, &names.patronymic.bases),
    };
    format!("{base}{}", if sex == Sex::Female { &style.female } else { &style.male })
}

/// A name for someone of this citizenship and sex from the listed names, in
/// the country's script and in Latin letters: family, family in Latin,
/// given, given in Latin, patronymic (when asked for).
fn a_name_from(rng: &mut ChaCha8Rng, names: &CountryNames, sex: Sex, with_patronymic: bool) -> [String; 5] {
    let (family, family_latin) = family_form(pick(rng, &names.family), sex);
    let (given, given_latin) = pick(rng, if sex == Sex::Female { &names.female } else { &names.male }).clone();
    let patronymic = if with_patronymic { patronymic_for(rng, names, sex, false) } else { String::new() };
    [family, family_latin, given, given_latin, patronymic]
}

/// A region and town of origin in the country, as the demo centre's people
/// have them; empty for a country without listed regions.
pub(crate) fn a_place_of_origin(rng: &mut ChaCha8Rng, citizenship: &str) -> (String, String) {
    match content().regions.get(citizenship) {
        Some(regions) => {
            let r = pick(rng, regions);
            (r.region.clone(), pick(rng, &r.towns).clone())
        }
        None => (String::new(), String::new()),
    }
}

/// A name drawn from a space as wide as a large centre meets. Besides the
/// listed family names, family names formed from the country's men's names
/// the way its family names are (Рустам: Рустамов, Рустамзода; Արամ:
/// Արամյան), and patronymics from any of its men's names. The demo centre
/// keeps to the listed names, which its texts and tests know.
pub(crate) fn a_name_among_many(rng: &mut ChaCha8Rng, citizenship: &str, sex: Sex) -> [String; 5] {
    let names = country_names(citizenship);
    let [mut family, mut family_latin, given, given_latin, _] = a_name_from(rng, names, sex, false);
    if chance(rng, 0.6) {
        let endings: Vec<((&str, &str), u32)> = family_endings(citizenship).iter().map(|&(c, l, w)| ((c, l), w)).collect();
        let (ending, latin) = weighted(rng, &endings);
        if let Some(formed) = formed_family(pick(rng, &names.male), ending, latin) {
            (family, family_latin) = family_form(&formed, sex);
        }
    }
    let patronymic = patronymic_for(rng, names, sex, true);
    [family, family_latin, given, given_latin, patronymic]
}

/// How family names are formed from a forebear's name, by country: (ending,
/// its Latin spelling, weight).
fn family_endings(citizenship: &str) -> &'static [(&'static str, &'static str, u32)] {
    match citizenship {
        "TJ" => &[("ов", "ov", 5), ("зода", "zoda", 3)],
        "AM" => &[("յան", "yan", 1)],
        "RU" => &[("ов", "ov", 3), ("ин", "in", 1)],
        _ => &[("ов", "ov", 1)],
    }
}

/// A family name formed from a man's name; none where the Russian-style
/// ending would need the stem changed (Дмитрий, Сино).
fn formed_family(stem: &(String, String), ending: &str, latin: &str) -> Option<(String, String)> {
    let needs_consonant = matches!(ending, "ов" | "ин");
    if needs_consonant && !ends_in_consonant(&stem.0) {
        return None;
    }
    Some((format!("{}{ending}", stem.0), format!("{}{latin}", stem.1.replace('\'', ""))))
}

fn ends_in_consonant(name: &str) -> bool {
    name.chars().last().is_some_and(|c| !"аеёиоуыэюяйьъӯӣәөүұіАЕЁИОУЫЭЮЯ".contains(c))
}

/// A family name in the form for the person's sex: Russian-style endings take -а for women.
fn family_form(name: &(String, String), sex: Sex) -> (String, String) {
    let feminine = sex == Sex::Female && ["ов", "ев", "ёв", "ин"].iter().any(|end| name.0.ends_with(end));
    if feminine {
        (format!("{}а", name.0), format!("{}a", name.1))
    } else {
        name.clone()
    }
}

/// Hours the centre's clock is ahead of UTC (no daylight saving in the region).
fn utc_offset_hours(country: &str) -> i64 {
    match country {
        "RU" => 3,
        "AM" => 4,
        "TJ" | "UZ" | "KZ" => 5,
        "KG" => 6,
        "CR" => -6,
        _ => 0,
    }
}

fn currency_of(country: &str) -> (&'static str, f64) {
    // The currency and roughly how many of it a rouble buys.
    match country {
        "RU" => ("RUB", 1.0),
        "KZ" => ("KZT", 5.5),
        "TJ" => ("TJS", 0.12),
        "KG" => ("KGS", 1.0),
        "UZ" => ("UZS", 140.0),
        "AM" => ("AMD", 4.5),
        "CR" => ("CRC", 6.0),
        _ => ("USD", 0.011),
    }
}

fn native_language(country: &str) -> &'static str {
    match country {
        "TJ" => "tg",
        "KG" => "ky",
        "UZ" => "uz",
        "AM" => "hy",
        "KZ" => "kk",
        _ => "ru",
    }
}

// ----- small random helpers -----

fn chance(rng: &mut ChaCha8Rng, p: f64) -> bool {
    rng.random::<f64>() < p
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn weighted<T: Copy>(rng: &mut ChaCha8Rng, options: &[(T, u32)]) -> T {
    let total: u32 = options.iter().map(|o| o.1).sum();
    if total == 0 {
        return options[0].0;
    }
    let mut roll = rng.random_range(0..total);
    for &(value, weight) in options {
        if roll < weight {
            return value;
        }
        roll -= weight;
    }
    options[options.len() - 1].0
}

fn digits(rng: &mut ChaCha8Rng, n: usize) -> String {
    (0..n).map(|_| char::from(b'0' + rng.random_range(0..10u8))).collect()
}

fn letters(rng: &mut ChaCha8Rng, n: usize) -> String {
    (0..n).map(|_| char::from(b'A' + rng.random_range(0..26u8))).collect()
}

/// A UUIDv7 for a record created at `at`: time-ordered like `new_id`, but repeatable.
fn record_id(rng: &mut ChaCha8Rng, at: DateTime<Utc>) -> Uuid {
    let mut bytes = [0u8; 10];
    rng.fill_bytes(&mut bytes);
    uuid::Builder::from_unix_timestamp_millis(at.timestamp_millis() as u64, &bytes).into_uuid()
}

fn notes_for(rng: &mut ChaCha8Rng, map: &'static BTreeMap<String, Vec<String>>, key: &str, p: f64) -> String {
    match map.get(key) {
        Some(list) if !list.is_empty() && chance(rng, p) => pick(rng, list).clone(),
        _ => String::new(),
    }
}

/// Splits `total` visits among migrants in proportion to their weights: at
/// least one each when there are enough, the rest by largest remainder.
fn allocate(total: usize, weights: &[f64]) -> Vec<usize> {
    apportion(total, weights, usize::from(total >= weights.len()))
}

/// Splits `total` in proportion to the weights, after `base` each (which
/// must fit), by largest remainder: the counts always add up to `total`.
fn apportion(total: usize, weights: &[f64], base: usize) -> Vec<usize> {
    let n = weights.len();
    if n == 0 {
        return Vec::new();
    }
    let rest = total - base * n;
    let sum: f64 = weights.iter().sum::<f64>().max(f64::MIN_POSITIVE);
    let shares: Vec<f64> = weights.iter().map(|w| rest as f64 * w / sum).collect();
    let mut counts: Vec<usize> = shares.iter().map(|s| base + s.floor() as usize).collect();
    let left = total.saturating_sub(counts.iter().sum());
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| (shares[b] - shares[b].floor()).total_cmp(&(shares[a] - shares[a].floor())).then(a.cmp(&b)));
    for &i in order.iter().cycle().take(left) {
        counts[i] += 1;
    }
    counts
}

// ----- the simulated centre -----

/// One migrant decided before any details: when they first came, their id,
/// how many visits they make, and whom they are related to.
struct Skeleton {
    id: Uuid,
    first_contact: DateTime<Utc>,
    created: DateTime<Utc>,
    visits: usize,
    relative_of: Option<(usize, Relation)>,
}

/// What a relative takes over from the migrant they are linked to.
#[derive(Clone)]
struct Household {
    family: (String, String),
    citizenship: &'static str,
    region: String,
    town: String,
    current_country: String,
    current_city: String,
    status: MigrationStatus,
    sex: Sex,
    age: u32,
}

struct World {
    centre_id: Uuid,
    country: String,
    city: String,
    /// A centre in a country migrants come to, rather than one they leave.
    destination: bool,
    offset: Duration,
    first_day: NaiveDate,
    last_day: NaiveDate,
    end: DateTime<Utc>,
    staff: Vec<(Uuid, StaffRole)>,
    /// The staff member at this desk: they do a caseworker's share of the work,
    /// whatever their role, so their Today screen is a real one.
    desk_staff: Uuid,
    /// The last migrant generated (index and household), for a relative that follows.
    last_household: Option<(usize, Household)>,
    partners: Vec<DemoPartner>,
    /// Every case opened, for the referrals and follow-ups made once all are known.
    cases: Vec<PlannedCase>,
    /// Every migrant, who may come to a group session once registered.
    attendees: Vec<Attendee>,
}

/// A partner of the directory, with what the generator needs to know about it.
struct DemoPartner {
    record: Partner,
    /// How often caseworkers think of this partner first.
    popularity: u32,
    /// When a partner now inactive stopped taking referrals.
    active_until: Option<DateTime<Utc>>,
}

impl DemoPartner {
    fn takes(&self, service: AssistanceCategory, at: DateTime<Utc>) -> bool {
        self.record.services.contains(&service) && self.record.meta.created_at < at && self.active_until.is_none_or(|until| at < until)
    }

    /// The partner as it was at a time it took referrals.
    fn as_then(&self) -> Partner {
        Partner { active: true, ..self.record.clone() }
    }
}

struct Attendee {
    registered: DateTime<Utc>,
    id: Uuid,
    potential: bool,
}

/// A referral made, as its follow-ups need it.
struct MadeReferral {
    id: Uuid,
    partner: String,
    /// When it went to the partner, or when it was drafted if it never did.
    sent: DateTime<Utc>,
}

struct PlannedVisit {
    at: DateTime<Utc>,
    minutes: Option<u32>,
    channel: Channel,
    purpose: VisitPurpose,
    staff: usize,
    case: Option<usize>,
    /// Set when the visit's note is already known (the one a case was opened at).
    note: Option<String>,
}

struct PlannedCase {
    id: Uuid,
    migrant_id: Uuid,
    case_type: CaseType,
    priority: Priority,
    /// The staff member it is assigned to.
    assigned: usize,
    /// Whether the migrant agreed that their data may go to partners.
    shares_data: bool,
    opened_at: DateTime<Utc>,
    /// When it was open (not closed): one span, or two if it was reopened;
    /// the last ends when it stopped being open, or at the end of the year.
    spans: Vec<(DateTime<Utc>, DateTime<Utc>)>,
}

impl PlannedCase {
    fn until(&self) -> DateTime<Utc> {
        self.spans.last().map_or(self.opened_at, |&(_, stop)| stop)
    }
}

impl World {
    fn new(centre_id: Uuid, country: &str, city: &str, as_of: NaiveDate) -> World {
        let offset = Duration::hours(utc_offset_hours(country));
        let first_day = as_of.checked_sub_months(Months::new(12)).unwrap_or(as_of - Days::new(365));
        World {
            centre_id,
            country: country.to_string(),
            city: city.to_string(),
            destination: !["TJ", "KG", "UZ", "AM"].contains(&country),
            offset,
            first_day,
            last_day: as_of - Days::new(1),
            end: as_of.and_time(NaiveTime::MIN).and_utc() - offset,
            staff: Vec::new(),
            desk_staff: Uuid::nil(),
            last_household: None,
            partners: Vec::new(),
            cases: Vec::new(),
            attendees: Vec::new(),
        }
    }

    /// The first day after the year of work.
    fn as_of(&self) -> NaiveDate {
        self.last_day + Days::new(1)
    }

    /// The centre's local day and minute of the day, as a UTC instant.
    fn instant(&self, day: NaiveDate, minute: u32, rng: &mut ChaCha8Rng) -> DateTime<Utc> {
        let millis = i64::from(minute) * 60_000 + rng.random_range(0..60_000i64);
        day.and_time(NaiveTime::MIN).and_utc() + Duration::milliseconds(millis) - self.offset
    }

    fn local_day(&self, at: DateTime<Utc>) -> NaiveDate {
        (at + self.offset).date_naive()
    }

    /// A working day between two days: busier in spring and before winter, quiet on Sundays.
    fn random_day(&self, rng: &mut ChaCha8Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let span = (to - from).num_days().max(0) as u64;
        let mut day = from;
        for _ in 0..6 {
            day = from + Days::new(rng.random_range(0..=span));
            let season = match day.month() {
                3..=5 => 1.0,
                10 | 11 => 0.85,
                1 => 0.5,
                _ => 0.7,
            };
            let week = match day.weekday() {
                Weekday::Sun => 0.1,
                Weekday::Sat => 0.5,
                _ => 1.0,
            };
            if chance(rng, season * week) {
                break;
            }
        }
        day
    }

    fn working_minute(rng: &mut ChaCha8Rng) -> u32 {
        rng.random_range(9 * 60..18 * 60)
    }

    /// First contacts, ids, visit counts and family ties of every migrant.
    fn plan(&self, rng: &mut ChaCha8Rng, opts: &DemoOptions) -> Vec<Skeleton> {
        let mut skeletons = Vec::with_capacity(opts.migrants);
        let mut weights = Vec::with_capacity(opts.migrants);
        for i in 0..opts.migrants {
            let day = self.random_day(rng, self.first_day, self.last_day);
            let first_contact = self.instant(day, Self::working_minute(rng), rng);
            let created = first_contact + Duration::minutes(rng.random_range(5..25));
            let id = record_id(rng, created);
            // Most people come a few times; a few keep coming all year.
            let u: f64 = rng.random();
            let activity = 0.1 + u * u * u * 6.0;
            let remaining = (self.last_day - day).num_days() as f64;
            weights.push(activity * (remaining + 14.0) / 365.0);
            let previous_is_relative = skeletons.last().is_some_and(|s: &Skeleton| s.relative_of.is_some());
            let relative_of = if i > 0 && !previous_is_relative && chance(rng, 0.04) {
                let relation = weighted(rng, &[(Relation::Spouse, 45), (Relation::Child, 25), (Relation::Sibling, 20), (Relation::Parent, 10)]);
                Some((i - 1, relation))
            } else {
                None
            };
            skeletons.push(Skeleton { id, first_contact, created, visits: 0, relative_of });
        }
        let total = (opts.migrants as f64 * opts.visits_per_migrant).round() as usize;
        for (s, n) in skeletons.iter_mut().zip(allocate(total, &weights)) {
            s.visits = n;
        }
        skeletons
    }

    fn actor(&self, staff: usize) -> Actor {
        Actor { centre_id: self.centre_id, staff_id: self.staff[staff].0 }
    }

    /// A staff member to do a piece of work: mostly caseworkers.
    fn some_staff(&self, rng: &mut ChaCha8Rng) -> usize {
        let options: Vec<(usize, u32)> = self
            .staff
            .iter()
            .enumerate()
            .map(|(i, (id, role))| {
                let weight = match role {
                    StaffRole::Caseworker => 10,
                    StaffRole::Supervisor => 3,
                    StaffRole::Administrator | StaffRole::Viewer => 1,
                };
                (i, if *id == self.desk_staff { weight.max(10) } else { weight })
            })
            .collect();
        weighted(rng, &options)
    }

    fn supervisor(&self) -> Option<usize> {
        self.staff.iter().position(|(_, role)| *role == StaffRole::Supervisor)
    }

    /// Generates and stores one migrant with their visits, cases, assistance and family link.
    #[allow(clippy::too_many_arguments)]
    fn migrant(
        &mut self,
        tx: &Connection,
        rng: &mut ChaCha8Rng,
        index: usize,
        skeleton: &Skeleton,
        anchor: Option<(&Skeleton, Relation)>,
        references: &mut HashSet<String>,
        summary: &mut DemoSummary,
    ) -> Result<()> {
        let main_staff = self.some_staff(rng);
        // A relative follows right after the migrant they are linked to.
        let household = match (anchor, self.last_household.take()) {
            (Some((_, relation)), Some((i, h))) if i + 1 == index => Some((h, relation)),
            _ => None,
        };
        let (input, home) = self.person(rng, skeleton, household.as_ref());
        input.check(skeleton.created.date_naive())?;
        let mut record = migrant::from_input(&input, &self.actor(main_staff), skeleton.created, None);
        record.id = skeleton.id;
        migrant::save(tx, &record)?;
        crate::consent::keep_in_step(tx, &self.actor(main_staff), &record, skeleton.created, "")?;
        summary.migrants += 1;

        if let (Some((a, _)), Some((_, relation))) = (anchor, household.as_ref()) {
            let link = FamilyLinkInput { migrant_id: a.id, relative_id: skeleton.id, relation: Some(*relation) };
            let at = a.created.max(skeleton.created) + Duration::minutes(3);
            let actor = self.actor(main_staff);
            family::check_link(tx, &actor, &link)?;
            family::insert_link(tx, record_id(rng, at), &actor, &link, at)?;
            summary.family_links += 1;
        }

        let vulnerable = !input.vulnerabilities.is_empty();
        let mut visits = self.plan_visits(rng, skeleton, &input, &home, main_staff);
        let shares_data = referral::consents_to_sharing(&record);
        let cases = self.open_cases(tx, rng, &skeleton.id, &input, shares_data, &mut visits, references, summary)?;
        let (currency, rate) = currency_of(&home.current_country);
        for planned in &visits {
            let created = planned.at + Duration::minutes(i64::from(planned.minutes.unwrap_or(3)));
            let notes = match &planned.note {
                Some(note) => note.clone(),
                None => notes_for(rng, &content().visit_notes, planned.purpose.as_str(), 0.6),
            };
            let visit_input = VisitInput {
                migrant_id: skeleton.id,
                case_id: planned.case.map(|c| cases[c].id),
                occurred_at: Some(planned.at),
                channel: Some(planned.channel),
                purpose: Some(planned.purpose),
                duration_minutes: planned.minutes.map(Into::into),
                notes,
            };
            let mut c = Checks::new();
            visit_input.check(created, &mut c);
            c.finish()?;
            let actor = self.actor(planned.staff);
            let mut visit = visit_input.into_visit(&actor, created);
            visit.id = record_id(rng, created);
            visit::insert(tx, &visit)?;
            summary.visits += 1;

            let case_type = planned.case.map(|c| cases[c].case_type);
            let records = self.plan_assistance(rng, planned.purpose, case_type, vulnerable);
            for (k, category) in records.into_iter().enumerate() {
                let at = created + Duration::minutes(1 + k as i64);
                let (quantity, amount) = amount_for(rng, category, rate);
                let help = AssistanceInput {
                    migrant_id: skeleton.id,
                    visit_id: Some(visit.id),
                    case_id: visit.case_id,
                    category: Some(category),
                    given_on: Some(self.local_day(planned.at)),
                    quantity: quantity.map(Into::into),
                    currency: if amount.is_empty() { String::new() } else { currency.to_string() },
                    amount,
                    outcome: Some(weighted(rng, &[(Outcome::Provided, 82), (Outcome::Partial, 7), (Outcome::Pending, 7), (Outcome::Unsuccessful, 4)])),
                    notes: notes_for(rng, &content().assistance_notes, category.as_str(), 0.5),
                };
                let mut c = Checks::new();
                help.check(at.date_naive(), &mut c);
                c.finish()?;
                let mut record = help.into_assistance(&actor, at);
                record.id = record_id(rng, at);
                assistance::insert(tx, &record)?;
                summary.assistance += 1;
            }
        }
        self.last_household = Some((index, home));
        self.attendees.push(Attendee { registered: skeleton.created, id: skeleton.id, potential: input.migration_status == Some(MigrationStatus::Potential) });
        self.cases.extend(cases);
        Ok(())
    }

    /// Who the person is: names, birth, origin, contacts, documents, status.
    fn person(&self, rng: &mut ChaCha8Rng, skeleton: &Skeleton, household: Option<&(Household, Relation)>) -> (MigrantInput, Household) {
        let registered = self.local_day(skeleton.first_contact);
        let citizenship: &'static str = match household {
            Some((h, _)) => h.citizenship,
            None => self.citizenship(rng),
        };
        let names = country_names(citizenship);
        let (sex, age) = match household {
            Some((h, relation)) => relative_sex_and_age(rng, h, *relation),
            None => self.sex_and_age(rng, citizenship),
        };
        let family_entry = match household {
            Some((h, _)) => h.family.clone(),
            None => pick(rng, &names.family).clone(),
        };
        let (family_name, family_name_latin) = family_form(&family_entry, sex);
        let given = pick(rng, if sex == Sex::Female { &names.female } else { &names.male }).clone();
        let patronymic = patronymic_for(rng, names, sex, false);

        let (region, town) = match household {
            Some((h, _)) => (h.region.clone(), h.town.clone()),
            None => a_place_of_origin(rng, citizenship),
        };
        let (status, current_country, current_city) = match household {
            Some((h, _)) if chance(rng, 0.6) => (h.status, h.current_country.clone(), h.current_city.clone()),
            Some((h, _)) => (MigrationStatus::FamilyLeftBehind, h.citizenship.to_string(), h.town.clone()),
            None => self.status_and_place(rng, citizenship, &town, age),
        };
        let abroad = current_country != citizenship;

        // Exact birth dates mostly; an estimated age when the person has no papers at hand.
        let estimated = chance(rng, 0.12);
        let birth_date = (!estimated).then(|| registered - Days::new(u64::from(age) * 365 + u64::from(age / 4) + rng.random_range(0..365)));

        let mut vulnerabilities = self.vulnerabilities(rng, status, abroad, age, household.is_some());
        vulnerabilities.sort_by_key(|v| v.as_str());
        vulnerabilities.dedup();

        let phones = phones(rng, citizenship, &current_country, age);
        let documents = self.documents(rng, citizenship, &current_country, status, registered, age);
        let mut languages = vec![native_language(citizenship).to_string()];
        if citizenship != "RU" && chance(rng, 0.85) {
            languages.push("ru".into());
        }
        if citizenship == "TJ" && chance(rng, 0.05) {
            languages.push("uz".into());
        }
        let occupation = if age < 16 || chance(rng, 0.12) {
            String::new()
        } else {
            pick(rng, if sex == Sex::Female { &content().occupations.female } else { &content().occupations.male }).clone()
        };
        let consent_given = chance(rng, 0.93);
        let mut consent_scope = Vec::new();
        if consent_given {
            consent_scope.push(ConsentScope::DataProcessing);
            if chance(rng, 0.65) {
                consent_scope.push(ConsentScope::ShareWithPartners);
            }
            if !phones.is_empty() && chance(rng, 0.75) {
                consent_scope.push(ConsentScope::ContactByPhone);
            }
        }
        let notes = if chance(rng, 0.12) { pick(rng, &content().migrant_notes).clone() } else { String::new() };

        let input = MigrantInput {
            family_name,
            given_name: given.0,
            patronymic,
            family_name_latin,
            given_name_latin: given.1,
            sex: Some(sex),
            birth_date,
            estimated_age: if estimated { Some(age.into()) } else { None },
            citizenship: citizenship.to_string(),
            birth_country: if chance(rng, 0.97) { citizenship.to_string() } else { String::new() },
            origin_region: region.clone(),
            origin_town: town.clone(),
            current_country: current_country.clone(),
            current_city: current_city.clone(),
            phones,
            languages,
            documents,
            migration_status: Some(status),
            occupation,
            vulnerabilities,
            consent_given,
            consent_scope,
            notes,
        };
        let home = Household { family: family_entry, citizenship, region, town, current_country, current_city, status, sex, age };
        (input, home)
    }

    fn citizenship(&self, rng: &mut ChaCha8Rng) -> &'static str {
        let options: Vec<(&'static str, u32)> = if self.destination {
            vec![("TJ", 34), ("UZ", 30), ("KG", 20), ("AM", 10), ("KZ", 3), ("RU", 3)]
        } else {
            ORIGINS.iter().map(|&c| (c, if c == self.country { 85 } else if c == "KZ" || c == "RU" { 1 } else { 4 })).collect()
        };
        weighted(rng, &options)
    }

    fn sex_and_age(&self, rng: &mut ChaCha8Rng, citizenship: &str) -> (Sex, u32) {
        let sex = if chance(rng, if citizenship == self.country { 0.62 } else { 0.76 }) { Sex::Male } else { Sex::Female };
        if chance(rng, 0.015) {
            return (sex, rng.random_range(15..18));
        }
        // Mostly young adults, fewer as age goes up.
        let young: f64 = rng.random::<f64>().min(rng.random::<f64>());
        (sex, 18 + (young * 45.0) as u32)
    }

    /// Status, and the country and city the person now lives in.
    fn status_and_place(&self, rng: &mut ChaCha8Rng, citizenship: &str, town: &str, age: u32) -> (MigrationStatus, String, String) {
        use MigrationStatus::*;
        let own_national = citizenship == self.country;
        if !own_national {
            // Someone from elsewhere, living in the centre's country.
            let eaeu = ["KG", "AM", "KZ", "RU"].contains(&citizenship);
            let status = if age < 18 {
                Regular
            } else if eaeu {
                weighted(rng, &[(Regular, 80), (Irregular, 8), (Returnee, 6), (Unknown, 6)])
            } else {
                weighted(rng, &[(Regular, 55), (Irregular, 28), (Returnee, 8), (Unknown, 7), (Potential, 2)])
            };
            return (status, self.country.clone(), self.city_in(rng, &self.country));
        }
        let status = weighted(rng, &[(Potential, 35), (Returnee, 30), (FamilyLeftBehind, 15), (Regular, 12), (Irregular, 5), (Unknown, 3)]);
        if matches!(status, Regular | Irregular) {
            // Abroad, in touch by phone.
            let abroad = if self.country == "KZ" { "RU" } else { weighted(rng, &[("RU", 75), ("KZ", 25)]) };
            (status, abroad.to_string(), self.city_in(rng, abroad))
        } else if chance(rng, 0.5) {
            (status, self.country.clone(), town.to_string())
        } else {
            (status, self.country.clone(), self.city.clone())
        }
    }

    fn city_in(&self, rng: &mut ChaCha8Rng, country: &str) -> String {
        if country == self.country && chance(rng, 0.6) {
            return self.city.clone();
        }
        match content().destinations.get(country) {
            Some(cities) if !cities.is_empty() => pick(rng, cities).clone(),
            _ => self.city.clone(),
        }
    }

    fn vulnerabilities(&self, rng: &mut ChaCha8Rng, status: MigrationStatus, abroad: bool, age: u32, relative: bool) -> Vec<Vulnerability> {
        use MigrationStatus::*;
        use Vulnerability::*;
        let odds: &[(Vulnerability, f64)] = match status {
            Regular | Irregular | Unknown if abroad => {
                if status == Irregular {
                    &[(UnpaidWages, 0.10), (EntryBan, 0.06), (Detained, 0.04), (SeriousIllness, 0.02), (Disability, 0.01), (ForcedLabour, 0.02), (Trafficking, 0.006)]
                } else {
                    &[(UnpaidWages, 0.07), (EntryBan, 0.01), (Detained, 0.01), (SeriousIllness, 0.02), (Disability, 0.01), (ForcedLabour, 0.008), (Trafficking, 0.003)]
                }
            }
            Returnee => &[(EntryBan, 0.12), (UnpaidWages, 0.06), (SeriousIllness, 0.03), (Disability, 0.01), (Trafficking, 0.01)],
            FamilyLeftBehind => &[(SeriousIllness, 0.03), (Disability, 0.02)],
            _ => &[(Disability, 0.01), (SeriousIllness, 0.01)],
        };
        let mut flags: Vec<Vulnerability> = odds.iter().filter_map(|&(v, p)| chance(rng, p).then_some(v)).collect();
        if age < 18 && abroad && !relative && chance(rng, 0.6) {
            flags.push(UnaccompaniedMinor);
        }
        flags
    }

    fn documents(&self, rng: &mut ChaCha8Rng, citizenship: &str, current: &str, status: MigrationStatus, registered: NaiveDate, age: u32) -> Vec<IdentityDocument> {
        let mut docs = Vec::new();
        if age >= 16 && chance(rng, 0.95) {
            let number = match citizenship {
                "TJ" => format!("A{}", digits(rng, 8)),
                "KG" => format!("{}{}", pick(rng, &["AC", "AN", "ID"]), digits(rng, 7)),
                "UZ" => format!("{}{}", pick(rng, &["AA", "AB", "AC", "FA"]), digits(rng, 7)),
                "AM" => format!("{}{}", pick(rng, &["AM", "AN", "AR"]), digits(rng, 7)),
                "KZ" => format!("N{}", digits(rng, 8)),
                _ => format!("{} {} {}", digits(rng, 2), digits(rng, 2), digits(rng, 6)),
            };
            // Ten-year passports; a few have run out.
            let age_of_passport = if chance(rng, 0.04) { 3660..4000 } else { 30..3600 };
            let issued = registered - Days::new(rng.random_range(age_of_passport));
            docs.push(IdentityDocument { kind: DocumentKind::Passport, number, issuing_country: citizenship.into(), expires_on: Some(issued + Days::new(3652)) });
        } else if age < 16 {
            docs.push(IdentityDocument {
                kind: DocumentKind::BirthCertificate,
                number: format!("{}-{} {}", pick(rng, &["I", "II", "III"]), letters(rng, 2), digits(rng, 6)),
                issuing_country: citizenship.into(),
                expires_on: None,
            });
        }
        if current == citizenship || age < 16 {
            return docs;
        }
        let needs_permit = ["TJ", "UZ"].contains(&citizenship);
        let regular = status == MigrationStatus::Regular;
        if needs_permit && current == "RU" {
            if chance(rng, 0.7) {
                docs.push(IdentityDocument { kind: DocumentKind::MigrationCard, number: format!("{} {}", digits(rng, 4), digits(rng, 7)), issuing_country: "RU".into(), expires_on: None });
            }
            let (p, expires) = if regular { (0.85, registered + Days::new(rng.random_range(20..365))) } else { (0.35, registered - Days::new(rng.random_range(10..200))) };
            if chance(rng, p) {
                let region = pick(rng, &["77", "50", "78", "66", "54", "16", "23", "63"]);
                docs.push(IdentityDocument { kind: DocumentKind::Patent, number: format!("{region} {}", digits(rng, 10)), issuing_country: "RU".into(), expires_on: Some(expires) });
            }
        } else if needs_permit && current == "KZ" && chance(rng, if regular { 0.6 } else { 0.2 }) {
            docs.push(IdentityDocument { kind: DocumentKind::WorkPermit, number: format!("KZ{}", digits(rng, 8)), issuing_country: "KZ".into(), expires_on: Some(registered + Days::new(rng.random_range(30..365))) });
        }
        let (p, expires) = if regular { (0.85, registered + Days::new(rng.random_range(15..365))) } else { (0.25, registered - Days::new(rng.random_range(5..120))) };
        if chance(rng, p) {
            docs.push(IdentityDocument { kind: DocumentKind::ResidenceRegistration, number: digits(rng, 7), issuing_country: current.into(), expires_on: Some(expires) });
        }
        docs
    }

    /// When the person comes, how, why, and to whom.
    fn plan_visits(&self, rng: &mut ChaCha8Rng, skeleton: &Skeleton, input: &MigrantInput, home: &Household, main_staff: usize) -> Vec<PlannedVisit> {
        let first_day = self.local_day(skeleton.first_contact);
        let remote = home.current_country != self.country;
        let potential = home.status == MigrationStatus::Potential;
        let vulnerable = !input.vulnerabilities.is_empty();
        let mut times = Vec::with_capacity(skeleton.visits);
        for n in 0..skeleton.visits {
            if n == 0 {
                times.push(skeleton.first_contact);
                continue;
            }
            let day = self.random_day(rng, first_day, self.last_day);
            let mut at = self.instant(day, Self::working_minute(rng), rng);
            if at <= skeleton.created {
                at = skeleton.created + Duration::minutes(rng.random_range(30..180));
            }
            times.push(at);
        }
        times.sort();
        times
            .into_iter()
            .enumerate()
            .map(|(n, at)| {
                let channel = if remote {
                    weighted(rng, &[(Channel::Phone, 35), (Channel::Messenger, 40), (Channel::Online, 15), (Channel::Hotline, 10)])
                } else if n == 0 {
                    weighted(rng, &[(Channel::WalkIn, 85), (Channel::Outreach, 10), (Channel::Phone, 5)])
                } else {
                    weighted(rng, &[(Channel::WalkIn, 50), (Channel::Phone, 15), (Channel::Hotline, 8), (Channel::Messenger, 20), (Channel::Outreach, 4), (Channel::Online, 3)])
                };
                use VisitPurpose::*;
                let purpose = if n == 0 {
                    weighted(rng, &[(Consultation, 35), (Information, 30), (Documents, 25), (PreDeparture, if potential { 30 } else { 0 }), (Emergency, if vulnerable { 15 } else { 3 })])
                } else {
                    weighted(rng, &[(Information, 15), (Consultation, 20), (Documents, 20), (Referral, 6), (Emergency, 3), (PreDeparture, if potential { 15 } else { 0 }), (Other, 5)])
                };
                let minutes = match channel {
                    Channel::WalkIn => Some(rng.random_range(10..60)),
                    Channel::Outreach => Some(rng.random_range(15..45)),
                    Channel::Phone | Channel::Hotline => Some(rng.random_range(3..25)),
                    Channel::Online => Some(rng.random_range(10..40)),
                    Channel::Messenger => chance(rng, 0.4).then(|| rng.random_range(2..15)),
                };
                let staff = if chance(rng, 0.75) { main_staff } else { self.some_staff(rng) };
                PlannedVisit { at, minutes, channel, purpose, staff, case: None, note: None }
            })
            .collect()
    }

    /// Opens the person's cases at some of their visits, moves them along the
    /// year, and links the visits that followed to them.
    #[allow(clippy::too_many_arguments)]
    fn open_cases(
        &self,
        tx: &Connection,
        rng: &mut ChaCha8Rng,
        migrant_id: &Uuid,
        input: &MigrantInput,
        shares_data: bool,
        visits: &mut [PlannedVisit],
        references: &mut HashSet<String>,
        summary: &mut DemoSummary,
    ) -> Result<Vec<PlannedCase>> {
        let mut cases = Vec::new();
        if visits.is_empty() {
            return Ok(cases);
        }
        let vulnerable = !input.vulnerabilities.is_empty();
        let mut openings = Vec::new();
        if chance(rng, if vulnerable { 0.75 } else { 0.18 }) {
            openings.push(rng.random_range(0..=(visits.len() * 7 / 10).min(visits.len() - 1)));
            if openings[0] + 1 < visits.len() && chance(rng, 0.08) {
                let later = rng.random_range(openings[0] + 1..visits.len());
                openings.push(later);
            }
        }
        for (k, &at_visit) in openings.iter().enumerate() {
            let case_type = if k == 0 { first_case_type(rng, input) } else { default_case_type(rng) };
            let opening = &visits[at_visit];
            let opened_at = opening.at + Duration::minutes(i64::from(opening.minutes.unwrap_or(5)) + 2);
            let opener = opening.staff;
            let actor = self.actor(opener);
            let case_input = CaseInput {
                migrant_id: *migrant_id,
                case_type: Some(case_type),
                priority: Some(priority_for(rng, case_type)),
                assigned_to: Some(self.staff[opener].0),
                opened_on: Some(self.local_day(opening.at)),
                summary: notes_for(rng, &content().case_summaries, case_type.as_str(), 1.0),
                notes: String::new(),
            };
            let mut c = Checks::new();
            case_input.check(opened_at.date_naive(), &mut c);
            c.finish()?;
            visits[at_visit].note = Some(case_input.summary.clone());
            let mut record = case::build(case_input, &actor, opened_at);
            record.id = record_id(rng, opened_at);
            record.reference = loop {
                let reference = case::new_reference(record.opened_on.year(), rng);
                if references.insert(reference.clone()) {
                    break reference;
                }
            };
            case::insert(tx, &record)?;
            case::insert_event(tx, record_id(rng, opened_at), record.id, None, CaseStatus::Open, "", &actor, opened_at)?;
            summary.cases += 1;
            summary.case_events += 1;
            let priority = record.priority;
            let spans = self.move_case(tx, rng, &mut record, opener, summary)?;
            cases.push(PlannedCase { id: record.id, migrant_id: *migrant_id, case_type, priority, assigned: opener, shares_data, opened_at, spans });
        }
        // Later visits while a case is open are mostly about it.
        for (n, visit) in visits.iter_mut().enumerate() {
            let current = cases.iter().enumerate().rev().find(|(k, c)| openings[*k] == n || (visit.at > c.opened_at && visit.at < c.until()));
            if let Some((k, _)) = current {
                if openings[k] == n {
                    visit.case = Some(k);
                    if visit.purpose != VisitPurpose::Emergency {
                        visit.purpose = VisitPurpose::Consultation;
                    }
                } else if chance(rng, 0.65) {
                    visit.case = Some(k);
                    if chance(rng, 0.6) {
                        visit.purpose = VisitPurpose::CaseFollowUp;
                    }
                }
            }
        }
        Ok(cases)
    }

    /// Takes a case through in-progress and closing as time allows; returns
    /// the spans of time it was open, the last ending when it stopped being
    /// open (or at the end of the year).
    fn move_case(&self, tx: &Connection, rng: &mut ChaCha8Rng, record: &mut Case, assigned: usize, summary: &mut DemoSummary) -> Result<Vec<(DateTime<Utc>, DateTime<Utc>)>> {
        let opened_day = record.opened_on;
        let mut last = record.meta.created_at;
        let mut step = |rng: &mut ChaCha8Rng, days: u64| -> DateTime<Utc> {
            let at = self.instant(opened_day + Days::new(days), Self::working_minute(rng), rng);
            let at = if at <= last { last + Duration::minutes(rng.random_range(20..240)) } else { at };
            last = at;
            at
        };
        let mut transitions: Vec<(DateTime<Utc>, CaseTransition, usize)> = Vec::new();
        if chance(rng, 0.75) {
            let days = rng.random_range(0..12);
            let at = step(rng, days);
            let note = notes_for(rng, &content().transition_notes, "in_progress", 0.7);
            transitions.push((at, CaseTransition { case_id: record.id, to: CaseStatus::InProgress, closure_reason: None, note }, assigned));
        }
        let u: f64 = rng.random();
        let closes_after = 5 + (u * u * 155.0) as u64;
        let closed_at = step(rng, closes_after);
        use ClosureReason::*;
        let reason = weighted(rng, &[(Resolved, 50), (PartiallyResolved, 15), (Referred, 12), (LostContact, 12), (Withdrawn, 5), (NotEligible, 3), (Duplicate, 1), (ClosureReason::Other, 2)]);
        let closer = match self.supervisor() {
            Some(s) if chance(rng, 0.2) => s,
            _ => assigned,
        };
        let note = notes_for(rng, &content().transition_notes, reason.as_str(), 0.7);
        transitions.push((closed_at, CaseTransition { case_id: record.id, to: CaseStatus::Closed, closure_reason: Some(reason), note }, closer));
        if chance(rng, 0.03) {
            let days = closes_after + rng.random_range(5..40);
            let at = step(rng, days);
            transitions.push((at, CaseTransition { case_id: record.id, to: CaseStatus::Open, closure_reason: None, note: "Повторное обращение".into() }, assigned));
        }

        let mut spans = Vec::new();
        let mut open_since = record.meta.created_at;
        for (at, transition, staff) in transitions {
            if at >= self.end {
                break;
            }
            let actor = self.actor(staff);
            let from = record.status;
            case::apply(record, &transition, &actor, at)?;
            case::update_status(tx, record)?;
            case::insert_event(tx, record_id(rng, at), record.id, Some(from), record.status, &transition.note, &actor, at)?;
            summary.case_events += 1;
            match record.status {
                CaseStatus::Closed => {
                    summary.cases_closed += 1;
                    spans.push((open_since, at));
                }
                CaseStatus::Open if from == CaseStatus::Closed => {
                    summary.cases_closed -= 1;
                    open_since = at;
                }
                _ => {}
            }
        }
        if record.status != CaseStatus::Closed {
            spans.push((open_since, self.end));
        }
        Ok(spans)
    }

    /// The help given at a visit, if any: mostly one record, sometimes two.
    fn plan_assistance(&self, rng: &mut ChaCha8Rng, purpose: VisitPurpose, case_type: Option<CaseType>, vulnerable: bool) -> Vec<AssistanceCategory> {
        use AssistanceCategory::*;
        let p = match purpose {
            VisitPurpose::Information => 0.45,
            VisitPurpose::Consultation => 0.52,
            VisitPurpose::Documents => 0.52,
            VisitPurpose::CaseFollowUp => 0.4,
            VisitPurpose::Referral => 0.45,
            VisitPurpose::Emergency => 0.85,
            VisitPurpose::PreDeparture => 0.6,
            VisitPurpose::Other => 0.1,
        };
        if !chance(rng, p) {
            return Vec::new();
        }
        let by_case = |rng: &mut ChaCha8Rng, t: CaseType| match t {
            CaseType::LabourDispute => weighted(rng, &[(LegalConsultation, 60), (LegalRepresentation, 30), (HumanitarianInKind, 10)]),
            CaseType::Documents => weighted(rng, &[(Documents, 85), (LegalConsultation, 15)]),
            CaseType::EntryBan => weighted(rng, &[(LegalConsultation, 60), (LegalRepresentation, 40)]),
            CaseType::Detention => weighted(rng, &[(LegalRepresentation, 60), (HumanitarianInKind, 25), (Psychosocial, 15)]),
            CaseType::Health => weighted(rng, &[(Medical, 70), (HumanitarianCash, 20), (Psychosocial, 10)]),
            CaseType::Trafficking => weighted(rng, &[(Shelter, 30), (Psychosocial, 25), (HumanitarianCash, 20), (LegalConsultation, 15), (Return, 10)]),
            CaseType::ReturnReintegration => weighted(rng, &[(Return, 40), (Transport, 25), (HumanitarianCash, 15), (Employment, 20)]),
            CaseType::Family => weighted(rng, &[(Psychosocial, 40), (Information, 40), (Documents, 20)]),
            CaseType::Other => Information,
        };
        let first = match (purpose, case_type) {
            (VisitPurpose::CaseFollowUp, Some(t)) | (VisitPurpose::Consultation, Some(t)) => by_case(rng, t),
            (VisitPurpose::Information, _) => weighted(rng, &[(Information, 80), (PreDeparture, 10), (Employment, 10)]),
            (VisitPurpose::Consultation, None) => weighted(rng, &[(LegalConsultation, 50), (Information, 30), (Psychosocial, 10), (Medical, 10)]),
            (VisitPurpose::Documents, _) => weighted(rng, &[(Documents, 90), (LegalConsultation, 10)]),
            (VisitPurpose::Referral, _) => weighted(rng, &[(Medical, 40), (LegalConsultation, 20), (Shelter, 10), (Employment, 20), (Psychosocial, 10)]),
            (VisitPurpose::Emergency, _) => weighted(rng, &[(HumanitarianInKind, 30), (HumanitarianCash, 25), (Shelter, 20), (Medical, 15), (Transport, 10)]),
            (VisitPurpose::PreDeparture, _) => weighted(rng, &[(PreDeparture, 80), (Information, 20)]),
            _ => Information,
        };
        let mut records = vec![first];
        if (purpose == VisitPurpose::Emergency || vulnerable) && chance(rng, 0.12) {
            let second = weighted(rng, &[(HumanitarianInKind, 40), (HumanitarianCash, 30), (Psychosocial, 30)]);
            if second != first {
                records.push(second);
            }
        }
        records
    }
}

// ----- the partner directory, referrals, follow-ups, sessions and contacts -----

impl World {
    /// Who keeps the partner directory: the administrator, else a supervisor.
    fn directory_keeper(&self) -> usize {
        self.staff.iter().position(|(_, role)| *role == StaffRole::Administrator).or_else(|| self.supervisor()).unwrap_or(0)
    }

    /// The centre's partners: one of each kind to begin with, then more at random;
    /// most were there before the year began, a few joined during it and a few stopped.
    fn partner_directory(&self, rng: &mut ChaCha8Rng) -> Result<Vec<DemoPartner>> {
        let kinds: Vec<(PartnerKind, u32)> = partner_data().kinds.iter().filter_map(|(k, d)| PartnerKind::parse(k).map(|k| (k, d.weight))).collect();
        let count = rng.random_range(18..=28);
        let actor = self.actor(self.directory_keeper());
        let mut taken = HashSet::new();
        let mut partners = Vec::with_capacity(count);
        for i in 0..count {
            let core = i < CORE_KINDS.len();
            let kind = if core { CORE_KINDS[i] } else { weighted(rng, &kinds) };
            let input = self.partner_input(rng, kind, &mut taken);
            input.check()?;
            let day = if core || chance(rng, 0.75) {
                self.first_day - Days::new(rng.random_range(1..=4))
            } else {
                self.random_day(rng, self.first_day, self.last_day - Days::new(30))
            };
            let created = self.instant(day, Self::working_minute(rng), rng);
            let mut record = partner::build(&input, &actor, None);
            record.id = record_id(rng, created);
            record.meta = RecordMeta::new(&actor, created);
            let mut active_until = None;
            let from = self.local_day(created) + Days::new(30);
            if !core && from < self.last_day && chance(rng, 0.15) {
                let at = self.instant(self.random_day(rng, from, self.last_day), Self::working_minute(rng), rng);
                record.active = false;
                record.meta.updated_at = at;
                active_until = Some(at);
            }
            let popularity = if core { rng.random_range(6..12) } else { rng.random_range(1..8) };
            partners.push(DemoPartner { record, popularity, active_until });
        }
        Ok(partners)
    }

    /// One organisation as an administrator would enter it.
    fn partner_input(&self, rng: &mut ChaCha8Rng, kind: PartnerKind, taken: &mut HashSet<String>) -> PartnerInput {
        let data = partner_data();
        let k = kind_data(kind);
        let people = country_names(if names().countries.contains_key(&self.country) { &self.country } else { "RU" });
        let embassies: Vec<&(String, String, String)> = k.embassies.iter().filter(|e| e.0 != self.country).collect();
        let (mut local, mut latin) = (String::new(), String::new());
        for _ in 0..20 {
            (local, latin) = if !embassies.is_empty() && chance(rng, 0.4) {
                let e = pick(rng, &embassies);
                (e.1.clone(), e.2.clone())
            } else {
                let (pattern, pattern_latin) = pick(rng, &k.patterns);
                let word = pick(rng, &data.words);
                let surname = pick(rng, &people.family);
                let n = rng.random_range(1..=220).to_string();
                let fill = |p: &str, word: &str, surname: &str| p.replace("{word}", word).replace("{surname}", surname).replace("{n}", &n);
                (fill(pattern, &word.0, &surname.0), fill(pattern_latin, &word.1, &surname.1))
            };
            if taken.insert(local.clone()) {
                break;
            }
        }
        // State bodies and embassies are in the capital or the centre's city; others are spread a little.
        let city = match content().destinations.get(&self.country) {
            Some(cities) if kind != PartnerKind::StateBody && !cities.is_empty() && chance(rng, 0.2) => pick(rng, cities).clone(),
            _ => self.city.clone(),
        };
        let mut services = k.core.clone();
        for &(service, percent) in &k.extra {
            if rng.random_range(0..100) < percent && !services.contains(&service) {
                services.push(service);
            }
        }
        let mut address = format!("{}, д. {}", pick(rng, &data.streets), rng.random_range(1..120));
        if chance(rng, 0.3) {
            address.push_str(&format!(", офис {}", rng.random_range(1..400)));
        }
        let mut phones = landline(rng, &self.country);
        if chance(rng, 0.35) {
            phones = format!("{phones}, {}", phone_number(rng, &self.country));
        }
        let email = if chance(rng, 0.75) { format!("{}@{}.{}", k.mail, slug(&latin), self.country.to_lowercase()) } else { String::new() };
        let contact_person = if chance(rng, 0.8) {
            let sex = if chance(rng, 0.6) { Sex::Female } else { Sex::Male };
            let given = pick(rng, if sex == Sex::Female { &people.female } else { &people.male });
            let family = family_form(pick(rng, &people.family), sex);
            format!("{} {}, {}", given.0, family.0, pick(rng, &k.contacts))
        } else {
            pick(rng, &k.contacts).clone()
        };
        let native = native_language(&self.country);
        let mut languages = vec![native.to_string()];
        if native != "ru" {
            languages.push("ru".into());
        }
        if self.destination && matches!(kind, PartnerKind::Ngo | PartnerKind::Shelter) {
            for language in ["tg", "uz", "ky"] {
                if !languages.iter().any(|l| l == language) && chance(rng, 0.3) {
                    languages.push(language.into());
                }
            }
        }
        if kind == PartnerKind::InternationalOrganisation {
            languages.push("en".into());
        }
        PartnerInput {
            name: latin,
            name_local: local,
            kind: Some(kind),
            services,
            country: self.country.clone(),
            city,
            address,
            phones,
            email,
            contact_person,
            languages,
            opening_hours: pick(rng, &k.hours).clone(),
            notes: if chance(rng, 0.3) { pick(rng, &data.notes).clone() } else { String::new() },
        }
    }

    /// A partner taking referrals for `service` at `at`, the well-known ones more often.
    fn partner_for(&self, rng: &mut ChaCha8Rng, service: AssistanceCategory, at: DateTime<Utc>) -> Option<&DemoPartner> {
        let candidates: Vec<(usize, u32)> = self.partners.iter().enumerate().filter(|(_, p)| p.takes(service, at)).map(|(i, p)| (i, p.popularity)).collect();
        (!candidates.is_empty()).then(|| &self.partners[weighted(rng, &candidates)])
    }

    /// How many referrals and follow-ups each case gets, adding up exactly to
    /// what was asked: more for long cases and grave problems, few referrals
    /// for people who did not agree to share their data, none for problems
    /// the centre settled itself.
    fn share_case_work(&self, rng: &mut ChaCha8Rng, opts: &DemoOptions) -> (Vec<usize>, Vec<usize>) {
        let mut referral_weights = Vec::with_capacity(self.cases.len());
        let mut follow_up_weights = Vec::with_capacity(self.cases.len());
        for case in &self.cases {
            let days = case.spans.iter().map(|(a, b)| (*b - *a).num_hours() as f64 / 24.0).sum::<f64>();
            let grave = matches!(case.case_type, CaseType::Trafficking | CaseType::Detention | CaseType::Health);
            let kind = match case.case_type {
                CaseType::Trafficking => 1.8,
                CaseType::Health => 1.6,
                CaseType::Detention => 1.3,
                CaseType::LabourDispute => 1.2,
                CaseType::Documents => 0.8,
                CaseType::Other => 0.6,
                _ => 1.0,
            };
            let consent = if case.shares_data { 1.0 } else if grave { 0.3 } else { 0.08 };
            let settled_here = chance(rng, 0.2);
            let jitter = 0.3 + rng.random::<f64>() * 1.4;
            referral_weights.push(if settled_here { 0.0 } else { kind * consent * (days.min(180.0) + 10.0).sqrt() * jitter });
            let open = if self.open_at_end(case) { 1.5 } else { 1.0 };
            follow_up_weights.push((days.min(200.0) + 5.0).sqrt() * open * (0.5 + rng.random::<f64>()));
        }
        let n = self.cases.len();
        (apportion(opts.referrals.total(n), &referral_weights, 0), allocate(opts.follow_ups.total(n), &follow_up_weights))
    }

    fn open_at_end(&self, case: &PlannedCase) -> bool {
        case.until() >= self.end
    }

    /// The span of time the case was open that holds `at`.
    fn span_at(case: &PlannedCase, at: DateTime<Utc>) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        case.spans.iter().copied().find(|&(start, stop)| start < at && at < stop)
    }

    /// A moment while the case was open, at a working hour when one fits;
    /// a `skew` above 1 leans towards the case's beginning.
    fn time_in_case(&self, rng: &mut ChaCha8Rng, case: &PlannedCase, skew: f64) -> DateTime<Utc> {
        let total: i64 = case.spans.iter().map(|(a, b)| (*b - *a).num_milliseconds()).sum();
        let mut left = (rng.random::<f64>().powf(skew) * total as f64) as i64;
        for (n, &(start, stop)) in case.spans.iter().enumerate() {
            let len = (stop - start).num_milliseconds();
            if left < len || n + 1 == case.spans.len() {
                let point = start + Duration::milliseconds(left.clamp(1, (len - 1).max(1)));
                let at = self.instant(self.local_day(point), Self::working_minute(rng), rng);
                return if start < at && at < stop { at } else { point };
            }
            left -= len;
        }
        case.opened_at + Duration::minutes(1)
    }

    /// A working moment `days` after `last`, and always after it.
    fn later(&self, rng: &mut ChaCha8Rng, last: DateTime<Utc>, days: u64) -> DateTime<Utc> {
        let at = self.instant(self.local_day(last) + Days::new(days), Self::working_minute(rng), rng);
        if at <= last {
            last + Duration::minutes(rng.random_range(20..240))
        } else {
            at
        }
    }

    /// A case's referrals, then its follow-ups (some of which chase the referrals).
    #[allow(clippy::too_many_arguments)]
    fn case_work(
        &self,
        tx: &Connection,
        rng: &mut ChaCha8Rng,
        case: &PlannedCase,
        referrals: usize,
        follow_ups: usize,
        references: &mut HashSet<String>,
        summary: &mut DemoSummary,
    ) -> Result<()> {
        let mut made = Vec::with_capacity(referrals);
        if referrals > 0 {
            // Read back as the desk reads it, so the consent checked is the one stored.
            let person = migrant::get(tx, self.centre_id, case.migrant_id)?;
            let mut times: Vec<DateTime<Utc>> = (0..referrals).map(|_| self.time_in_case(rng, case, 1.5)).collect();
            times.sort();
            for at in times {
                made.push(self.refer(tx, rng, case, &person, at, references, summary)?);
            }
        }
        self.follow_ups(tx, rng, case, &made, follow_ups, summary)
    }

    /// One referral from the case, checked like the desk checks it, and moved
    /// along as partners answer until the end of the year: older ones have
    /// ended, recent ones are still sent or accepted.
    #[allow(clippy::too_many_arguments)]
    fn refer(
        &self,
        tx: &Connection,
        rng: &mut ChaCha8Rng,
        case: &PlannedCase,
        person: &migrant::Migrant,
        at: DateTime<Utc>,
        references: &mut HashSet<String>,
        summary: &mut DemoSummary,
    ) -> Result<MadeReferral> {
        let wanted = referral_service(rng, case.case_type);
        // The first partners cover these two all year, so there is always somewhere to refer to.
        let found = [wanted, AssistanceCategory::LegalConsultation, AssistanceCategory::Information]
            .into_iter()
            .find_map(|service| self.partner_for(rng, service, at).map(|p| (service, p)));
        let service = found.map_or(wanted, |(s, _)| s);
        let then = found.map(|(_, p)| p.as_then());
        let consents = referral::consents_to_sharing(person);
        let input = ReferralInput {
            case_id: case.id,
            partner_id: then.as_ref().map(|p| p.id),
            service: Some(service),
            reason: notes_for(rng, &content().referral_reasons, service.as_str(), 1.0),
            urgency: Some(if chance(rng, 0.8) { case.priority } else { Priority::Normal }),
            shared_data: shared_data(rng, service, consents),
            override_reason: if consents { String::new() } else { pick(rng, &content().override_reasons).clone() },
            send_now: chance(rng, 0.85),
        };
        let mut c = Checks::new();
        let basis = input.check(then.as_ref(), person, &mut c);
        c.finish()?;
        let Some(then) = then else { return Err(CoreError::not_found("partner", service)) };

        let referrer = if chance(rng, 0.85) { case.assigned } else { self.some_staff(rng) };
        let mut record = input.build(person.id, &then, basis, &self.actor(referrer), at);
        record.id = record_id(rng, at);
        record.reference = loop {
            let reference = format!("R{}", case::new_reference(at.year(), rng));
            if references.insert(reference.clone()) {
                break reference;
            }
        };
        // As `Desk::refer` records it: drafted, and sent at the same moment when sent at once.
        let mut events = vec![(None, ReferralStatus::Draft, String::new(), at, referrer)];
        if record.status == ReferralStatus::Sent {
            events.push((Some(ReferralStatus::Draft), ReferralStatus::Sent, String::new(), at, referrer));
        }
        let mut last = at;
        while let Some((to, days)) = next_referral_move(rng, record.status) {
            let when = self.later(rng, last, days);
            if when >= self.end {
                break;
            }
            let transition = ReferralTransition {
                referral_id: record.id,
                to,
                note: notes_for(rng, &content().referral_notes, to.as_str(), 0.6),
                feedback: referral_feedback(rng, to, service),
            };
            let staff = if chance(rng, 0.85) { case.assigned } else { self.some_staff(rng) };
            let from = record.status;
            referral::apply(&mut record, &transition, &self.actor(staff), when)?;
            events.push((Some(from), to, transition.note, when, staff));
            last = when;
        }
        referral::insert(tx, &record)?;
        // Ids of events at the same moment keep the events' order, as `referral::events` sorts them.
        let mut ids: Vec<Uuid> = events.iter().map(|e| record_id(rng, e.3)).collect();
        ids.sort();
        for ((from, to, note, when, staff), id) in events.iter().zip(ids) {
            referral::insert_event(tx, id, record.id, *from, *to, note, &self.actor(*staff), *when)?;
        }
        summary.referrals += 1;
        summary.referral_events += events.len();
        *summary.referrals_by_status.entry(record.status.to_string()).or_default() += 1;
        let sent = events.iter().find(|e| e.1 == ReferralStatus::Sent).map_or(at, |e| e.3);
        let partner = if then.name_local.is_empty() { then.name } else { then.name_local };
        Ok(MadeReferral { id: record.id, partner, sent })
    }

    /// The case's follow-ups, assigned to its caseworker: most done around
    /// their day, some forgotten and overdue, and for a case still open, the
    /// next step, due in the days around `as_of`.
    fn follow_ups(&self, tx: &Connection, rng: &mut ChaCha8Rng, case: &PlannedCase, made: &[MadeReferral], count: usize, summary: &mut DemoSummary) -> Result<()> {
        let as_of = self.as_of();
        let caseworker = self.staff[case.assigned].0;
        for n in 0..count {
            let next_step = self.open_at_end(case) && n + 1 == count;
            // Some chase a referral a day or two after it went out.
            let chased = if !next_step && !made.is_empty() && chance(rng, 0.4) {
                let r = pick(rng, made);
                let days = rng.random_range(0..2);
                Some((r, self.later(rng, r.sent, days)))
            } else {
                None
            };
            let (created, due, referral) = match chased {
                _ if next_step => {
                    let start = case.spans[case.spans.len() - 1].0.max(self.end - Duration::days(14));
                    let created = start + Duration::milliseconds(rng.random_range(1..(self.end - start).num_milliseconds().max(2)));
                    let due = as_of.checked_add_signed(Duration::days(rng.random_range(-4..=10))).unwrap_or(as_of);
                    (created, due.max(self.local_day(created)), None)
                }
                Some((r, at)) if Self::span_at(case, at).is_some() => (at, self.local_day(at) + Days::new(rng.random_range(3..=10)), Some(r)),
                _ => {
                    let at = self.time_in_case(rng, case, 1.0);
                    (at, self.local_day(at) + Days::new(rng.random_range(1..=14)), None)
                }
            };
            // A case closed before the day: ticked off on closing, mostly.
            let closed = Self::span_at(case, created).map(|(_, stop)| stop).filter(|stop| *stop < self.end);
            let due_at = self.instant(due, Self::working_minute(rng), rng);
            let done_at = match closed {
                Some(closed) if due_at > closed => chance(rng, 0.85).then(|| closed + Duration::minutes(rng.random_range(1..30))),
                _ if next_step => None,
                _ if due < as_of => chance(rng, if closed.is_some() { 0.94 } else { 0.8 }).then(|| {
                    let day = due.checked_add_signed(Duration::days(rng.random_range(-2..=2))).unwrap_or(due);
                    self.instant(day, Self::working_minute(rng), rng)
                }),
                _ => chance(rng, 0.08).then(|| created + Duration::milliseconds(rng.random_range(1..(self.end - created).num_milliseconds().max(2)))),
            }
            .map(|at| if at <= created { created + Duration::minutes(rng.random_range(30..240)) } else { at })
            .filter(|at| *at < self.end);

            let note = match referral {
                Some(r) => pick(rng, &content().follow_up_referral_notes).replace("{partner}", &r.partner),
                None => notes_for(rng, &content().follow_up_notes, case.case_type.as_str(), 1.0),
            };
            let mut c = Checks::new();
            crate::follow_up::check_note(&note, &mut c);
            c.finish()?;
            let author = match self.supervisor() {
                Some(s) if chance(rng, 0.2) => s,
                _ => case.assigned,
            };
            let mut meta = RecordMeta::new(&self.actor(author), created);
            if let Some(at) = done_at {
                meta.updated_at = at;
                meta.updated_by = caseworker;
            }
            let record = FollowUp {
                id: record_id(rng, created),
                centre_id: self.centre_id,
                migrant_id: case.migrant_id,
                case_id: Some(case.id),
                referral_id: referral.map(|r| r.id),
                due_on: due,
                note: note.trim().to_string(),
                assigned_to: caseworker,
                done_at,
                done_by: done_at.map(|_| caseworker),
                meta,
            };
            crate::follow_up::insert(tx, &record)?;
            summary.follow_ups += 1;
            if done_at.is_none() {
                summary.follow_ups_open += 1;
                summary.follow_ups_overdue += usize::from(due < as_of);
            }
        }
        Ok(())
    }

    /// A few group sessions a month, fewer in the year's partial first and last months.
    fn group_sessions(&self, tx: &Connection, rng: &mut ChaCha8Rng, summary: &mut DemoSummary) -> Result<()> {
        let mut month = self.first_day.with_day(1).unwrap_or(self.first_day);
        while month <= self.last_day {
            let next = month + Months::new(1);
            let (from, to) = (month.max(self.first_day), (next - Days::new(1)).min(self.last_day));
            let share = ((to - from).num_days() + 1) as f64 / (next - month).num_days() as f64;
            let count = (f64::from(rng.random_range(2..=5u32)) * share).round() as usize;
            for _ in 0..count {
                self.group_session(tx, rng, from, to, summary)?;
            }
            month = next;
        }
        Ok(())
    }

    fn group_session(&self, tx: &Connection, rng: &mut ChaCha8Rng, from: NaiveDate, to: NaiveDate, summary: &mut DemoSummary) -> Result<()> {
        use SessionKind::*;
        let kind = if self.destination {
            weighted(rng, &[(InformationSession, 35), (AwarenessWorkshop, 25), (OutreachEvent, 25), (Training, 10), (PreDeparture, 5)])
        } else {
            weighted(rng, &[(PreDeparture, 40), (InformationSession, 25), (AwarenessWorkshop, 20), (OutreachEvent, 10), (Training, 5)])
        };
        let held_on = self.random_day(rng, from, to);
        // Written up after it ended.
        let created = self.instant(held_on, rng.random_range(10 * 60..16 * 60) + rng.random_range(90..180), rng);
        let facilitator = self.some_staff(rng);
        let places = if kind == OutreachEvent { &content().session_places.outreach } else { &content().session_places.centre };
        let registered = match kind {
            OutreachEvent => rng.random_range(0..4),
            Training => rng.random_range(0..3),
            _ => rng.random_range(2..13),
        };
        let session = GroupSession {
            id: record_id(rng, created),
            centre_id: self.centre_id,
            kind,
            held_on,
            topic: notes_for(rng, &content().session_topics, kind.as_str(), 1.0),
            place: pick(rng, places).clone(),
            facilitator_id: self.staff[facilitator].0,
            anonymous_counts: anonymous_counts(rng, kind),
            notes: if chance(rng, 0.3) { pick(rng, &content().session_notes).clone() } else { String::new() },
            participants: Vec::new(),
            total_participants: 0,
            meta: RecordMeta::new(&self.actor(facilitator), created),
        };
        let participants = self.participants(rng, created, registered, kind == PreDeparture);
        let input = GroupSessionInput {
            kind: Some(session.kind),
            held_on: Some(session.held_on),
            topic: session.topic.clone(),
            place: session.place.clone(),
            facilitator_id: Some(session.facilitator_id),
            anonymous_counts: session.anonymous_counts.clone(),
            participant_ids: participants.clone(),
            notes: session.notes.clone(),
        };
        input.check(tx, &self.actor(facilitator), created.date_naive())?;
        group_session::save_row(tx, &session)?;
        let mut ids: Vec<Uuid> = participants.iter().map(|_| record_id(rng, created)).collect();
        ids.sort();
        for (id, migrant_id) in ids.into_iter().zip(&participants) {
            group_session::insert_participant(tx, id, session.id, *migrant_id, created, session.meta.created_by)?;
        }
        summary.group_sessions += 1;
        summary.group_participants += participants.len();
        Ok(())
    }

    /// Up to `count` people registered before `before`, different ones; potential
    /// migrants for a pre-departure session when there are enough of them.
    fn participants(&self, rng: &mut ChaCha8Rng, before: DateTime<Utc>, count: usize, potential: bool) -> Vec<Uuid> {
        let registered = &self.attendees[..self.attendees.partition_point(|a| a.registered < before)];
        let mut pool: Vec<usize> = (0..registered.len()).filter(|&i| registered[i].potential).collect();
        if !potential || pool.len() < count {
            pool = (0..registered.len()).collect();
        }
        let count = count.min(pool.len());
        for i in 0..count {
            let j = rng.random_range(i..pool.len());
            pool.swap(i, j);
        }
        pool[..count].iter().map(|&i| registered[i].id).collect()
    }

    /// A few anonymous contacts a week, mostly on weekdays.
    fn anonymous_contacts(&self, tx: &Connection, rng: &mut ChaCha8Rng, summary: &mut DemoSummary) -> Result<()> {
        for day in self.first_day.iter_days().take_while(|d| *d <= self.last_day) {
            let p = match day.weekday() {
                Weekday::Sun => 0.05,
                Weekday::Sat => 0.3,
                _ => 0.7,
            };
            let count = if chance(rng, p) { 1 + usize::from(chance(rng, 0.2)) } else { 0 };
            for _ in 0..count {
                self.anonymous_contact(tx, rng, day)?;
                summary.anonymous_contacts += 1;
            }
        }
        Ok(())
    }

    fn anonymous_contact(&self, tx: &Connection, rng: &mut ChaCha8Rng, day: NaiveDate) -> Result<()> {
        use AssistanceCategory::*;
        let occurred_at = self.instant(day, Self::working_minute(rng), rng);
        let created = occurred_at + Duration::minutes(rng.random_range(2..15));
        let mut assistance = vec![weighted(rng, &[(Information, 75), (LegalConsultation, 25)])];
        if chance(rng, 0.15) {
            let more = weighted(rng, &[(Psychosocial, 40), (Documents, 30), (Medical, 30)]);
            assistance.push(more);
        }
        // Told where to go, as information only: nothing about the caller is shared.
        let referred_to = match chance(rng, 0.25).then(|| self.partner_for(rng, assistance[0], occurred_at)).flatten() {
            Some(p) if !p.record.name_local.is_empty() => p.record.name_local.clone(),
            Some(p) => p.record.name.clone(),
            None => String::new(),
        };
        let staff = self.some_staff(rng);
        let record = AnonymousContact {
            id: record_id(rng, created),
            centre_id: self.centre_id,
            occurred_at,
            channel: weighted(rng, &[(Channel::Hotline, 50), (Channel::Phone, 20), (Channel::Messenger, 15), (Channel::WalkIn, 10), (Channel::Online, 5)]),
            topic: pick(rng, &content().anonymous_topics).clone(),
            sex: weighted(rng, &[(Sex::Male, 58), (Sex::Female, 37), (Sex::Unknown, 5)]),
            age_band: weighted(rng, &AGE_BANDS),
            citizenship: if chance(rng, 0.65) { self.citizenship(rng).to_string() } else { String::new() },
            assistance,
            referred_to,
            notes: if chance(rng, 0.2) { pick(rng, &content().anonymous_notes).clone() } else { String::new() },
            meta: RecordMeta::new(&self.actor(staff), created),
        };
        let input = AnonymousContactInput {
            occurred_at: Some(record.occurred_at),
            channel: Some(record.channel),
            topic: record.topic.clone(),
            sex: Some(record.sex),
            age_band: Some(record.age_band),
            citizenship: record.citizenship.clone(),
            assistance: record.assistance.clone(),
            referred_to: record.referred_to.clone(),
            notes: record.notes.clone(),
        };
        input.check(created)?;
        anonymous::insert(tx, &record)
    }
}

/// The age bands of people counted without a name, as often as they come.
const AGE_BANDS: [(AgeBand, u32); 6] =
    [(AgeBand::Under18, 3), (AgeBand::From18To24, 25), (AgeBand::From25To34, 35), (AgeBand::From35To49, 24), (AgeBand::From50To59, 7), (AgeBand::Unknown, 6)];

/// The service a case most often needs from a partner.
fn referral_service(rng: &mut ChaCha8Rng, case_type: CaseType) -> AssistanceCategory {
    use AssistanceCategory::*;
    match case_type {
        CaseType::LabourDispute => weighted(rng, &[(LegalConsultation, 45), (LegalRepresentation, 30), (HumanitarianInKind, 10), (Employment, 15)]),
        CaseType::Documents => weighted(rng, &[(Documents, 70), (LegalConsultation, 30)]),
        CaseType::EntryBan => weighted(rng, &[(LegalConsultation, 50), (LegalRepresentation, 40), (Documents, 10)]),
        CaseType::Detention => weighted(rng, &[(LegalRepresentation, 60), (HumanitarianInKind, 20), (Medical, 20)]),
        CaseType::Health => weighted(rng, &[(Medical, 70), (HumanitarianCash, 15), (Psychosocial, 15)]),
        CaseType::Trafficking => weighted(rng, &[(Shelter, 30), (Psychosocial, 25), (Medical, 20), (LegalRepresentation, 15), (Return, 10)]),
        CaseType::ReturnReintegration => weighted(rng, &[(Return, 45), (Transport, 25), (Employment, 20), (HumanitarianCash, 10)]),
        CaseType::Family => weighted(rng, &[(Psychosocial, 40), (Documents, 30), (Shelter, 10), (Information, 20)]),
        CaseType::Other => weighted(rng, &[(Information, 40), (LegalConsultation, 30), (Medical, 30)]),
    }
}

/// What the partner is told: only what the service needs, and little without consent.
fn shared_data(rng: &mut ChaCha8Rng, service: AssistanceCategory, consents: bool) -> Vec<SharedData> {
    use AssistanceCategory::*;
    let mut shared = vec![SharedData::Identity];
    if consents && chance(rng, 0.8) {
        shared.push(SharedData::Contacts);
    }
    if consents && matches!(service, Documents | LegalConsultation | LegalRepresentation | Return) && chance(rng, 0.7) {
        shared.push(SharedData::Documents);
    }
    if !consents || chance(rng, 0.6) {
        shared.push(SharedData::CaseSummary);
    }
    if matches!(service, Medical | Psychosocial) && chance(rng, 0.8) {
        shared.push(SharedData::Health);
    }
    shared
}

/// What happens next to a referral, if anything, and how many days later.
fn next_referral_move(rng: &mut ChaCha8Rng, status: ReferralStatus) -> Option<(ReferralStatus, u64)> {
    use ReferralStatus::*;
    let to = match status {
        Draft => weighted(rng, &[(Some(Sent), 88), (Some(Cancelled), 6), (None, 6)]),
        Sent => weighted(rng, &[(Some(Accepted), 70), (Some(Declined), 13), (Some(Cancelled), 8), (None, 9)]),
        Accepted => weighted(rng, &[(Some(Completed), 74), (Some(NoShow), 15), (Some(Cancelled), 3), (None, 8)]),
        Completed | Declined | NoShow | Cancelled => None,
    }?;
    let days = match (status, to) {
        (Draft, Sent) => rng.random_range(0..3),
        (Draft, _) => rng.random_range(1..10),
        (Sent, Accepted) => rng.random_range(1..10),
        (Sent, Declined) => rng.random_range(1..12),
        // Given up on when the partner never answered.
        (Sent, _) => rng.random_range(20..60),
        (Accepted, Completed) => rng.random_range(3..40),
        (Accepted, NoShow) => rng.random_range(2..15),
        _ => rng.random_range(2..20),
    };
    Some((to, days))
}

/// What the partner reported back: always on completion, mostly on a refusal.
fn referral_feedback(rng: &mut ChaCha8Rng, to: ReferralStatus, service: AssistanceCategory) -> String {
    let c = content();
    match to {
        ReferralStatus::Completed => match c.referral_outcomes.get(service.as_str()).or_else(|| c.referral_outcomes.get("other")) {
            Some(list) if !list.is_empty() => pick(rng, list).clone(),
            _ => String::new(),
        },
        ReferralStatus::Declined if chance(rng, 0.8) => pick(rng, &c.referral_declines).clone(),
        ReferralStatus::NoShow if chance(rng, 0.5) => pick(rng, &c.referral_no_shows).clone(),
        _ => String::new(),
    }
}

/// People counted at a session without registering, by sex and age band.
fn anonymous_counts(rng: &mut ChaCha8Rng, kind: SessionKind) -> Vec<AnonymousCount> {
    let (cells, most) = match kind {
        SessionKind::OutreachEvent => (rng.random_range(3..8), 20),
        SessionKind::Training => (rng.random_range(0..2), 6),
        _ => (rng.random_range(1..5), 8),
    };
    let mut seen = HashSet::new();
    let mut counts = Vec::new();
    for _ in 0..cells {
        let sex = weighted(rng, &[(Sex::Male, 60), (Sex::Female, 38), (Sex::Unknown, 2)]);
        let age_band = weighted(rng, &AGE_BANDS);
        let count = rng.random_range(1..=most);
        if seen.insert((sex, age_band)) {
            counts.push(AnonymousCount { sex, age_band, count });
        }
    }
    counts
}

/// An office number as each country writes it.
fn landline(rng: &mut ChaCha8Rng, country: &str) -> String {
    match country {
        "RU" => format!("+7 {} {}-{}-{}", pick(rng, &["495", "499"]), digits(rng, 3), digits(rng, 2), digits(rng, 2)),
        "KZ" => format!("+7 {} {} {} {}", pick(rng, &["727", "7172"]), digits(rng, 3), digits(rng, 2), digits(rng, 2)),
        "TJ" => format!("+992 37 {} {} {}", digits(rng, 3), digits(rng, 2), digits(rng, 2)),
        "KG" => format!("+996 312 {} {} {}", digits(rng, 2), digits(rng, 2), digits(rng, 2)),
        "UZ" => format!("+998 71 {} {} {}", digits(rng, 3), digits(rng, 2), digits(rng, 2)),
        "AM" => format!("+374 10 {} {}", digits(rng, 3), digits(rng, 3)),
        _ => phone_number(rng, country),
    }
}

/// A Latin name as a web domain would spell it: its first three words that
/// say something, and its number ("City Polyclinic No. 12" gives city-polyclinic-12).
fn slug(latin: &str) -> String {
    let words: Vec<String> = latin
        .replace('\'', "")
        .split(|c: char| !c.is_ascii_alphanumeric())
        .map(str::to_ascii_lowercase)
        .filter(|w| !w.is_empty() && !["of", "the", "and", "for", "no"].contains(&w.as_str()))
        .collect();
    let mut kept: Vec<&str> = words.iter().take(3).map(String::as_str).collect();
    kept.extend(words.iter().skip(3).filter(|w| w.chars().all(|c| c.is_ascii_digit())).map(String::as_str));
    if kept.is_empty() {
        "partner".into()
    } else {
        kept.join("-")
    }
}

fn relative_sex_and_age(rng: &mut ChaCha8Rng, h: &Household, relation: Relation) -> (Sex, u32) {
    let other = if h.sex == Sex::Female { Sex::Male } else { Sex::Female };
    let any = if chance(rng, 0.5) { Sex::Male } else { Sex::Female };
    match relation {
        Relation::Spouse => (other, (h.age + rng.random_range(0..8)).saturating_sub(3).max(18)),
        Relation::Child => (any, h.age.saturating_sub(rng.random_range(20..32)).max(1)),
        Relation::Parent => (any, (h.age + rng.random_range(20..30)).min(88)),
        Relation::Sibling | Relation::Other => (any, (h.age + rng.random_range(0..16)).saturating_sub(8).max(14)),
    }
}

fn phones(rng: &mut ChaCha8Rng, citizenship: &str, current: &str, age: u32) -> Vec<Phone> {
    let mut list = Vec::new();
    if age < 14 || chance(rng, 0.03) {
        return list;
    }
    if current != citizenship && ["RU", "KZ"].contains(&current) && chance(rng, 0.6) {
        let messenger = weighted(rng, &[(Messenger::None, 50), (Messenger::WhatsApp, 30), (Messenger::Telegram, 20)]);
        list.push(Phone { number: phone_number(rng, current), messenger });
    }
    if list.is_empty() || chance(rng, 0.7) {
        use Messenger::*;
        let messenger = match citizenship {
            "TJ" => weighted(rng, &[(Imo, 30), (WhatsApp, 30), (Telegram, 25), (Viber, 5), (None, 10)]),
            "KG" => weighted(rng, &[(WhatsApp, 50), (Telegram, 25), (Viber, 10), (None, 15)]),
            "UZ" => weighted(rng, &[(Telegram, 60), (WhatsApp, 15), (Imo, 10), (None, 15)]),
            "AM" => weighted(rng, &[(Viber, 35), (WhatsApp, 35), (Telegram, 15), (None, 15)]),
            "KZ" => weighted(rng, &[(WhatsApp, 70), (Telegram, 20), (None, 10)]),
            _ => weighted(rng, &[(WhatsApp, 35), (Telegram, 40), (Viber, 10), (None, 15)]),
        };
        list.push(Phone { number: phone_number(rng, citizenship), messenger });
    }
    list
}

/// A number as people in each country write it.
fn phone_number(rng: &mut ChaCha8Rng, country: &str) -> String {
    match country {
        "TJ" => format!("+992 {} {} {}", pick(rng, &["90", "91", "92", "93", "98", "88", "50", "55"]), digits(rng, 3), digits(rng, 4)),
        "KG" => format!("+996 {} {} {} {}", pick(rng, &["555", "550", "700", "705", "707", "770", "777", "500"]), digits(rng, 2), digits(rng, 2), digits(rng, 2)),
        "UZ" => format!("+998 {} {} {} {}", pick(rng, &["90", "91", "93", "94", "97", "99", "33", "88", "95"]), digits(rng, 3), digits(rng, 2), digits(rng, 2)),
        "AM" => format!("+374 {} {}", pick(rng, &["91", "93", "94", "77", "98", "55", "99", "96", "41", "43"]), digits(rng, 6)),
        "KZ" => format!("+7 {} {} {}", pick(rng, &["701", "702", "705", "707", "747", "771", "775", "777", "778"]), digits(rng, 3), digits(rng, 4)),
        _ => {
            let code = format!("9{}", digits(rng, 2));
            let (a, b, c) = (digits(rng, 3), digits(rng, 2), digits(rng, 2));
            if chance(rng, 0.15) { format!("8 ({code}) {a}-{b}-{c}") } else { format!("+7 {code} {a}-{b}-{c}") }
        }
    }
}

fn default_case_type(rng: &mut ChaCha8Rng) -> CaseType {
    use CaseType::*;
    weighted(rng, &[(LabourDispute, 25), (Documents, 30), (EntryBan, 10), (Detention, 4), (Health, 10), (Trafficking, 2), (ReturnReintegration, 8), (Family, 6), (Other, 5)])
}

/// The first case follows from what the person is facing.
fn first_case_type(rng: &mut ChaCha8Rng, input: &MigrantInput) -> CaseType {
    use Vulnerability::*;
    let has = |v: Vulnerability| input.vulnerabilities.contains(&v);
    if has(Trafficking) || has(ForcedLabour) {
        CaseType::Trafficking
    } else if has(Detained) {
        CaseType::Detention
    } else if has(EntryBan) {
        CaseType::EntryBan
    } else if has(UnpaidWages) {
        CaseType::LabourDispute
    } else if has(SeriousIllness) || has(Disability) {
        CaseType::Health
    } else if has(UnaccompaniedMinor) {
        CaseType::Family
    } else if input.migration_status == Some(MigrationStatus::Returnee) && chance(rng, 0.5) {
        CaseType::ReturnReintegration
    } else if input.migration_status == Some(MigrationStatus::Irregular) && chance(rng, 0.5) {
        CaseType::Documents
    } else {
        default_case_type(rng)
    }
}

fn priority_for(rng: &mut ChaCha8Rng, case_type: CaseType) -> Priority {
    use Priority::*;
    match case_type {
        CaseType::Trafficking | CaseType::Detention => weighted(rng, &[(Urgent, 50), (High, 50)]),
        CaseType::EntryBan | CaseType::Health => weighted(rng, &[(High, 40), (Normal, 60)]),
        _ => weighted(rng, &[(Normal, 65), (High, 18), (Low, 14), (Urgent, 3)]),
    }
}

/// Quantity and value (as a caseworker would type it) for help that has them.
fn amount_for(rng: &mut ChaCha8Rng, category: AssistanceCategory, rate: f64) -> (Option<u32>, String) {
    use AssistanceCategory::*;
    // (chance of a value, range in roubles, quantity range)
    let (p, range, quantity): (f64, (u32, u32), Option<(u32, u32)>) = match category {
        HumanitarianCash => (1.0, (2_000, 15_000), None),
        HumanitarianInKind => (0.5, (1_500, 5_000), Some((1, 4))),
        Transport => (0.7, (500, 7_000), Some((1, 3))),
        Return => (0.8, (12_000, 45_000), Some((1, 2))),
        Medical => (0.3, (1_000, 20_000), None),
        Shelter => (0.3, (800, 12_000), Some((1, 15))),
        _ => (0.0, (0, 0), None),
    };
    let quantity = quantity.map(|(lo, hi)| rng.random_range(lo..hi));
    if !chance(rng, p) {
        return (quantity, String::new());
    }
    let value = f64::from(rng.random_range(range.0..range.1)) * rate;
    let step = if value >= 10_000.0 { 100.0 } else if value >= 1_000.0 { 50.0 } else { 10.0 };
    let whole = ((value / step).round() * step).max(step) as u64;
    let text = match rng.random_range(0..4) {
        0 => whole.to_string(),
        1 => thousands(whole),
        2 => format!("{whole}.00"),
        _ => format!("{},00", thousands(whole)),
    };
    (quantity, text)
}

fn thousands(n: u64) -> String {
    let text = n.to_string();
    let mut out = String::new();
    for (i, ch) in text.chars().enumerate() {
        if i > 0 && (text.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(ch);
    }
    out
}

/// Adds three caseworkers and a supervisor when the centre has fewer than three people.
/// A practice centre, or a demo database: one whose administrator signs in
/// with the published sample password.
fn is_demo_centre(conn: &rusqlite::Connection, centre_id: uuid::Uuid) -> Result<bool> {
    if centre::get_centre(conn, centre_id)?.practice {
        return Ok(true);
    }
    let mut stmt = conn.prepare("SELECT password_hash FROM staff WHERE role = 'administrator' AND active = 1 AND password_hash IS NOT NULL")?;
    let hashes = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    for hash in hashes {
        if crate::account::verify(crate::sample::PASSWORD, &hash)? {
            return Ok(true);
        }
    }
    Ok(false)
}

fn add_demo_staff(desk: &mut Desk, rng: &mut ChaCha8Rng, world: &World) -> Result<usize> {
    let centre_id = world.centre_id;
    let existing = desk.store().read(|conn| centre::list_staff(conn, centre_id))?;
    if existing.iter().filter(|s| s.active).count() >= 3 {
        return Ok(0);
    }
    let names = country_names(if names().countries.contains_key(&world.country) { &world.country } else { "RU" });
    let roles = [StaffRole::Caseworker, StaffRole::Caseworker, StaffRole::Caseworker, StaffRole::Supervisor];
    // Invented staff share the published sample password, so a demo database
    // can be tried in every role; in a real centre that would be a way in for
    // anyone, so there they get none (and cannot sign in).
    let demo = desk.store().read(|conn| is_demo_centre(conn, centre_id))?;
    let hash = if demo { Some(crate::account::hash(crate::sample::PASSWORD)?) } else { None };
    desk.store_mut().write(|tx| {
        for role in roles {
            let sex = if chance(rng, 0.6) { Sex::Female } else { Sex::Male };
            let given = pick(rng, if sex == Sex::Female { &names.female } else { &names.male });
            let family = family_form(pick(rng, &names.family), sex);
            centre::add_staff(tx, centre_id, &StaffInput { full_name: format!("{} {}", given.0, family.0), role: Some(role), password: String::new() }, hash.as_deref())?;
        }
        Ok(roles.len())
    })
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use rusqlite::types::Value;

    use super::*;
    use crate::centre::SetupInput;
    use crate::migrant::MigrantQuery;

    const AS_OF: (i32, u32, u32) = (2025, 6, 30);

    /// Every table the demo writes.
    const TABLES: [&str; 13] = [
        "migrant", "family_link", "case_file", "case_event", "visit", "assistance", "partner", "referral", "referral_event",
        "follow_up", "group_session", "group_participant", "anonymous_contact",
    ];

    fn as_of() -> NaiveDate {
        NaiveDate::from_ymd_opt(AS_OF.0, AS_OF.1, AS_OF.2).unwrap()
    }

    fn desk() -> Desk {
        let mut desk = Desk::open_in_memory().unwrap();
        crate::sample::start_centre(&mut desk, SetupInput {
            centre_name: "MRC Demo".into(),
            country: "RU".into(),
            city: "Москва".into(),
            staff: StaffInput { full_name: "Demo Supervisor".into(), role: Some(StaffRole::Supervisor), password: crate::sample::PASSWORD.into() },
            language: "ru".into(),
        })
        .unwrap();
        desk
    }

    fn seeded(seed: u64, migrants: usize) -> (Desk, DemoSummary) {
        let mut desk = desk();
        let summary = seed_demo(&mut desk, &DemoOptions::new(seed, migrants, 10.0, as_of())).unwrap();
        (desk, summary)
    }

    /// Every row the demo wrote, with the centre's and staff's random ids
    /// (made at set-up, not by the demo) replaced by stable names.
    fn dump(desk: &Desk) -> Vec<String> {
        let conn = desk.store().connection();
        let mut names: BTreeMap<Vec<u8>, String> = BTreeMap::new();
        let mut stmt = conn.prepare("SELECT id, full_name FROM staff UNION ALL SELECT id, 'centre' FROM centre").unwrap();
        for row in stmt.query_map([], |r| Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, String>(1)?))).unwrap() {
            let (id, name) = row.unwrap();
            names.insert(id, name);
        }
        let mut out = Vec::new();
        for table in TABLES {
            let mut stmt = conn.prepare(&format!("SELECT * FROM {table} ORDER BY id")).unwrap();
            let width = stmt.column_count();
            let rows = stmt
                .query_map([], |r| {
                    let mut line = table.to_string();
                    for i in 0..width {
                        let cell = match r.get::<_, Value>(i)? {
                            Value::Blob(b) => names.get(&b).cloned().unwrap_or_else(|| format!("{:02x?}", b)),
                            other => format!("{other:?}"),
                        };
                        line.push('|');
                        line.push_str(&cell);
                    }
                    Ok(line)
                })
                .unwrap();
            out.extend(rows.map(|r| r.unwrap()));
        }
        out
    }

    fn count(desk: &Desk, table: &str) -> usize {
        desk.store().connection().query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get::<_, i64>(0)).unwrap() as usize
    }

    #[test]
    fn the_data_files_load() {
        for code in ORIGINS {
            let n = country_names(code);
            assert!(!n.male.is_empty() && !n.female.is_empty() && !n.family.is_empty() && !n.patronymic.bases.is_empty(), "{code}");
            assert!(content().regions.contains_key(*code), "{code}");
        }
        assert!(content().visit_notes.len() >= VisitPurpose::ALL.len() - 1);
        let c = content();
        for service in AssistanceCategory::ALL {
            assert!(c.referral_reasons.get(service.as_str()).is_some_and(|l| !l.is_empty()), "reasons for {service}");
        }
        for case_type in CaseType::ALL {
            assert!(c.follow_up_notes.get(case_type.as_str()).is_some_and(|l| !l.is_empty()), "follow-ups for {case_type}");
        }
        for kind in SessionKind::ALL {
            assert!(c.session_topics.get(kind.as_str()).is_some_and(|l| !l.is_empty()), "topics for {kind}");
        }
        assert!(c.referral_outcomes.contains_key("other") && c.override_reasons.iter().all(|r| r.chars().count() >= referral::MIN_OVERRIDE_REASON));
        for kind in CORE_KINDS {
            let k = kind_data(*kind);
            assert!(partner_data().kinds.contains_key(kind.as_str()) && !k.core.is_empty() && !k.patterns.is_empty(), "{kind}");
            for (local, latin) in &k.patterns {
                assert_eq!(local.contains("{word}"), latin.contains("{word}"), "{local}");
                assert_eq!(local.contains("{n}"), latin.contains("{n}"), "{local}");
                assert!(latin.is_ascii(), "{latin}");
            }
        }
        assert!(partner_data().kinds.keys().all(|k| PartnerKind::parse(k).is_some()));
        // Every service a case may ask for has a partner from the start.
        let covered: HashSet<AssistanceCategory> = CORE_KINDS.iter().flat_map(|k| kind_data(*k).core.iter().copied()).collect();
        let mut rng = stream(1, 9);
        for case_type in CaseType::ALL {
            for _ in 0..50 {
                let service = referral_service(&mut rng, *case_type);
                assert!(covered.contains(&service), "{service} for {case_type}");
            }
        }
        assert_eq!(slug("City Polyclinic No. 12"), "city-polyclinic-12");
        assert_eq!(slug("Women's Health Clinic No. 7"), "womens-health-clinic-7");
        assert_eq!(slug("Embassy of the Republic of Tajikistan"), "embassy-republic-tajikistan");
    }

    #[test]
    fn a_real_centre_is_filled_only_by_its_leads_and_gets_no_open_accounts() {
        let mut desk = Desk::open_in_memory().unwrap();
        let admin = StaffInput { full_name: "Real Administrator".into(), role: Some(StaffRole::Administrator), password: "a long real passphrase here".into() };
        desk.set_up(SetupInput { centre_name: "MRC Osh".into(), country: "KG".into(), city: "Osh".into(), staff: admin, language: "en".into() }).unwrap();
        let admin_id = desk.state().unwrap().signed_in.unwrap();
        desk.add_staff(StaffInput { full_name: "Caseworker".into(), role: Some(StaffRole::Caseworker), password: "another long passphrase".into() }).unwrap();
        let caseworker = desk.state().unwrap().staff.iter().find(|s| s.role == StaffRole::Caseworker).unwrap().id;
        desk.sign_in(caseworker, "another long passphrase").unwrap();
        let refused = seed_demo(&mut desk, &DemoOptions::new(1, 5, 2.0, as_of()));
        assert_eq!(refused.unwrap_err().code(), "not_allowed");

        desk.sign_in(admin_id, "a long real passphrase here").unwrap();
        seed_demo(&mut desk, &DemoOptions::new(1, 5, 2.0, as_of())).unwrap();
        let invented: Vec<_> = desk.state().unwrap().staff.into_iter().filter(|s| s.id != admin_id && s.id != caseworker).collect();
        assert!(!invented.is_empty());
        assert!(invented.iter().all(|s| !s.has_password), "the published sample password opens nothing in a real centre");
    }

    #[test]
    fn needs_a_set_up_centre() {
        let mut desk = Desk::open_in_memory().unwrap();
        let result = seed_demo(&mut desk, &DemoOptions::new(1, 5, 2.0, as_of()));
        assert!(matches!(result, Err(CoreError::NotSetUp)));
    }

    #[test]
    fn the_same_seed_gives_the_same_centre() {
        let (a, sa) = seeded(42, 120);
        let (b, sb) = seeded(42, 120);
        assert_eq!(sa, sb);
        let (da, db) = (dump(&a), dump(&b));
        for table in TABLES {
            assert!(da.iter().any(|line| line.starts_with(&format!("{table}|"))), "{table} has rows");
        }
        assert_eq!(da.len(), db.len());
        for (x, y) in da.iter().zip(&db) {
            assert_eq!(x, y);
        }
        // The list a caseworker sees is the same too, ids included.
        let page = |d: &Desk| serde_json::to_string(&d.list_migrants(&MigrantQuery::default()).unwrap()).unwrap();
        assert_eq!(page(&a), page(&b));
    }

    #[test]
    fn another_seed_gives_another_centre() {
        let (a, _) = seeded(1, 60);
        let (b, _) = seeded(2, 60);
        assert_ne!(dump(&a), dump(&b));
    }

    #[test]
    fn the_same_seed_cannot_be_loaded_twice_but_another_can() {
        let (mut desk, _) = seeded(5, 20);
        let again = seed_demo(&mut desk, &DemoOptions::new(5, 20, 3.0, as_of()));
        match again {
            Err(CoreError::Validation(errors)) => assert_eq!(errors[0].code, "already_loaded"),
            other => panic!("expected already_loaded, got {other:?}"),
        }
        assert_eq!(count(&desk, "migrant"), 20);
        seed_demo(&mut desk, &DemoOptions::new(6, 20, 3.0, as_of())).unwrap();
        assert_eq!(count(&desk, "migrant"), 40);
        // Demo staff were added once, beside the administrator and the supervisor at the desk.
        assert_eq!(count(&desk, "staff"), 6);
    }

    #[test]
    fn counts_are_as_asked_and_as_stored() {
        let mut desk = desk();
        let summary = seed_demo(&mut desk, &DemoOptions::new(3, 300, 4.5, as_of())).unwrap();
        assert_eq!(summary.migrants, 300);
        assert_eq!(summary.visits, 1350);
        assert_eq!(count(&desk, "migrant"), summary.migrants);
        assert_eq!(count(&desk, "visit"), summary.visits);
        assert_eq!(count(&desk, "assistance"), summary.assistance);
        assert_eq!(count(&desk, "case_file"), summary.cases);
        assert_eq!(count(&desk, "case_event"), summary.case_events);
        assert_eq!(count(&desk, "family_link"), summary.family_links);
        assert_eq!(summary.staff_added, 4);
        let closed: usize = desk.store().connection().query_row("SELECT count(*) FROM case_file WHERE status = 'closed'", [], |r| r.get::<_, i64>(0)).unwrap() as usize;
        assert_eq!(closed, summary.cases_closed);
        // Roughly half the visits bring a unit of help, and some cases are worked on.
        assert!((summary.visits * 35 / 100..summary.visits * 65 / 100).contains(&summary.assistance), "{summary:?}");
        assert!(summary.cases > 30 && summary.cases_closed > 5 && summary.family_links > 0, "{summary:?}");
        // Referrals and follow-ups at their rate per case, exactly.
        assert_eq!(summary.referrals, (summary.cases as f64 * REFERRALS_PER_CASE).round() as usize);
        assert_eq!(summary.follow_ups, (summary.cases as f64 * FOLLOW_UPS_PER_CASE).round() as usize);
        for (table, n) in [
            ("partner", summary.partners),
            ("referral", summary.referrals),
            ("referral_event", summary.referral_events),
            ("follow_up", summary.follow_ups),
            ("group_session", summary.group_sessions),
            ("group_participant", summary.group_participants),
            ("anonymous_contact", summary.anonymous_contacts),
        ] {
            assert_eq!(count(&desk, table), n, "{table}");
        }
        let sql = |q: &str| desk.store().connection().query_row(q, [], |r| r.get::<_, i64>(0)).unwrap() as usize;
        assert_eq!(sql("SELECT count(*) FROM partner WHERE active = 0"), summary.partners_inactive);
        assert_eq!(sql("SELECT count(*) FROM follow_up WHERE done_at IS NULL"), summary.follow_ups_open);
        assert_eq!(sql("SELECT count(*) FROM follow_up WHERE done_at IS NULL AND due_on < '2025-06-30'"), summary.follow_ups_overdue);
        assert_eq!(summary.referrals_by_status.values().sum::<usize>(), summary.referrals);
        for (status, n) in &summary.referrals_by_status {
            assert_eq!(sql(&format!("SELECT count(*) FROM referral WHERE status = '{status}'")), *n, "{status}");
        }
        // Fewer visits than people: some people have none.
        let (sparse, _) = {
            let mut d = self::desk();
            let s = seed_demo(&mut d, &DemoOptions::new(3, 50, 0.5, as_of())).unwrap();
            (s, d)
        };
        assert_eq!((sparse.migrants, sparse.visits), (50, 25));
    }

    #[test]
    fn every_record_obeys_the_rules_and_the_year() {
        let (desk, _) = seeded(11, 200);
        let conn = desk.store().connection();
        let centre_id = desk.actor().unwrap().centre_id;
        let ids: Vec<Uuid> = conn.prepare("SELECT id FROM migrant").unwrap().query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect();
        let scripts = |s: &str| s.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c) || ('\u{0530}'..='\u{058F}').contains(&c));
        for id in ids {
            let m = migrant::get(conn, centre_id, id).unwrap();
            let input = MigrantInput {
                family_name: m.family_name.clone(),
                given_name: m.given_name.clone(),
                patronymic: m.patronymic.clone(),
                family_name_latin: m.family_name_latin.clone(),
                given_name_latin: m.given_name_latin.clone(),
                sex: Some(m.sex),
                birth_date: m.birth_date,
                estimated_age: None,
                citizenship: m.citizenship.clone(),
                birth_country: m.birth_country.clone(),
                origin_region: m.origin_region.clone(),
                origin_town: m.origin_town.clone(),
                current_country: m.current_country.clone(),
                current_city: m.current_city.clone(),
                phones: m.phones.clone(),
                languages: m.languages.clone(),
                documents: m.documents.clone(),
                migration_status: Some(m.migration_status),
                occupation: m.occupation.clone(),
                vulnerabilities: m.vulnerabilities.clone(),
                consent_given: m.consent_given,
                consent_scope: m.consent_scope.clone(),
                notes: m.notes.clone(),
            };
            input.check(as_of()).unwrap_or_else(|e| panic!("{} {}: {e}", m.family_name, m.given_name));
            assert!(scripts(&m.family_name) && scripts(&m.given_name), "own script: {}", m.family_name);
            assert!(m.family_name_latin.is_ascii() && !m.family_name_latin.is_empty(), "latin: {}", m.family_name_latin);
            assert_eq!(m.id.get_version_num(), 7);
        }
        // Everything happened in the year before as_of, and ids follow creation time.
        let end = as_of().and_hms_opt(0, 0, 0).unwrap().and_utc();
        let start = end - Duration::days(370);
        for (table, column) in [
            ("visit", "occurred_at"),
            ("migrant", "created_at"),
            ("case_event", "at"),
            ("assistance", "created_at"),
            ("partner", "created_at"),
            ("referral", "created_at"),
            ("referral_event", "at"),
            ("follow_up", "created_at"),
            ("follow_up", "done_at"),
            ("group_session", "created_at"),
            ("anonymous_contact", "created_at"),
        ] {
            let times: Vec<(Uuid, DateTime<Utc>)> = conn
                .prepare(&format!("SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL"))
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            for (id, at) in times {
                assert!(at > start && at < end, "{table} {at}");
                if column == "created_at" {
                    let (secs, nanos) = id.get_timestamp().unwrap().to_unix();
                    assert_eq!(secs as i64 * 1000 + i64::from(nanos / 1_000_000), at.timestamp_millis(), "{table} id time");
                }
            }
        }
        // Closed cases have a reason; every case has its opening event.
        let bad: i64 = conn
            .query_row("SELECT count(*) FROM case_file WHERE (status = 'closed') != (closure_reason IS NOT NULL)", [], |r| r.get(0))
            .unwrap();
        assert_eq!(bad, 0);
        let without_open: i64 = conn
            .query_row("SELECT count(*) FROM case_file c WHERE NOT EXISTS (SELECT 1 FROM case_event e WHERE e.case_id = c.id AND e.from_status IS NULL)", [], |r| r.get(0))
            .unwrap();
        assert_eq!(without_open, 0);
        // Work is spread over several staff members.
        let workers: i64 = conn.query_row("SELECT count(DISTINCT caseworker_id) FROM visit", [], |r| r.get(0)).unwrap();
        assert!(workers >= 4, "{workers}");
    }

    #[test]
    fn referral_and_follow_up_totals_are_exact() {
        let mut desk = desk();
        let opts = DemoOptions { referrals: Amount::Total(137), follow_ups: Amount::Total(0), ..DemoOptions::new(4, 120, 6.0, as_of()) };
        let summary = seed_demo(&mut desk, &opts).unwrap();
        assert_eq!((summary.referrals, count(&desk, "referral")), (137, 137));
        assert_eq!((summary.follow_ups, count(&desk, "follow_up")), (0, 0));
        let mut desk = self::desk();
        let opts = DemoOptions { referrals: Amount::PerCase(0.5), follow_ups: Amount::PerCase(4.25), ..DemoOptions::new(4, 120, 6.0, as_of()) };
        let summary = seed_demo(&mut desk, &opts).unwrap();
        assert_eq!(summary.referrals, (summary.cases as f64 * 0.5).round() as usize);
        assert_eq!(summary.follow_ups, (summary.cases as f64 * 4.25).round() as usize);
        assert_eq!(count(&desk, "follow_up"), summary.follow_ups);
        // No cases, nothing to refer: a total cannot be met and is not invented.
        let mut desk = self::desk();
        let opts = DemoOptions { referrals: Amount::Total(50), ..DemoOptions::new(4, 0, 0.0, as_of()) };
        let summary = seed_demo(&mut desk, &opts).unwrap();
        assert_eq!((summary.cases, summary.referrals, summary.follow_ups), (0, 0, 0));
        assert!(summary.partners >= 15, "the directory is there all the same");
    }

    #[test]
    fn the_amount_of_case_work_leaves_the_people_and_their_visits_alone() {
        let with = |referrals: f64| {
            let mut desk = desk();
            let opts = DemoOptions { referrals: Amount::PerCase(referrals), ..DemoOptions::new(8, 80, 5.0, as_of()) };
            seed_demo(&mut desk, &opts).unwrap();
            dump(&desk).into_iter().filter(|l| ["migrant|", "visit|", "case_file|", "assistance|"].iter().any(|t| l.starts_with(t))).collect::<Vec<_>>()
        };
        assert_eq!(with(0.0), with(5.0));
    }

    #[test]
    fn every_referral_rests_on_the_migrants_consent_or_a_written_reason() {
        let (desk, summary) = seeded(21, 300);
        let conn = desk.store().connection();
        let centre_id = desk.actor().unwrap().centre_id;
        let ids: Vec<Uuid> = conn.prepare("SELECT id FROM referral").unwrap().query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect();
        assert_eq!(ids.len(), summary.referrals);
        let (mut consented, mut overridden) = (0, 0);
        for id in ids {
            let r = referral::get(conn, centre_id, id).unwrap();
            let person = migrant::get(conn, centre_id, r.migrant_id).unwrap();
            if referral::consents_to_sharing(&person) {
                consented += 1;
                assert_eq!((r.consent_basis, r.override_reason.as_str()), (referral::ConsentBasis::Consent, ""), "{}", r.reference);
            } else {
                overridden += 1;
                assert_eq!(r.consent_basis, referral::ConsentBasis::Override, "{}", r.reference);
                assert!(r.override_reason.trim().chars().count() >= referral::MIN_OVERRIDE_REASON, "{}", r.override_reason);
            }
            // From an open case of the same person, to a partner that offered the service and took referrals then.
            let case = case::get(conn, centre_id, r.case_id).unwrap();
            assert_eq!(case.migrant_id, r.migrant_id);
            let status_then = case::events(conn, case.id).unwrap().into_iter().filter(|e| e.at <= r.meta.created_at).last().unwrap().to_status;
            assert_ne!(status_then, CaseStatus::Closed, "{}", r.reference);
            let p = partner::get(conn, centre_id, r.partner_id).unwrap();
            assert!(p.services.contains(&r.service) && p.meta.created_at < r.meta.created_at, "{}", r.reference);
            assert!(p.active || p.meta.updated_at > r.meta.created_at, "{} went to a partner already inactive", r.reference);
            assert!(r.reference.starts_with('R') && !r.reason.is_empty() && r.shared_data.contains(&SharedData::Identity));
        }
        // Overrides happen, but rarely: most people asked agree to share.
        assert!(overridden > 0 && overridden * 5 < consented, "{consented} on consent, {overridden} overridden");
    }

    #[test]
    fn every_referral_moved_only_as_the_rules_allow() {
        let (desk, summary) = seeded(22, 300);
        let conn = desk.store().connection();
        let centre_id = desk.actor().unwrap().centre_id;
        let ids: Vec<Uuid> = conn.prepare("SELECT id FROM referral").unwrap().query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect();
        let end = as_of().and_hms_opt(0, 0, 0).unwrap().and_utc() - Duration::hours(3);
        let mut events = 0;
        let (mut old, mut old_ended, mut recent, mut recent_open) = (0, 0, 0, 0);
        for id in ids {
            let r = referral::get(conn, centre_id, id).unwrap();
            let chain = referral::events(conn, id).unwrap();
            events += chain.len();
            assert_eq!((chain[0].from_status, chain[0].to_status, chain[0].at), (None, ReferralStatus::Draft, r.meta.created_at), "{}", r.reference);
            for w in chain.windows(2) {
                assert_eq!(w[1].from_status, Some(w[0].to_status), "{}: a chain without gaps", r.reference);
                assert!(w[0].to_status.can_move_to(w[1].to_status), "{}: {} to {}", r.reference, w[0].to_status, w[1].to_status);
                assert!(w[0].at <= w[1].at);
            }
            let last = chain.last().unwrap();
            assert_eq!((last.to_status, last.at), (r.status, r.status_changed_at), "{}", r.reference);
            assert!(last.at < end);
            if r.status == ReferralStatus::Completed {
                assert!(!r.feedback.is_empty(), "{}: the partner's feedback", r.reference);
            }
            let ended = matches!(r.status, ReferralStatus::Completed | ReferralStatus::Declined | ReferralStatus::NoShow | ReferralStatus::Cancelled);
            let age = (end - r.meta.created_at).num_days();
            if age > 90 {
                old += 1;
                old_ended += usize::from(ended);
            } else if age < 7 {
                recent += 1;
                recent_open += usize::from(!ended);
            }
        }
        assert_eq!(events, summary.referral_events);
        // Older referrals have mostly ended; recent ones mostly wait for the partner.
        assert!(old_ended * 100 >= old * 80, "{old_ended} of {old} older referrals ended");
        assert!(recent_open * 100 >= recent * 70 && recent > 0, "{recent_open} of {recent} recent referrals still open");
        for status in ["sent", "accepted", "completed", "declined", "no_show"] {
            assert!(summary.referrals_by_status.get(status).is_some_and(|n| *n > 0), "{status}: {:?}", summary.referrals_by_status);
        }
    }

    #[test]
    fn follow_ups_belong_to_the_case_and_its_caseworker() {
        let (desk, summary) = seeded(23, 300);
        let conn = desk.store().connection();
        let bad = |q: &str| conn.query_row(q, [], |r| r.get::<_, i64>(0)).unwrap();
        assert_eq!(bad("SELECT count(*) FROM follow_up f JOIN case_file c ON c.id = f.case_id WHERE f.assigned_to IS NOT c.assigned_to OR f.migrant_id != c.migrant_id"), 0);
        assert_eq!(bad("SELECT count(*) FROM follow_up WHERE case_id IS NULL"), 0);
        assert_eq!(bad("SELECT count(*) FROM follow_up f JOIN referral r ON r.id = f.referral_id WHERE r.migrant_id != f.migrant_id OR r.case_id != f.case_id"), 0);
        assert_eq!(bad("SELECT count(*) FROM follow_up WHERE (done_at IS NULL) != (done_by IS NULL) OR done_at <= created_at OR done_by != assigned_to"), 0);
        assert_eq!(bad("SELECT count(*) FROM follow_up WHERE due_on < date(created_at)"), 0);
        assert!(bad("SELECT count(*) FROM follow_up WHERE referral_id IS NOT NULL") > 0);
        // Most are done; some are overdue and some due in the coming days.
        let done = summary.follow_ups - summary.follow_ups_open;
        assert!(done * 2 > summary.follow_ups, "{summary:?}");
        assert!(summary.follow_ups_overdue > 0, "{summary:?}");
        assert!(bad("SELECT count(*) FROM follow_up WHERE done_at IS NULL AND due_on >= '2025-06-30'") > 0);
    }

    #[test]
    fn the_staff_member_at_the_desk_has_a_days_work() {
        let (mut desk, summary) = seeded(24, 300);
        let me = desk.actor().unwrap().staff_id;
        let mine: usize = desk.store().connection().query_row("SELECT count(*) FROM case_file WHERE assigned_to = ?1", [me], |r| r.get::<_, i64>(0)).unwrap() as usize;
        // The administrator at the desk does a caseworker's share, not a manager's.
        assert!(mine * 10 >= summary.cases, "{mine} of {} cases", summary.cases);
        let now = as_of().and_hms_opt(9, 0, 0).unwrap().and_utc();
        let today = desk.today(now).unwrap();
        assert!(!today.follow_ups.is_empty(), "follow-ups due");
        assert!(today.follow_ups.iter().all(|f| f.follow_up.assigned_to == me));
        // The busiest has at least as many open cases, and a full Today.
        let (busiest, open) = busiest_staff(&desk).unwrap().unwrap();
        let mine_open: usize =
            desk.store().connection().query_row("SELECT count(*) FROM case_file WHERE assigned_to = ?1 AND status != 'closed'", [me], |r| r.get::<_, i64>(0)).unwrap() as usize;
        assert!(open >= mine_open && open > 0);
        crate::sample::sign_in(&mut desk, busiest).unwrap();
        let today = desk.today(now).unwrap();
        assert!(!today.follow_ups.is_empty() && !(today.waiting_referrals.is_empty() && today.quiet_cases.is_empty()), "{today:?}");
    }

    #[test]
    fn the_directory_sessions_and_anonymous_contacts_are_plausible() {
        let (desk, summary) = seeded(25, 300);
        let conn = desk.store().connection();
        let partners = partner::list(conn, desk.actor().unwrap().centre_id, &crate::partner::PartnerQuery { include_inactive: true, ..Default::default() }).unwrap();
        assert!((15..=30).contains(&partners.len()), "{}", partners.len());
        for kind in CORE_KINDS {
            assert!(partners.iter().any(|p| p.kind == *kind && p.active), "{kind}");
        }
        let cyrillic = |s: &str| s.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
        for p in &partners {
            PartnerInput::from(p).check().unwrap_or_else(|e| panic!("{}: {e}", p.name));
            assert!(p.name.is_ascii() && cyrillic(&p.name_local), "{} / {}", p.name, p.name_local);
            assert!(p.active || p.meta.updated_at > p.meta.created_at);
        }
        let names: HashSet<&str> = partners.iter().map(|p| p.name_local.as_str()).collect();
        assert_eq!(names.len(), partners.len(), "partner names are distinct");

        // A few sessions a month, with people registered before it and some counted anonymously.
        assert!((12 * 2..=12 * 5 + 1).contains(&summary.group_sessions), "{summary:?}");
        let early: i64 = conn
            .query_row("SELECT count(*) FROM group_participant p JOIN migrant m ON m.id = p.migrant_id JOIN group_session s ON s.id = p.session_id WHERE m.created_at >= s.created_at", [], |r| r.get(0))
            .unwrap();
        assert_eq!(early, 0);
        assert!(summary.group_participants > summary.group_sessions);
        let counted: i64 = conn.query_row("SELECT count(*) FROM group_session WHERE anonymous_counts != '[]'", [], |r| r.get(0)).unwrap();
        assert!(counted as usize * 2 > summary.group_sessions);
        // A few anonymous contacts a week.
        assert!((52 * 2..=52 * 6).contains(&summary.anonymous_contacts), "{summary:?}");
    }

    #[test]
    fn a_small_centre_is_quick() {
        let started = Instant::now();
        let (desk, summary) = seeded(9, 200);
        assert_eq!(summary.migrants, 200);
        assert_eq!(count(&desk, "visit"), 2000);
        // Generous for a debug build on a slow laptop.
        assert!(started.elapsed().as_secs_f64() < 10.0, "{:?}", started.elapsed());
    }

    #[test]
    fn allocation_is_exact() {
        assert_eq!(allocate(10, &[1.0, 1.0, 2.0]).iter().sum::<usize>(), 10);
        assert!(allocate(10, &[1.0, 1.0, 2.0]).iter().all(|&n| n >= 1));
        assert_eq!(allocate(2, &[1.0, 5.0, 1.0]), vec![0, 2, 0]);
        assert_eq!(allocate(0, &[1.0]), vec![0]);
        assert_eq!(thousands(1234567), "1 234 567");
        assert_eq!(thousands(999), "999");
    }

    #[test]
    fn refuses_odd_options() {
        let mut desk = desk();
        let err = seed_demo(&mut desk, &DemoOptions::new(1, 1, f64::NAN, NaiveDate::from_ymd_opt(2999, 1, 1).unwrap())).unwrap_err();
        let fields: Vec<String> = err.field_errors().iter().map(|e| e.field.clone()).collect();
        assert_eq!(fields, vec!["visits_per_migrant", "as_of"]);
        let odd = DemoOptions { referrals: Amount::PerCase(-1.0), follow_ups: Amount::Total(usize::MAX), ..DemoOptions::new(1, 1, 1.0, as_of()) };
        let fields: Vec<String> = seed_demo(&mut desk, &odd).unwrap_err().field_errors().iter().map(|e| e.field.clone()).collect();
        assert_eq!(fields, vec!["referrals_per_case", "follow_ups"]);
        let odd = DemoOptions { referrals: Amount::Total(3), follow_ups: Amount::PerCase(f64::INFINITY), ..DemoOptions::new(1, 1, 1.0, as_of()) };
        let fields: Vec<String> = seed_demo(&mut desk, &odd).unwrap_err().field_errors().iter().map(|e| e.field.clone()).collect();
        assert_eq!(fields, vec!["follow_ups_per_case"]);
        assert_eq!(count(&desk, "migrant"), 0);
    }
}
