//! Who may do what. Every service of the desk names its action and asks
//! here before it reads or writes, so the UI and the CLI cannot go around it.

use crate::centre::StaffRole;

use crate::vocab::vocabulary;

vocabulary! {
    /// What a service does, in the terms the roles are given in: seeing the
    /// centre; managing staff accounts and the lock time; centre settings;
    /// backups; reading and managing the partner directory; seeing people and
    /// working their cases; merging duplicates; the report's figures and the
    /// people behind them; the audit log; the practice centre; everything
    /// held about one person, for them (subject access); anonymising a person.
    Action {
        SeeCentre = "see_centre", ManageStaff = "manage_staff", SetUpCentre = "set_up_centre", Backups = "backups",
        SeePartners = "see_partners", ManagePartners = "manage_partners", SeePeople = "see_people", WorkCases = "work_cases",
        MergeDuplicates = "merge_duplicates", SeeReport = "see_report", SeeReportRecords = "see_report_records",
        SeeAudit = "see_audit", Practise = "practise", ExportPerson = "export_person", ErasePerson = "erase_person",
    }
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
            Action::ExportPerson => "export everything held about a person",
            Action::ErasePerson => "anonymise a person",
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
        MergeDuplicates | SeeReportRecords | ExportPerson | ErasePerson => role == Supervisor,
        SeeReport => matches!(role, Supervisor | Viewer),
        SeeAudit => matches!(role, Supervisor | Administrator),
        Practise => role != Viewer,
    }
}

/// The names of everything `role` may do, for the UI to offer only those
/// screens (the core refuses the rest either way).
pub fn allowed_to(role: StaffRole) -> Vec<Action> {
    Action::ALL.iter().copied().filter(|a| allows(role, *a)).collect()
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
