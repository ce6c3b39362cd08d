//! Registering, finding and editing migrants, and their family links.

use mrc_core::desk::MigrantProfile;
use mrc_core::duplicate::{DuplicateScan, PossibleDuplicate};
use mrc_core::merge::MergeInput;
use mrc_core::family::{FamilyLinkInput, FamilyMember};
use mrc_core::migrant::{Migrant, MigrantInput, MigrantQuery, MigrantSummary};
use mrc_core::record::Page;
use uuid::Uuid;

use super::commands;

commands! {
    /// Refused with `likely_duplicate` until `confirmed_new`, when someone registered looks like this person.
    fn migrant_register(input: MigrantInput, confirmed_new: bool) -> Migrant => |desk| desk.register_new_migrant(input, confirmed_new);
    fn migrant_duplicates(input: MigrantInput, exclude: Option<Uuid>) -> Vec<PossibleDuplicate> => |desk| desk.likely_duplicates(&input, exclude);
    fn migrant_update(id: Uuid, input: MigrantInput) -> Migrant => |desk| desk.update_migrant(id, input);
    fn migrant_profile(id: Uuid) -> MigrantProfile => |desk| desk.migrant_profile(id);
    fn migrant_list(query: MigrantQuery) -> Page<MigrantSummary> => |desk| desk.list_migrants(&query);
    fn migrant_delete(id: Uuid) -> () => |desk| desk.delete_migrant(id);
    fn migrant_restore(id: Uuid) -> () => |desk| desk.restore_migrant(id);
    /// A supervisor's: the likeliest duplicate pairs of the centre.
    fn duplicate_pairs() -> DuplicateScan => |desk| desk.duplicate_pairs();
    fn duplicate_dismiss(first: Uuid, second: Uuid) -> () => |desk| desk.dismiss_duplicate(first, second);
    fn migrant_merge(input: MergeInput) -> Migrant => |desk| desk.merge_migrants(input);
    fn family_link(input: FamilyLinkInput) -> Vec<FamilyMember> => |desk| desk.link_family(input);
}
