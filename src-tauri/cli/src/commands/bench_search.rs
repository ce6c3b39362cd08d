//! `mrc bench-search`: finding people and catching duplicates in a large
//! generated centre (10,000 to 1,000,000 migrants, 2% of them registered a
//! second time with the name spelled another way). Times the search, the
//! duplicate check at registration, saving a migrant and opening the file,
//! and measures the check's quality on the planted duplicates and on people
//! who are not registered. A measurement, not a test: it exits 0 when it
//! could measure.

use std::collections::HashSet;
use std::io::Write;
use std::time::{Duration, Instant};

use chrono::Utc;
use mrc_core::duplicate::{likely_pairs, SHOWN};
use mrc_core::migrant::{Migrant, MigrantQuery};
use mrc_core::population::{someone, Identity, PLANTED};
use mrc_core::Desk;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use crate::args::LargeCentreArgs;
use crate::commands::bench::{measure, ms, percentile};
use crate::commands::bench_report::open_large_centre;
use crate::error::Result;
use crate::output::thousands;

/// Planted duplicates checked for recall, and as many people who are not registered.
const SAMPLE: usize = 1000;

pub fn run(args: LargeCentreArgs, out: &mut dyn Write) -> Result<()> {
    let mut centre = open_large_centre(&args, "search", out)?;
    let opened = Instant::now();
    let mut again = Desk::open(&centre.path)?;
    again.state()?;
    let open_ms = opened.elapsed().as_secs_f64() * 1000.0;
    let signing = Instant::now();
    mrc_core::sample::sign_in_role(&mut again, mrc_core::centre::StaffRole::Supervisor)?;
    let sign_in_ms = signing.elapsed().as_secs_f64() * 1000.0;
    let listing = Instant::now();
    again.list_migrants(&MigrantQuery::default())?;
    let list_ms = listing.elapsed().as_secs_f64() * 1000.0;
    writeln!(out, "  open        {open_ms:.0} ms (open the file and the centre), sign in {sign_in_ms:.0} ms (Argon2id), first page of the list {list_ms:.0} ms")?;
    drop(again);
    let desk = &mut centre.desk;

    let planted = planted(desk)?;
    writeln!(out, "  planted     {} duplicates in the database, {} of them checked", planted.len(), planted.len().min(SAMPLE))?;
    let today = Utc::now().date_naive();
    let pairs: Vec<(Migrant, Uuid)> =
        planted.iter().take(SAMPLE).map(|(copy, first)| Ok((desk.migrant_profile(*copy)?.migrant, *first))).collect::<Result<_>>()?;

    let mut results: Vec<(&str, Vec<Duration>, f64)> = Vec::new();
    let texts: Vec<String> = pairs.iter().enumerate().map(|(i, (m, _))| search_text(m, i)).collect();
    let mut next = 0;
    let search = measure(texts.len().min(300), || {
        next += 1;
        desk.list_migrants(&MigrantQuery { text: texts[next % texts.len()].clone(), ..Default::default() }).map(drop)
    })?;
    results.push(("search, first page", search, 50.0));

    let twins: HashSet<(Uuid, Uuid)> = planted.iter().map(|(copy, first)| (*first, *copy)).collect();
    let (mut found, mut right, mut suggested, mut checks) = (0, 0, 0, Vec::new());
    for (copy, first) in &pairs {
        let input = Identity::of(copy).input(today);
        let started = Instant::now();
        let likely = desk.likely_duplicates(&input, Some(copy.id))?;
        checks.push(started.elapsed());
        found += usize::from(likely.iter().any(|d| d.migrant.id == *first));
        suggested += likely.len();
        right += likely.iter().filter(|d| d.migrant.id == *first || twins.contains(&(*first, d.migrant.id))).count();
    }
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed ^ 0x5eed);
    let (mut alarmed, mut wrong) = (0, 0);
    for _ in 0..pairs.len() {
        let input = someone(&mut rng, today).input(today);
        let started = Instant::now();
        let likely = desk.likely_duplicates(&input, None)?;
        checks.push(started.elapsed());
        alarmed += usize::from(!likely.is_empty());
        wrong += likely.len();
    }
    checks.sort();
    results.push(("duplicate check at registration", checks, 100.0));

    let centre_id = desk.actor()?.centre_id;
    let started = Instant::now();
    let (scanned, people) = likely_pairs(desk.store().connection(), centre_id, today)?;
    let scan_time = started.elapsed();
    let is_planted = |a: Uuid, b: Uuid| twins.contains(&(a, b)) || twins.contains(&(b, a));
    let scan_right = scanned.iter().filter(|p| is_planted(p.first, p.second)).count();

    let mut rng = ChaCha8Rng::seed_from_u64(args.seed ^ 0xface);
    let mut saved = Vec::new();
    let save = measure(50, || {
        let input = someone(&mut rng, today).input(today);
        saved.push(desk.register_migrant(input)?.id);
        Ok(())
    })?;
    results.push(("save a new migrant (keys kept up)", save, 20.0));
    forget(desk, &saved)?;

    writeln!(out, "\n  {:<38}{:>10}{:>10}{:>10}{:>10}  RESULT", "MEASUREMENT", "P50", "P95", "MAX", "TARGET")?;
    for (label, times, target) in &results {
        let (p50, p95, max) = (percentile(times, 50.0), percentile(times, 95.0), percentile(times, 100.0));
        let verdict = if p95.as_secs_f64() * 1000.0 < *target { "PASS" } else { "OVER" };
        writeln!(out, "  {label:<38}{:>10}{:>10}{:>10}{:>10}  {verdict}", ms(p50), ms(p95), ms(max), format!("< {target:.0} ms"))?;
    }
    let share = |a: usize, b: usize| if b == 0 { 0.0 } else { 100.0 * a as f64 / b as f64 };
    let recall = share(found, pairs.len());
    let false_alarms = share(alarmed, pairs.len());
    writeln!(out, "\n  QUALITY OF THE CHECK (top {SHOWN})")?;
    writeln!(out, "  recall        {recall:5.1} %  of {} planted duplicates had their first record suggested (target at least 95 %)", pairs.len())?;
    writeln!(out, "  precision     {:5.1} %  of the {} suggestions for planted duplicates were that person", share(right, suggested), suggested)?;
    writeln!(
        out,
        "  false alarms  {false_alarms:5.1} %  of {} people not registered got a suggestion ({wrong} suggestions, all wrong; target under 5 %)",
        pairs.len()
    )?;
    writeln!(out, "\n  FULL DUPLICATE SCAN")?;
    writeln!(
        out,
        "  {:.1} s for {} people (target under 60 s): {} likely pairs, {} of them planted; {:.1} % of the {} planted duplicates found",
        scan_time.as_secs_f64(),
        thousands(people as usize),
        thousands(scanned.len()),
        thousands(scan_right),
        share(scan_right, planted.len()),
        thousands(planted.len())
    )?;
    writeln!(out, "\nSearch texts were the names as the second registration spelled them, and phone and passport digits.")?;
    writeln!(out, "Pairs of the scan that are not planted may still be namesakes born within a year, or planted people's relatives.")?;
    Ok(())
}

/// Each planted duplicate with the first record it copies, in id order.
fn planted(desk: &Desk) -> mrc_core::Result<Vec<(Uuid, Uuid)>> {
    let conn = desk.store().connection();
    let mut stmt = conn.prepare("SELECT id, substr(notes, ?1) FROM migrant WHERE notes LIKE ?2 AND deleted_at IS NULL ORDER BY id")?;
    let rows = stmt.query_map(rusqlite::params![PLANTED.len() as i64 + 1, format!("{PLANTED}%")], |r| Ok((r.get::<_, Uuid>(0)?, r.get::<_, String>(1)?)))?;
    let mut all = Vec::new();
    for row in rows {
        let (copy, first) = row?;
        if let Ok(first) = first.parse() {
            all.push((copy, first));
        }
    }
    Ok(all)
}

/// What a caseworker types to find the person: the names as written on
/// the second registration, a phone's last digits, or a passport number.
fn search_text(m: &Migrant, turn: usize) -> String {
    let phone: String = m.phones.first().map(|p| p.number.chars().filter(char::is_ascii_digit).collect()).unwrap_or_default();
    match turn % 4 {
        1 if phone.len() >= 7 => phone[phone.len() - 7..].to_string(),
        2 if !m.documents.is_empty() => m.documents[0].number.clone(),
        3 => m.family_name.clone(),
        _ => format!("{} {}", m.family_name, m.given_name),
    }
}

/// Takes the people the save timing registered out again, keys and all
/// (by the triggers), so a kept database stays as generated.
fn forget(desk: &Desk, ids: &[Uuid]) -> mrc_core::Result<()> {
    let conn = desk.store().connection();
    let mut stmt = conn.prepare("DELETE FROM migrant WHERE id = ?1")?;
    for id in ids {
        stmt.execute([id])?;
    }
    Ok(())
}
