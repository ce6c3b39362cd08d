//! What the About screen and `mrc about` tell a user or a helpdesk: which
//! version, which database schema, and where the data lives on this laptop.

use serde::Serialize;
use ts_rs::TS;

use crate::error::Result;
use crate::store::SCHEMA_VERSION;
use crate::Desk;

#[derive(Debug, Clone, Serialize, TS)]
pub struct About {
    /// The installed application's version (given by the shell or the CLI).
    pub version: String,
    #[ts(type = "number")]
    pub schema_version: i64,
    pub sqlite_version: String,
    /// The folder holding the database, its backups and the logs; none for an in-memory desk.
    pub data_folder: Option<String>,
    pub database_file: Option<String>,
    /// The database file and its write-ahead log together.
    #[ts(type = "number | null")]
    pub database_bytes: Option<u64>,
    pub backups_folder: Option<String>,
}

impl Desk {
    /// Open to anyone, signed in or not: versions and folders, no one's data.
    pub fn about(&self, version: &str) -> Result<About> {
        let file = self.store().path().map(|p| p.to_path_buf());
        let size = |p: &std::path::Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        let database_bytes = file.as_deref().map(|f| size(f) + size(&f.with_extension("db-wal")));
        let show = |p: &std::path::Path| p.display().to_string();
        Ok(About {
            version: version.to_string(),
            schema_version: SCHEMA_VERSION,
            sqlite_version: rusqlite::version().to_string(),
            data_folder: file.as_deref().and_then(|f| f.parent()).map(show),
            database_file: file.as_deref().map(show),
            database_bytes,
            backups_folder: file.as_deref().map(|f| show(&crate::backup::backups_dir(f))),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_where_the_data_is() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("mrc-desk.db");
        let desk = Desk::open(&db).unwrap();
        let about = desk.about("9.9.9").unwrap();
        assert_eq!(about.version, "9.9.9");
        assert_eq!(about.schema_version, SCHEMA_VERSION);
        assert_eq!(about.database_file.as_deref(), Some(db.display().to_string().as_str()));
        assert_eq!(about.data_folder.as_deref(), Some(dir.path().display().to_string().as_str()));
        assert!(about.database_bytes.unwrap() > 0, "a database with its schema is not empty");
        assert!(about.sqlite_version.starts_with("3."));
    }

    #[test]
    fn an_in_memory_desk_has_no_folder() {
        let about = Desk::open_in_memory().unwrap().about("1.0.0").unwrap();
        assert!(about.data_folder.is_none() && about.database_file.is_none() && about.database_bytes.is_none());
    }
}
