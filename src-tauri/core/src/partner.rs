//! The partner directory: organisations that take referrals, the services
//! they offer, and how to reach them.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::assistance::AssistanceCategory;
use crate::codes;
use crate::error::{CoreError, Result};
use crate::record::{json_column, new_id, now, Actor, RecordMeta, META_COLUMNS};
use crate::validate::{tidy, Checks};
use crate::vocab::vocabulary;

vocabulary! {
    PartnerKind {
        Ngo = "ngo", StateBody = "state_body", Clinic = "clinic", LawFirm = "law_firm", Shelter = "shelter",
        Employer = "employer", InternationalOrganisation = "international_organisation", Other = "other",
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct PartnerInput {
    pub name: String,
    /// The name in the country's own language, when it differs.
    pub name_local: String,
    pub kind: Option<PartnerKind>,
    pub services: Vec<AssistanceCategory>,
    pub country: String,
    pub city: String,
    pub address: String,
    pub phones: String,
    pub email: String,
    pub contact_person: String,
    pub languages: Vec<String>,
    pub opening_hours: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Partner {
    pub id: Uuid,
    pub centre_id: Uuid,
    pub name: String,
    pub name_local: String,
    pub kind: PartnerKind,
    pub services: Vec<AssistanceCategory>,
    pub country: String,
    pub city: String,
    pub address: String,
    pub phones: String,
    pub email: String,
    pub contact_person: String,
    pub languages: Vec<String>,
    pub opening_hours: String,
    pub notes: String,
    pub active: bool,
    pub meta: RecordMeta,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct PartnerQuery {
    /// Words that must all appear in the name, city or contact person.
    pub text: String,
    pub service: Option<AssistanceCategory>,
    pub city: String,
    pub include_inactive: bool,
}

impl From<&Partner> for PartnerInput {
    /// What the form would hold to change this partner.
    fn from(p: &Partner) -> Self {
        PartnerInput {
            name: p.name.clone(),
            name_local: p.name_local.clone(),
            kind: Some(p.kind),
            services: p.services.clone(),
            country: p.country.clone(),
            city: p.city.clone(),
            address: p.address.clone(),
            phones: p.phones.clone(),
            email: p.email.clone(),
            contact_person: p.contact_person.clone(),
            languages: p.languages.clone(),
            opening_hours: p.opening_hours.clone(),
            notes: p.notes.clone(),
        }
    }
}

impl PartnerInput {
    pub(crate) fn check(&self) -> Result<()> {
        let mut c = Checks::new();
        c.text("name", &self.name, true, 200);
        c.text("name_local", &self.name_local, false, 200);
        if self.kind.is_none() {
            c.fail("kind", "required", "is required");
        }
        if self.services.is_empty() {
            c.fail("services", "required", "choose at least one service");
        }
        c.country("country", &self.country, true);
        for (field, value, max) in [("city", &self.city, 100), ("address", &self.address, 300), ("phones", &self.phones, 200), ("contact_person", &self.contact_person, 200), ("opening_hours", &self.opening_hours, 200)] {
            c.text(field, value, false, max);
        }
        let email = self.email.trim();
        if !email.is_empty() && !looks_like_email(email) {
            c.fail("email", "invalid_email", "is not an e-mail address");
        }
        for (i, code) in self.languages.iter().enumerate() {
            if !codes::is_language(code) {
                c.fail(format!("languages.{i}"), "unknown_language", format!("'{code}' is not an ISO 639-1 language code"));
            }
        }
        c.notes("notes", &self.notes, 5000);
        c.finish()
    }
}

fn looks_like_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((user, domain)) => !user.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !text.contains(char::is_whitespace),
        None => false,
    }
}

pub(crate) fn build(input: &PartnerInput, actor: &Actor, existing: Option<&Partner>) -> Partner {
    let at = now();
    let mut meta = existing.map(|p| p.meta.clone()).unwrap_or_else(|| RecordMeta::new(actor, at));
    meta.updated_at = at;
    meta.updated_by = actor.staff_id;
    let services = crate::validate::unique(&input.services);
    Partner {
        id: existing.map(|p| p.id).unwrap_or_else(new_id),
        centre_id: existing.map(|p| p.centre_id).unwrap_or(actor.centre_id),
        name: tidy(&input.name),
        name_local: tidy(&input.name_local),
        kind: input.kind.unwrap_or(PartnerKind::Other),
        services,
        country: input.country.clone(),
        city: tidy(&input.city),
        address: tidy(&input.address),
        phones: tidy(&input.phones),
        email: tidy(&input.email),
        contact_person: tidy(&input.contact_person),
        languages: input.languages.clone(),
        opening_hours: tidy(&input.opening_hours),
        notes: input.notes.trim_end().to_string(),
        active: existing.map(|p| p.active).unwrap_or(true),
        meta,
    }
}

const COLUMNS: &str = "id, centre_id, name, name_local, kind, services, country, city, address, phones, email, contact_person, languages, opening_hours, notes, active";

pub(crate) fn save(tx: &Connection, p: &Partner) -> Result<()> {
    tx.prepare_cached(&format!(
        "INSERT INTO partner ({COLUMNS}, {META_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21) \
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, name_local = excluded.name_local, kind = excluded.kind, \
         services = excluded.services, country = excluded.country, city = excluded.city, address = excluded.address, \
         phones = excluded.phones, email = excluded.email, contact_person = excluded.contact_person, languages = excluded.languages, \
         opening_hours = excluded.opening_hours, notes = excluded.notes, active = excluded.active, \
         updated_at = excluded.updated_at, updated_by = excluded.updated_by"
    ))?
    .execute(params![
        p.id, p.centre_id, p.name, p.name_local, p.kind, serde_json::to_string(&p.services)?, p.country, p.city, p.address,
        p.phones, p.email, p.contact_person, serde_json::to_string(&p.languages)?, p.opening_hours, p.notes, p.active,
        p.meta.created_at, p.meta.updated_at, p.meta.created_by, p.meta.updated_by, p.meta.deleted_at,
    ])?;
    Ok(())
}

fn from_row(r: &Row) -> rusqlite::Result<Partner> {
    Ok(Partner {
        id: r.get(0)?,
        centre_id: r.get(1)?,
        name: r.get(2)?,
        name_local: r.get(3)?,
        kind: r.get(4)?,
        services: json_column(r, 5)?,
        country: r.get(6)?,
        city: r.get(7)?,
        address: r.get(8)?,
        phones: r.get(9)?,
        email: r.get(10)?,
        contact_person: r.get(11)?,
        languages: json_column(r, 12)?,
        opening_hours: r.get(13)?,
        notes: r.get(14)?,
        active: r.get(15)?,
        meta: RecordMeta::from_row(r, 16)?,
    })
}

pub(crate) fn get(conn: &Connection, centre_id: Uuid, id: Uuid) -> Result<Partner> {
    conn.prepare_cached(&format!("SELECT {COLUMNS}, {META_COLUMNS} FROM partner WHERE id = ?1 AND centre_id = ?2 AND deleted_at IS NULL"))?
        .query_row(params![id, centre_id], from_row)
        .optional()?
        .ok_or_else(|| CoreError::not_found("partner", id))
}

/// The directory, filtered in Rust: a centre has hundreds of partners at most,
/// and names in any script must match case-insensitively.
pub(crate) fn list(conn: &Connection, centre_id: Uuid, query: &PartnerQuery) -> Result<Vec<Partner>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS}, {META_COLUMNS} FROM partner WHERE centre_id = ?1 AND deleted_at IS NULL ORDER BY name"))?;
    let all = stmt.query_map([centre_id], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    let words: Vec<String> = query.text.split_whitespace().map(str::to_lowercase).collect();
    let city = query.city.trim().to_lowercase();
    Ok(all
        .into_iter()
        .filter(|p| query.include_inactive || p.active)
        .filter(|p| query.service.is_none_or(|s| p.services.contains(&s)))
        .filter(|p| city.is_empty() || p.city.to_lowercase().contains(&city))
        .filter(|p| {
            let haystack = format!("{} {} {} {}", p.name, p.name_local, p.city, p.contact_person).to_lowercase();
            words.iter().all(|w| haystack.contains(w))
        })
        .collect())
}

pub(crate) fn set_active(tx: &Connection, centre_id: Uuid, id: Uuid, active: bool, actor: &Actor) -> Result<()> {
    let changed = tx.execute(
        "UPDATE partner SET active = ?1, updated_at = ?2, updated_by = ?3 WHERE id = ?4 AND centre_id = ?5 AND deleted_at IS NULL",
        params![active, now(), actor.staff_id, id, centre_id],
    )?;
    if changed == 0 {
        return Err(CoreError::not_found("partner", id));
    }
    Ok(())
}

pub(crate) fn has_referrals(conn: &Connection, id: Uuid) -> Result<bool> {
    Ok(conn.prepare_cached("SELECT 1 FROM referral WHERE partner_id = ?1")?.exists([id])?)
}

#[cfg(test)]
mod tests {
    use super::looks_like_email;

    #[test]
    fn recognises_email_addresses() {
        assert!(looks_like_email("info@mrc.tj"));
        for bad in ["info", "info@", "@mrc.tj", "info@mrc", "in fo@mrc.tj", "info@.tj"] {
            assert!(!looks_like_email(bad), "{bad}");
        }
    }
}
