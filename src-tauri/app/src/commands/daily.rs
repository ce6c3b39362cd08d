//! Follow-ups, the Today screen, group sessions and anonymous contacts.

use mrc_core::anonymous::{AnonymousContact, AnonymousContactInput};
use mrc_core::follow_up::{FollowUp, FollowUpInput};
use mrc_core::group_session::{GroupSession, GroupSessionInput};
use mrc_core::record::Page;
use mrc_core::today::Today;
use uuid::Uuid;

use super::commands;

commands! {
    /// The work of the staff member at the desk, as of now.
    fn today() -> Today => |desk| desk.today(chrono::Utc::now());
    fn reminder_days_set(days: Option<i32>) -> () => |desk| desk.set_referral_reminder_days(days);
    fn follow_up_add(input: FollowUpInput) -> FollowUp => |desk| desk.add_follow_up(input);
    fn follow_up_done(id: Uuid, done: bool) -> FollowUp => |desk| desk.set_follow_up_done(id, done);
    fn group_session_save(id: Option<Uuid>, input: GroupSessionInput) -> GroupSession => |desk| desk.save_group_session(id, input);
    fn group_session_list(page: u32) -> Page<GroupSession> => |desk| desk.list_group_sessions(page, 50);
    fn anonymous_contact_log(input: AnonymousContactInput) -> AnonymousContact => |desk| desk.log_anonymous_contact(input);
    fn anonymous_contact_list(page: u32) -> Page<AnonymousContact> => |desk| desk.list_anonymous_contacts(page, 50);
}
