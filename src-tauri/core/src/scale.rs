//! A very large centre for the benchmarks: a million migrants and five
//! million assistance records over two years take minutes to write this
//! way, where the realistic demo generator (`demo`) would take an hour.
//! People are realistic (`population`: names in their scripts, phones,
//! passports, 2% registered twice); their records carry only what the
//! report counts. Rows go through the same triggers as every other write,
//! and are the same for the same seed.

use chrono::{DateTime, Days, Duration, NaiveDate, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rusqlite::{params, Connection};
use uuid::{NoContext, Timestamp, Uuid};

use crate::assistance::AssistanceCategory;
use crate::case::{CaseType, ClosureReason};
use crate::desk::Desk;
use crate::migrant::{MigrationStatus, Vulnerability};
use crate::population::Population;
use crate::record::Actor;
use crate::referral::ReferralStatus;
use crate::visit::Channel;
use crate::Result;

#[derive(Debug, Clone)]
pub struct ScaleOptions {
    pub seed: u64,
    pub migrants: usize,
    /// Visits per migrant, on average; as many assistance records again.
    pub records_per_migrant: f64,
    /// The data covers the two years before this day.
    pub until: NaiveDate,
}

#[derive(Debug, Default, Clone)]
pub struct ScaleSummary {
    pub migrants: usize,
    pub visits: usize,
    pub assistance: usize,
    pub cases: usize,
    pub referrals: usize,
    /// People registered a second time, names spelled another way (see `population`).
    pub planted: usize,
}

const BATCH: usize = 2_000;
const PARTNERS: usize = 40;
/// The share of registrations that are someone already registered.
const DUPLICATES: f64 = 0.02;

/// One of the values, as likely as its weight.
pub(crate) fn pick<T: Copy>(rng: &mut ChaCha8Rng, weighted: &[(T, u32)]) -> T {
    let total: u32 = weighted.iter().map(|w| w.1).sum();
    let mut roll = rng.random_range(0..total);
    for (value, weight) in weighted {
        if roll < *weight {
            return *value;
        }
        roll -= weight;
    }
    weighted[0].0
}

fn any<T: Copy>(rng: &mut ChaCha8Rng, all: &[T]) -> T {
    all[rng.random_range(0..all.len())]
}

/// A v7 id for a record made at `at`, so ids sort like real ones.
fn id_at(rng: &mut ChaCha8Rng, at: DateTime<Utc>) -> Uuid {
    let ts = Timestamp::from_unix(NoContext, at.timestamp() as u64, at.timestamp_subsec_nanos());
    let mut bytes = *Uuid::new_v7(ts).as_bytes();
    // The crate's random tail is not seeded; ours is, for repeatable runs.
    rng.fill(&mut bytes[7..]);
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    Uuid::from_bytes(bytes)
}

struct Writer<'a> {
    tx: &'a Connection,
    actor: Actor,
    partners: &'a [Uuid],
    start: DateTime<Utc>,
    span_seconds: i64,
}

impl Writer<'_> {
    fn migrant(&self, rng: &mut ChaCha8Rng, population: &mut Population, records: f64, summary: &mut ScaleSummary) -> Result<()> {
        // Work spreads evenly over the two years, as a steady centre's does;
        // each person registered on or before their first record.
        let mut times: Vec<DateTime<Utc>> = (0..count(rng, records) + count(rng, records) + 1)
            .map(|_| self.start + Duration::seconds(rng.random_range(0..self.span_seconds)))
            .collect();
        times.sort();
        let registered = (times[0] - Duration::days(rng.random_range(0..30))).max(self.start);
        let id = id_at(rng, registered);
        let person = population.next(rng, id, registered.date_naive(), DUPLICATES);
        summary.planted += usize::from(!person.notes.is_empty());
        let status = pick(rng, &[(MigrationStatus::Regular, 50), (MigrationStatus::Irregular, 25), (MigrationStatus::Potential, 12), (MigrationStatus::Returnee, 10), (MigrationStatus::FamilyLeftBehind, 3)]);
        let vulnerable: Vec<Vulnerability> = if rng.random_bool(0.15) { vec![any(rng, Vulnerability::ALL)] } else { vec![] };
        self.tx.prepare_cached(
            "INSERT INTO migrant (id, centre_id, family_name, given_name, patronymic, family_name_latin, given_name_latin, sex,
                                  birth_date, birth_date_estimated, citizenship, phones, documents, migration_status, vulnerabilities, notes,
                                  created_at, updated_at, created_by, updated_by, origin_region, origin_town)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17, ?18, ?18, ?19, ?20)",
        )?
        .execute(params![
            id, self.actor.centre_id, person.family_name, person.given_name, person.patronymic, person.family_name_latin,
            person.given_name_latin, person.sex, person.birth, person.birth_estimated, person.citizenship,
            serde_json::to_string(&person.phones)?, serde_json::to_string(&person.documents)?, status,
            serde_json::to_string(&vulnerable)?, person.notes, registered, self.actor.staff_id, person.origin_region, person.origin_town
        ])?;
        summary.migrants += 1;
        for (i, at) in times.iter().enumerate().skip(1) {
            if i % 2 == 1 {
                self.visit(rng, id, *at)?;
                summary.visits += 1;
            } else {
                self.assistance(rng, id, *at)?;
                summary.assistance += 1;
            }
        }
        if rng.random_bool(0.3) {
            let opened = times[rng.random_range(0..times.len())];
            self.case(rng, id, opened, summary)?;
        }
        Ok(())
    }

    fn visit(&self, rng: &mut ChaCha8Rng, migrant: Uuid, at: DateTime<Utc>) -> Result<()> {
        self.tx.prepare_cached(
            "INSERT INTO visit (id, centre_id, migrant_id, occurred_at, channel, purpose, caseworker_id, created_at, updated_at, created_by, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, 'consultation', ?6, ?4, ?4, ?6, ?6)",
        )?
        .execute(params![id_at(rng, at), self.actor.centre_id, migrant, at, any(rng, Channel::ALL), self.actor.staff_id])?;
        Ok(())
    }

    fn assistance(&self, rng: &mut ChaCha8Rng, migrant: Uuid, at: DateTime<Utc>) -> Result<()> {
        self.tx.prepare_cached(
            "INSERT INTO assistance (id, centre_id, migrant_id, category, provider, given_on, outcome, created_at, updated_at, created_by, updated_by)
             VALUES (?1, ?2, ?3, ?4, 'centre', ?5, 'provided', ?6, ?6, ?7, ?7)",
        )?
        .execute(params![id_at(rng, at), self.actor.centre_id, migrant, any(rng, AssistanceCategory::ALL), at.date_naive(), at, self.actor.staff_id])?;
        Ok(())
    }

    fn case(&self, rng: &mut ChaCha8Rng, migrant: Uuid, opened: DateTime<Utc>, summary: &mut ScaleSummary) -> Result<()> {
        let id = id_at(rng, opened);
        let closed = rng.random_bool(0.6).then(|| opened.date_naive() + Days::new(rng.random_range(3..120)));
        let (status, reason) = match closed {
            Some(_) => ("closed", Some(any(rng, ClosureReason::ALL))),
            None => ("in_progress", None),
        };
        self.tx.prepare_cached(
            "INSERT INTO case_file (id, centre_id, migrant_id, reference, case_type, status, priority, opened_on, closed_on, closure_reason,
                                    created_at, updated_at, created_by, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'normal', ?7, ?8, ?9, ?10, ?10, ?11, ?11)",
        )?
        .execute(params![id, self.actor.centre_id, migrant, format!("C-{}", id.simple()), any(rng, CaseType::ALL), status, opened.date_naive(), closed, reason, opened, self.actor.staff_id])?;
        summary.cases += 1;
        if rng.random_bool(0.6) {
            let status = pick(rng, &[(ReferralStatus::Completed, 40), (ReferralStatus::Accepted, 20), (ReferralStatus::Sent, 20), (ReferralStatus::Declined, 8), (ReferralStatus::NoShow, 7), (ReferralStatus::Cancelled, 3), (ReferralStatus::Draft, 2)]);
            let rid = id_at(rng, opened);
            self.tx.prepare_cached(
                "INSERT INTO referral (id, centre_id, case_id, migrant_id, partner_id, reference, service, reason, urgency, consent_basis, status,
                                       status_changed_at, created_at, updated_at, created_by, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'benchmark', 'normal', 'consent', ?8, ?9, ?9, ?9, ?10, ?10)",
            )?
            .execute(params![rid, self.actor.centre_id, id, migrant, any(rng, self.partners), format!("R-{}", rid.simple()), any(rng, AssistanceCategory::ALL), status, opened, self.actor.staff_id])?;
            summary.referrals += 1;
        }
        Ok(())
    }
}

/// Around `mean` records: the whole part always, one more with the
/// probability of the fraction, plus or minus a little spread.
fn count(rng: &mut ChaCha8Rng, mean: f64) -> usize {
    let spread = rng.random_range(-2i64..=2);
    let base = (mean.floor() as i64 + spread).max(0) as usize;
    base + usize::from(rng.random_bool(mean.fract()))
}

fn partners(desk: &mut Desk, rng: &mut ChaCha8Rng, actor: Actor, at: DateTime<Utc>) -> Result<Vec<Uuid>> {
    let ids: Vec<Uuid> = (0..PARTNERS).map(|_| id_at(rng, at)).collect();
    desk.store_mut().write(|tx| {
        for (n, id) in ids.iter().enumerate() {
            tx.execute(
                "INSERT INTO partner (id, centre_id, name, kind, services, country, created_at, updated_at, created_by, updated_by)
                 VALUES (?1, ?2, ?3, 'ngo', '[]', 'TJ', ?4, ?4, ?5, ?5)",
                params![id, actor.centre_id, format!("Partner {n:02}"), at, actor.staff_id],
            )?;
        }
        Ok(())
    })?;
    Ok(ids)
}

/// Writes the large centre into the set-up desk, `BATCH` migrants (with
/// their records) per transaction; `progress` hears the migrants written.
pub fn seed_scale(desk: &mut Desk, opts: &ScaleOptions, mut progress: impl FnMut(usize)) -> Result<ScaleSummary> {
    let actor = desk.actor()?;
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let start = opts.until.checked_sub_months(chrono::Months::new(24)).unwrap_or(opts.until).and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let span_seconds = (opts.until.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() - start).num_seconds().max(1);
    // A benchmark's data, not a centre's: a power cut while generating loses
    // only the benchmark, so skip the wait for the disk and cache more of the
    // growing indexes. Both are put back before returning.
    let conn = desk.store().connection();
    conn.pragma_update(None, "synchronous", "OFF")?;
    conn.pragma_update(None, "cache_size", -1_048_576)?;
    let partner_ids = partners(desk, &mut rng, actor, start)?;
    let mut summary = ScaleSummary::default();
    let mut population = Population::default();
    let mut done = 0;
    while done < opts.migrants {
        let batch = BATCH.min(opts.migrants - done);
        desk.store_mut().write(|tx| {
            let writer = Writer { tx, actor, partners: &partner_ids, start, span_seconds };
            for _ in 0..batch {
                writer.migrant(&mut rng, &mut population, opts.records_per_migrant, &mut summary)?;
            }
            Ok(())
        })?;
        done += batch;
        progress(done);
    }
    let conn = desk.store().connection();
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "cache_size", crate::store::CACHE_KIB)?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::centre::StaffRole;
    use crate::population::Identity;

    /// Every field a generated person has reaches the file: the duplicate
    /// benchmark compares what is stored, so a field left out of the insert
    /// would measure a centre unlike the one described.
    #[test]
    fn a_generated_person_is_stored_whole() {
        let mut desk = Desk::open_in_memory().unwrap();
        crate::sample::start_centre(&mut desk, crate::sample::dushanbe("Supervisor One", StaffRole::Supervisor, "en")).unwrap();
        let opts = ScaleOptions { seed: 7, migrants: 300, records_per_migrant: 1.0, until: "2026-11-01".parse().unwrap() };
        seed_scale(&mut desk, &opts, |_| {}).unwrap();
        let ids: Vec<Uuid> = {
            let conn = desk.store().connection();
            let mut stmt = conn.prepare("SELECT id FROM migrant").unwrap();
            stmt.query_map([], |r| r.get(0)).unwrap().collect::<rusqlite::Result<_>>().unwrap()
        };
        let people: Vec<Identity> = ids.iter().map(|id| Identity::of(&desk.migrant_profile(*id).unwrap().migrant)).collect();
        assert_eq!(people.len(), 300);
        let placed = people.iter().filter(|p| !p.origin_town.is_empty() && !p.origin_region.is_empty()).count();
        assert!(placed > 240, "{placed} of 300 have a place of origin");
    }
}
