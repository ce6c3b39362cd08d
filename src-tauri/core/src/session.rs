//! Who is at the desk: signing in and out, locking after idle time, and the
//! check every service makes before it reads or writes.

use std::time::{Duration, Instant};

use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;

use crate::account;
use crate::audit::{self, Event};
use crate::centre::StaffRole;
use crate::desk::{Desk, DeskState};
use crate::error::{CoreError, Result};
use crate::permission::{allows, Action};
use crate::record::{now, Actor};
use crate::validate::Checks;

/// The person signed in, and whom they act as (themselves, or the invented
/// staff member they practise as).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Session {
    pub actor: Actor,
    pub role: StaffRole,
    /// The real account signed in, whose password unlocks the desk.
    pub person: Uuid,
    pub person_centre: Uuid,
    pub lock_after: Duration,
}

struct Account {
    centre_id: Uuid,
    role: StaffRole,
    active: bool,
    hash: Option<String>,
    failed: u32,
    last_failed: Option<chrono::DateTime<chrono::Utc>>,
    lock_minutes: u32,
}

fn account(conn: &Connection, staff_id: Uuid) -> Result<Option<Account>> {
    Ok(conn
        .query_row(
            "SELECT s.centre_id, s.role, s.active, s.password_hash, s.failed_sign_ins, s.last_failed_at, c.lock_minutes \
             FROM staff s JOIN centre c ON c.id = s.centre_id WHERE s.id = ?1",
            [staff_id],
            |r| Ok(Account { centre_id: r.get(0)?, role: r.get(1)?, active: r.get(2)?, hash: r.get(3)?, failed: r.get(4)?, last_failed: r.get(5)?, lock_minutes: r.get(6)? }),
        )
        .optional()?)
}

fn home_centre(conn: &Connection) -> Result<Option<Uuid>> {
    Ok(conn.query_row("SELECT centre_id FROM installation", [], |r| r.get(0)).optional()?)
}

/// Whether accounts without a password may still choose their own: true
/// until an administrator of the centre has a password.
pub(crate) fn first_passwords(conn: &Connection, centre_id: Uuid) -> Result<bool> {
    let administered: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM staff WHERE centre_id = ?1 AND role = 'administrator' AND active = 1 AND password_hash IS NOT NULL)",
        [centre_id],
        |r| r.get(0),
    )?;
    Ok(!administered)
}

impl Desk {
    /// Checks that someone is signed in, the desk is not locked, and their
    /// role allows `action`; answers in whose name to act. A refusal is
    /// written to the audit log.
    pub fn allowed(&self, action: Action) -> Result<Actor> {
        let Some(session) = self.session else {
            return Err(if self.store().read(home_centre)?.is_some() { CoreError::NotSignedIn } else { CoreError::NotSetUp });
        };
        if self.locked.get() || self.last_active.get().elapsed() > session.lock_after {
            self.locked.set(true);
            return Err(CoreError::DeskLocked);
        }
        if !allows(session.role, action) {
            let refusal = Event::plain("refused").with(serde_json::json!({ "action": action.as_str(), "role": session.role.as_str() }));
            self.store().note(|tx| audit::add(tx, &session.actor, refusal))?;
            return Err(CoreError::NotAllowed { action: action.describe(), role: session.role.as_str() });
        }
        self.last_active.set(Instant::now());
        Ok(session.actor)
    }

    pub fn is_signed_in(&self) -> bool {
        self.session.is_some()
    }

    /// Writes `event` to the audit log in the name of whoever is at the desk.
    /// Whether the person signed in sees only what their own work needs
    /// (a caseworker; see `need_to_know.rs`).
    pub(crate) fn limited(&self) -> bool {
        self.session.is_some_and(|s| crate::need_to_know::limited(s.role))
    }

    pub(crate) fn audit(&self, actor: &Actor, event: Event) -> Result<()> {
        self.store().note(|tx| audit::add(tx, actor, event))
    }

    /// Signs `staff_id` in with their password. After five wrong passwords
    /// each further try must wait longer (1 s, 2 s, 4 s... up to 15 minutes),
    /// and every failure is in the audit log.
    pub fn sign_in(&mut self, staff_id: Uuid, password: &str) -> Result<DeskState> {
        let (home, acc) = self.store().read(|conn| Ok((home_centre(conn)?, account(conn, staff_id)?)))?;
        let home = home.ok_or(CoreError::NotSetUp)?;
        let Some(acc) = acc.filter(|a| a.centre_id == home && a.active) else {
            let mut c = Checks::new();
            c.fail("staff_id", "unknown_staff", "is not an account of this centre");
            return Err(c.finish().unwrap_err());
        };
        self.check_password(staff_id, &acc, password)?;
        let lock_after = Duration::from_secs(u64::from(acc.lock_minutes) * 60);
        let actor = Actor { centre_id: home, staff_id };
        self.store_mut().write(|tx| {
            // Whoever signs in starts at their own centre, not in someone's practice.
            tx.execute("UPDATE installation SET current_staff_id = ?1, practising = 0, updated_at = ?2", params![staff_id, now()])?;
            audit::add(tx, &actor, Event::plain("sign_in"))
        })?;
        self.session = Some(Session { actor, role: acc.role, person: staff_id, person_centre: home, lock_after });
        self.locked.set(false);
        self.last_active.set(Instant::now());
        self.state()
    }

    /// Chooses a first password and signs in. Allowed only for an account
    /// without one while no administrator of the centre has a password: a
    /// database from before accounts, whose staff keep their accounts. From
    /// then on, an administrator sets passwords.
    pub fn claim_account(&mut self, staff_id: Uuid, new_password: &str) -> Result<DeskState> {
        let (home, acc, name, open) = self.store().read(|conn| {
            let home = home_centre(conn)?.ok_or(CoreError::NotSetUp)?;
            Ok((home, account(conn, staff_id)?, crate::centre::staff_name(conn, staff_id).unwrap_or_default(), first_passwords(conn, home)?))
        })?;
        let acc = acc.filter(|a| a.centre_id == home && a.active).ok_or_else(|| {
            let mut c = Checks::new();
            c.fail("staff_id", "unknown_staff", "is not an account of this centre");
            c.finish().unwrap_err()
        })?;
        if acc.hash.is_some() || !open {
            return Err(CoreError::NotAllowed { action: "choose a first password: an administrator sets it", role: acc.role.as_str() });
        }
        let mut c = Checks::new();
        account::check_new("password", new_password, &name, &mut c);
        c.finish()?;
        let hash = account::hash(new_password)?;
        let actor = Actor { centre_id: home, staff_id };
        self.store_mut().write(|tx| {
            tx.execute("UPDATE staff SET password_hash = ?1, updated_at = ?2 WHERE id = ?3", params![hash, now(), staff_id])?;
            audit::add(tx, &actor, Event::on("password_set", "staff", staff_id))
        })?;
        // An administrator's first password in a database from before encryption encrypts it.
        self.keep_keys_typed(staff_id, new_password)?;
        self.sign_in(staff_id, new_password)
    }

    /// Verifies a password, counting a failure (and the wait it brings) or
    /// clearing the count on success.
    fn check_password(&mut self, staff_id: Uuid, acc: &Account, password: &str) -> Result<()> {
        let wait = account::wait_seconds(acc.failed, acc.last_failed, now());
        if wait > 0 {
            return Err(CoreError::TooManyAttempts { seconds: wait });
        }
        let Some(hash) = &acc.hash else { return Err(CoreError::NoPassword) };
        let right = account::verify(password, hash)?;
        let actor = Actor { centre_id: acc.centre_id, staff_id };
        self.store_mut().write(|tx| {
            if right {
                tx.execute("UPDATE staff SET failed_sign_ins = 0, last_failed_at = NULL WHERE id = ?1", [staff_id])?;
                Ok(())
            } else {
                tx.execute("UPDATE staff SET failed_sign_ins = failed_sign_ins + 1, last_failed_at = ?2 WHERE id = ?1", params![staff_id, now()])?;
                audit::add(tx, &actor, Event::plain("sign_in_failed").with(serde_json::json!({ "failed": acc.failed + 1 })))
            }
        })?;
        if right { Ok(()) } else { Err(CoreError::WrongPassword) }
    }

    pub fn sign_out(&mut self) -> Result<DeskState> {
        if let Some(session) = self.session.take() {
            let person = Actor { centre_id: session.person_centre, staff_id: session.person };
            self.store_mut().write(|tx| audit::add(tx, &person, Event::plain("sign_out")))?;
        }
        self.locked.set(false);
        // The sign-in screen shown once the database is closed is as it is now.
        self.keep_keys()?;
        self.state()
    }

    /// Locks the desk (the person walked away, or the idle time passed); the
    /// screens stay as they were behind the lock.
    pub fn lock(&mut self) -> Result<DeskState> {
        if let Some(session) = self.session {
            if !self.locked.replace(true) {
                let person = Actor { centre_id: session.person_centre, staff_id: session.person };
                self.store_mut().write(|tx| audit::add(tx, &person, Event::plain("lock")))?;
            }
        }
        self.state()
    }

    /// Opens a locked desk again with the signed-in person's password.
    pub fn unlock(&mut self, password: &str) -> Result<DeskState> {
        let session = self.session.ok_or(CoreError::NotSignedIn)?;
        let acc = self.store().read(|conn| account(conn, session.person))?.ok_or(CoreError::NotSignedIn)?;
        self.check_password(session.person, &acc, password)?;
        let person = Actor { centre_id: session.person_centre, staff_id: session.person };
        self.store_mut().write(|tx| audit::add(tx, &person, Event::plain("unlock")))?;
        self.locked.set(false);
        self.last_active.set(Instant::now());
        self.state()
    }

    /// The person is still at work (typing a long note, reading): the idle
    /// clock starts again, unless the desk has locked already.
    pub fn touch(&mut self) -> Result<bool> {
        if let Some(session) = self.session {
            if self.locked.get() || self.last_active.get().elapsed() > session.lock_after {
                return Ok(self.lock()?.locked);
            }
            self.last_active.set(Instant::now());
        }
        Ok(self.locked.get())
    }

    /// Sets a password: one's own (with the current one), or, for an
    /// administrator, anyone's in the centre (a new colleague, a forgotten one).
    pub fn set_password(&mut self, staff_id: Uuid, current: Option<&str>, new_password: &str) -> Result<()> {
        let session = self.session.ok_or(CoreError::NotSignedIn)?;
        let own = staff_id == session.person;
        let actor = if own { self.allowed(Action::SeeCentre)? } else { self.allowed(Action::ManageStaff)? };
        let acc = self.store().read(|conn| account(conn, staff_id))?.ok_or_else(|| CoreError::not_found("staff", staff_id))?;
        if acc.centre_id != session.person_centre {
            return Err(CoreError::not_found("staff", staff_id));
        }
        let name = self.store().read(|conn| crate::centre::staff_name(conn, staff_id))?;
        let mut c = Checks::new();
        account::check_new("password", new_password, &name, &mut c);
        c.finish()?;
        if own {
            self.check_password(staff_id, &acc, current.unwrap_or_default()).map_err(|e| match e {
                CoreError::WrongPassword => {
                    let mut c = Checks::new();
                    c.fail("current_password", "wrong_password", "is not your current password");
                    c.finish().unwrap_err()
                }
                other => other,
            })?;
        }
        let hash = account::hash(new_password)?;
        self.store_mut().write(|tx| {
            tx.execute("UPDATE staff SET password_hash = ?1, failed_sign_ins = 0, last_failed_at = NULL, updated_at = ?2 WHERE id = ?3", params![hash, now(), staff_id])?;
            audit::add(tx, &actor, Event::on("password_set", "staff", staff_id))
        })?;
        // The new password unwraps its own copy of the key; the old one no longer does.
        self.keep_keys_typed(staff_id, new_password)
    }

    /// The minutes of idle time after which the desk locks, for the whole centre.
    pub fn set_lock_minutes(&mut self, minutes: u32) -> Result<DeskState> {
        let actor = self.allowed(Action::ManageStaff)?;
        if !(1..=240).contains(&minutes) {
            let mut c = Checks::new();
            c.fail("lock_minutes", "out_of_range", "must be between 1 and 240 minutes");
            c.finish()?;
        }
        self.store_mut().write(|tx| {
            tx.execute("UPDATE centre SET lock_minutes = ?1, updated_at = ?2 WHERE id = ?3", params![minutes, now(), actor.centre_id])?;
            audit::add(tx, &actor, Event::on("update", "centre", actor.centre_id).with(serde_json::json!({ "changes": { "lock_minutes": { "after": minutes } } })))
        })?;
        if let Some(s) = self.session.as_mut() {
            s.lock_after = Duration::from_secs(u64::from(minutes) * 60);
        }
        self.keep_keys()?;
        self.state()
    }

    /// After a restore: the person signed in stays who they are, with their
    /// role in the restored file, or is signed out when that file does not
    /// know them or has closed their account. The file's own idea of who was
    /// at the desk when it was copied is not taken.
    pub(crate) fn keep_person_after_restore(&mut self) -> Result<()> {
        let Some(session) = self.session else { return Ok(()) };
        let (home, acc) = self.store().read(|conn| Ok((home_centre(conn)?, account(conn, session.person)?)))?;
        let Some(acc) = acc.filter(|a| a.active && Some(a.centre_id) == home) else {
            self.session = None;
            return Ok(());
        };
        let actor = Actor { centre_id: acc.centre_id, staff_id: session.person };
        self.store_mut().write(|tx| {
            tx.execute("UPDATE installation SET current_staff_id = ?1, practising = 0, updated_at = ?2", params![session.person, now()])?;
            audit::add(tx, &actor, Event::plain("restore_backup"))
        })?;
        self.session = Some(Session { actor, role: acc.role, ..session });
        Ok(())
    }

    /// After the desk changed centre (practice) or database (restore): acts
    /// as whoever the installation now names, with their role.
    pub(crate) fn reload_session(&mut self) -> Result<()> {
        let Some(mut session) = self.session else { return Ok(()) };
        let installed = self.store().read(crate::desk::installed_actor)?;
        match installed {
            Some(actor) => {
                let role = self.store().read(|conn| Ok(account(conn, actor.staff_id)?.map(|a| a.role)))?;
                session.actor = actor;
                session.role = role.unwrap_or(StaffRole::Viewer);
                self.session = Some(session);
            }
            None => self.session = None,
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "session_tests.rs"]
mod tests;
