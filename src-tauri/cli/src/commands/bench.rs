//! `mrc bench`: builds a large demo centre in a temporary database, then times
//! what a caseworker waits for most: opening a profile, saving a visit, the
//! first page of the migrant list and the Today screen. A measurement, not a
//! test: it always exits 0.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::Utc;
use mrc_core::demo::{busiest_staff, seed_demo, Amount, DemoOptions};
use mrc_core::migrant::{MigrantQuery, MigrantSummary};
use mrc_core::visit::{Channel, VisitInput, VisitPurpose};
use mrc_core::Desk;
use uuid::Uuid;

use crate::args::BenchArgs;
use crate::commands::seed::{describe, set_up_demo_centre};
use crate::error::{CliError, Result};
use crate::output::thousands;

/// Warm-up runs before timing, so one-off costs (statement preparation,
/// the first read of a page from disk) do not count.
const WARM_UP: usize = 3;

/// The longest list the Today screen shows (`mrc_core::today` stops there).
const TODAY_LIMIT: usize = 200;

pub fn run(args: BenchArgs, out: &mut dyn Write) -> Result<()> {
    let builder = {
        let mut b = tempfile::Builder::new();
        b.prefix("mrc-bench-");
        b
    };
    let dir = match &args.dir {
        Some(parent) => builder.tempdir_in(parent)?,
        None => builder.tempdir()?,
    };
    let path = dir.path().join("bench.db");
    writeln!(out, "MRC Desk benchmark")?;
    writeln!(out, "  database    {} (removed afterwards)", path.display())?;

    let mut desk = Desk::open(&path)?;
    set_up_demo_centre(&mut desk)?;
    let referrals = args.referrals.unwrap_or(args.migrants.saturating_mul(2));
    let follow_ups = args.follow_ups.unwrap_or(args.migrants.saturating_mul(3));
    let opts = DemoOptions {
        referrals: Amount::Total(referrals),
        follow_ups: Amount::Total(follow_ups),
        ..DemoOptions::new(args.seed, args.migrants, args.visits_per_migrant, Utc::now().date_naive())
    };
    writeln!(
        out,
        "  seeding     {} migrants, {} visits each on average, {} referrals, {} follow-ups...",
        thousands(args.migrants),
        args.visits_per_migrant,
        thousands(referrals),
        thousands(follow_ups)
    )?;
    out.flush()?;
    let started = Instant::now();
    let summary = seed_demo(&mut desk, &opts)?;
    let seeding = started.elapsed();
    drop(desk);
    writeln!(out, "  seeded in   {:.1} s", seeding.as_secs_f64())?;
    describe(&summary, out)?;
    writeln!(out, "  file size   {}", megabytes(&path))?;

    // The same centre twice, each a compact copy of the seeded file so both
    // have the same page layout: once plain, once encrypted as the app keeps it.
    let plain_path = dir.path().join("bench-plain.db");
    let sealed_path = dir.path().join("bench-encrypted.db");
    let compact = || -> mrc_core::Result<usize> { Ok(rusqlite::Connection::open(&path)?.execute("VACUUM INTO ?1", [plain_path.to_string_lossy()])?) };
    compact()?;
    std::fs::copy(&plain_path, &sealed_path)?;
    let mrc_core::encryption::Opened::Sealed(keys) = mrc_core::encryption::open(&sealed_path)? else {
        return Err(CliError::Message("the benchmark's copy was not encrypted: its centre has no account with a password".into()));
    };
    std::fs::remove_file(&path)?;
    writeln!(out, "  copies      plain {}, encrypted {} (SQLCipher, the key unwrapped at each sign-in)", megabytes(&plain_path), megabytes(&sealed_path))?;

    let admin = keys.desk_state().staff.into_iter().find(|s| s.role == mrc_core::centre::StaffRole::Administrator).map(|s| s.id);
    let mut first_keys = keys.clone();
    let sealed = mrc_core::encryption::sign_in(&sealed_path, &mut first_keys, admin.unwrap_or_default(), mrc_core::sample::PASSWORD)?;
    let mut keys = keys;
    let mut sides = [
        Side { name: "Plain SQLite file", desk: Desk::open(&plain_path)?, sign_in: Box::new(|desk: &mut Desk, me| mrc_core::sample::sign_in(desk, me).map(drop)) },
        Side {
            name: "Encrypted file (as the app keeps it)",
            desk: sealed,
            sign_in: Box::new(|_: &mut Desk, me| mrc_core::encryption::sign_in(&sealed_path, &mut keys, me, mrc_core::sample::PASSWORD).map(drop)),
        },
    ];
    let [plain, sealed] = measure_desks(&mut sides, &args, out)?;

    writeln!(out, "\nWhat encryption adds (encrypted / plain, at the median and at p95; the target is under 1.25 for the foundation figures)")?;
    writeln!(out, "  {:<38}{:>10}{:>10}{:>10}{:>10}{:>10}  RESULT", "MEASUREMENT", "P50 RATIO", "P95 RATIO", "P95 PLAIN", "P95 ENCR.", "P50 ADDED")?;
    let ratio = |a: &[Duration], b: &[Duration], p: f64| percentile(b, p).as_secs_f64() / percentile(a, p).as_secs_f64().max(1e-9);
    for ((label, plain_times, _), (_, sealed_times, _)) in plain.iter().zip(&sealed) {
        let (median, p95) = (ratio(plain_times, sealed_times, 50.0), ratio(plain_times, sealed_times, 95.0));
        let verdict = if label.starts_with("sign in") { "(own target, < 1 s)" } else if median < 1.25 && p95 < 1.25 { "PASS" } else { "OVER" };
        let (a, b) = (percentile(plain_times, 95.0), percentile(sealed_times, 95.0));
        let added = percentile(sealed_times, 50.0).as_secs_f64() - percentile(plain_times, 50.0).as_secs_f64();
        writeln!(out, "  {label:<38}{:>9.2}x{:>9.2}x{:>10}{:>10}{:>7.2} ms  {verdict}", median, p95, ms(a), ms(b), added * 1000.0)?;
    }
    writeln!(out, "The two files were timed turn about, the same operation on the same person, so both see the same machine.")?;
    writeln!(out, "Search texts were names in either script and phone digits of random migrants.")?;
    writeln!(out, "Saving waits for the disk holding {}; use --dir to measure another one.", dir.path().parent().unwrap_or(Path::new("/")).display())?;
    Ok(())
}

type Results = Vec<(&'static str, Vec<Duration>, f64)>;

/// One copy of the centre being measured, and how its busiest caseworker signs in again.
struct Side<'a> {
    name: &'static str,
    desk: Desk,
    sign_in: Box<dyn FnMut(&mut Desk, Uuid) -> mrc_core::Result<()> + 'a>,
}

/// Times what a caseworker waits for on both copies, turn about, and prints
/// a table for each.
fn measure_desks(sides: &mut [Side; 2], args: &BenchArgs, out: &mut dyn Write) -> Result<[Results; 2]> {
    let mut me = Uuid::nil();
    let mut open_cases = 0;
    for side in sides.iter_mut() {
        mrc_core::sample::sign_in_role(&mut side.desk, mrc_core::centre::StaffRole::Supervisor)?;
        // Today is only worth timing for someone with work on it: the busiest caseworker.
        if let Some((id, n)) = busiest_staff(&side.desk)? {
            mrc_core::sample::sign_in(&mut side.desk, id)?;
            open_cases = n;
        }
        me = side.desk.actor()?.staff_id;
    }
    let people = everyone(&sides[0].desk)?;
    if people.is_empty() {
        return Err(CliError::Message("no migrants to measure: use --migrants 1 or more".into()));
    }
    let at_desk = sides[0].desk.state()?.staff.into_iter().find(|s| s.id == me).map(|s| s.full_name).unwrap_or_default();
    writeln!(out, "\n  at the desk {at_desk}, who has the most open cases ({})", thousands(open_cases))?;
    let n = args.iterations as usize;
    writeln!(out, "  iterations  {n} of each on each file, after {WARM_UP} warm-up runs; p95 is judged against the target")?;
    // Each turn picks one person, the same for both files.
    let mut rng = SplitMix(args.seed ^ 0x5eed);
    let picks: Vec<&MigrantSummary> = (0..n + WARM_UP).map(|_| &people[rng.below(people.len())]).collect();
    let searches: Vec<String> = picks.iter().enumerate().map(|(i, m)| search_text(m, i)).collect();

    let mut results: [Results; 2] = Default::default();
    let mut add = |label, target, times: [Vec<Duration>; 2]| {
        for (r, t) in results.iter_mut().zip(times) {
            r.push((label, t, target));
        }
    };
    // The password check costs time on purpose (Argon2id, 46 MiB): the figure is the wait at the sign-in screen.
    add("sign in (Argon2id, 46 MiB)", 1000.0, measure_turns(n, sides, |side, _| (side.sign_in)(&mut side.desk, me))?);
    add("open a migrant's profile", 20.0, measure_turns(n, sides, |side, turn| side.desk.migrant_profile(picks[turn].id).map(drop))?);
    add("migrant list, first page by name", 30.0, measure_turns(n, sides, |side, _| side.desk.list_migrants(&MigrantQuery::default()).map(drop))?);
    add(
        "migrant list, first page of a search",
        30.0,
        measure_turns(n, sides, |side, turn| side.desk.list_migrants(&MigrantQuery { text: searches[turn].clone(), ..Default::default() }).map(drop))?,
    );
    let now = Utc::now();
    add("Today screen data", 30.0, measure_turns(n, sides, |side, _| side.desk.today(now).map(drop))?);
    let today = sides[0].desk.today(now)?;
    add(
        "save a visit (synchronous=FULL)",
        10.0,
        measure_turns(n, sides, |side, turn| {
            let visit = VisitInput {
                migrant_id: picks[turn].id,
                channel: Some(Channel::WalkIn),
                purpose: Some(VisitPurpose::Consultation),
                duration_minutes: Some(15u32.into()),
                notes: "Benchmark visit".into(),
                ..Default::default()
            };
            side.desk.log_visit(visit).map(drop)
        })?,
    );

    for (side, results) in sides.iter().zip(&results) {
        writeln!(out, "\n{}", side.name)?;
        writeln!(out, "  {:<38}{:>10}{:>10}{:>10}{:>10}  RESULT", "MEASUREMENT", "P50", "P95", "MAX", "TARGET")?;
        for (label, times, target) in results {
            let (p50, p95, max) = (percentile(times, 50.0), percentile(times, 95.0), percentile(times, 100.0));
            let verdict = if p95.as_secs_f64() * 1000.0 < *target { "PASS" } else { "OVER" };
            writeln!(out, "  {label:<38}{:>10}{:>10}{:>10}{:>10}  {verdict}", ms(p50), ms(p95), ms(max), format!("< {target:.0} ms"))?;
        }
    }
    let overdue = today.follow_ups.iter().filter(|f| f.overdue).count();
    writeln!(
        out,
        "  Today for {at_desk}: {} follow-ups due ({overdue} overdue), {} referrals waiting over {} days, {} quiet cases.",
        today.follow_ups.len(),
        today.waiting_referrals.len(),
        today.reminder_days,
        today.quiet_cases.len()
    )?;
    if [today.follow_ups.len(), today.waiting_referrals.len(), today.quiet_cases.len()].contains(&TODAY_LIMIT) {
        writeln!(out, "  Today lists at most {TODAY_LIMIT} of each, so a list of {TODAY_LIMIT} was probably cut short.")?;
    }
    Ok(results)
}

/// Runs `operation` on both sides turn about (which goes first alternates),
/// so a slow moment of the machine falls on both alike; sorted times per side.
fn measure_turns(n: usize, sides: &mut [Side; 2], mut operation: impl FnMut(&mut Side, usize) -> mrc_core::Result<()>) -> Result<[Vec<Duration>; 2]> {
    let mut times = [Vec::with_capacity(n), Vec::with_capacity(n)];
    for turn in 0..WARM_UP + n {
        for s in [turn % 2, 1 - turn % 2] {
            let started = Instant::now();
            operation(&mut sides[s], turn)?;
            if turn >= WARM_UP {
                times[s].push(started.elapsed());
            }
        }
    }
    times.iter_mut().for_each(|t| t.sort());
    Ok(times)
}

/// Every migrant, page by page, to pick from at random.
fn everyone(desk: &Desk) -> Result<Vec<MigrantSummary>> {
    let mut all = Vec::new();
    for page in 0.. {
        let batch = desk.list_migrants(&MigrantQuery { page, page_size: 500, ..Default::default() })?;
        let done = batch.items.len() < 500;
        all.extend(batch.items);
        if done {
            break;
        }
    }
    Ok(all)
}

/// What a caseworker might type to find this person: their family name in
/// their own script, their given name in Latin, or the last digits of their phone.
fn search_text(m: &MigrantSummary, turn: usize) -> String {
    let phone_digits: String = m.phone.as_deref().unwrap_or("").chars().filter(char::is_ascii_digit).collect();
    match turn % 3 {
        2 if phone_digits.len() >= 4 => phone_digits[phone_digits.len() - 4..].to_string(),
        1 if !m.given_name_latin.is_empty() => m.given_name_latin.clone(),
        _ => m.family_name.clone(),
    }
}

pub(crate) fn measure(n: usize, mut operation: impl FnMut() -> mrc_core::Result<()>) -> Result<Vec<Duration>> {
    for _ in 0..WARM_UP {
        operation()?;
    }
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let started = Instant::now();
        operation()?;
        times.push(started.elapsed());
    }
    times.sort();
    Ok(times)
}

/// Nearest-rank percentile of sorted times.
pub(crate) fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

pub(crate) fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn megabytes(path: &Path) -> String {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    format!("{:.1} MB", size as f64 / 1_000_000.0)
}

/// A small, fast generator for picking migrants; quality is not a concern here.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_nearest_rank() {
        let times: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&times, 50.0), Duration::from_millis(50));
        assert_eq!(percentile(&times, 95.0), Duration::from_millis(95));
        assert_eq!(percentile(&times, 100.0), Duration::from_millis(100));
        assert_eq!(percentile(&times[..1], 95.0), Duration::from_millis(1));
    }
}
