//! The one place that opens the database: pragmas, migrations, and the
//! transaction helper every write goes through.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::error::{CoreError, Result};
use crate::keyring::DbKey;

/// Ordered schema migrations; version N is the state after the Nth script.
/// Never edit a script that has shipped: add the next one.
pub const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_initial.sql"),
    include_str!("../migrations/0002_timeline_indexes.sql"),
    include_str!("../migrations/0003_partners_referrals.sql"),
    include_str!("../migrations/0004_follow_ups_sessions_contacts.sql"),
    include_str!("../migrations/0005_report_facts.sql"),
    include_str!("../migrations/0006_practice_backup_copy_language.sql"),
    include_str!("../migrations/0007_migrant_keys.sql"),
    include_str!("../migrations/0008_merges_and_dismissals.sql"),
    include_str!("../migrations/0009_accounts_and_audit.sql"),
    include_str!("../migrations/0010_consent_and_anonymisation.sql"),
    include_str!("../migrations/0011_person_keys.sql"),
    include_str!("../migrations/0012_armenian_ligature.sql"),
];

/// Page cache, in KiB as SQLite takes it (negative): 64 MB.
pub(crate) const CACHE_KIB: i64 = -65_536;

pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub struct Store {
    conn: Connection,
    /// The file, for a database on disk.
    path: Option<std::path::PathBuf>,
    /// The key of an encrypted file (see `keyring.rs`), for every other
    /// connection to it and for its backups.
    key: Option<DbKey>,
}

impl Store {
    /// Opens (creating if needed) a plain database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        Self::open_with(path, None)
    }

    /// Opens a database file encrypted under `key` (a new file is created
    /// encrypted) and brings its schema up to date. A key that does not
    /// open the file is `WrongKey`.
    pub fn open_keyed(path: &Path, key: DbKey) -> Result<Store> {
        Self::open_with(path, Some(key))
    }

    /// Opens a plain file, or an encrypted one under `key`.
    pub fn open_with(path: &Path, key: Option<DbKey>) -> Result<Store> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = connect(path, flags, key.as_ref())?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > 0 && version < SCHEMA_VERSION {
            // An upgrade is about to rewrite the schema: keep the old database first.
            crate::backup::keep_before_upgrade(&conn, path, key.as_ref())?;
        }
        let mut store = Self::prepare(conn, MIGRATIONS.len())?;
        store.path = Some(path.to_path_buf());
        store.key = key;
        Ok(store)
    }

    /// A second, read-only connection to the same file, for reading on
    /// another thread; none for an in-memory database.
    pub(crate) fn reader(&self) -> Result<Option<Connection>> {
        let Some(path) = &self.path else { return Ok(None) };
        let conn = connect(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX, self.key.as_ref())?;
        conn.pragma_update(None, "cache_size", CACHE_KIB)?;
        Ok(Some(conn))
    }

    /// The key of an encrypted database; none for a plain one.
    pub fn key(&self) -> Option<&DbKey> {
        self.key.as_ref()
    }

    /// The database file; none for an in-memory database.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// A private in-memory database, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Store> {
        Self::prepare(Connection::open_in_memory()?, MIGRATIONS.len())
    }

    /// Opens the file but migrates it only to `version`: how tests build old databases.
    pub fn open_at_version(path: &Path, version: usize) -> Result<Store> {
        Self::prepare(Connection::open(path)?, version)
    }

    fn prepare(mut conn: Connection, target: usize) -> Result<Store> {
        conn.busy_timeout(Duration::from_secs(5))?;
        // WAL lets the UI read while a save commits; FULL sync because a
        // record acknowledged to a caseworker must survive a power cut.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "trusted_schema", "OFF")?;
        // 64 MB of page cache (SQLite's default is 2 MB): a month's report
        // on a large register reads tens of megabytes of facts.
        conn.pragma_update(None, "cache_size", CACHE_KIB)?;
        crate::report::functions::register(&conn)?;
        crate::search::register(&conn)?;
        // A fresh UUID v7, for migrations that turn one row into several.
        conn.create_scalar_function("new_uuid", 0, rusqlite::functions::FunctionFlags::SQLITE_UTF8, |_| Ok(crate::record::new_id()))?;
        migrate(&mut conn, target)?;
        Ok(Store { conn, path: None, key: None })
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// Runs `f` in one read transaction, so a page of data is one consistent snapshot.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let tx = self.conn.unchecked_transaction()?;
        let out = f(&tx)?;
        tx.finish()?;
        Ok(out)
    }

    /// Runs `f` in one IMMEDIATE transaction and commits only if it succeeds:
    /// every write in the core goes through here, so a failed save changes nothing.
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// A write from a service that only reads (an audit entry for a look at
    /// a profile): the same one transaction, committed only on success.
    pub(crate) fn note<T>(&self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Folds the write-ahead log into the file and leaves WAL mode, so the
    /// file alone is the whole database and can be moved. Fails, changing
    /// nothing, while another connection has the file open.
    pub(crate) fn make_self_contained(&self) -> Result<()> {
        self.conn.pragma_update(None, "journal_mode", "DELETE")?;
        Ok(())
    }

    /// Direct access for tests that inspect the file itself.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

/// A connection to the file at `path`, keyed when it is encrypted: the one
/// way the core opens a database file.
pub(crate) fn connect(path: &Path, flags: OpenFlags, key: Option<&DbKey>) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, flags)?;
    if let Some(key) = key {
        conn.execute_batch(&format!("PRAGMA key = \"{}\";", key.raw_form().as_str()))?;
        // A key that does not fit shows at the first read of the file.
        conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0)).map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => CoreError::WrongKey,
            _ => e.into(),
        })?;
    }
    conn.busy_timeout(Duration::from_secs(5))?;
    Ok(conn)
}

fn migrate(conn: &mut Connection, target: usize) -> Result<()> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(CoreError::SchemaTooNew { found: current, known: SCHEMA_VERSION });
    }
    for (index, script) in MIGRATIONS.iter().enumerate().take(target).skip(current as usize) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(script)?;
        tx.pragma_update(None, "user_version", (index + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Everything that makes up a schema, in a stable order.
    fn schema_of(conn: &Connection) -> Vec<String> {
        let mut stmt = conn
            .prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
            .unwrap();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                Ok(format!("{}|{}|{}|{}", r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, Option<String>>(3)?.unwrap_or_default()))
            })
            .unwrap()
            .collect::<std::result::Result<_, _>>()
            .unwrap();
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<std::result::Result<_, _>>()
            .unwrap();
        for table in tables {
            let mut info = conn.prepare(&format!("PRAGMA table_xinfo(\"{table}\")")).unwrap();
            let columns = info
                .query_map([], |r| {
                    Ok(format!("{table}.{}:{}:{}:{:?}", r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, i64>(3)?, r.get::<_, Option<String>>(4)?))
                })
                .unwrap();
            for c in columns {
                rows.push(c.unwrap());
            }
        }
        rows
    }

    #[test]
    fn every_old_version_upgrades_to_the_fresh_schema() {
        let dir = tempfile::tempdir().unwrap();
        let fresh = Store::open(&dir.path().join("fresh.db")).unwrap();
        assert_eq!(fresh.schema_version().unwrap(), SCHEMA_VERSION);
        for old in 1..MIGRATIONS.len() {
            let path = dir.path().join(format!("v{old}.db"));
            let store = Store::open_at_version(&path, old).unwrap();
            assert_eq!(store.schema_version().unwrap(), old as i64);
            // 0012 changes keys, not the schema.
            if old < 11 {
                assert_ne!(schema_of(store.connection()), schema_of(fresh.connection()), "version {old} should differ");
            }
            drop(store);
            let upgraded = Store::open(&path).unwrap();
            assert_eq!(upgraded.schema_version().unwrap(), SCHEMA_VERSION);
            assert_eq!(schema_of(upgraded.connection()), schema_of(fresh.connection()), "upgrade from {old}");
        }
    }

    #[test]
    fn refuses_a_database_from_a_newer_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.db");
        Store::open(&path).unwrap().connection().pragma_update(None, "user_version", 99).unwrap();
        match Store::open(&path) {
            Err(CoreError::SchemaTooNew { found: 99, .. }) => {}
            other => panic!("expected SchemaTooNew, got {:?}", other.err()),
        }
    }

    #[test]
    fn pragmas_are_set() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("p.db")).unwrap();
        let c = store.connection();
        let mode: String = c.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
        let fk: i64 = c.pragma_query_value(None, "foreign_keys", |r| r.get(0)).unwrap();
        let sync: i64 = c.pragma_query_value(None, "synchronous", |r| r.get(0)).unwrap();
        assert_eq!((mode.as_str(), fk, sync), ("wal", 1, 2));
    }

    #[test]
    fn a_failed_write_changes_nothing() {
        let mut store = Store::open_in_memory().unwrap();
        let result: Result<()> = store.write(|tx| {
            tx.execute("INSERT INTO centre VALUES (X'01','n','TJ','D','t','t')", [])?;
            Err(CoreError::NotSetUp)
        });
        assert!(result.is_err());
        let n: i64 = store.connection().query_row("SELECT count(*) FROM centre", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 0);
    }
}
