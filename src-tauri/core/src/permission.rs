//! Who may do what. Every service of the desk names its action and asks
//! here before it reads or writes, so the UI and the CLI cannot go around it.

use crate::centre::StaffRole;

/// What a service does, in the terms the roles are given in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The centre's name, its staff list, the About facts.
    SeeCentre,
    /// Add staff, set their passwords and roles, set the lock time.
    ManageStaff,
    /// Centre settings that shape the work (reminder days).
    SetUpCentre,
    /// Make, list and restore backups; choose where copies go.
    Backups,
    /// Read the partner directory (to refer).
    SeePartners,
    /// Add, change, (de)activate, import and export partners.
    ManagePartners,
    /// Read people, their visits, cases and referrals.
    SeePeople,
    /// Register people and record the work with them.
    WorkCases,
    /// Find and merge people registered twice.
    MergeDuplicates,
    /// See the monthly report's figures (counts, never names).
    SeeReport,
    /// The people behind a figure of the report.
    SeeReportRecords,
    /// Read, verify and export the audit log.
    SeeAudit,
    /// Open, leave and remove the practice centre.
    Practise,
}

impl Action {
    /// The words of a refusal: "a viewer may not <this>".
    pub fn describe(self) -> &'static str {
        match self {
            Action::SeeCentre => "see the centre",
            Action::ManageStaff => "manage staff accounts",
            Action::SetUpCentre => "change the centre's settings",
            Action::Backups => "make or restore backups",
            Action::SeePartners => "see the partner directory",
            Action::ManagePartners => "change the partner directory",
            Action::SeePeople => "see personal data",
            Action::WorkCases => "register people or record work",
            Action::MergeDuplicates => "merge duplicate records",
            Action::SeeReport => "see the report",
            Action::SeeReportRecords => "see the people behind the report",
            Action::SeeAudit => "see the audit log",
            Action::Practise => "use the practice centre",
        }
    }

    /// A stable name for the audit log.
    pub fn name(self) -> &'static str {
        match self {
            Action::SeeCentre => "see_centre",
            Action::ManageStaff => "manage_staff",
            Action::SetUpCentre => "set_up_centre",
            Action::Backups => "backups",
            Action::SeePartners => "see_partners",
            Action::ManagePartners => "manage_partners",
            Action::SeePeople => "see_people",
            Action::WorkCases => "work_cases",
            Action::MergeDuplicates => "merge_duplicates",
            Action::SeeReport => "see_report",
            Action::SeeReportRecords => "see_report_records",
            Action::SeeAudit => "see_audit",
            Action::Practise => "practise",
        }
    }
}

/// The one table of permissions.
/// - administrator: the centre, its staff, partners and backups; no case content;
/// - supervisor: all the centre's work, merges, the report and the audit log;
/// - caseworker: registers people and works their cases;
/// - viewer (monitoring and evaluation): the report's figures, never a person.
pub fn allows(role: StaffRole, action: Action) -> bool {
    use Action::*;
    use StaffRole::*;
    match action {
        SeeCentre => true,
        ManageStaff | Backups => role == Administrator,
        SetUpCentre | ManagePartners => matches!(role, Administrator | Supervisor),
        SeePartners => role != Viewer,
        SeePeople | WorkCases => matches!(role, Supervisor | Caseworker),
        MergeDuplicates | SeeReportRecords => role == Supervisor,
        SeeReport => matches!(role, Supervisor | Viewer),
        SeeAudit => matches!(role, Supervisor | Administrator),
        Practise => role != Viewer,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_data_is_for_those_who_work_cases() {
        for role in StaffRole::ALL {
            let expected = matches!(role, StaffRole::Supervisor | StaffRole::Caseworker);
            assert_eq!(allows(*role, Action::SeePeople), expected, "{role}");
        }
        assert!(!allows(StaffRole::Viewer, Action::SeeReportRecords));
        assert!(allows(StaffRole::Viewer, Action::SeeReport));
        assert!(!allows(StaffRole::Caseworker, Action::MergeDuplicates));
        assert!(!allows(StaffRole::Caseworker, Action::ManageStaff));
        assert!(allows(StaffRole::Administrator, Action::ManageStaff));
    }
}
