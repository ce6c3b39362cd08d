//! Which database file to use, and opening it.

use std::path::{Path, PathBuf};

use std::io::IsTerminal;
use std::sync::OnceLock;

use mrc_core::desk::DeskState;
use mrc_core::encryption::{self, Opened};
use mrc_core::Desk;
use uuid::Uuid;

use crate::error::{CliError, Result};

/// The desktop app's file: Tauri's app-data folder for the identifier
/// `org.mrcdesk.app` (`$XDG_DATA_HOME` or `~/.local/share` on Linux).
pub fn default_path() -> Result<PathBuf> {
    let dirs = directories::BaseDirs::new().ok_or_else(|| CliError::Message("no home folder found: give the database with --db PATH".into()))?;
    Ok(dirs.data_dir().join("org.mrcdesk.app").join("mrc-desk.db"))
}

pub fn resolve(db: Option<PathBuf>) -> Result<PathBuf> {
    match db {
        Some(path) => Ok(path),
        None => default_path(),
    }
}

/// Opens the file, creating it: for the commands that set a centre up. An
/// encrypted file opens only with a sign-in; a new one is encrypted by its set-up.
pub fn open_or_create(path: &Path) -> Result<Desk> {
    match encryption::open(path)? {
        Opened::Open(desk) => Ok(desk),
        Opened::Sealed(mut keys) => {
            let (id, password) = choose_account(&keys.desk_state())?;
            Ok(encryption::sign_in(path, &mut keys, id, &password)?)
        }
    }
}

/// Opens a file that must already exist, so a typo in --db does not leave
/// an empty database behind, and signs in: every command acts as an account,
/// with that account's role. An encrypted file is opened by that sign-in.
pub fn open_existing(path: &Path) -> Result<Desk> {
    must_exist(path)?;
    let mut desk = open_or_create(path)?;
    if !desk.is_signed_in() {
        sign_in(&mut desk)?;
    }
    Ok(desk)
}

/// What the sign-in screen shows (the centre, its accounts), without
/// signing in: from the key file of an encrypted database.
pub fn sign_in_screen(path: &Path) -> Result<DeskState> {
    must_exist(path)?;
    Ok(match encryption::open(path)? {
        Opened::Open(desk) => desk.state()?,
        Opened::Sealed(keys) => keys.desk_state(),
    })
}

fn must_exist(path: &Path) -> Result<()> {
    if !path.is_file() {
        return Err(CliError::Message(format!("no database at {}: run `mrc init` or `mrc seed-demo` first", path.display())));
    }
    Ok(())
}

static USER: OnceLock<Option<String>> = OnceLock::new();

/// The account named with --user (or MRC_USER), for every command that signs in.
pub fn set_user(user: Option<String>) {
    let _ = USER.set(user);
}

/// Signs in as the account named with --user, or the only account there is.
pub fn sign_in(desk: &mut Desk) -> Result<()> {
    let (id, password) = choose_account(&desk.state()?)?;
    desk.sign_in(id, &password)?;
    Ok(())
}

/// The account named with --user (or the only one), and its password.
fn choose_account(state: &DeskState) -> Result<(Uuid, String)> {
    let accounts: Vec<_> = state.staff.iter().filter(|s| s.active && s.has_password).collect();
    let wanted = USER.get().cloned().flatten();
    let chosen = match &wanted {
        Some(name) => accounts.iter().find(|s| s.full_name.eq_ignore_ascii_case(name.trim())),
        None if accounts.len() == 1 => accounts.first(),
        None => None,
    };
    let Some(account) = chosen else {
        let names: Vec<String> = accounts.iter().map(|s| format!("{} ({})", s.full_name, s.role)).collect();
        let why = match wanted {
            Some(name) => format!("no account named '{name}'"),
            None => "this centre has several accounts".into(),
        };
        return Err(CliError::Message(format!("{why}: give --user with one of: {}", names.join(", "))));
    };
    let password = password("MRC_PASSWORD", &format!("Password for {}: ", account.full_name))?;
    Ok((account.id, password))
}

/// A password from the environment variable `var`, or typed at the terminal without echo.
pub fn password(var: &str, prompt: &str) -> Result<String> {
    if let Ok(p) = std::env::var(var) {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::Message(format!("a password is needed: set {var}, or run this in a terminal to type it")));
    }
    Ok(rpassword::prompt_password(prompt)?)
}
