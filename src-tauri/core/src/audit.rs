//! The audit log: who signed in, looked at whom, changed what, exported
//! what, and what they were refused. Entries are only ever added, each
//! chained to the one before by its hash, so `verify` finds any entry that
//! was changed, removed or slipped in by editing the file.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::Result;
use crate::record::{new_id, now, Actor, Page};

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AuditEntry {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub staff_id: Uuid,
    pub staff_name: String,
    /// `sign_in`, `sign_in_failed`, `lock`, `view`, `create`, `update`, `delete`, `restore`, `export`, `report`, `refused`...
    pub action: String,
    /// The kind of record (`migrant`, `case_file`...), or empty.
    pub record_kind: String,
    pub record_id: Option<Uuid>,
    /// JSON: the fields changed (before and after), what was exported, what was refused.
    pub detail: String,
}

/// Which entries to list or export; every part is optional.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(optional_fields)]
pub struct AuditQuery {
    pub staff_id: Option<Uuid>,
    pub record_id: Option<Uuid>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub page: Option<u32>,
}

/// What `verify` found: all entries chained, or the first that breaks the chain.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AuditCheck {
    #[ts(type = "number")]
    pub entries: u64,
    pub intact: bool,
    /// The entry where the chain breaks, when it does.
    pub broken_at: Option<Uuid>,
    /// What is wrong there, in plain English.
    pub problem: Option<String>,
}

pub const PAGE_SIZE: u32 = 100;

/// One entry about to be written.
pub struct Event<'a> {
    pub action: &'a str,
    pub record_kind: &'a str,
    pub record_id: Option<Uuid>,
    pub detail: serde_json::Value,
}

impl<'a> Event<'a> {
    pub fn on(action: &'a str, record_kind: &'a str, record_id: Uuid) -> Self {
        Event { action, record_kind, record_id: Some(record_id), detail: serde_json::Value::Object(Default::default()) }
    }

    pub fn plain(action: &'a str) -> Self {
        Event { action, record_kind: "", record_id: None, detail: serde_json::Value::Object(Default::default()) }
    }

    pub fn with(mut self, detail: serde_json::Value) -> Self {
        self.detail = detail;
        self
    }
}

/// Appends `event` in the name of `actor`, inside the caller's transaction,
/// so the change and its trace are written together or not at all. Work in
/// a practice centre (invented people) leaves no trace.
pub fn add(tx: &Connection, actor: &Actor, event: Event) -> Result<()> {
    let practice: bool = tx.query_row("SELECT practice FROM centre WHERE id = ?1", [actor.centre_id], |r| r.get(0)).optional()?.unwrap_or(false);
    if practice {
        return Ok(());
    }
    let head: Option<Uuid> = tx.query_row("SELECT audit_head FROM installation", [], |r| r.get(0)).optional()?.flatten();
    let prev_hash: Vec<u8> = match head {
        Some(id) => tx.query_row("SELECT hash FROM audit_entry WHERE id = ?1", [id], |r| r.get(0)).optional()?.unwrap_or_else(|| vec![0; 32]),
        None => vec![0; 32],
    };
    let id = new_id();
    let at = now();
    let detail = event.detail.to_string();
    let row = Row { id, centre_id: actor.centre_id, staff_id: actor.staff_id, at, action: event.action.into(), record_kind: event.record_kind.into(), record_id: event.record_id, detail, prev_id: head, prev_hash, hash: vec![] };
    let hash = row.digest();
    tx.execute(
        "INSERT INTO audit_entry (id, centre_id, staff_id, at, action, record_kind, record_id, detail, prev_id, prev_hash, hash) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![row.id, row.centre_id, row.staff_id, row.at, row.action, row.record_kind, row.record_id, row.detail, row.prev_id, row.prev_hash, hash],
    )?;
    tx.execute("UPDATE installation SET audit_head = ?1", [id])?;
    Ok(())
}

/// The fields of a record that a change altered, each with its value before
/// and after; bookkeeping fields (who changed it, when) are left out.
pub fn changes<T: Serialize>(before: &T, after: &T) -> serde_json::Value {
    let (Ok(serde_json::Value::Object(before)), Ok(serde_json::Value::Object(after))) = (serde_json::to_value(before), serde_json::to_value(after)) else {
        return serde_json::json!({});
    };
    let mut changed = serde_json::Map::new();
    for (field, new) in &after {
        if matches!(field.as_str(), "meta" | "updated_at" | "updated_by" | "created_at" | "created_by") {
            continue;
        }
        let old = before.get(field).cloned().unwrap_or(serde_json::Value::Null);
        if &old != new {
            changed.insert(field.clone(), serde_json::json!({ "before": old, "after": new }));
        }
    }
    serde_json::json!({ "changes": changed })
}

/// The changes to a person's file, as the log keeps them: the values
/// sealed under that person's own key (see migration 0011), the field names
/// in the clear. Anonymising the person deletes the key.
pub fn person_changes<T: Serialize>(tx: &Connection, person: Uuid, before: &T, after: &T) -> Result<serde_json::Value> {
    let changes = changes(before, after);
    let fields: Vec<String> = changes["changes"].as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default();
    let key = person_key(tx, person)?;
    let sealed = crate::keyring::seal_text(&key, &changes.to_string())?;
    Ok(serde_json::json!({ "person": person, "fields": fields, "sealed": sealed }))
}

/// The person's key, made the first time a change to their file is logged.
fn person_key(tx: &Connection, person: Uuid) -> Result<Vec<u8>> {
    if let Some(key) = tx.query_row("SELECT key FROM person_key WHERE migrant_id = ?1", [person], |r| r.get(0)).optional()? {
        return Ok(key);
    }
    let key = crate::keyring::random_bytes(32);
    tx.execute("INSERT INTO person_key (migrant_id, key, created_at) VALUES (?1, ?2, ?3)", params![person, key, now()])?;
    Ok(key)
}

/// Forgets the keys of `people`: what the log sealed under them stays
/// unreadable. Overwritten first, so the key's bytes do not linger in a freed page.
pub(crate) fn forget_people(tx: &Connection, people: &[Uuid]) -> Result<()> {
    for person in people {
        tx.execute("UPDATE person_key SET key = zeroblob(length(key)) WHERE migrant_id = ?1", [person])?;
        tx.execute("DELETE FROM person_key WHERE migrant_id = ?1", [person])?;
    }
    Ok(())
}

/// An entry's detail as it is shown: sealed changes opened with the
/// person's key, or, once that key is gone, the field names alone.
fn opened(conn: &Connection, detail: String) -> Result<String> {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(&detail) else { return Ok(detail) };
    let (Some(sealed), Some(person)) = (value.get("sealed").and_then(|s| s.as_str()), value.get("person").and_then(|p| p.as_str())) else { return Ok(detail) };
    let person: Uuid = person.parse().map_err(|_| crate::error::CoreError::Corrupt("an audit entry names no person".into()))?;
    let key: Option<Vec<u8>> = conn.query_row("SELECT key FROM person_key WHERE migrant_id = ?1", [person], |r| r.get(0)).optional()?;
    if let Some(text) = key.and_then(|k| crate::keyring::open_text(&k, sealed)) {
        return Ok(text);
    }
    let fields = value.get("fields").and_then(|f| f.as_array()).cloned().unwrap_or_default();
    let changes: serde_json::Map<String, serde_json::Value> =
        fields.iter().filter_map(|f| f.as_str()).map(|f| (f.to_string(), serde_json::json!({ "before": null, "after": null }))).collect();
    Ok(serde_json::json!({ "changes": changes, "values_removed": true }).to_string())
}

/// The fields a change touched, without their values: what an
/// administrator, who sees no case content, may read of the log.
fn names_only(detail: &str) -> String {
    let Ok(mut value) = serde_json::from_str::<serde_json::Value>(detail) else { return String::new() };
    if let Some(serde_json::Value::Object(changes)) = value.get_mut("changes") {
        for change in changes.values_mut() {
            *change = serde_json::json!({ "before": null, "after": null });
        }
    }
    value.to_string()
}

impl crate::desk::Desk {
    fn sees_case_content(&self) -> bool {
        self.session.is_some_and(|s| crate::permission::allows(s.role, crate::permission::Action::SeePeople))
    }
}

struct Row {
    id: Uuid,
    centre_id: Uuid,
    staff_id: Uuid,
    at: DateTime<Utc>,
    action: String,
    record_kind: String,
    record_id: Option<Uuid>,
    detail: String,
    prev_id: Option<Uuid>,
    prev_hash: Vec<u8>,
    hash: Vec<u8>,
}

impl Row {
    /// SHA-256 of every field, each prefixed by its length so that no two
    /// different entries can run together into the same bytes.
    fn digest(&self) -> Vec<u8> {
        let mut h = Sha256::new();
        let mut part = |bytes: &[u8]| {
            h.update((bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        };
        part(&self.prev_hash);
        part(self.prev_id.map(|u| u.into_bytes().to_vec()).unwrap_or_default().as_slice());
        part(self.id.as_bytes());
        part(self.centre_id.as_bytes());
        part(self.staff_id.as_bytes());
        part(self.at.to_rfc3339().as_bytes());
        part(self.action.as_bytes());
        part(self.record_kind.as_bytes());
        part(self.record_id.map(|u| u.into_bytes().to_vec()).unwrap_or_default().as_slice());
        part(self.detail.as_bytes());
        h.finalize().to_vec()
    }
}

/// Walks the chain from the newest entry back to the first, checking each
/// entry's hash and its link to the one before, then that no entry stands
/// outside the chain.
pub fn verify(conn: &Connection) -> Result<AuditCheck> {
    let mut stmt = conn.prepare("SELECT id, centre_id, staff_id, at, action, record_kind, record_id, detail, prev_id, prev_hash, hash FROM audit_entry")?;
    let rows = stmt.query_map([], |r| {
        Ok(Row { id: r.get(0)?, centre_id: r.get(1)?, staff_id: r.get(2)?, at: r.get(3)?, action: r.get(4)?, record_kind: r.get(5)?, record_id: r.get(6)?, detail: r.get(7)?, prev_id: r.get(8)?, prev_hash: r.get(9)?, hash: r.get(10)? })
    })?;
    let mut all = std::collections::HashMap::new();
    for row in rows {
        let row = row?;
        all.insert(row.id, row);
    }
    let total = all.len() as u64;
    let broken = |at: Uuid, what: &str| Ok(AuditCheck { entries: total, intact: false, broken_at: Some(at), problem: Some(what.to_string()) });
    let head: Option<Uuid> = conn.query_row("SELECT audit_head FROM installation", [], |r| r.get(0)).optional()?.flatten();
    let mut next = head;
    let mut walked = 0_u64;
    let mut expected_hash: Option<Vec<u8>> = None;
    let mut after: Option<Uuid> = None;
    while let Some(id) = next {
        let Some(row) = all.get(&id) else {
            return broken(after.unwrap_or(id), if after.is_some() { "the entry before this one was removed" } else { "the newest entry was removed" });
        };
        if row.digest() != row.hash {
            return broken(id, "this entry was changed after it was written");
        }
        if let Some(expected) = &expected_hash {
            if expected != &row.hash {
                return broken(after.unwrap_or(id), "the entry before this one was replaced");
            }
        }
        walked += 1;
        if walked > total {
            return broken(id, "the chain loops");
        }
        expected_hash = Some(row.prev_hash.clone());
        after = Some(id);
        next = row.prev_id;
    }
    if let (Some(expected), Some(first)) = (&expected_hash, after) {
        if expected.iter().any(|b| *b != 0) {
            return broken(first, "entries before this one were removed");
        }
    }
    if walked != total {
        let stray = all.keys().find(|id| !chain_contains(&all, head, **id)).copied();
        return broken(stray.unwrap_or_default(), "this entry was added outside the chain");
    }
    Ok(AuditCheck { entries: total, intact: true, broken_at: None, problem: None })
}

fn chain_contains(all: &std::collections::HashMap<Uuid, Row>, head: Option<Uuid>, wanted: Uuid) -> bool {
    let mut next = head;
    while let Some(id) = next {
        if id == wanted {
            return true;
        }
        next = all.get(&id).and_then(|r| r.prev_id);
    }
    false
}

/// The centre's entries that match `query`, newest first, a page at a time.
pub fn list(conn: &Connection, centre_id: Uuid, query: &AuditQuery) -> Result<Page<AuditEntry>> {
    let page = query.page.unwrap_or(1).max(1);
    let (filter, args) = filter_sql(centre_id, query);
    let total: u32 = conn.query_row(&format!("SELECT COUNT(*) FROM audit_entry a WHERE {filter}"), rusqlite::params_from_iter(&args), |r| r.get(0))?;
    let items = entries(conn, &filter, &args, Some((PAGE_SIZE, (page - 1).saturating_mul(PAGE_SIZE))))?;
    Ok(Page { items, total, page, page_size: PAGE_SIZE, capped: false })
}

/// Every entry that matches `query` (no paging), newest first: for an export.
pub fn all_matching(conn: &Connection, centre_id: Uuid, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
    let (filter, args) = filter_sql(centre_id, query);
    entries(conn, &filter, &args, None)
}

fn filter_sql(centre_id: Uuid, query: &AuditQuery) -> (String, Vec<rusqlite::types::Value>) {
    use rusqlite::types::Value;
    let mut sql = vec!["a.centre_id = ?".to_string()];
    let mut args = vec![Value::Blob(centre_id.into_bytes().to_vec())];
    if let Some(staff) = query.staff_id {
        sql.push("a.staff_id = ?".into());
        args.push(Value::Blob(staff.into_bytes().to_vec()));
    }
    if let Some(record) = query.record_id {
        sql.push("a.record_id = ?".into());
        args.push(Value::Blob(record.into_bytes().to_vec()));
    }
    if let Some(from) = query.from {
        sql.push("local_day(a.at) >= ?".into());
        args.push(Value::Text(from.to_string()));
    }
    if let Some(to) = query.to {
        sql.push("local_day(a.at) <= ?".into());
        args.push(Value::Text(to.to_string()));
    }
    (sql.join(" AND "), args)
}

fn entries(conn: &Connection, filter: &str, args: &[rusqlite::types::Value], limit: Option<(u32, u32)>) -> Result<Vec<AuditEntry>> {
    let paging = limit.map(|(n, skip)| format!(" LIMIT {n} OFFSET {skip}")).unwrap_or_default();
    let mut stmt = conn.prepare(&format!(
        "SELECT a.id, a.at, a.staff_id, COALESCE(s.full_name, ''), a.action, a.record_kind, a.record_id, a.detail \
         FROM audit_entry a LEFT JOIN staff s ON s.id = a.staff_id WHERE {filter} ORDER BY a.at DESC, a.id DESC{paging}"
    ))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
        Ok(AuditEntry { id: r.get(0)?, at: r.get(1)?, staff_id: r.get(2)?, staff_name: r.get(3)?, action: r.get(4)?, record_kind: r.get(5)?, record_id: r.get(6)?, detail: r.get(7)? })
    })?;
    let mut found: Vec<AuditEntry> = rows.collect::<rusqlite::Result<_>>()?;
    for entry in &mut found {
        entry.detail = opened(conn, std::mem::take(&mut entry.detail))?;
    }
    Ok(found)
}

/// The entries as CSV, one row each, for a supervisor to keep or hand over.
pub fn to_csv(entries: &[AuditEntry]) -> Result<String> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| crate::error::CoreError::Corrupt(e.to_string());
    out.write_record(["time", "staff", "action", "record_kind", "record_id", "detail"]).map_err(io)?;
    for e in entries {
        let record = e.record_id.map(|u| u.to_string()).unwrap_or_default();
        out.write_record([e.at.to_rfc3339().as_str(), &e.staff_name, &e.action, &e.record_kind, &record, &e.detail]).map_err(io)?;
    }
    let bytes = out.into_inner().map_err(|e| crate::error::CoreError::Corrupt(e.to_string()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

impl crate::Desk {
    /// The centre's audit log, filtered, a page at a time.
    pub fn audit_log(&self, query: &AuditQuery) -> Result<Page<AuditEntry>> {
        let actor = self.allowed(crate::permission::Action::SeeAudit)?;
        let mut page = self.store().read(|conn| list(conn, actor.centre_id, query))?;
        if !self.sees_case_content() {
            page.items.iter_mut().for_each(|e| e.detail = names_only(&e.detail));
        }
        Ok(page)
    }

    /// The filtered log as CSV; the export itself is logged.
    pub fn audit_csv(&self, query: &AuditQuery) -> Result<String> {
        let actor = self.allowed(crate::permission::Action::SeeAudit)?;
        let mut rows = self.store().read(|conn| all_matching(conn, actor.centre_id, query))?;
        if !self.sees_case_content() {
            rows.iter_mut().for_each(|e| e.detail = names_only(&e.detail));
        }
        self.audit(&actor, Event::plain("export").with(serde_json::json!({ "what": "audit_log", "rows": rows.len() })))?;
        to_csv(&rows)
    }

    /// Notes that personal data left the desk (a report file, a slip, a
    /// backup), in the name of whoever is signed in.
    pub fn record_export(&self, what: &str, detail: serde_json::Value) -> Result<()> {
        let actor = self.actor()?;
        let mut detail = detail;
        if let Some(map) = detail.as_object_mut() {
            map.insert("what".into(), what.into());
        }
        self.audit(&actor, Event::plain("export").with(detail))
    }

    /// Checks the whole chain of the installation's log.
    pub fn verify_audit(&self) -> Result<AuditCheck> {
        self.allowed(crate::permission::Action::SeeAudit)?;
        self.store().read(verify)
    }
}
