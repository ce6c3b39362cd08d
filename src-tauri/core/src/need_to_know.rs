//! Need to know: a caseworker sees every person of the centre, but the
//! sensitive parts only where the work is theirs. The notes of a case
//! (its summary, status notes, the notes of its visits, assistance,
//! referrals and follow-ups) only on cases assigned to them; a person's
//! sensitive vulnerabilities (trafficking, forced labour, serious illness,
//! disability) and their general notes only if they registered the person
//! or work one of their cases. Supervisors see everything.

use std::collections::HashSet;

use uuid::Uuid;

use crate::case::{Case, CaseEvent};
use crate::centre::StaffRole;
use crate::desk::{CaseDetail, MigrantProfile, ReferralDetail};
use crate::migrant::{Migrant, MigrantInput, Vulnerability};

/// The vulnerabilities that say more about a person than the work needs.
pub const SENSITIVE: &[Vulnerability] = &[Vulnerability::Trafficking, Vulnerability::ForcedLabour, Vulnerability::SeriousIllness, Vulnerability::Disability];

/// Whom the rule applies to: only caseworkers are limited.
pub(crate) fn limited(role: StaffRole) -> bool {
    role == StaffRole::Caseworker
}

fn is_mine(case: &Case, me: Uuid) -> bool {
    case.assigned_to == Some(me)
}

/// Whether `me` may see the sensitive parts of `person`, whose cases are `cases`.
fn knows_person(person: &Migrant, cases: &[Case], me: Uuid) -> bool {
    person.meta.created_by == me || cases.iter().any(|c| is_mine(c, me))
}

fn blank_case(case: &mut Case) {
    case.summary.clear();
    case.notes.clear();
}

fn blank_referral(referral: &mut crate::referral::Referral) {
    referral.reason.clear();
    referral.override_reason.clear();
    referral.feedback.clear();
}

/// Takes out of a profile what `me`, a caseworker, does not need.
pub(crate) fn withhold_profile(profile: &mut MigrantProfile, me: Uuid) {
    let others: HashSet<Uuid> = profile.cases.iter().filter(|c| !is_mine(c, me)).map(|c| c.id).collect();
    let theirs = |case: Option<Uuid>| case.is_some_and(|id| others.contains(&id));
    for case in profile.cases.iter_mut().filter(|c| others.contains(&c.id)) {
        blank_case(case);
    }
    profile.visits.iter_mut().filter(|v| theirs(v.case_id)).for_each(|v| v.notes.clear());
    profile.assistance.iter_mut().filter(|a| theirs(a.case_id)).for_each(|a| a.notes.clear());
    profile.referrals.iter_mut().filter(|r| others.contains(&r.case_id)).for_each(blank_referral);
    profile.follow_ups.iter_mut().filter(|f| theirs(f.case_id)).for_each(|f| f.note.clear());
    profile.withheld_cases = profile.cases.iter().filter(|c| others.contains(&c.id)).map(|c| c.id).collect();
    profile.withheld_person = withhold_migrant(&mut profile.migrant, &profile.cases, me);
}

/// The notes of someone else's case and its history.
pub(crate) fn withhold_case(detail: &mut CaseDetail, me: Uuid) {
    if withhold_case_record(&mut detail.case, me) {
        detail.events.iter_mut().for_each(|e: &mut CaseEvent| e.note.clear());
    }
}

/// The reasons and answers of a referral on someone else's case.
pub(crate) fn withhold_referral(detail: &mut ReferralDetail, case: &Case, me: Uuid) {
    if withhold_referral_record(&mut detail.referral, case, me) {
        detail.events.iter_mut().for_each(|e| e.note.clear());
    }
}

/// A person's sensitive traits and notes, unless `me` works with them (in a
/// profile, or handed back after a save); answers whether they were withheld.
pub(crate) fn withhold_migrant(m: &mut Migrant, cases: &[Case], me: Uuid) -> bool {
    let withheld = !knows_person(m, cases, me);
    if withheld {
        m.vulnerabilities.retain(|v| !SENSITIVE.contains(v));
        m.notes.clear();
    }
    withheld
}

/// A case's notes only to its caseworker; answers whether they were withheld.
pub(crate) fn withhold_case_record(case: &mut Case, me: Uuid) -> bool {
    let withheld = !is_mine(case, me);
    if withheld {
        blank_case(case);
    }
    withheld
}

/// A referral's reasons only to the case's caseworker; answers whether they were withheld.
pub(crate) fn withhold_referral_record(referral: &mut crate::referral::Referral, case: &Case, me: Uuid) -> bool {
    let withheld = !is_mine(case, me);
    if withheld {
        blank_referral(referral);
    }
    withheld
}

/// A save from a form that could not show the sensitive parts keeps them:
/// what was withheld was not removed by the person saving.
pub(crate) fn keep_withheld(input: &mut MigrantInput, existing: &Migrant, cases: &[Case], me: Uuid) {
    if knows_person(existing, cases, me) {
        return;
    }
    for v in existing.vulnerabilities.iter().filter(|v| SENSITIVE.contains(v)) {
        if !input.vulnerabilities.contains(v) {
            input.vulnerabilities.push(*v);
        }
    }
    input.notes = existing.notes.clone();
}

#[cfg(test)]
#[path = "need_to_know_tests.rs"]
mod tests;
