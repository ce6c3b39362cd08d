//! The services a caseworker's desk offers. The desktop shell and the CLI
//! call these and nothing below them, so every rule is checked here once.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use std::cell::Cell;
use std::time::Instant;

use crate::assistance::{self, Assistance, AssistanceInput};
use crate::audit::{self, Event};
use crate::permission::Action;
use crate::session::Session;
use crate::case::{self, Case, CaseEvent, CaseInput, CaseStatus, CaseTransition};
use crate::centre::{self, Centre, SetupInput, Staff, StaffInput, StaffRole, UI_LANGUAGES};
use crate::duplicate::{self, PossibleDuplicate};
use crate::error::{CoreError, Result};
use crate::family::{self, FamilyLinkInput, FamilyMember};
use crate::migrant::{self, Migrant, MigrantInput, MigrantQuery, MigrantSummary};
use crate::partner::{self, Partner, PartnerInput, PartnerQuery};
use crate::referral::{self, Referral, ReferralEvent, ReferralInput, ReferralStatus, ReferralTransition};
use crate::record::{new_id, now, set_deleted, Actor, Page};
use crate::store::{Store, SCHEMA_VERSION};
use crate::validate::Checks;
use crate::visit::{self, Visit, VisitInput};

/// What the UI needs to know before it shows anything.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DeskState {
    pub centre: Option<Centre>,
    pub staff: Vec<Staff>,
    pub current_staff_id: Option<Uuid>,
    pub language: String,
    #[ts(type = "number")]
    pub schema_version: i64,
    /// The installation has a practice centre (whether or not the desk is in it now).
    pub has_practice: bool,
    /// The real centre's name, shown on the way back from practice.
    pub home_centre_name: Option<String>,
    /// The account signed in (none: the sign-in screen shows).
    pub signed_in: Option<Uuid>,
    /// What the person at the desk may do, by their role (or the practice role they act in).
    pub role: Option<StaffRole>,
    /// The desk is locked until the signed-in person's password is given again.
    pub locked: bool,
    /// Idle minutes before the desk locks.
    pub lock_minutes: u32,
    /// What the person at the desk may do (`see_people`, `manage_staff`...): the role table's answer.
    pub permissions: Vec<Action>,
    /// Accounts without a password may choose their own at sign-in: a
    /// database from before accounts, where no administrator has one yet.
    pub first_passwords: bool,
    /// The database is encrypted but has no recovery key yet, and the person
    /// at the desk is the one to make it (an administrator).
    pub recovery_key_missing: bool,
}

/// Everything the profile page shows, read in one snapshot.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MigrantProfile {
    pub migrant: Migrant,
    pub family: Vec<FamilyMember>,
    pub cases: Vec<Case>,
    pub visits: Vec<Visit>,
    pub assistance: Vec<Assistance>,
    pub referrals: Vec<Referral>,
    pub follow_ups: Vec<crate::follow_up::FollowUp>,
    /// Each scope agreed to, who took it and when, and any withdrawal.
    pub consents: Vec<crate::consent::Consent>,
    /// Whether the consent on record lets a referral share data with partners
    /// (otherwise a referral needs a written reason).
    pub consents_to_sharing: bool,
    /// Cases whose notes are not shown to the person asking: another
    /// caseworker's (see `need_to_know.rs`).
    pub withheld_cases: Vec<Uuid>,
    /// The person's sensitive vulnerabilities and notes are not shown either.
    pub withheld_person: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ReferralDetail {
    pub referral: Referral,
    pub events: Vec<ReferralEvent>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct CaseDetail {
    pub case: Case,
    pub events: Vec<CaseEvent>,
}

pub struct Desk {
    store: Store,
    pub(crate) session: Option<Session>,
    pub(crate) locked: Cell<bool>,
    pub(crate) last_active: Cell<Instant>,
    /// The key file of an encrypted database (see `encryption.rs`).
    pub(crate) keys: Option<crate::keyring::KeyFile>,
    /// Opened by the app or the CLI: the database is encrypted as soon as
    /// an account has a password. Tests open plain files they can reopen.
    pub(crate) sealing: bool,
}

impl Desk {
    pub fn open(path: &Path) -> Result<Desk> {
        Self::with_store(Store::open(path)?)
    }

    pub fn open_in_memory() -> Result<Desk> {
        Self::with_store(Store::open_in_memory()?)
    }

    /// Nobody is signed in on a freshly opened desk.
    pub(crate) fn with_store(store: Store) -> Result<Desk> {
        Ok(Desk { store, session: None, locked: Cell::new(false), last_active: Cell::new(Instant::now()), keys: None, sealing: false })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub(crate) fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// Puts another store in place (a restore), handing back the one replaced.
    pub(crate) fn replace_store(&mut self, store: Store) -> Store {
        std::mem::replace(&mut self.store, store)
    }

    /// Reads again who is at the desk, after the database was replaced.
    pub(crate) fn reload_actor(&mut self) -> Result<()> {
        self.reload_session()
    }

    /// The staff member at the desk; every write is made in their name.
    /// Services ask [`Desk::allowed`] instead, which also checks the role.
    pub fn actor(&self) -> Result<Actor> {
        self.session.map(|s| s.actor).ok_or(CoreError::NotSignedIn)
    }

    // ----- centre and staff -----

    pub fn state(&self) -> Result<DeskState> {
        self.store.read(|conn| {
            let install = installation(conn)?;
            let session = self.session;
            let Some((centre_id, current, language)) = install else {
                return Ok(DeskState {
                    centre: None,
                    staff: vec![],
                    current_staff_id: None,
                    language: "en".into(),
                    schema_version: SCHEMA_VERSION,
                    has_practice: false,
                    home_centre_name: None,
                    signed_in: None,
                    role: None,
                    locked: false,
                    lock_minutes: 10,
                    first_passwords: false,
                    permissions: vec![],
                    recovery_key_missing: false,
                });
            };
            let (home, practice): (Uuid, Option<Uuid>) = conn.query_row("SELECT centre_id, practice_centre_id FROM installation", [], |r| Ok((r.get(0)?, r.get(1)?)))?;
            let lock_minutes: u32 = conn.query_row("SELECT lock_minutes FROM centre WHERE id = ?1", [home], |r| r.get(0))?;
            // Before anyone signs in, the sign-in screen lists the real centre's accounts.
            let centre_id = if session.is_some() { centre_id } else { home };
            let _ = current;
            Ok(DeskState {
                centre: Some(centre::get_centre(conn, centre_id)?),
                staff: centre::list_staff(conn, centre_id)?,
                current_staff_id: session.map(|s| s.actor.staff_id),
                language,
                schema_version: SCHEMA_VERSION,
                has_practice: practice.is_some(),
                home_centre_name: Some(centre::get_centre(conn, home)?.name),
                signed_in: session.map(|s| s.person),
                role: session.map(|s| s.role),
                locked: self.locked.get(),
                lock_minutes,
                first_passwords: crate::session::first_passwords(conn, home)?,
                permissions: session.map(|s| crate::permission::allowed_to(s.role)).unwrap_or_default(),
                recovery_key_missing: self.recovery_key_missing(),
            })
        })
    }

    /// First run: names the centre and its administrator, who is then signed in.
    pub fn set_up(&mut self, input: SetupInput) -> Result<DeskState> {
        input.check()?;
        let hash = crate::account::hash(&input.staff.password)?;
        let actor = self.store.write(|tx| {
            if installation(tx)?.is_some() {
                return Err(CoreError::AlreadySetUp);
            }
            let centre = centre::create_centre(tx, &input)?;
            let staff = centre::add_staff(tx, centre.id, &input.staff, Some(&hash))?;
            tx.execute("UPDATE staff SET language = ?1 WHERE id = ?2", params![input.language, staff.id])?;
            tx.execute(
                "INSERT INTO installation (id, centre_id, current_staff_id, language, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                params![new_id(), centre.id, staff.id, input.language, now()],
            )?;
            let actor = Actor { centre_id: centre.id, staff_id: staff.id };
            audit::add(tx, &actor, Event::on("create", "centre", centre.id))?;
            Ok(actor)
        })?;
        let lock_after = std::time::Duration::from_secs(10 * 60);
        self.session = Some(Session { actor, role: StaffRole::Administrator, person: actor.staff_id, person_centre: actor.centre_id, lock_after });
        self.last_active.set(Instant::now());
        // The centre is set up whatever happens next; a file that cannot be
        // encrypted now (a disk full) is encrypted at the next chance.
        let _ = self.seal_if_ready(Some((actor.staff_id, &input.staff.password)));
        self.state()
    }

    /// An administrator opens an account for a colleague, with a first
    /// password to hand over.
    pub fn add_staff(&mut self, input: StaffInput) -> Result<Staff> {
        let actor = self.allowed(Action::ManageStaff)?;
        let mut c = Checks::new();
        crate::account::check_new("password", &input.password, &input.full_name, &mut c);
        c.finish()?;
        let hash = crate::account::hash(&input.password)?;
        let staff = self.store.write(|tx| {
            let staff = centre::add_staff(tx, actor.centre_id, &input, Some(&hash))?;
            audit::add(tx, &actor, Event::on("create", "staff", staff.id).with(serde_json::json!({ "role": staff.role })))?;
            Ok(staff)
        })?;
        self.keep_keys_typed(staff.id, &input.password)?;
        Ok(staff)
    }

    /// An account that leaves: it can no longer sign in; its work stays in its name.
    pub fn set_staff_active(&mut self, staff_id: Uuid, active: bool) -> Result<DeskState> {
        let actor = self.allowed(Action::ManageStaff)?;
        if staff_id == actor.staff_id && !active {
            let mut c = Checks::new();
            c.fail("staff_id", "self", "you cannot close your own account");
            c.finish()?;
        }
        if !active {
            self.drop_slot(staff_id)?;
        }
        self.store.write(|tx| {
            let changed = tx.execute("UPDATE staff SET active = ?1, updated_at = ?2 WHERE id = ?3 AND centre_id = ?4", params![active, now(), staff_id, actor.centre_id])?;
            if changed == 0 {
                return Err(CoreError::not_found("staff", staff_id));
            }
            audit::add(tx, &actor, Event::on(if active { "restore" } else { "delete" }, "staff", staff_id))
        })?;
        // A closed account's copy of the database key goes from the key file.
        self.keep_keys()?;
        self.state()
    }

    /// In the practice centre, changes which invented staff member one acts
    /// as (to try the supervisor's screens, say). At the real desk, people
    /// change by signing in.
    pub fn switch_staff(&mut self, staff_id: Uuid) -> Result<DeskState> {
        let actor = self.allowed(Action::Practise)?;
        let practising: bool = self.store.read(|conn| Ok(conn.query_row("SELECT practising FROM installation", [], |r| r.get(0))?))?;
        if !practising {
            return Err(CoreError::NotAllowed { action: "act as someone else outside the practice centre", role: self.session.map(|s| s.role.as_str()).unwrap_or("") });
        }
        self.store.write(|tx| {
            let mut c = Checks::new();
            centre::check_staff_member(tx, actor.centre_id, staff_id, "staff_id", &mut c)?;
            c.finish()?;
            // In the practice centre, who practises changes; the real desk's choice stays.
            tx.execute(
                "UPDATE installation SET current_staff_id = CASE WHEN practising = 1 THEN current_staff_id ELSE ?1 END, \
                 practice_staff_id = CASE WHEN practising = 1 THEN ?1 ELSE practice_staff_id END, updated_at = ?2",
                params![staff_id, now()],
            )?;
            Ok(())
        })?;
        self.reload_session()?;
        self.state()
    }

    pub fn set_language(&mut self, language: &str) -> Result<()> {
        if !UI_LANGUAGES.contains(&language) {
            let mut c = Checks::new();
            c.fail("language", "unknown_language", format!("'{language}' is not a language of the interface"));
            return c.finish();
        }
        self.allowed(Action::SeeCentre)?;
        self.store.write(|tx| {
            // The installation keeps the last choice for whoever has not chosen yet.
            let at = now();
            tx.execute("UPDATE installation SET language = ?1, updated_at = ?2", params![language, at])?;
            if let Some(actor) = installed_actor(tx)? {
                tx.execute("UPDATE staff SET language = ?1, updated_at = ?2 WHERE id = ?3", params![language, at, actor.staff_id])?;
            }
            Ok(())
        })?;
        // The sign-in screen, shown before the data opens, speaks it too.
        self.keep_keys()
    }

    // ----- migrants -----

    /// Registers a person without asking whether they are registered
    /// already: for imports and generators, which decide that themselves.
    pub fn register_migrant(&mut self, input: MigrantInput) -> Result<Migrant> {
        self.register_new_migrant(input, true)
    }

    /// Registers a person from the desk: unless the caseworker has confirmed
    /// that this is someone new, a registration that looks like a person
    /// already registered is refused with `likely_duplicate`, and
    /// [`Desk::likely_duplicates`] names them. Bad fields are named first.
    pub fn register_new_migrant(&mut self, input: MigrantInput, confirmed_new: bool) -> Result<Migrant> {
        let actor = self.allowed(Action::WorkCases)?;
        let at = now();
        input.check(crate::record::local_day(at))?;
        if !confirmed_new {
            let count = self.likely_duplicates(&input, None)?.len();
            if count > 0 {
                return Err(CoreError::LikelyDuplicate { count });
            }
        }
        let record = migrant::from_input(&input, &actor, at, None);
        self.store.write(|tx| {
            migrant::save(tx, &record)?;
            crate::consent::keep_in_step(tx, &actor, &record, at, "")?;
            audit::add(tx, &actor, Event::on("create", "migrant", record.id))
        })?;
        Ok(record)
    }

    /// The registered people who look like `input`, most alike first;
    /// `exclude` leaves out the record being edited.
    pub fn likely_duplicates(&self, input: &MigrantInput, exclude: Option<Uuid>) -> Result<Vec<PossibleDuplicate>> {
        let actor = self.allowed(Action::SeePeople)?;
        let today = crate::record::local_day(now());
        self.store.read(|conn| duplicate::likely(conn, actor.centre_id, input, exclude, today))
    }

    pub fn update_migrant(&mut self, id: Uuid, mut input: MigrantInput) -> Result<Migrant> {
        let actor = self.allowed(Action::WorkCases)?;
        let at = now();
        // Said before any field problem: no edit can go through.
        self.store.read(|conn| crate::anonymise::refuse_if_anonymised(conn, id))?;
        let limited = self.limited();
        input.check(crate::record::local_day(at))?;
        self.store.write(|tx| {
            let existing = migrant::get(tx, actor.centre_id, id)?;
            let cases = if limited { case::of_migrant(tx, id)? } else { vec![] };
            if limited {
                crate::need_to_know::keep_withheld(&mut input, &existing, &cases, actor.staff_id);
            }
            let record = migrant::from_input(&input, &actor, at, Some(&existing));
            migrant::save(tx, &record)?;
            crate::consent::keep_in_step(tx, &actor, &record, at, "")?;
            audit::add(tx, &actor, Event::on("update", "migrant", id).with(audit::person_changes(tx, id, &existing, &record)?))?;
            let mut answer = record;
            if limited {
                crate::need_to_know::withhold_migrant(&mut answer, &cases, actor.staff_id);
            }
            Ok(answer)
        })
    }

    /// A person's whole file; each look at it is in the audit log.
    pub fn migrant_profile(&self, id: Uuid) -> Result<MigrantProfile> {
        let actor = self.allowed(Action::SeePeople)?;
        let mut profile = self.store.read(|conn| profile(conn, actor.centre_id, id))?;
        if self.limited() {
            crate::need_to_know::withhold_profile(&mut profile, actor.staff_id);
        }
        self.audit(&actor, Event::on("view", "migrant", id))?;
        Ok(profile)
    }

    pub fn list_migrants(&self, query: &MigrantQuery) -> Result<Page<MigrantSummary>> {
        let actor = self.allowed(Action::SeePeople)?;
        // Who has a sensitive vulnerability is itself sensitive: a caseworker
        // filtering on one finds only their own people.
        let sensitive = query.filter.as_ref().and_then(|f| f.vulnerability).is_some_and(|v| crate::need_to_know::SENSITIVE.contains(&v));
        if sensitive && self.limited() {
            let mut own = query.clone();
            if let Some(f) = own.filter.as_mut() {
                f.caseworker = Some(actor.staff_id);
            }
            return self.store.read(|conn| migrant::list(conn, actor.centre_id, &own));
        }
        self.store.read(|conn| migrant::list(conn, actor.centre_id, query))
    }

    pub fn delete_migrant(&mut self, id: Uuid) -> Result<()> {
        self.set_deleted("migrant", id, true)
    }

    /// Brings a deleted person back; not one merged into another, whose work has moved.
    pub fn restore_migrant(&mut self, id: Uuid) -> Result<()> {
        self.allowed(Action::WorkCases)?;
        let merged = self.store.read(|conn| Ok(conn.prepare_cached("SELECT 1 FROM migrant_merge WHERE merged_id = ?1")?.exists([id])?))?;
        if merged {
            let mut c = Checks::new();
            c.fail("id", "merged", "this record was merged into another: its work is there");
            c.finish()?;
        }
        self.set_deleted("migrant", id, false)
    }

    pub fn link_family(&mut self, input: FamilyLinkInput) -> Result<Vec<FamilyMember>> {
        let actor = self.allowed(Action::WorkCases)?;
        self.store.write(|tx| {
            family::link(tx, &actor, &input)?;
            audit::add(tx, &actor, Event::on("update", "migrant", input.migrant_id).with(serde_json::json!({ "family_link": input.relative_id })))?;
            family::of(tx, input.migrant_id)
        })
    }

    // ----- visits and assistance -----

    pub fn log_visit(&mut self, input: VisitInput) -> Result<Visit> {
        let actor = self.allowed(Action::WorkCases)?;
        let at = now();
        let record = self.store.write(|tx| {
            let mut c = Checks::new();
            input.check(at, &mut c);
            check_links(tx, &actor, input.migrant_id, input.case_id, None, &mut c)?;
            c.finish()?;
            let record = input.into_visit(&actor, at);
            visit::insert(tx, &record)?;
            audit::add(tx, &actor, Event::on("create", "visit", record.id))?;
            Ok(record)
        })?;
        Ok(record)
    }

    pub fn record_assistance(&mut self, input: AssistanceInput) -> Result<Assistance> {
        let actor = self.allowed(Action::WorkCases)?;
        let at = now();
        self.store.write(|tx| {
            let mut c = Checks::new();
            input.check(crate::record::local_day(at), &mut c);
            check_links(tx, &actor, input.migrant_id, input.case_id, input.visit_id, &mut c)?;
            c.finish()?;
            let record = input.into_assistance(&actor, at);
            assistance::insert(tx, &record)?;
            audit::add(tx, &actor, Event::on("create", "assistance", record.id))?;
            Ok(record)
        })
    }

    pub fn delete_visit(&mut self, id: Uuid) -> Result<()> {
        self.set_deleted("visit", id, true)
    }

    pub fn delete_assistance(&mut self, id: Uuid) -> Result<()> {
        self.set_deleted("assistance", id, true)
    }

    // ----- cases -----

    pub fn open_case(&mut self, input: CaseInput) -> Result<Case> {
        let actor = self.allowed(Action::WorkCases)?;
        let at = now();
        self.store.write(|tx| {
            let mut c = Checks::new();
            input.check(crate::record::local_day(at), &mut c);
            check_links(tx, &actor, input.migrant_id, None, None, &mut c)?;
            if let Some(staff) = input.assigned_to {
                centre::check_staff_member(tx, actor.centre_id, staff, "assigned_to", &mut c)?;
            }
            c.finish()?;
            let record = case::build(input, &actor, at);
            case::insert(tx, &record)?;
            case::record_event(tx, record.id, None, CaseStatus::Open, "", &actor, at)?;
            audit::add(tx, &actor, Event::on("create", "case_file", record.id))?;
            Ok(record)
        })
    }

    pub fn move_case(&mut self, transition: CaseTransition) -> Result<Case> {
        let actor = self.allowed(Action::WorkCases)?;
        let limited = self.limited();
        let at = now();
        self.store.write(|tx| {
            let mut record = case::get(tx, actor.centre_id, transition.case_id)?;
            let from = record.status;
            case::apply(&mut record, &transition, &actor, at)?;
            case::update_status(tx, &record)?;
            case::record_event(tx, record.id, Some(from), record.status, &transition.note, &actor, at)?;
            audit::add(tx, &actor, Event::on("update", "case_file", record.id).with(serde_json::json!({ "changes": { "status": { "before": from, "after": record.status } } })))?;
            if limited {
                crate::need_to_know::withhold_case_record(&mut record, actor.staff_id);
            }
            Ok(record)
        })
    }

    pub fn case_detail(&self, id: Uuid) -> Result<CaseDetail> {
        let actor = self.allowed(Action::SeePeople)?;
        let mut detail = self.store.read(|conn| Ok(CaseDetail { case: case::get(conn, actor.centre_id, id)?, events: case::events(conn, id)? }))?;
        if self.limited() {
            crate::need_to_know::withhold_case(&mut detail, actor.staff_id);
        }
        Ok(detail)
    }

    pub fn delete_case(&mut self, id: Uuid) -> Result<()> {
        self.set_deleted("case_file", id, true)
    }

    // ----- partners and referrals -----

    /// Adds a partner to the directory (`id` None) or changes one.
    pub fn save_partner(&mut self, id: Option<Uuid>, input: PartnerInput) -> Result<Partner> {
        let actor = self.allowed(Action::ManagePartners)?;
        input.check()?;
        self.store.write(|tx| {
            let existing = id.map(|id| partner::get(tx, actor.centre_id, id)).transpose()?;
            let record = partner::build(&input, &actor, existing.as_ref());
            partner::save(tx, &record)?;
            let event = match &existing {
                Some(before) => Event::on("update", "partner", record.id).with(audit::changes(before, &record)),
                None => Event::on("create", "partner", record.id),
            };
            audit::add(tx, &actor, event)?;
            Ok(record)
        })
    }

    pub fn list_partners(&self, query: &PartnerQuery) -> Result<Vec<Partner>> {
        let actor = self.allowed(Action::SeePartners)?;
        self.store.read(|conn| partner::list(conn, actor.centre_id, query))
    }

    /// A partner that stops taking referrals is deactivated, never deleted, so
    /// its referrals keep their history.
    pub fn set_partner_active(&mut self, id: Uuid, active: bool) -> Result<Partner> {
        let actor = self.allowed(Action::ManagePartners)?;
        self.store.write(|tx| {
            partner::set_active(tx, actor.centre_id, id, active, &actor)?;
            audit::add(tx, &actor, Event::on("update", "partner", id).with(serde_json::json!({ "changes": { "active": { "after": active } } })))?;
            partner::get(tx, actor.centre_id, id)
        })
    }

    /// Deletes a partner entered by mistake; one with referrals must be deactivated instead.
    pub fn delete_partner(&mut self, id: Uuid) -> Result<()> {
        let actor = self.allowed(Action::ManagePartners)?;
        self.store.write(|tx| {
            if partner::has_referrals(tx, id)? {
                return Err(CoreError::InUse { kind: "partner", id: id.to_string() });
            }
            set_deleted(tx, "partner", id, &actor, true)?;
            audit::add(tx, &actor, Event::on("delete", "partner", id))
        })
    }

    /// Refers the migrant of an open case to a partner, on their consent or a written override.
    pub fn refer(&mut self, input: ReferralInput) -> Result<Referral> {
        let actor = self.allowed(Action::WorkCases)?;
        let at = now();
        self.store.write(|tx| {
            let case = case::get(tx, actor.centre_id, input.case_id)?;
            let person = migrant::get(tx, actor.centre_id, case.migrant_id)?;
            let partner = match input.partner_id {
                Some(id) => match partner::get(tx, actor.centre_id, id) {
                    Ok(p) => Some(p),
                    Err(CoreError::NotFound { .. }) => None,
                    Err(e) => return Err(e),
                },
                None => None,
            };
            let mut c = Checks::new();
            if case.status == CaseStatus::Closed {
                c.fail("case_id", "case_closed", "is closed: reopen it to refer");
            }
            let basis = input.check(partner.as_ref(), &person, &mut c);
            c.finish()?;
            // `check` refused a missing partner above, so this is never taken.
            let Some(partner) = partner else { return Err(CoreError::not_found("partner", "none")) };
            let record = input.build(person.id, &partner, basis, &actor, at);
            referral::insert(tx, &record)?;
            referral::record_event(tx, record.id, None, ReferralStatus::Draft, "", &actor, at)?;
            audit::add(tx, &actor, Event::on("create", "referral", record.id).with(serde_json::json!({ "partner": record.partner_id })))?;
            if record.status != ReferralStatus::Draft {
                referral::record_event(tx, record.id, Some(ReferralStatus::Draft), record.status, "", &actor, at)?;
            }
            Ok(record)
        })
    }

    pub fn move_referral(&mut self, transition: ReferralTransition) -> Result<Referral> {
        let actor = self.allowed(Action::WorkCases)?;
        let limited = self.limited();
        let at = now();
        self.store.write(|tx| {
            let mut record = referral::get(tx, actor.centre_id, transition.referral_id)?;
            let from = record.status;
            referral::apply(&mut record, &transition, &actor, at)?;
            referral::update_status(tx, &record)?;
            referral::record_event(tx, record.id, Some(from), record.status, &transition.note, &actor, at)?;
            audit::add(tx, &actor, Event::on("update", "referral", record.id).with(serde_json::json!({ "changes": { "status": { "before": from, "after": record.status } } })))?;
            if limited {
                let case = case::get(tx, actor.centre_id, record.case_id)?;
                crate::need_to_know::withhold_referral_record(&mut record, &case, actor.staff_id);
            }
            Ok(record)
        })
    }

    pub fn referral_detail(&self, id: Uuid) -> Result<ReferralDetail> {
        let actor = self.allowed(Action::SeePeople)?;
        let limited = self.limited();
        self.store.read(|conn| {
            let mut detail = ReferralDetail { referral: referral::get(conn, actor.centre_id, id)?, events: referral::events(conn, id)? };
            if limited {
                let case = case::get(conn, actor.centre_id, detail.referral.case_id)?;
                crate::need_to_know::withhold_referral(&mut detail, &case, actor.staff_id);
            }
            Ok(detail)
        })
    }

    fn set_deleted(&mut self, table: &'static str, id: Uuid, deleted: bool) -> Result<()> {
        let actor = self.allowed(Action::WorkCases)?;
        self.store.write(|tx| {
            set_deleted(tx, table, id, &actor, deleted)?;
            audit::add(tx, &actor, Event::on(if deleted { "delete" } else { "restore" }, table, id))
        })
    }
}

/// The centre the desk works in now (the practice centre while practising),
/// who is at it, and the language: theirs, or the installation's until they choose.
fn installation(conn: &Connection) -> Result<Option<(Uuid, Option<Uuid>, String)>> {
    Ok(conn
        .query_row(
            "SELECT i.centre, i.staff, COALESCE(s.language, i.language) FROM \
             (SELECT CASE WHEN practising = 1 THEN practice_centre_id ELSE centre_id END AS centre, \
              CASE WHEN practising = 1 THEN practice_staff_id ELSE current_staff_id END AS staff, language FROM installation LIMIT 1) i \
             LEFT JOIN staff s ON s.id = i.staff",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}

pub(crate) fn installed_actor(conn: &Connection) -> Result<Option<Actor>> {
    Ok(installation(conn)?.and_then(|(centre_id, staff, _)| staff.map(|staff_id| Actor { centre_id, staff_id })))
}

/// A record that points to a migrant, a case or a visit must point to ones
/// that exist, in this centre, and belong to the same person.
pub(crate) fn check_links(tx: &Connection, actor: &Actor, migrant_id: Uuid, case_id: Option<Uuid>, visit_id: Option<Uuid>, c: &mut Checks) -> Result<()> {
    if !migrant::exists(tx, actor.centre_id, migrant_id)? {
        return Err(CoreError::not_found("migrant", migrant_id));
    }
    crate::anonymise::refuse_if_anonymised(tx, migrant_id)?;
    if let Some(id) = case_id {
        match case::get(tx, actor.centre_id, id) {
            Ok(k) if k.migrant_id != migrant_id => c.fail("case_id", "other_migrant", "belongs to another person"),
            Ok(_) => {}
            Err(CoreError::NotFound { .. }) => c.fail("case_id", "unknown_case", "is not an existing case"),
            Err(e) => return Err(e),
        }
    }
    if let Some(id) = visit_id {
        match visit::migrant_of(tx, actor.centre_id, id)? {
            Some(owner) if owner != migrant_id => c.fail("visit_id", "other_migrant", "belongs to another person"),
            Some(_) => {}
            None => c.fail("visit_id", "unknown_visit", "is not an existing visit"),
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "desk_tests.rs"]
mod tests;

/// Everything held about one person of the centre.
pub(crate) fn profile(conn: &Connection, centre_id: Uuid, id: Uuid) -> Result<MigrantProfile> {
    let migrant = migrant::get(conn, centre_id, id)?;
    Ok(MigrantProfile {
        consents_to_sharing: referral::consents_to_sharing(&migrant),
        migrant,
        family: family::of(conn, id)?,
        cases: case::of_migrant(conn, id)?,
        visits: visit::of_migrant(conn, id)?,
        assistance: assistance::of_migrant(conn, id)?,
        referrals: referral::of_migrant(conn, id)?,
        follow_ups: crate::follow_up::of_migrant(conn, id)?,
        consents: crate::consent::of_migrant(conn, id)?,
        withheld_cases: vec![],
        withheld_person: false,
    })
}
