//! The centre, its staff, and this installation's settings.

use mrc_core::about::About;
use mrc_core::audit::{AuditCheck, AuditEntry, AuditQuery};
use mrc_core::centre::{SetupInput, Staff, StaffInput};
use mrc_core::desk::DeskState;
use mrc_core::encryption;
use mrc_core::record::Page;
use mrc_core::CoreError;
use tauri::State;
use uuid::Uuid;

use super::commands;
use crate::bindings::Signature;
use crate::error::CommandResult;
use crate::state::AppState;

/// What the UI needs before it shows anything: is the centre set up, who is
/// at the desk. While the database is closed, the key file's sign-in screen.
#[tauri::command(rename_all = "snake_case")]
pub async fn desk_state(state: State<'_, AppState>) -> CommandResult<DeskState> {
    state.at_door("desk_state", |desk| desk.state(), |keys, _| Ok((keys.desk_state(), None)))
}

/// Signs in; on a closed database the password first unwraps its key.
#[tauri::command(rename_all = "snake_case")]
pub async fn session_sign_in(state: State<'_, AppState>, id: Uuid, password: String) -> CommandResult<DeskState> {
    state.at_door(
        "session_sign_in",
        |desk| desk.sign_in(id, &password),
        |keys, db| {
            let desk = encryption::sign_in(db, keys, id, &password)?;
            Ok((desk.state()?, Some(desk)))
        },
    )
}

/// A forgotten administrator password: the recovery key opens the closed
/// database and the administrator chooses a new password.
#[tauri::command(rename_all = "snake_case")]
pub async fn session_recover(state: State<'_, AppState>, recovery_key: String, id: Uuid, password: String) -> CommandResult<DeskState> {
    state.at_door(
        "session_recover",
        |_| Err(CoreError::NotAllowed { action: "use the recovery key while someone is signed in", role: "anyone" }),
        |keys, db| {
            let desk = encryption::recover(db, keys, &recovery_key, id, &password)?;
            Ok((desk.state()?, Some(desk)))
        },
    )
}

/// First run: the centre and its administrator, who is then signed in. The
/// file is encrypted then, so no backup may be copying it.
#[tauri::command(rename_all = "snake_case")]
pub async fn desk_set_up(state: State<'_, AppState>, input: SetupInput) -> CommandResult<DeskState> {
    state.with_no_copying("desk_set_up", |desk| desk.set_up(input))
}

/// A database from before accounts: choose one's first password and sign in
/// (an administrator's encrypts the file).
#[tauri::command(rename_all = "snake_case")]
pub async fn session_claim(state: State<'_, AppState>, id: Uuid, password: String) -> CommandResult<DeskState> {
    state.with_no_copying("session_claim", |desk| desk.claim_account(id, &password))
}

/// The signatures of the commands written out above, for the generated TypeScript.
pub fn door_signatures() -> Vec<Signature> {
    let id_and_password = || vec![("id", <Uuid as ts_rs::TS>::name()), ("password", <String as ts_rs::TS>::name())];
    vec![
        Signature { name: "desk_set_up", args: vec![("input", <SetupInput as ts_rs::TS>::name())], result: <DeskState as ts_rs::TS>::name() },
        Signature { name: "session_claim", args: id_and_password(), result: <DeskState as ts_rs::TS>::name() },
        Signature { name: "desk_state", args: vec![], result: <DeskState as ts_rs::TS>::name() },
        Signature {
            name: "session_sign_in",
            args: vec![("id", <Uuid as ts_rs::TS>::name()), ("password", <String as ts_rs::TS>::name())],
            result: <DeskState as ts_rs::TS>::name(),
        },
        Signature {
            name: "session_recover",
            args: vec![("recovery_key", <String as ts_rs::TS>::name()), ("id", <Uuid as ts_rs::TS>::name()), ("password", <String as ts_rs::TS>::name())],
            result: <DeskState as ts_rs::TS>::name(),
        },
    ]
}

commands! {
    /// A new recovery key for the encrypted database, shown once (administrators).
    fn recovery_key_make() -> String => |desk| desk.make_recovery_key();
    fn staff_add(input: StaffInput) -> Staff => |desk| desk.add_staff(input);
    /// In the practice centre only: act as another invented staff member.
    fn staff_switch(id: Uuid) -> DeskState => |desk| desk.switch_staff(id);
    fn staff_set_active(id: Uuid, active: bool) -> DeskState => |desk| desk.set_staff_active(id, active);
    /// One's own password (with the current one), or anyone's for an administrator.
    fn password_set(id: Uuid, current: Option<String>, password: String) -> () => |desk| desk.set_password(id, current.as_deref(), &password);
    fn lock_minutes_set(minutes: u32) -> DeskState => |desk| desk.set_lock_minutes(minutes);
    fn session_sign_out() -> DeskState => |desk| desk.sign_out();
    fn session_lock() -> DeskState => |desk| desk.lock();
    fn session_unlock(password: String) -> DeskState => |desk| desk.unlock(&password);
    /// The person is still at work (typing, reading): answers whether the desk is locked.
    fn session_touch() -> bool => |desk| desk.touch();
    fn audit_log(query: AuditQuery) -> Page<AuditEntry> => |desk| desk.audit_log(&query);
    fn audit_verify() -> AuditCheck => |desk| desk.verify_audit();
    /// Writes the filtered log as CSV to `path`; answers the number of entries.
    fn audit_export(query: AuditQuery, path: String) -> u32 => |desk| {
        let csv = desk.audit_csv(&query)?;
        std::fs::write(&path, &csv).map_err(mrc_core::CoreError::from)?;
        Ok::<_, mrc_core::CoreError>(csv.lines().count().saturating_sub(1) as u32)
    };
    fn language_set(language: String) -> () => |desk| desk.set_language(&language);
    /// Into the practice centre (made, with invented people, the first time), named in the user's language.
    fn practice_start(name: String) -> DeskState => |desk| desk.practice_start(&name, chrono::Utc::now().date_naive());
    fn practice_leave() -> DeskState => |desk| desk.practice_leave();
    /// Removes the practice centre and everything in it.
    fn practice_remove() -> DeskState => |desk| desk.practice_remove();
    /// The version installed (the package's, which an upgrade changes), the schema and where the data is.
    fn about() -> About => |desk, app| desk.about(&app.package_info().version.to_string());
}
