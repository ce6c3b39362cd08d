//! Generates `ui/src/lib/generated/bindings.ts` from the Rust types and the
//! command list, so the UI never writes a record's shape a second time.
//! `UPDATE_BINDINGS=1 cargo test -p mrc-desk bindings` rewrites the file; the
//! same test fails when the committed file is stale.

use mrc_core::about::About;
use mrc_core::assistance::*;
use mrc_core::backup::*;
use mrc_core::case::*;
use mrc_core::centre::*;
use mrc_core::codes;
use mrc_core::desk::*;
use mrc_core::duplicate::*;
use mrc_core::family::*;
use mrc_core::age::*;
use mrc_core::anonymous::*;
use mrc_core::follow_up::*;
use mrc_core::group_session::*;
use mrc_core::migrant::*;
use mrc_core::today::*;
use mrc_core::partner::*;
use mrc_core::partner_csv::*;
use mrc_core::referral::*;
use mrc_core::report::*;
use mrc_core::record::*;
use mrc_core::register_import::{
    ColumnMapping, ColumnSample, DateOrder, Defaults, ImportOptions, ImportProgress, ImportStage, Mapping, MappingProblem, MatchKind, RegisterFile,
    RegisterPreview, RegisterReport, RowOutcome, RowStatus, Target,
};
use mrc_core::visit::*;
use mrc_core::FieldError;
use ts_rs::TS;

use crate::commands;
use crate::error::CommandError;

/// A command's name, its arguments (name, TypeScript type) and its result type.
pub struct Signature {
    pub name: &'static str,
    pub args: Vec<(&'static str, String)>,
    pub result: String,
}

fn declarations() -> Vec<String> {
    vec![
        mrc_core::audit::AuditEntry::decl(), mrc_core::audit::AuditQuery::decl(), mrc_core::audit::AuditCheck::decl(), mrc_core::permission::Action::decl(),
        About::decl(), FieldError::decl(), CommandError::decl(), RecordMeta::decl(), Actor::decl(), Page::<MigrantSummary>::decl(),
        StaffRole::decl(), Centre::decl(), Staff::decl(), StaffInput::decl(), SetupInput::decl(), DeskState::decl(),
        Sex::decl(), MigrationStatus::decl(), Vulnerability::decl(), DocumentKind::decl(), Messenger::decl(),
        ConsentScope::decl(), mrc_core::consent::Consent::decl(), mrc_core::consent::ConsentWithdrawal::decl(), mrc_core::anonymise::RetentionList::decl(), mrc_core::anonymise::RetentionDue::decl(), Phone::decl(), IdentityDocument::decl(), MigrantInput::decl(), Migrant::decl(),
        MigrantSummary::decl(), ReasonKind::decl(), DuplicateReason::decl(), PossibleDuplicate::decl(), DuplicatePair::decl(), DuplicateScan::decl(), ScanStage::decl(), ScanProgress::decl(), mrc_core::merge::MergeInput::decl(), MigrantSort::decl(), MigrantFilter::decl(), MigrantQuery::decl(), Relation::decl(), FamilyLinkInput::decl(),
        FamilyMember::decl(), MigrantProfile::decl(), Channel::decl(), VisitPurpose::decl(), VisitInput::decl(),
        Visit::decl(), AssistanceCategory::decl(), Provider::decl(), Outcome::decl(), AssistanceInput::decl(),
        Assistance::decl(), CaseType::decl(), CaseStatus::decl(), Priority::decl(), ClosureReason::decl(),
        CaseInput::decl(), CaseTransition::decl(), Case::decl(), CaseEvent::decl(), CaseDetail::decl(),
        PartnerKind::decl(), PartnerInput::decl(), Partner::decl(), PartnerQuery::decl(), ReferralStatus::decl(),
        SharedData::decl(), ConsentBasis::decl(), ReferralInput::decl(), ReferralTransition::decl(), Referral::decl(),
        ReferralEvent::decl(), ReferralDetail::decl(), FollowUpInput::decl(), FollowUp::decl(), DueFollowUp::decl(),
        WaitingReferral::decl(), QuietCase::decl(), Today::decl(), AgeBand::decl(), SessionKind::decl(), AnonymousCount::decl(),
        GroupSessionInput::decl(), Participant::decl(), GroupSession::decl(),
        AnonymousContactInput::decl(), AnonymousContact::decl(), ImportMode::decl(), ImportReport::decl(), RejectedRow::decl(),
        crate::slip::SlipRequest::decl(), BackupKind::decl(), TableCount::decl(), BackupInfo::decl(),
        ReportRequest::decl(), Period::decl(), SectionId::decl(), Unit::decl(), HeadlineId::decl(), Breakdown::decl(),
        Row::decl(), Section::decl(), Headline::decl(), Rates::decl(), Report::decl(), TrendPoint::decl(),
        CellFilter::decl(), ReportRecord::decl(), ReportFormat::decl(), crate::report_file::ReportExport::decl(),
        Target::decl(), ColumnMapping::decl(), Defaults::decl(), Mapping::decl(), MappingProblem::decl(), ColumnSample::decl(),
        RegisterFile::decl(), DateOrder::decl(), ImportOptions::decl(), RowStatus::decl(), MatchKind::decl(), RowOutcome::decl(),
        RegisterPreview::decl(), RegisterReport::decl(), ImportStage::decl(), ImportProgress::decl(), CopyStage::decl(), CopyProgress::decl(),
    ]
}

fn list<T: ToString>(name: &str, ty: &str, values: impl IntoIterator<Item = T>) -> String {
    let items: Vec<String> = values.into_iter().map(|v| format!("{:?}", v.to_string())).collect();
    format!("export const {name}: readonly {ty}[] = [{}];\n", items.join(", "))
}

fn value_lists() -> String {
    let mut out = String::new();
    out += &list("STAFF_ROLES", "StaffRole", StaffRole::ALL);
    out += &list("SEXES", "Sex", Sex::ALL);
    out += &list("MIGRATION_STATUSES", "MigrationStatus", MigrationStatus::ALL);
    out += &list("VULNERABILITIES", "Vulnerability", Vulnerability::ALL);
    out += &list("DOCUMENT_KINDS", "DocumentKind", DocumentKind::ALL);
    out += &list("MESSENGERS", "Messenger", Messenger::ALL);
    out += &list("CONSENT_SCOPES", "ConsentScope", ConsentScope::ALL);
    out += &list("RELATIONS", "Relation", Relation::ALL);
    out += &list("CHANNELS", "Channel", Channel::ALL);
    out += &list("VISIT_PURPOSES", "VisitPurpose", VisitPurpose::ALL);
    out += &list("ASSISTANCE_CATEGORIES", "AssistanceCategory", AssistanceCategory::ALL);
    out += &list("OUTCOMES", "Outcome", Outcome::ALL);
    out += &list("CASE_TYPES", "CaseType", CaseType::ALL);
    out += &list("CASE_STATUSES", "CaseStatus", CaseStatus::ALL);
    out += &list("PRIORITIES", "Priority", Priority::ALL);
    out += &list("CLOSURE_REASONS", "ClosureReason", ClosureReason::ALL);
    out += &list("PARTNER_KINDS", "PartnerKind", PartnerKind::ALL);
    out += &list("REFERRAL_STATUSES", "ReferralStatus", ReferralStatus::ALL);
    out += &list("SHARED_DATA", "SharedData", SharedData::ALL);
    out += &list("AGE_BANDS", "AgeBand", AgeBand::ALL);
    out += &list("SESSION_KINDS", "SessionKind", SessionKind::ALL);
    out += &list("BACKUP_KINDS", "BackupKind", BackupKind::ALL);
    out += &list("SECTION_IDS", "SectionId", SectionId::ALL);
    out += &list("HEADLINE_IDS", "HeadlineId", HeadlineId::ALL);
    out += &list("REPORT_FORMATS", "ReportFormat", ReportFormat::ALL);
    out += &list("REGISTER_TARGETS", "Target", Target::ALL);
    out += &list("ROW_STATUSES", "RowStatus", RowStatus::ALL);
    out += &list("MATCH_KINDS", "MatchKind", MatchKind::ALL);
    out += &list("IMPORT_STAGES", "ImportStage", ImportStage::ALL);
    out += &list("COPY_STAGES", "CopyStage", CopyStage::ALL);
    out += &list("COUNTRIES", "string", codes::countries());
    out += &list("LANGUAGES", "string", codes::languages());
    out += &list("CURRENCIES", "string", codes::currencies());
    out += &list("UI_LANGUAGES", "string", UI_LANGUAGES.iter());
    out += &list("DOCUMENT_LANGUAGES", "string", mrc_documents::Language::ALL.iter().map(|l| l.code()));
    out += &format!("export const MIN_OVERRIDE_REASON = {};\n", MIN_OVERRIDE_REASON);
    // The allowed status moves, from the core's own rules.
    out += &moves("CASE_MOVES", "CaseStatus", CaseStatus::ALL, |a, b| a.can_move_to(b));
    out += &moves("REFERRAL_MOVES", "ReferralStatus", ReferralStatus::ALL, |a, b| a.can_move_to(b));
    out += &register_import_values();
    out
}

/// What the import screen shows from the core's rules: which columns a
/// row's problem is found in, the example date of each date order, and the
/// event an import's progress arrives as.
fn register_import_values() -> String {
    let found: Vec<String> = Target::ALL
        .iter()
        .map(|t| format!("{t}: [{}]", t.found_in().iter().map(|c| format!("{:?}", c.as_str())).collect::<Vec<_>>().join(", ")))
        .collect();
    let examples: Vec<String> = [DateOrder::DayFirst, DateOrder::MonthFirst].iter().map(|o| format!("{}: {:?}", serde_json::to_string(o).unwrap_or_default(), o.example())).collect();
    let mut out = format!("export const REGISTER_PROBLEM_COLUMNS: Record<Target, readonly Target[]> = {{ {} }};\n", found.join(", "));
    out += &format!("export const DATE_ORDER_EXAMPLES: Record<DateOrder, string> = {{ {} }};\n", examples.join(", "));
    out += &format!("export const IMPORT_PROGRESS_EVENT = {:?};\n", commands::registers::IMPORT_PROGRESS_EVENT);
    out += &format!("export const BACKUP_PROGRESS_EVENT = {:?};\n", commands::backups::BACKUP_PROGRESS_EVENT);
    out += &format!("export const SCAN_PROGRESS_EVENT = {:?};\n", commands::migrants::SCAN_PROGRESS_EVENT);
    out
}

fn moves<S: Copy + ToString>(name: &str, ty: &str, all: &[S], allowed: impl Fn(S, S) -> bool) -> String {
    let entries: Vec<String> = all
        .iter()
        .map(|&from| {
            let to: Vec<String> = all.iter().filter(|&&to| allowed(from, to)).map(|to| format!("{:?}", to.to_string())).collect();
            format!("{}: [{}]", from.to_string(), to.join(", "))
        })
        .collect();
    format!("export const {name}: Record<{ty}, readonly {ty}[]> = {{ {} }};\n", entries.join(", "))
}

fn command_map() -> String {
    let all = [
        commands::desk::signatures(),
        commands::desk::door_signatures(),
        commands::migrants::signatures(),
        commands::visits::signatures(),
        commands::cases::signatures(),
        commands::partners::signatures(),
        commands::daily::signatures(),
        commands::backups::signatures(),
        commands::backups::copy_signatures(),
        commands::migrants::scan_signatures(),
        commands::report::signatures(),
        commands::registers::signatures(),
    ];
    let mut out = String::from("/** Every command: its arguments and what it returns. */\nexport interface Commands {\n");
    for sig in all.iter().flatten() {
        let args: Vec<String> = sig.args.iter().map(|(name, ty)| format!("{name}: {ty}")).collect();
        out += &format!("  {}: {{ args: {{ {} }}; result: {} }};\n", sig.name, args.join("; "), sig.result);
    }
    out + "}\n"
}

pub fn typescript() -> String {
    let mut out = String::from("// Generated from the Rust types by src-tauri/app/src/bindings.rs. Do not edit.\n\n");
    for decl in declarations() {
        out += "export ";
        out += &decl;
        out += "\n\n";
    }
    out += &value_lists();
    out += "\n";
    out += &command_map();
    out
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    #[test]
    fn bindings_are_fresh() {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/generated/bindings.ts");
        let wanted = super::typescript();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &wanted).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(committed == wanted, "{} is stale: run `UPDATE_BINDINGS=1 cargo test -p mrc-desk bindings` and commit it", path.display());
    }
}
