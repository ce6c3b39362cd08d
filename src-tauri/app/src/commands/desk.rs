//! The centre, its staff, and this installation's settings.

use mrc_core::about::About;
use mrc_core::centre::{SetupInput, Staff, StaffInput};
use mrc_core::desk::DeskState;
use uuid::Uuid;

use super::commands;

commands! {
    /// What the UI needs before it shows anything: is the centre set up, who is at the desk.
    fn desk_state() -> DeskState => |desk| desk.state();
    /// First run: the centre and its first staff member.
    fn desk_set_up(input: SetupInput) -> DeskState => |desk| desk.set_up(input);
    fn staff_add(input: StaffInput) -> Staff => |desk| desk.add_staff(input);
    fn staff_switch(id: Uuid) -> DeskState => |desk| desk.switch_staff(id);
    fn language_set(language: String) -> () => |desk| desk.set_language(&language);
    /// Into the practice centre (made, with invented people, the first time), named in the user's language.
    fn practice_start(name: String) -> DeskState => |desk| desk.practice_start(&name, chrono::Utc::now().date_naive());
    fn practice_leave() -> DeskState => |desk| desk.practice_leave();
    /// Removes the practice centre and everything in it.
    fn practice_remove() -> DeskState => |desk| desk.practice_remove();
    /// The version installed (the package's, which an upgrade changes), the schema and where the data is.
    fn about() -> About => |desk, app| desk.about(&app.package_info().version.to_string());
}
