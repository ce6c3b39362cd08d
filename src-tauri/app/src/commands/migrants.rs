//! Registering, finding and editing migrants, and their family links.

use std::collections::HashMap;

use mrc_core::anonymise::RetentionList;
use mrc_core::consent::ConsentWithdrawal;
use mrc_core::desk::{DeskState, MigrantProfile};
use mrc_core::duplicate::{DuplicateScan, PossibleDuplicate, ScanProgress};
use mrc_core::merge::MergeInput;
use mrc_core::family::{FamilyLinkInput, FamilyMember};
use mrc_core::migrant::{Migrant, MigrantInput, MigrantQuery, MigrantSummary};
use mrc_core::record::Page;
use uuid::Uuid;

use tauri::{AppHandle, Emitter, State};

use super::commands;
use crate::bindings::Signature;
use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

/// The event a duplicate scan's progress arrives as, with a `ScanProgress`.
pub const SCAN_PROGRESS_EVENT: &str = "duplicate-scan-progress";

commands! {
    /// Refused with `likely_duplicate` until `confirmed_new`, when someone registered looks like this person.
    fn migrant_register(input: MigrantInput, confirmed_new: bool) -> Migrant => |desk| desk.register_new_migrant(input, confirmed_new);
    fn migrant_duplicates(input: MigrantInput, exclude: Option<Uuid>) -> Vec<PossibleDuplicate> => |desk| desk.likely_duplicates(&input, exclude);
    fn migrant_update(id: Uuid, input: MigrantInput) -> Migrant => |desk| desk.update_migrant(id, input);
    fn migrant_profile(id: Uuid) -> MigrantProfile => |desk| desk.migrant_profile(id);
    /// The migrant takes back one scope of their consent; answers the record as it now is.
    fn consent_withdraw(input: ConsentWithdrawal) -> Migrant => |desk| desk.withdraw_consent(input);
    /// A supervisor's: removes the person's identity for good, keeping what the report counts.
    fn migrant_anonymise(id: Uuid) -> MigrantProfile => |desk| desk.anonymise_migrant(id);
    /// A supervisor's: the people past the centre's retention time.
    fn retention_due() -> RetentionList => |desk| desk.retention_due();
    /// Anonymises the people chosen from the retention list, all or none.
    fn retention_anonymise(ids: Vec<Uuid>) -> u32 => |desk| desk.anonymise_migrants(&ids);
    fn retention_years_set(years: u32) -> DeskState => |desk| desk.set_retention_years(years);
    /// A supervisor's: everything held about the person (their right of access), as JSON at `path`
    /// and a readable PDF beside it, in `language`; answers both files.
    fn subject_access_export(id: Uuid, path: String, language: String, countries: HashMap<String, String>) -> Vec<String> => |desk| crate::person_file::write(desk, id, &path, &language, countries);
    fn migrant_list(query: MigrantQuery) -> Page<MigrantSummary> => |desk| desk.list_migrants(&query);
    fn migrant_delete(id: Uuid) -> () => |desk| desk.delete_migrant(id);
    fn migrant_restore(id: Uuid) -> () => |desk| desk.restore_migrant(id);
    fn duplicate_dismiss(first: Uuid, second: Uuid) -> () => |desk| desk.dismiss_duplicate(first, second);
    fn migrant_merge(input: MergeInput) -> Migrant => |desk| desk.merge_migrants(input);
    fn family_link(input: FamilyLinkInput) -> Vec<FamilyMember> => |desk| desk.link_family(input);
}

/// A supervisor's: the likeliest duplicate pairs of the centre. A million
/// people take tens of seconds, so the scan tells its progress as it goes.
#[tauri::command(rename_all = "snake_case")]
pub async fn duplicate_pairs(app: AppHandle, state: State<'_, AppState>) -> CommandResult<DuplicateScan> {
    // A window that is gone does not stop the scan.
    let tell = move |p: ScanProgress| drop(app.emit(SCAN_PROGRESS_EVENT, p));
    let Some(job) = state.with("duplicate_pairs", |desk| desk.duplicate_scan())? else {
        return state.with("duplicate_pairs", |desk| desk.duplicate_pairs_told(&mut { tell }));
    };
    // On a connection of its own, so the other screens go on working meanwhile.
    let scanning = tauri::async_runtime::spawn_blocking(move || crate::state::apart("duplicate_pairs", || job.run(&mut { tell })));
    scanning.await.unwrap_or_else(|stopped| Err(CommandError::internal(format!("the duplicate scan stopped: {stopped}"))))
}

/// The signature of the command written out above, for the generated TypeScript.
pub fn scan_signatures() -> Vec<Signature> {
    vec![Signature { name: "duplicate_pairs", args: vec![], result: <DuplicateScan as ts_rs::TS>::name() }]
}
