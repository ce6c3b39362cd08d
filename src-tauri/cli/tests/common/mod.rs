//! What the CLI tests share: the real `mrc` binary run on a test's own
//! database, with a private data folder so that a test which forgot `--db`
//! could still never reach the real one.
// Each test file uses a different part of this.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// The account commands sign in as unless a test says otherwise: the
/// demo centre's supervisor, whom `init_centre` also opens.
pub const SUPERVISOR: &str = "Demo Supervisor";
pub const ADMINISTRATOR: &str = "Administrator One";

/// `mrc --db <db>`, ready for arguments, signing in as the supervisor with
/// the invented accounts' password.
pub fn command(db: &Path) -> Command {
    let home = db.parent().expect("a database inside a folder").join("xdg");
    let mut c = Command::new(env!("CARGO_BIN_EXE_mrc"));
    c.arg("--db").arg(db).env("XDG_DATA_HOME", &home).env("HOME", &home);
    c.env("MRC_USER", SUPERVISOR).env("MRC_PASSWORD", mrc_core::sample::PASSWORD).env("MRC_NEW_PASSWORD", mrc_core::sample::PASSWORD);
    c
}

/// `mrc init` with the administrator, then the supervisor's account, opened by them.
pub fn init_centre(db: &Path, centre: &str, country: &str, city: &str) {
    ok(mrc(db, &["init", "--centre", centre, "--country", country, "--city", city, "--staff", ADMINISTRATOR]));
    ok(mrc(db, &["--user", ADMINISTRATOR, "staff", "add", "--name", SUPERVISOR, "--role", "supervisor"]));
}

/// The database itself, as a test reads or tampers with it: the file is
/// encrypted, so the supervisor's password unwraps its key from the key
/// file first, as a sign-in would.
pub fn raw_connection(db: &Path) -> mrc_core::store::Store {
    let mut keys = key_file(db);
    let key = keys.unwrap(db, supervisor(&keys), mrc_core::sample::PASSWORD).unwrap();
    mrc_core::store::Store::open_keyed(db, key).unwrap()
}

/// The desk of the encrypted database at `db`, the supervisor signed in as the app would.
pub fn supervisor_desk(db: &Path) -> mrc_core::Desk {
    let mut keys = key_file(db);
    let id = supervisor(&keys);
    mrc_core::encryption::sign_in(db, &mut keys, id, mrc_core::sample::PASSWORD).unwrap()
}

fn key_file(db: &Path) -> mrc_core::keyring::KeyFile {
    mrc_core::keyring::KeyFile::load(db).unwrap().expect("an encrypted database has a key file")
}

fn supervisor(keys: &mrc_core::keyring::KeyFile) -> uuid::Uuid {
    keys.desk_state().staff.into_iter().find(|s| s.full_name == SUPERVISOR).expect("the supervisor's account").id
}

pub fn mrc(db: &Path, args: &[&str]) -> Output {
    command(db).args(args).output().expect("mrc runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs `mrc` and hands back what it printed, failing the test if it failed.
pub fn succeeds(db: &Path, args: &[&str]) -> String {
    ok(mrc(db, args))
}

pub fn ok(output: Output) -> String {
    assert!(output.status.success(), "mrc failed ({:?}):\n{}\n{}", output.status.code(), stdout(&output), stderr(&output));
    stdout(&output)
}
