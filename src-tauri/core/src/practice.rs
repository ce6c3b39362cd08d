//! The practice centre: a year of invented work beside the real centre, for
//! new staff to learn on without touching a real person's file.
//!
//! Every record names its centre, so the practice centre's migrants, visits,
//! reports and partners never mix with the real ones, and removing it is
//! deleting everything that names it, in one transaction. The real centre's
//! data is never read or written by any of this.

use chrono::NaiveDate;
use rusqlite::{params, Connection};
use uuid::Uuid;

use crate::permission::Action;
use crate::centre::{self, SetupInput, StaffInput, StaffRole};
use crate::demo::{seed_demo, DemoOptions};
use crate::desk::DeskState;
use crate::error::{CoreError, Result};
use crate::record::now;
use crate::validate::Checks;
use crate::Desk;

/// Invented migrants in a practice centre: enough for every screen to show
/// something, few enough to be made in a moment.
pub const PRACTICE_MIGRANTS: usize = 120;

/// Tables whose rows hang off another table's row rather than naming the centre.
const CHILD_TABLES: &[(&str, &str, &str)] = &[
    ("family_link", "migrant_id", "migrant"),
    ("case_event", "case_id", "case_file"),
    ("referral_event", "referral_id", "referral"),
    ("group_participant", "session_id", "group_session"),
];

/// Tables with a `centre_id`, children before the rows they point to.
const CENTRE_TABLES: &[&str] = &[
    "report_span", "report_fact", "report_span_count", "report_count", "follow_up", "referral", "assistance", "visit", "case_file",
    "group_session", "anonymous_contact", "partner", "migrant_merge", "duplicate_dismissal", "consent", "migrant",
];

impl Desk {
    /// Moves the desk into the practice centre, making it the first time:
    /// named `name`, in the real centre's country and city, with the person
    /// at the desk as its first staff member and a year of invented work up
    /// to `today`.
    pub fn practice_start(&mut self, name: &str, today: NaiveDate) -> Result<DeskState> {
        let actor = self.allowed(Action::Practise)?;
        let existing = self.store().read(practice_centre)?;
        if existing.is_none() {
            self.make_practice_centre(actor.centre_id, actor.staff_id, name)?;
            self.store_mut().write(|tx| set_practising(tx, true))?;
            self.reload_actor()?;
            let seeded = seed_demo(self, &DemoOptions::new(rand::random(), PRACTICE_MIGRANTS, 5.0, today));
            if let Err(e) = seeded {
                // Half a practice centre is no use: take it away again.
                self.practice_remove()?;
                return Err(e);
            }
        } else {
            self.store_mut().write(|tx| set_practising(tx, true))?;
            self.reload_actor()?;
        }
        self.state()
    }

    /// Back to the real centre; the practice centre stays for next time.
    pub fn practice_leave(&mut self) -> Result<DeskState> {
        self.allowed(Action::Practise)?;
        self.store_mut().write(|tx| set_practising(tx, false))?;
        self.reload_actor()?;
        self.state()
    }

    /// Deletes the practice centre and everything in it, and goes back to the real centre.
    pub fn practice_remove(&mut self) -> Result<DeskState> {
        self.allowed(Action::Practise)?;
        self.store_mut().write(|tx| {
            let Some(centre_id) = practice_centre(tx)? else { return Ok(()) };
            tx.execute("UPDATE installation SET practising = 0, practice_centre_id = NULL, practice_staff_id = NULL, updated_at = ?1", [now()])?;
            for (table, link, parent) in CHILD_TABLES {
                tx.execute(&format!("DELETE FROM {table} WHERE {link} IN (SELECT id FROM {parent} WHERE centre_id = ?1)"), [centre_id])?;
            }
            for table in CENTRE_TABLES {
                tx.execute(&format!("DELETE FROM {table} WHERE centre_id = ?1"), [centre_id])?;
            }
            tx.execute("DELETE FROM staff WHERE centre_id = ?1", [centre_id])?;
            tx.execute("DELETE FROM centre WHERE id = ?1 AND practice = 1", [centre_id])?;
            Ok(())
        })?;
        self.reload_actor()?;
        self.state()
    }

    fn make_practice_centre(&mut self, home: Uuid, staff_id: Uuid, name: &str) -> Result<()> {
        if name.trim().is_empty() {
            let mut c = Checks::new();
            c.fail("name", "required", "the practice centre needs a name");
            c.finish()?;
        }
        self.store_mut().write(|tx| {
            let real = centre::get_centre(tx, home)?;
            let me = centre::list_staff(tx, home)?.into_iter().find(|s| s.id == staff_id).ok_or_else(|| CoreError::not_found("staff", staff_id))?;
            let input = SetupInput {
                centre_name: name.to_string(),
                country: real.country,
                city: real.city,
                // An administrator practises casework: as a supervisor, who sees it all.
                staff: StaffInput { full_name: me.full_name.clone(), role: Some(if me.role == StaffRole::Administrator { StaffRole::Supervisor } else { me.role }), password: String::new() },
                language: "en".into(),
            };
            let practice = centre::create_centre(tx, &input)?;
            tx.execute("UPDATE centre SET practice = 1 WHERE id = ?1", [practice.id])?;
            let staff = centre::add_staff(tx, practice.id, &input.staff, None)?;
            tx.execute(
                "UPDATE installation SET practice_centre_id = ?1, practice_staff_id = ?2, updated_at = ?3",
                params![practice.id, staff.id, now()],
            )?;
            Ok(())
        })
    }
}

fn practice_centre(conn: &Connection) -> Result<Option<Uuid>> {
    Ok(conn.query_row("SELECT practice_centre_id FROM installation", [], |r| r.get(0))?)
}

fn set_practising(tx: &Connection, on: bool) -> Result<()> {
    tx.execute("UPDATE installation SET practising = ?1, updated_at = ?2 WHERE practice_centre_id IS NOT NULL", params![on, now()])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::centre::StaffRole;
    use crate::report::{Period, ReportRequest};

    fn real_centre() -> Desk {
        let mut desk = Desk::open_in_memory().unwrap();
        crate::sample::start_centre(&mut desk, SetupInput {
            centre_name: "MRC Khujand".into(),
            country: "TJ".into(),
            city: "Khujand".into(),
            staff: StaffInput { full_name: "Dilnoza Karimova".into(), role: Some(StaffRole::Supervisor), password: crate::sample::PASSWORD.into() },
            language: "en".into(),
        })
        .unwrap();
        seed_demo(&mut desk, &DemoOptions::new(7, 30, 3.0, today())).unwrap();
        desk
    }

    fn today() -> NaiveDate {
        chrono::Utc::now().date_naive()
    }

    /// Every row of every table, so "nothing else changed" is checked whole.
    fn all_rows(desk: &Desk) -> Vec<(String, i64)> {
        desk.store()
            .read(|conn| {
                let tables: Vec<String> = conn
                    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name != 'audit_entry' ORDER BY name")?
                    .query_map([], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                let mut counts = Vec::new();
                for t in tables {
                    let n: i64 = conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))?;
                    counts.push((t, n));
                }
                Ok(counts)
            })
            .unwrap()
    }

    fn month_report(desk: &Desk) -> String {
        // Every centre of the database together, as the CLI's report counts them.
        let month = Period::month(&today().format("%Y-%m").to_string()).unwrap();
        let request = ReportRequest { centre_id: None, from: month.from, to: month.to, for_sharing: false };
        let mut report = serde_json::to_value(desk.report(&request).unwrap()).unwrap();
        report["generated_at"] = serde_json::Value::Null;
        report["generated_by"] = serde_json::Value::Null;
        report.to_string()
    }

    #[test]
    fn practice_is_a_centre_of_its_own_and_goes_in_one_step() {
        let mut desk = real_centre();
        let before_rows = all_rows(&desk);
        let before_report = month_report(&desk);
        let real = desk.state().unwrap().centre.unwrap();

        let state = desk.practice_start("Practice centre", today()).unwrap();
        let practice = state.centre.clone().unwrap();
        assert!(practice.practice && !real.practice);
        assert_ne!(practice.id, real.id);
        assert_eq!(state.home_centre_name.as_deref(), Some("MRC Khujand"));
        let me = state.staff.iter().find(|s| Some(s.id) == state.current_staff_id).unwrap();
        assert_eq!((me.full_name.as_str(), me.centre_id), ("Dilnoza Karimova", practice.id), "the person at the desk practises under their own name");
        let listed = desk.list_migrants(&Default::default()).unwrap();
        assert_eq!(listed.total as usize, PRACTICE_MIGRANTS, "the desk sees only the practice centre's people");

        // Leaving shows the real centre exactly as it was; coming back finds the practice again.
        let back = desk.practice_leave().unwrap();
        assert_eq!(back.centre.unwrap().id, real.id);
        assert!(back.has_practice);
        assert_eq!(month_report(&desk), before_report, "practice work never reaches the real report");
        assert_eq!(desk.practice_start("ignored", today()).unwrap().centre.unwrap().id, practice.id);

        let gone = desk.practice_remove().unwrap();
        assert_eq!(gone.centre.unwrap().id, real.id);
        assert!(!gone.has_practice);
        assert_eq!(all_rows(&desk), before_rows, "every practice row is gone and no real one");
        let practice_traces: i64 = desk.store().read(|c| Ok(c.query_row("SELECT count(*) FROM audit_entry WHERE centre_id = ?1", [practice.id], |r| r.get(0))?)).unwrap();
        assert_eq!(practice_traces, 0, "work with invented people leaves no audit trace");
        assert_eq!(month_report(&desk), before_report);
        let broken: i64 = desk.store().read(|c| Ok(c.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))?)).unwrap();
        assert_eq!(broken, 0);
    }

    #[test]
    fn from_the_practice_centre_no_report_reaches_a_real_person() {
        let mut desk = real_centre();
        let real: Vec<Uuid> = desk.list_migrants(&crate::migrant::MigrantQuery { page_size: 500, ..Default::default() }).unwrap().items.iter().map(|m| m.id).collect();
        desk.practice_start("Practice centre", today()).unwrap();
        // "Every centre" asked from the practice centre is the practice centre alone.
        let month = Period::month(&today().format("%Y-%m").to_string()).unwrap();
        let request = ReportRequest { centre_id: None, from: month.from.checked_sub_months(chrono::Months::new(11)).unwrap(), to: month.to, for_sharing: false };
        let records = desk.report_records(&request, &Default::default(), 0, 500).unwrap();
        assert!(records.total > 0);
        assert!(records.items.iter().all(|r| !real.contains(&r.migrant_id)), "no real person behind a practice report");
        let report = desk.report(&request).unwrap();
        assert_eq!(report.centres, vec!["Practice centre".to_string()]);
    }

    #[test]
    fn leaving_or_removing_without_practice_changes_nothing() {
        let mut desk = real_centre();
        let before = all_rows(&desk);
        desk.practice_leave().unwrap();
        desk.practice_remove().unwrap();
        assert_eq!(all_rows(&desk), before);
    }

    #[test]
    fn a_practice_centre_needs_a_name() {
        let mut desk = real_centre();
        let err = desk.practice_start("  ", today()).unwrap_err();
        assert!(matches!(err, CoreError::Validation(ref f) if f[0].field == "name"), "{err:?}");
        assert!(!desk.state().unwrap().has_practice);
    }
}
