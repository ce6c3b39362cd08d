//! Family links between registered migrants: a wife left behind, a child
//! who came along. Stored once per pair; each side sees the other.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{CoreError, Result};
use crate::migrant;
use crate::record::{new_id, now, Actor};
use crate::validate::Checks;
use crate::vocab::vocabulary;

vocabulary! {
    /// What the relative is to the migrant the link was recorded on.
    Relation { Spouse = "spouse", Child = "child", Parent = "parent", Sibling = "sibling", Other = "other" }
}

impl Relation {
    /// The same link seen from the relative's side.
    pub fn inverse(self) -> Relation {
        match self {
            Relation::Child => Relation::Parent,
            Relation::Parent => Relation::Child,
            other => other,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct FamilyLinkInput {
    pub migrant_id: Uuid,
    pub relative_id: Uuid,
    pub relation: Option<Relation>,
}

/// A relative as shown on a profile: what they are to this migrant.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct FamilyMember {
    pub link_id: Uuid,
    pub relative_id: Uuid,
    pub relation: Relation,
    pub family_name: String,
    pub given_name: String,
}

pub(crate) fn link(tx: &Connection, actor: &Actor, input: &FamilyLinkInput) -> Result<Uuid> {
    check_link(tx, actor, input)?;
    let id = new_id();
    insert_link(tx, id, actor, input, now())?;
    Ok(id)
}

/// Every rule a new link must meet: a relation, two different registered people, not yet linked.
pub(crate) fn check_link(tx: &Connection, actor: &Actor, input: &FamilyLinkInput) -> Result<()> {
    let mut c = Checks::new();
    if input.relation.is_none() {
        c.fail("relation", "required", "is required");
    }
    if input.migrant_id == input.relative_id {
        c.fail("relative_id", "self_link", "a person cannot be their own relative");
    } else if !migrant::exists(tx, actor.centre_id, input.relative_id)? {
        c.fail("relative_id", "unknown_migrant", "is not a registered migrant");
    } else if linked(tx, input.migrant_id, input.relative_id)? {
        c.fail("relative_id", "already_linked", "is already linked to this person");
    }
    c.finish()?;
    if !migrant::exists(tx, actor.centre_id, input.migrant_id)? {
        return Err(CoreError::not_found("migrant", input.migrant_id));
    }
    Ok(())
}

/// Stores a link that `check_link` accepted, with its id and time given.
pub(crate) fn insert_link(tx: &Connection, id: Uuid, actor: &Actor, input: &FamilyLinkInput, at: DateTime<Utc>) -> Result<()> {
    tx.execute(
        "INSERT INTO family_link (id, migrant_id, relative_id, relation, created_at, updated_at, created_by, updated_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, ?6)",
        params![id, input.migrant_id, input.relative_id, input.relation, at, actor.staff_id],
    )?;
    Ok(())
}

fn linked(conn: &Connection, a: Uuid, b: Uuid) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM family_link WHERE deleted_at IS NULL AND \
             ((migrant_id = ?1 AND relative_id = ?2) OR (migrant_id = ?2 AND relative_id = ?1))",
        )?
        .exists(params![a, b])?)
}

/// Relatives of a migrant, whichever side the link was recorded on.
pub(crate) fn of(conn: &Connection, migrant_id: Uuid) -> Result<Vec<FamilyMember>> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.id, l.relative_id, l.relation, 0, m.family_name, m.given_name FROM family_link l \
           JOIN migrant m ON m.id = l.relative_id \
           WHERE l.migrant_id = ?1 AND l.deleted_at IS NULL AND m.deleted_at IS NULL \
         UNION ALL \
         SELECT l.id, l.migrant_id, l.relation, 1, m.family_name, m.given_name FROM family_link l \
           JOIN migrant m ON m.id = l.migrant_id \
           WHERE l.relative_id = ?1 AND l.deleted_at IS NULL AND m.deleted_at IS NULL \
         ORDER BY 5, 6",
    )?;
    let rows = stmt.query_map([migrant_id], |r| {
        let relation: Relation = r.get(2)?;
        let reversed: bool = r.get(3)?;
        Ok(FamilyMember {
            link_id: r.get(0)?,
            relative_id: r.get(1)?,
            relation: if reversed { relation.inverse() } else { relation },
            family_name: r.get(4)?,
            given_name: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
