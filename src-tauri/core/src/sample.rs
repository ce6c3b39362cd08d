//! Invented accounts for tests, benchmarks and demo data: one shared
//! password, an administrator who opens the centre, and colleagues signed in
//! by role. Never used for a real centre: the first-run screen and `mrc init`
//! ask for real passwords.

use uuid::Uuid;

use crate::centre::{SetupInput, StaffInput, StaffRole};
use crate::desk::{Desk, DeskState};
use crate::error::{CoreError, Result};

/// The password of every invented account.
pub const PASSWORD: &str = "river stone lamp tea";
/// The name of the administrator who sets an invented centre up.
pub const ADMINISTRATOR: &str = "Centre Administrator";

/// Sets a centre up with an administrator and signs in a first colleague
/// named and with the role given in `input.staff` (the administrator
/// themselves if the role is administrator).
pub fn start_centre(desk: &mut Desk, mut input: SetupInput) -> Result<DeskState> {
    let first = std::mem::take(&mut input.staff);
    let role = first.role.unwrap_or(StaffRole::Caseworker);
    let admin_name = if role == StaffRole::Administrator { first.full_name.clone() } else { ADMINISTRATOR.to_string() };
    input.staff = StaffInput { full_name: admin_name, role: Some(StaffRole::Administrator), password: PASSWORD.into() };
    let state = desk.set_up(input)?;
    if role == StaffRole::Administrator {
        return Ok(state);
    }
    colleague(desk, &first.full_name, role)?;
    desk.state()
}

/// An invented centre in Dushanbe, for `start_centre`, whose first
/// colleague is `staff` with `role`, working in `language`.
pub fn dushanbe(staff: &str, role: StaffRole, language: &str) -> SetupInput {
    SetupInput {
        centre_name: "MRC Dushanbe".into(),
        country: "TJ".into(),
        city: "Dushanbe".into(),
        staff: StaffInput { full_name: staff.into(), role: Some(role), password: PASSWORD.into() },
        language: language.into(),
    }
}

/// The administrator opens an account for a new colleague, who then signs in.
pub fn colleague(desk: &mut Desk, name: &str, role: StaffRole) -> Result<Uuid> {
    let admin = administrator(desk)?;
    desk.sign_in(admin, PASSWORD)?;
    let staff = desk.add_staff(StaffInput { full_name: name.into(), role: Some(role), password: PASSWORD.into() })?;
    desk.sign_in(staff.id, PASSWORD)?;
    Ok(staff.id)
}

/// Opens an account for a colleague and goes back to whoever was signed in.
pub fn add_colleague(desk: &mut Desk, name: &str, role: StaffRole) -> Result<Uuid> {
    let me = desk.state()?.signed_in.ok_or(CoreError::NotSignedIn)?;
    let id = colleague(desk, name, role)?;
    sign_in(desk, me)?;
    Ok(id)
}

/// Signs an invented account in again.
pub fn sign_in(desk: &mut Desk, staff_id: Uuid) -> Result<DeskState> {
    desk.sign_in(staff_id, PASSWORD)
}

/// Signs in an invented centre's account of `role`. A benchmark's database
/// kept from before accounts gets its first password here.
pub fn sign_in_role(desk: &mut Desk, role: StaffRole) -> Result<Uuid> {
    let state = desk.state()?;
    let of_role = |s: &&crate::centre::Staff| s.role == role && s.active;
    if let Some(s) = state.staff.iter().filter(of_role).find(|s| s.has_password) {
        desk.sign_in(s.id, PASSWORD)?;
        return Ok(s.id);
    }
    let s = state.staff.iter().find(of_role).ok_or(CoreError::NotSetUp)?;
    desk.claim_account(s.id, PASSWORD)?;
    Ok(s.id)
}

/// The centre's first administrator with a password.
pub fn administrator(desk: &Desk) -> Result<Uuid> {
    desk.state()?
        .staff
        .into_iter()
        .find(|s| s.role == StaffRole::Administrator && s.has_password && s.active)
        .map(|s| s.id)
        .ok_or(CoreError::NotSetUp)
}
