//! Prints a referral slip: the facts come from the core's records, the words
//! around them from the UI's catalogue in the chosen language.

use mrc_core::Desk;
use mrc_documents::{referral_slip, Language, SlipData};
use serde::Deserialize;
use ts_rs::TS;
use uuid::Uuid;

use crate::error::CommandError;

/// What the UI adds to the record: the language, where to save, and the
/// translated names of things the core keeps as codes.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct SlipRequest {
    pub referral_id: Uuid,
    pub language: String,
    pub path: String,
    pub date: String,
    pub service: String,
    pub urgency: String,
    pub shared_data: Vec<String>,
    pub bring: Vec<String>,
    pub centre_country: String,
    pub partner_country: String,
}

fn joined(parts: &[&str]) -> String {
    parts.iter().filter(|p| !p.trim().is_empty()).copied().collect::<Vec<_>>().join(", ")
}

pub fn write(desk: &mut Desk, request: SlipRequest) -> Result<(), CommandError> {
    let language = Language::from_code(&request.language)
        .ok_or_else(|| CommandError::invalid("language", "unknown_language", format!("no slip in '{}'", request.language)))?;
    let facts = desk.referral_slip_facts(request.referral_id)?;
    let data = SlipData {
        centre_name: facts.centre_name,
        centre_address: joined(&[&facts.centre_city, &request.centre_country]),
        centre_phone: String::new(),
        partner_name: facts.referral.partner_name.clone(),
        partner_address: joined(&[&facts.partner_address, &facts.partner_city, &request.partner_country]),
        partner_phones: facts.partner_phones,
        partner_opening_hours: facts.partner_opening_hours,
        reference: facts.referral.reference.clone(),
        date: request.date,
        migrant_name: facts.migrant_name,
        service: request.service,
        reason: facts.referral.reason.clone(),
        urgency: request.urgency,
        caseworker: facts.caseworker,
        bring: request.bring,
        shared_data: request.shared_data,
    };
    let pdf = referral_slip(&data, language).map_err(|e| CommandError::internal(format!("the slip could not be made: {e}")))?;
    std::fs::write(&request.path, pdf).map_err(|e| CommandError::from(mrc_core::CoreError::Io(e)))?;
    desk.record_export("referral_slip", serde_json::json!({ "referral": request.referral_id, "file": request.path }))?;
    Ok(())
}
