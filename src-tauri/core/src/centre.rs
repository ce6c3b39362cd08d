//! The centre this installation belongs to, and the staff who work there.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{CoreError, Result};
use crate::record::{new_id, now};
use crate::validate::{tidy, Checks};
use crate::vocab::vocabulary;

vocabulary! {
    /// What a staff member may do: see `permission::allows`.
    StaffRole { Caseworker = "caseworker", Supervisor = "supervisor", Administrator = "administrator", Viewer = "viewer" }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Centre {
    pub id: Uuid,
    pub name: String,
    pub country: String,
    pub city: String,
    pub created_at: DateTime<Utc>,
    /// Days after which a sent referral with no answer is shown on Today.
    pub referral_reminder_days: u32,
    /// A practice centre: invented people to learn on, removable in one step.
    pub practice: bool,
    /// Years after a person's last closed case that their identity is kept.
    pub retention_years: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Staff {
    pub id: Uuid,
    pub centre_id: Uuid,
    pub full_name: String,
    pub role: StaffRole,
    pub active: bool,
    /// Has a password, so can sign in.
    pub has_password: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct StaffInput {
    pub full_name: String,
    pub role: Option<StaffRole>,
    /// The first password, which the administrator hands over.
    #[serde(default)]
    pub password: String,
}

/// What the first-run screen asks: the centre, and its administrator.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct SetupInput {
    pub centre_name: String,
    pub country: String,
    pub city: String,
    pub staff: StaffInput,
    pub language: String,
}

pub const UI_LANGUAGES: &[&str] = &["en", "ru", "tg", "ky", "kk", "uz", "hy", "es"];

impl SetupInput {
    pub(crate) fn check(&self) -> Result<()> {
        let mut c = Checks::new();
        c.text("centre_name", &self.centre_name, true, 200);
        c.country("country", &self.country, true);
        c.text("city", &self.city, true, 100);
        check_staff(&mut c, "staff.", &self.staff);
        if self.staff.role.is_some_and(|r| r != StaffRole::Administrator) {
            c.fail("staff.role", "first_is_administrator", "the first account is the centre's administrator");
        }
        crate::account::check_new("staff.password", &self.staff.password, &self.staff.full_name, &mut c);
        if !UI_LANGUAGES.contains(&self.language.as_str()) {
            c.fail("language", "unknown_language", format!("'{}' is not a language of the interface", self.language));
        }
        c.finish()
    }
}

fn check_staff(c: &mut Checks, prefix: &str, input: &StaffInput) {
    c.text(&format!("{prefix}full_name"), &input.full_name, true, 200);
    if input.role.is_none() {
        c.fail(format!("{prefix}role"), "required", "is required");
    }
}

pub(crate) fn create_centre(tx: &Connection, input: &SetupInput) -> Result<Centre> {
    let centre = Centre {
        id: new_id(),
        name: tidy(&input.centre_name),
        country: input.country.clone(),
        city: tidy(&input.city),
        created_at: now(),
        referral_reminder_days: 14,
        practice: false,
        retention_years: 5,
    };
    tx.execute(
        "INSERT INTO centre (id, name, country, city, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        params![centre.id, centre.name, centre.country, centre.city, centre.created_at],
    )?;
    Ok(centre)
}

pub(crate) fn get_centre(conn: &Connection, id: Uuid) -> Result<Centre> {
    conn.query_row("SELECT id, name, country, city, created_at, referral_reminder_days, practice, retention_years FROM centre WHERE id = ?1", [id], |r| {
        Ok(Centre {
            id: r.get(0)?, name: r.get(1)?, country: r.get(2)?, city: r.get(3)?, created_at: r.get(4)?,
            referral_reminder_days: r.get(5)?, practice: r.get(6)?, retention_years: r.get(7)?,
        })
    })
    .optional()?
    .ok_or_else(|| CoreError::not_found("centre", id))
}

/// Adds a staff member; `password_hash` None for the invented staff of a
/// practice centre, who never sign in.
pub(crate) fn add_staff(tx: &Connection, centre_id: Uuid, input: &StaffInput, password_hash: Option<&str>) -> Result<Staff> {
    let mut c = Checks::new();
    check_staff(&mut c, "", input);
    c.finish()?;
    let staff = Staff {
        id: new_id(),
        centre_id,
        full_name: tidy(&input.full_name),
        role: input.role.unwrap_or(StaffRole::Caseworker),
        active: true,
        has_password: password_hash.is_some(),
    };
    let at = now();
    tx.execute(
        "INSERT INTO staff (id, centre_id, full_name, role, active, password_hash, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?6)",
        params![staff.id, staff.centre_id, staff.full_name, staff.role, password_hash, at],
    )?;
    Ok(staff)
}

pub(crate) fn list_staff(conn: &Connection, centre_id: Uuid) -> Result<Vec<Staff>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, centre_id, full_name, role, active, password_hash IS NOT NULL FROM staff WHERE centre_id = ?1 ORDER BY full_name",
    )?;
    let rows = stmt.query_map([centre_id], |r| {
        Ok(Staff { id: r.get(0)?, centre_id: r.get(1)?, full_name: r.get(2)?, role: r.get(3)?, active: r.get(4)?, has_password: r.get(5)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Checks that a staff member exists in the centre, for assignments and attributions.
pub(crate) fn check_staff_member(conn: &Connection, centre_id: Uuid, id: Uuid, field: &str, c: &mut Checks) -> Result<()> {
    let found: Option<bool> = conn
        .query_row("SELECT active FROM staff WHERE id = ?1 AND centre_id = ?2", params![id, centre_id], |r| r.get(0))
        .optional()?;
    match found {
        None => c.fail(field, "unknown_staff", "is not a staff member of this centre"),
        Some(false) => c.fail(field, "inactive_staff", "is no longer active"),
        Some(true) => {}
    }
    Ok(())
}

/// The name a document says it was made by.
pub(crate) fn staff_name(conn: &Connection, id: Uuid) -> Result<String> {
    conn.query_row("SELECT full_name FROM staff WHERE id = ?1", [id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| crate::CoreError::NotFound { kind: "staff", id: id.to_string() })
}
