//! `mrc seed-demo`: a year of invented work, for trying the app and training.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use chrono::Utc;
use mrc_core::centre::{SetupInput, StaffInput, StaffRole};
use mrc_core::demo::{seed_demo, Amount, DemoOptions, DemoSummary};
use mrc_core::referral::ReferralStatus;
use mrc_core::Desk;

use crate::args::SeedArgs;
use crate::db;
use crate::error::{CliError, Result};
use crate::output::thousands;

/// The supervisor at the desk of a demo centre; every invented account's
/// password is `mrc_core::sample::PASSWORD`.
pub const DEMO_SUPERVISOR: &str = "Demo Supervisor";

/// The centre a fresh database gets before the demo fills it: its
/// administrator, and the demo supervisor signed in.
pub fn set_up_demo_centre(desk: &mut Desk) -> Result<()> {
    mrc_core::sample::start_centre(desk, SetupInput {
        centre_name: "MRC Demo Centre".into(),
        country: "RU".into(),
        city: "Москва".into(),
        staff: StaffInput { full_name: DEMO_SUPERVISOR.into(), role: Some(StaffRole::Supervisor), password: String::new() },
        language: "en".into(),
    })?;
    Ok(())
}

/// `default_db` is true when no --db was given: the desktop app's own file.
pub fn run(path: &Path, default_db: bool, args: SeedArgs, out: &mut dyn Write) -> Result<()> {
    let mut desk = db::open_or_create(path)?;
    let centre = desk.state()?.centre;
    if default_db && centre.is_some() {
        // Invented people among real ones would end up in the donor reports.
        return Err(CliError::Message(format!(
            "the app's database at {} already holds a centre; demo data would mix with its records. Give --db PATH for a separate demo database",
            path.display()
        )));
    }
    if centre.is_none() {
        set_up_demo_centre(&mut desk)?;
        writeln!(out, "Set up a demo centre: MRC Demo Centre (Москва, RU).")?;
        writeln!(out, "Its invented accounts ({DEMO_SUPERVISOR}, {}, ...) share the password \"{}\".", mrc_core::sample::ADMINISTRATOR, mrc_core::sample::PASSWORD)?;
    } else if !desk.is_signed_in() {
        db::sign_in(&mut desk)?;
    }
    let as_of = args.as_of.unwrap_or_else(|| Utc::now().date_naive());
    let opts = DemoOptions {
        referrals: Amount::PerCase(args.referrals_per_case),
        follow_ups: Amount::PerCase(args.follow_ups_per_case),
        ..DemoOptions::new(args.seed, args.migrants, args.visits_per_migrant, as_of)
    };
    let started = Instant::now();
    let summary = seed_demo(&mut desk, &opts)?;
    writeln!(out, "Seeded demo data (seed {}, the year before {as_of}) in {:.1} s:", args.seed, started.elapsed().as_secs_f64())?;
    describe(&summary, out)?;
    writeln!(out, "Database: {}", path.display())?;
    Ok(())
}

pub fn describe(s: &DemoSummary, out: &mut dyn Write) -> Result<()> {
    writeln!(out, "  {} migrants, {} family links", thousands(s.migrants), thousands(s.family_links))?;
    writeln!(out, "  {} visits, {} assistance records", thousands(s.visits), thousands(s.assistance))?;
    writeln!(out, "  {} cases ({} closed), {} case events", thousands(s.cases), thousands(s.cases_closed), thousands(s.case_events))?;
    writeln!(out, "  {} partners ({} inactive)", thousands(s.partners), thousands(s.partners_inactive))?;
    // In the order a referral moves through.
    let statuses: Vec<String> = ReferralStatus::ALL
        .iter()
        .filter_map(|status| s.referrals_by_status.get(status.as_str()).map(|n| format!("{} {}", thousands(*n), status.as_str().replace('_', "-"))))
        .collect();
    let statuses = if statuses.is_empty() { String::new() } else { format!(" ({})", statuses.join(", ")) };
    writeln!(out, "  {} referrals{statuses}, {} referral events", thousands(s.referrals), thousands(s.referral_events))?;
    writeln!(out, "  {} follow-ups ({} open, of which {} overdue)", thousands(s.follow_ups), thousands(s.follow_ups_open), thousands(s.follow_ups_overdue))?;
    writeln!(
        out,
        "  {} group sessions with {} registered participants, {} anonymous contacts",
        thousands(s.group_sessions),
        thousands(s.group_participants),
        thousands(s.anonymous_contacts)
    )?;
    if s.staff_added > 0 {
        writeln!(out, "  {} demo staff added", s.staff_added)?;
    }
    Ok(())
}
