//! Subject access: everything the centre holds about one person, in one
//! file they can be given (their right of access under data protection law).

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::audit::Event;
use crate::desk::{Desk, MigrantProfile};
use crate::error::Result;
use crate::permission::Action;
use crate::record::now;

/// What is held about one person, with the names of the staff and the
/// centre its records refer to by id, so the file reads on its own.
#[derive(Debug, Clone, Serialize)]
pub struct SubjectAccess {
    pub generated_at: DateTime<Utc>,
    pub centre: String,
    pub staff: Vec<StaffName>,
    #[serde(flatten)]
    pub profile: MigrantProfile,
}

#[derive(Debug, Clone, Serialize)]
pub struct StaffName {
    pub id: Uuid,
    pub full_name: String,
}

impl Desk {
    /// Everything held about one person, for them. A supervisor's task, and
    /// in the audit log as an export of that person's file.
    pub fn subject_access(&self, id: Uuid) -> Result<SubjectAccess> {
        let actor = self.allowed(Action::ExportPerson)?;
        let access = self.store().read(|conn| {
            let profile = crate::desk::profile(conn, actor.centre_id, id)?;
            let centre: String = conn.query_row("SELECT name FROM centre WHERE id = ?1", [actor.centre_id], |r| r.get(0))?;
            let staff = crate::centre::list_staff(conn, actor.centre_id)?
                .into_iter()
                .map(|s| StaffName { id: s.id, full_name: s.full_name })
                .collect();
            Ok(SubjectAccess { generated_at: now(), centre, staff, profile })
        })?;
        self.audit(&actor, Event::on("export", "migrant", id).with(serde_json::json!({ "what": "subject_access" })))?;
        Ok(access)
    }

    /// Writes [`Desk::subject_access`] as readable JSON to `path`, and
    /// answers it (for a PDF made beside it); a file half-written (a full
    /// disk) never takes the place of the target.
    pub fn subject_access_file(&self, id: Uuid, path: &Path) -> Result<SubjectAccess> {
        let access = self.subject_access(id)?;
        let json = serde_json::to_vec_pretty(&access)?;
        let partial = path.with_extension("partial");
        let mut file = std::fs::File::create(&partial)?;
        file.write_all(&json)?;
        file.sync_all()?;
        std::fs::rename(&partial, path)?;
        Ok(access)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::centre::{SetupInput, StaffInput, StaffRole};
    use crate::migrant::{ConsentScope, MigrantInput, MigrationStatus, Phone, Sex};

    #[test]
    fn the_file_holds_the_person_their_consent_and_who_recorded_it() {
        let mut desk = Desk::open_in_memory().unwrap();
        let staff = StaffInput { full_name: "Supervisor One".into(), role: Some(StaffRole::Supervisor), password: crate::sample::PASSWORD.into() };
        crate::sample::start_centre(&mut desk, SetupInput { centre_name: "MRC Osh".into(), country: "KG".into(), city: "Osh".into(), staff, language: "en".into() }).unwrap();
        let m = desk
            .register_migrant(MigrantInput {
                family_name: "Абдыкадырова".into(),
                given_name: "Айгуль".into(),
                sex: Some(Sex::Female),
                citizenship: "KG".into(),
                migration_status: Some(MigrationStatus::Returnee),
                phones: vec![Phone { number: "+996 555 12 34 56".into(), messenger: crate::migrant::Messenger::WhatsApp }],
                consent_given: true,
                consent_scope: vec![ConsentScope::DataProcessing],
                ..Default::default()
            })
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("access.json");
        desk.subject_access_file(m.id, &path).unwrap();

        let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(json["migrant"]["family_name"], "Абдыкадырова");
        assert_eq!(json["migrant"]["phones"][0]["number"], "+996 555 12 34 56");
        assert_eq!(json["consents"][0]["scope"], "data_processing");
        assert_eq!(json["centre"], "MRC Osh");
        let taker = json["consents"][0]["taken_by"].as_str().unwrap();
        let named = json["staff"].as_array().unwrap().iter().find(|s| s["id"] == taker).unwrap();
        assert_eq!(named["full_name"], "Supervisor One");
        assert!(!dir.path().join("access.partial").exists());

        let log = desk.audit_csv(&Default::default()).unwrap();
        assert!(log.lines().any(|l| l.contains("export") && l.contains("subject_access")), "{log}");

        crate::sample::colleague(&mut desk, "Caseworker Two", StaffRole::Caseworker).unwrap();
        assert_eq!(desk.subject_access(m.id).unwrap_err().code(), "not_allowed", "a supervisor's task");
    }
}
