//! The centre, its staff, and this installation's settings.

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
}
