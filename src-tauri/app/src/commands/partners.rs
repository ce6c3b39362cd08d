//! The partner directory and referrals to partners.

use mrc_core::desk::ReferralDetail;
use mrc_core::partner::{Partner, PartnerInput, PartnerQuery};
use mrc_core::referral::{Referral, ReferralInput, ReferralTransition};
use uuid::Uuid;

use super::commands;

commands! {
    /// Adds a partner (no id) or changes one.
    fn partner_save(id: Option<Uuid>, input: PartnerInput) -> Partner => |desk| desk.save_partner(id, input);
    fn partner_list(query: PartnerQuery) -> Vec<Partner> => |desk| desk.list_partners(&query);
    fn partner_set_active(id: Uuid, active: bool) -> Partner => |desk| desk.set_partner_active(id, active);
    fn partner_delete(id: Uuid) -> () => |desk| desk.delete_partner(id);
    fn referral_create(input: ReferralInput) -> Referral => |desk| desk.refer(input);
    fn referral_move(transition: ReferralTransition) -> Referral => |desk| desk.move_referral(transition);
    fn referral_detail(id: Uuid) -> ReferralDetail => |desk| desk.referral_detail(id);
}
