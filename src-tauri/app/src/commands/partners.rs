//! The partner directory and referrals to partners.

use mrc_core::desk::ReferralDetail;
use mrc_core::partner::{Partner, PartnerInput, PartnerQuery};
use mrc_core::partner_csv::{read_import_file, ImportMode, ImportReport};
use mrc_core::referral::{Referral, ReferralInput, ReferralTransition};
use uuid::Uuid;

use super::commands;
use crate::slip::{self, SlipRequest};

commands! {
    /// Adds a partner (no id) or changes one.
    fn partner_save(id: Option<Uuid>, input: PartnerInput) -> Partner => |desk| desk.save_partner(id, input);
    fn partner_list(query: PartnerQuery) -> Vec<Partner> => |desk| desk.list_partners(&query);
    fn partner_set_active(id: Uuid, active: bool) -> Partner => |desk| desk.set_partner_active(id, active);
    fn partner_delete(id: Uuid) -> () => |desk| desk.delete_partner(id);
    fn referral_create(input: ReferralInput) -> Referral => |desk| desk.refer(input);
    fn referral_move(transition: ReferralTransition) -> Referral => |desk| desk.move_referral(transition);
    fn referral_detail(id: Uuid) -> ReferralDetail => |desk| desk.referral_detail(id);
    /// Writes the printable slip of a referral as PDF to `request.path`.
    fn referral_slip(request: SlipRequest) -> () => |desk| slip::write(desk, request);
    /// Writes the directory as CSV to `path`; answers how many partners it holds.
    fn partner_export_csv(path: String, include_inactive: bool) -> u32 => |desk| export_csv(desk, &path, include_inactive);
    fn partner_import_csv(path: String, mode: ImportMode) -> ImportReport => |desk| {
        let text = read_import_file(std::path::Path::new(&path))?;
        desk.import_partners_csv(&text, mode)
    };
}

fn export_csv(desk: &mut mrc_core::Desk, path: &str, include_inactive: bool) -> mrc_core::Result<u32> {
    let csv = desk.export_partners_csv(include_inactive)?;
    std::fs::write(path, csv)?;
    Ok(desk.list_partners(&PartnerQuery { include_inactive, ..Default::default() })?.len() as u32)
}
