//! Referrals: a case sends the migrant to a partner for a service. Sharing
//! data needs the migrant's consent or a written reason to go ahead without
//! it; the allowed status moves live here and nowhere else.

use chrono::{DateTime, Datelike, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::permission::Action;
use crate::assistance::AssistanceCategory;
use crate::case::{new_reference, Priority};
use crate::error::{CoreError, Result};
use crate::migrant::{ConsentScope, Migrant};
use crate::partner::Partner;
use crate::record::{new_id, Actor, RecordMeta, META_COLUMNS};
use crate::validate::Checks;
use crate::vocab::vocabulary;

vocabulary! {
    ReferralStatus {
        Draft = "draft", Sent = "sent", Accepted = "accepted", Completed = "completed",
        Declined = "declined", NoShow = "no_show", Cancelled = "cancelled",
    }
}

vocabulary! {
    /// What the partner is told about the migrant.
    SharedData { Identity = "identity", Contacts = "contacts", Documents = "documents", CaseSummary = "case_summary", Health = "health" }
}

vocabulary! {
    /// Why data could be shared: the migrant's consent, or a recorded override.
    ConsentBasis { Consent = "consent", Override = "override" }
}

impl ReferralStatus {
    /// A draft is sent or dropped; a sent referral is answered by the partner;
    /// an accepted one ends in completion or a no-show. Ended referrals stay ended.
    pub fn can_move_to(self, to: ReferralStatus) -> bool {
        use ReferralStatus::*;
        matches!(
            (self, to),
            (Draft, Sent) | (Draft, Cancelled) | (Sent, Accepted) | (Sent, Declined) | (Sent, Cancelled)
                | (Accepted, Completed) | (Accepted, NoShow) | (Accepted, Cancelled)
        )
    }
}

/// The shortest override reason accepted: a word or two is not a reason.
pub const MIN_OVERRIDE_REASON: usize = 10;

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct ReferralInput {
    pub case_id: Uuid,
    pub partner_id: Option<Uuid>,
    pub service: Option<AssistanceCategory>,
    pub reason: String,
    pub urgency: Option<Priority>,
    pub shared_data: Vec<SharedData>,
    /// Why the referral goes ahead without the migrant's consent to share data.
    pub override_reason: String,
    /// Sent at once, rather than kept as a draft.
    pub send_now: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ReferralTransition {
    pub referral_id: Uuid,
    pub to: ReferralStatus,
    pub note: String,
    /// What the partner reported back (kept when left empty).
    pub feedback: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Referral {
    pub id: Uuid,
    pub centre_id: Uuid,
    pub case_id: Uuid,
    pub migrant_id: Uuid,
    pub partner_id: Uuid,
    /// The partner's name, for lists.
    pub partner_name: String,
    pub reference: String,
    pub service: AssistanceCategory,
    pub reason: String,
    pub urgency: Priority,
    pub shared_data: Vec<SharedData>,
    pub consent_basis: ConsentBasis,
    pub override_reason: String,
    pub status: ReferralStatus,
    pub feedback: String,
    pub status_changed_at: DateTime<Utc>,
    pub meta: RecordMeta,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ReferralEvent {
    pub id: Uuid,
    pub referral_id: Uuid,
    pub from_status: Option<ReferralStatus>,
    pub to_status: ReferralStatus,
    pub note: String,
    pub at: DateTime<Utc>,
    pub by_staff: Uuid,
}

/// Has the migrant agreed that their data may go to partners?
pub fn consents_to_sharing(m: &Migrant) -> bool {
    m.consent_given && m.consent_scope.contains(&ConsentScope::ShareWithPartners)
}

impl ReferralInput {
    /// Checks the input against the partner and the migrant it concerns.
    pub(crate) fn check(&self, partner: Option<&Partner>, migrant: &Migrant, c: &mut Checks) -> ConsentBasis {
        match (self.partner_id, partner) {
            (None, _) => c.fail("partner_id", "required", "is required"),
            (Some(_), None) => c.fail("partner_id", "unknown_partner", "is not in the partner directory"),
            (Some(_), Some(p)) if !p.active => c.fail("partner_id", "inactive_partner", "is no longer active"),
            (Some(_), Some(p)) => {
                if let Some(service) = self.service {
                    if !p.services.contains(&service) {
                        c.fail("service", "service_not_offered", "is not offered by this partner");
                    }
                }
            }
        }
        if self.service.is_none() {
            c.fail("service", "required", "is required");
        }
        c.text("reason", &self.reason, true, 2000);
        if self.urgency.is_none() {
            c.fail("urgency", "required", "is required");
        }
        if consents_to_sharing(migrant) {
            return ConsentBasis::Consent;
        }
        if self.override_reason.trim().chars().count() < MIN_OVERRIDE_REASON {
            c.fail(
                "override_reason",
                "consent_required",
                "the migrant has not consented to sharing data with partners: record their consent, or write why the referral must go ahead",
            );
        }
        c.notes("override_reason", &self.override_reason, 2000);
        ConsentBasis::Override
    }

    pub(crate) fn build(self, migrant_id: Uuid, partner: &Partner, basis: ConsentBasis, actor: &Actor, at: DateTime<Utc>) -> Referral {
        let shared = crate::validate::unique(&self.shared_data);
        Referral {
            id: new_id(),
            centre_id: actor.centre_id,
            case_id: self.case_id,
            migrant_id,
            partner_id: partner.id,
            partner_name: partner.name.clone(),
            reference: format!("R{}", new_reference(at.year(), &mut rand::rng())),
            service: self.service.unwrap_or(AssistanceCategory::Information),
            reason: self.reason.trim().to_string(),
            urgency: self.urgency.unwrap_or(Priority::Normal),
            shared_data: shared,
            consent_basis: basis,
            override_reason: if basis == ConsentBasis::Override { self.override_reason.trim().to_string() } else { String::new() },
            status: if self.send_now { ReferralStatus::Sent } else { ReferralStatus::Draft },
            feedback: String::new(),
            status_changed_at: at,
            meta: RecordMeta::new(actor, at),
        }
    }
}

/// Applies a status move, or says why it is not allowed.
pub(crate) fn apply(r: &mut Referral, t: &ReferralTransition, actor: &Actor, at: DateTime<Utc>) -> Result<()> {
    if !r.status.can_move_to(t.to) {
        return Err(CoreError::InvalidTransition { from: r.status.to_string(), to: t.to.to_string() });
    }
    let mut c = Checks::new();
    c.notes("note", &t.note, 2000);
    c.notes("feedback", &t.feedback, 5000);
    c.finish()?;
    r.status = t.to;
    r.status_changed_at = at;
    if !t.feedback.trim().is_empty() {
        r.feedback = t.feedback.trim().to_string();
    }
    r.meta.updated_at = at;
    r.meta.updated_by = actor.staff_id;
    Ok(())
}

const COLUMNS: &str = "r.id, r.centre_id, r.case_id, r.migrant_id, r.partner_id, p.name, r.reference, r.service, r.reason, r.urgency, \
    r.shared_data, r.consent_basis, r.override_reason, r.status, r.feedback, r.status_changed_at, \
    r.created_at, r.updated_at, r.created_by, r.updated_by, r.deleted_at";

pub(crate) fn insert(tx: &Connection, r: &Referral) -> Result<()> {
    tx.prepare_cached(&format!(
        "INSERT INTO referral (id, centre_id, case_id, migrant_id, partner_id, reference, service, reason, urgency, shared_data, \
         consent_basis, override_reason, status, feedback, status_changed_at, {META_COLUMNS}) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)"
    ))?
    .execute(params![
        r.id, r.centre_id, r.case_id, r.migrant_id, r.partner_id, r.reference, r.service, r.reason, r.urgency,
        serde_json::to_string(&r.shared_data)?, r.consent_basis, r.override_reason, r.status, r.feedback, r.status_changed_at,
        r.meta.created_at, r.meta.updated_at, r.meta.created_by, r.meta.updated_by, r.meta.deleted_at,
    ])?;
    Ok(())
}

pub(crate) fn update_status(tx: &Connection, r: &Referral) -> Result<()> {
    tx.execute(
        "UPDATE referral SET status = ?2, feedback = ?3, status_changed_at = ?4, updated_at = ?5, updated_by = ?6 WHERE id = ?1",
        params![r.id, r.status, r.feedback, r.status_changed_at, r.meta.updated_at, r.meta.updated_by],
    )?;
    Ok(())
}

pub(crate) fn record_event(tx: &Connection, referral_id: Uuid, from: Option<ReferralStatus>, to: ReferralStatus, note: &str, actor: &Actor, at: DateTime<Utc>) -> Result<()> {
    insert_event(tx, new_id(), referral_id, from, to, note, actor, at)
}

/// Writes one status change under a given id (the demo generator chooses its own).
#[allow(clippy::too_many_arguments)]
pub(crate) fn insert_event(tx: &Connection, id: Uuid, referral_id: Uuid, from: Option<ReferralStatus>, to: ReferralStatus, note: &str, actor: &Actor, at: DateTime<Utc>) -> Result<()> {
    tx.prepare_cached("INSERT INTO referral_event (id, referral_id, from_status, to_status, note, at, by_staff) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?
        .execute(params![id, referral_id, from, to, note.trim(), at, actor.staff_id])?;
    Ok(())
}

fn from_row(r: &Row) -> rusqlite::Result<Referral> {
    Ok(Referral {
        id: r.get(0)?,
        centre_id: r.get(1)?,
        case_id: r.get(2)?,
        migrant_id: r.get(3)?,
        partner_id: r.get(4)?,
        partner_name: r.get(5)?,
        reference: r.get(6)?,
        service: r.get(7)?,
        reason: r.get(8)?,
        urgency: r.get(9)?,
        shared_data: crate::record::json_column(r, 10)?,
        consent_basis: r.get(11)?,
        override_reason: r.get(12)?,
        status: r.get(13)?,
        feedback: r.get(14)?,
        status_changed_at: r.get(15)?,
        meta: RecordMeta::from_row(r, 16)?,
    })
}

pub(crate) fn get(conn: &Connection, centre_id: Uuid, id: Uuid) -> Result<Referral> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM referral r JOIN partner p ON p.id = r.partner_id WHERE r.id = ?1 AND r.centre_id = ?2 AND r.deleted_at IS NULL"
    ))?
    .query_row(params![id, centre_id], from_row)
    .optional()?
    .ok_or_else(|| CoreError::not_found("referral", id))
}

/// A migrant's referrals, newest first.
pub(crate) fn of_migrant(conn: &Connection, migrant_id: Uuid) -> Result<Vec<Referral>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM referral r JOIN partner p ON p.id = r.partner_id WHERE r.migrant_id = ?1 AND r.deleted_at IS NULL ORDER BY r.created_at DESC"
    ))?;
    let rows = stmt.query_map([migrant_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn events(conn: &Connection, referral_id: Uuid) -> Result<Vec<ReferralEvent>> {
    let mut stmt = conn.prepare_cached("SELECT id, referral_id, from_status, to_status, note, at, by_staff FROM referral_event WHERE referral_id = ?1 ORDER BY at, id")?;
    let rows = stmt.query_map([referral_id], |r| {
        Ok(ReferralEvent { id: r.get(0)?, referral_id: r.get(1)?, from_status: r.get(2)?, to_status: r.get(3)?, note: r.get(4)?, at: r.get(5)?, by_staff: r.get(6)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::ReferralStatus::{self, *};

    #[test]
    fn every_move_is_allowed_or_refused_as_designed() {
        let allowed: Vec<(ReferralStatus, ReferralStatus)> = ReferralStatus::ALL
            .iter()
            .flat_map(|&a| ReferralStatus::ALL.iter().map(move |&b| (a, b)))
            .filter(|(a, b)| a.can_move_to(*b))
            .collect();
        assert_eq!(
            allowed,
            vec![
                (Draft, Sent), (Draft, Cancelled), (Sent, Accepted), (Sent, Declined), (Sent, Cancelled),
                (Accepted, Completed), (Accepted, NoShow), (Accepted, Cancelled),
            ]
        );
        for ended in [Completed, Declined, NoShow, Cancelled] {
            assert!(ReferralStatus::ALL.iter().all(|&to| !ended.can_move_to(to)), "{ended} is final");
        }
    }
}

/// The facts a printed referral slip states, read from the records; labels
/// and translations are added by whoever prints it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SlipFacts {
    pub referral: Referral,
    pub centre_name: String,
    pub centre_city: String,
    pub centre_country: String,
    pub partner_address: String,
    pub partner_city: String,
    pub partner_country: String,
    pub partner_phones: String,
    pub partner_opening_hours: String,
    /// As in the migrant's documents, with the Latin spelling after it when there is one.
    pub migrant_name: String,
    pub caseworker: String,
}

impl crate::desk::Desk {
    pub fn referral_slip_facts(&self, id: Uuid) -> Result<SlipFacts> {
        let actor = self.allowed(Action::SeePeople)?;
        self.store().read(|conn| {
            let referral = get(conn, actor.centre_id, id)?;
            let case = crate::case::get(conn, actor.centre_id, referral.case_id)?;
            if self.limited() && case.assigned_to != Some(actor.staff_id) {
                return Err(CoreError::NotAllowed { action: "print the slip of a referral on another caseworker's case", role: "caseworker" });
            }
            let partner = crate::partner::get(conn, actor.centre_id, referral.partner_id)?;
            let centre = crate::centre::get_centre(conn, actor.centre_id)?;
            let m = crate::migrant::get(conn, actor.centre_id, referral.migrant_id)?;
            let caseworker: String = conn.query_row("SELECT full_name FROM staff WHERE id = ?1", [referral.meta.created_by], |r| r.get(0))?;
            let own = [m.family_name.as_str(), m.given_name.as_str(), m.patronymic.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" ");
            let latin = [m.family_name_latin.as_str(), m.given_name_latin.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" ");
            Ok(SlipFacts {
                centre_name: centre.name,
                centre_city: centre.city,
                centre_country: centre.country,
                partner_address: partner.address,
                partner_city: partner.city,
                partner_country: partner.country,
                partner_phones: partner.phones,
                partner_opening_hours: partner.opening_hours,
                migrant_name: if latin.is_empty() { own } else { format!("{own} ({latin})") },
                caseworker,
                referral,
            })
        })
    }
}
