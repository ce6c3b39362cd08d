//! Who can open the database file. The file is encrypted (SQLCipher) under
//! one random key that never changes; the key file beside it holds that key
//! wrapped once for each account that has a password, and once under the
//! recovery key. A new account, a changed password or a closed account
//! rewraps or drops one copy: the database itself is never encrypted again.
//!
//! An account's copy is wrapped (XChaCha20-Poly1305) under a key derived
//! from its password with Argon2id and a salt of the slot's own, so the
//! password hash kept in the database never unwraps it. The one exception
//! is a database encrypted on its first opening after an upgrade, when no
//! password is at hand: its slots derive from the stored hashes
//! ("transitional"), and each is wrapped anew under its own salt at that
//! account's next sign-in. The key file also keeps what the sign-in screen
//! shows before anything is open (the centre and its accounts, nothing
//! about any migrant), and failed sign-ins made while the database was
//! closed, for the wait they bring and for the audit log. A backup's copy
//! of the key file keeps the recovery slot only: an old password, or a
//! closed account's, opens no backup.

use std::io::Write;
use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use chrono::{DateTime, Utc};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::centre::{Centre, Staff};
use crate::desk::DeskState;
use crate::error::{CoreError, Result};
use crate::validate::Checks;

const FORMAT: u32 = 1;
const RECOVERY_BYTES: usize = 20;
/// RFC 4648 base32: no 0, 1, 8 or 9 to mistake for O, I or B when copied by hand.
const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// The database key: 32 random bytes, wiped from memory when dropped.
#[derive(Clone)]
pub struct DbKey(Zeroizing<[u8; 32]>);

/// Never printed: a debug view shows that a key is there, not the key.
impl std::fmt::Debug for DbKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbKey(..)")
    }
}

impl DbKey {
    pub(crate) fn random() -> DbKey {
        let mut bytes = Zeroizing::new([0u8; 32]);
        rand::rng().fill_bytes(bytes.as_mut());
        DbKey(bytes)
    }

    /// SQLCipher's raw-key form (`x'…'`), which skips its own slow key
    /// derivation: the key is random, not a password.
    pub(crate) fn raw_form(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("x'{}'", hex(self.0.as_ref())))
    }

    fn from_bytes(bytes: &[u8]) -> Option<DbKey> {
        let array: [u8; 32] = bytes.try_into().ok()?;
        Some(DbKey(Zeroizing::new(array)))
    }
}

/// The key file: `mrc-desk.keys` beside `mrc-desk.db`.
#[derive(Clone, Serialize, Deserialize)]
pub struct KeyFile {
    format: u32,
    accounts: Vec<Slot>,
    recovery: Option<Wrapped>,
    /// What the sign-in screen shows while the database is closed.
    pub screen: SignInScreen,
    /// Failed sign-ins not yet in the audit log: the database was closed.
    unlogged: Vec<Failure>,
}

#[derive(Clone, Serialize, Deserialize)]
struct Slot {
    staff_id: Uuid,
    key: Wrapped,
    /// Which stored password hash this slot stands for (a digest of it): a
    /// changed password makes the slot stale.
    for_hash: String,
    /// Derived from the stored hash (see above), until the next sign-in.
    transitional: bool,
    failed: u32,
    last_failed_at: Option<DateTime<Utc>>,
}

/// The database key wrapped under a key derived from a secret with Argon2id.
#[derive(Clone, Serialize, Deserialize)]
struct Wrapped {
    /// The Argon2id settings and salt (a PHC string without its hash).
    argon2: String,
    nonce: String,
    sealed: String,
}

#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct Failure {
    pub staff_id: Uuid,
    pub at: DateTime<Utc>,
}

/// The centre and its accounts as the sign-in screen lists them.
#[derive(Clone, Serialize, Deserialize)]
pub struct SignInScreen {
    pub centre: Centre,
    pub staff: Vec<Staff>,
    pub language: String,
    pub lock_minutes: u32,
    pub has_practice: bool,
}

/// Where the key file of the database at `db` is.
pub fn path_for(db: &Path) -> PathBuf {
    db.with_extension("keys")
}

/// Whether the file at `path` is a database that needs a key: anything but
/// a plain SQLite file (which starts with its name) or an empty one.
pub fn is_encrypted(path: &Path) -> Result<bool> {
    use std::io::Read;
    let mut header = [0u8; 16];
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e.into()),
    };
    let read = file.read(&mut header)?;
    Ok(read > 0 && &header[..read.min(16)] != &b"SQLite format 3\0"[..read.min(16)])
}

impl KeyFile {
    pub(crate) fn new(screen: SignInScreen) -> KeyFile {
        KeyFile { format: FORMAT, accounts: vec![], recovery: None, screen, unlogged: vec![] }
    }

    /// The key file of the database at `db`, if it has one.
    pub fn load(db: &Path) -> Result<Option<KeyFile>> {
        let bytes = match std::fs::read(path_for(db)) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let file: KeyFile = serde_json::from_slice(&bytes).map_err(|e| CoreError::Corrupt(format!("the key file is unreadable: {e}")))?;
        if file.format != FORMAT {
            return Err(CoreError::Corrupt(format!("the key file has format {}, this version knows {FORMAT}", file.format)));
        }
        Ok(Some(file))
    }

    /// Writes the key file beside the database at `db`: a whole new file
    /// moved into place, so a crash leaves the old one or the new one.
    pub fn save(&self, db: &Path) -> Result<()> {
        let target = path_for(db);
        let partial = target.with_extension("keys-new");
        {
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create(true).truncate(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut file = options.open(&partial)?;
            file.write_all(&serde_json::to_vec_pretty(self)?)?;
            file.sync_all()?;
        }
        std::fs::rename(&partial, &target)?;
        crate::backup::sync_dir(&target);
        Ok(())
    }

    /// Takes the key file as it is on disk now: another program (the CLI)
    /// may have changed it since it was read. Kept as it is when there is none.
    pub fn reread(&mut self, db: &Path) -> Result<()> {
        if let Some(on_disk) = KeyFile::load(db)? {
            *self = on_disk;
        }
        Ok(())
    }

    /// The sign-in screen's state while the database is closed.
    pub fn desk_state(&self) -> DeskState {
        let s = &self.screen;
        DeskState {
            centre: Some(s.centre.clone()),
            staff: s.staff.clone(),
            current_staff_id: None,
            language: s.language.clone(),
            schema_version: crate::store::SCHEMA_VERSION,
            has_practice: s.has_practice,
            home_centre_name: Some(s.centre.name.clone()),
            signed_in: None,
            role: None,
            locked: false,
            lock_minutes: s.lock_minutes,
            permissions: vec![],
            first_passwords: false,
            recovery_key_missing: false,
        }
    }

    pub fn has_recovery(&self) -> bool {
        self.recovery.is_some()
    }

    /// The database key, unwrapped with `staff_id`'s password. A wrong
    /// password is counted (and kept for the audit log) in the key file;
    /// after five, each try waits longer, as at the desk.
    pub fn unwrap(&mut self, db: &Path, staff_id: Uuid, password: &str) -> Result<DbKey> {
        let Some(slot) = self.accounts.iter_mut().find(|s| s.staff_id == staff_id) else {
            let mut c = Checks::new();
            c.fail("staff_id", "unknown_staff", "has no password on this installation");
            return Err(c.finish().unwrap_err());
        };
        let now = Utc::now();
        let wait = crate::account::wait_seconds(slot.failed, slot.last_failed_at, now);
        if wait > 0 {
            return Err(CoreError::TooManyAttempts { seconds: wait });
        }
        let material = crate::account::output_for(&slot.key.argon2, password)?;
        if let Some(key) = slot.key.open(&material, staff_id.as_bytes()) {
            return Ok(key);
        }
        // Counted in the file as it is on disk now.
        self.reread(db)?;
        if let Some(slot) = self.accounts.iter_mut().find(|s| s.staff_id == staff_id) {
            slot.failed += 1;
            slot.last_failed_at = Some(now);
        }
        self.unlogged.push(Failure { staff_id, at: now });
        self.save(db)?;
        Err(CoreError::WrongPassword)
    }

    /// Whether `staff_id`'s slot still derives from the stored hash, to be
    /// wrapped anew under its own salt now that the password is known.
    pub(crate) fn is_transitional(&self, staff_id: Uuid) -> bool {
        self.accounts.iter().any(|s| s.staff_id == staff_id && s.transitional)
    }

    /// Removes `staff_id`'s slot (an account being closed), before the
    /// database says so: a crash in between leaves the account unable to
    /// open the data, never a closed account able to.
    pub(crate) fn remove_account(&mut self, staff_id: Uuid) {
        self.accounts.retain(|s| s.staff_id != staff_id);
    }

    /// The copy kept beside a backup: the recovery slot and the sign-in
    /// screen, no account's slot.
    pub(crate) fn for_backup(&self) -> KeyFile {
        KeyFile { accounts: vec![], unlogged: vec![], ..self.clone() }
    }

    /// The database key, unwrapped with the recovery key (spaces, dashes and
    /// letter case do not matter).
    pub fn unwrap_with_recovery(&self, code: &str) -> Result<DbKey> {
        let wrong = || {
            let mut c = Checks::new();
            c.fail("recovery_key", "wrong_recovery_key", "is not this centre's recovery key");
            c.finish().unwrap_err()
        };
        let recovery = self.recovery.as_ref().ok_or_else(wrong)?;
        let material = crate::account::output_for(&recovery.argon2, &normalise_code(code))?;
        recovery.open(&material, b"recovery").ok_or_else(wrong)
    }

    /// One slot per account in `accounts` (id and stored password hash). A
    /// slot whose hash is unchanged is kept as it is, with its failures;
    /// `typed` (an account and the password just set or typed for it) gets
    /// a slot under a salt of its own; any other account without a current
    /// slot gets a transitional one from its stored hash.
    pub(crate) fn set_accounts(&mut self, key: &DbKey, accounts: &[(Uuid, String)], typed: Option<(Uuid, &str)>) -> Result<()> {
        let mut slots = Vec::with_capacity(accounts.len());
        for (staff_id, stored) in accounts {
            let for_hash = digest_of(stored);
            let kept = self.accounts.iter().find(|s| s.staff_id == *staff_id && s.for_hash == for_hash);
            let slot = match (typed.filter(|(id, _)| id == staff_id), kept) {
                (Some((_, password)), _) => {
                    let own = crate::account::hash(password)?;
                    let wrapped = Wrapped::seal(key, crate::account::settings_of(&own)?, &crate::account::output_of(&own)?, staff_id.as_bytes())?;
                    Slot { staff_id: *staff_id, key: wrapped, for_hash, transitional: false, failed: 0, last_failed_at: None }
                }
                (None, Some(kept)) => kept.clone(),
                (None, None) => {
                    let wrapped = Wrapped::seal(key, crate::account::settings_of(stored)?, &crate::account::output_of(stored)?, staff_id.as_bytes())?;
                    Slot { staff_id: *staff_id, key: wrapped, for_hash, transitional: true, failed: 0, last_failed_at: None }
                }
            };
            slots.push(slot);
        }
        self.accounts = slots;
        Ok(())
    }

    /// A new recovery key for `key`, replacing any earlier one; shown once.
    pub(crate) fn new_recovery(&mut self, key: &DbKey) -> Result<String> {
        let mut bytes = Zeroizing::new([0u8; RECOVERY_BYTES]);
        rand::rng().fill_bytes(bytes.as_mut());
        let code = Zeroizing::new(base32(bytes.as_ref()));
        let stored = crate::account::hash(&code)?;
        let material = crate::account::output_of(&stored)?;
        self.recovery = Some(Wrapped::seal(key, crate::account::settings_of(&stored)?, &material, b"recovery")?);
        Ok(grouped(&code))
    }

    /// The failed sign-ins made while the database was closed, for the audit
    /// log; the accounts' counts (and waits) stay until each signs in.
    pub(crate) fn take_unlogged(&mut self) -> Vec<Failure> {
        std::mem::take(&mut self.unlogged)
    }

    pub(crate) fn clear_failures(&mut self, staff_id: Uuid) {
        if let Some(slot) = self.accounts.iter_mut().find(|s| s.staff_id == staff_id) {
            slot.failed = 0;
            slot.last_failed_at = None;
        }
    }

    /// The accounts that can open the database.
    pub fn account_ids(&self) -> Vec<Uuid> {
        self.accounts.iter().map(|s| s.staff_id).collect()
    }
}

impl Wrapped {
    fn seal(key: &DbKey, argon2: String, material: &[u8], context: &[u8]) -> Result<Wrapped> {
        let mut nonce = [0u8; 24];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = cipher(material)
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: key.0.as_ref(), aad: context })
            .map_err(|_| CoreError::Corrupt("cannot wrap the database key".into()))?;
        Ok(Wrapped { argon2, nonce: hex(&nonce), sealed: hex(&sealed) })
    }

    fn open(&self, material: &[u8], context: &[u8]) -> Option<DbKey> {
        let nonce = unhex(&self.nonce).filter(|n| n.len() == 24)?;
        let sealed = unhex(&self.sealed)?;
        let plain = Zeroizing::new(cipher(material).decrypt(XNonce::from_slice(&nonce), Payload { msg: &sealed, aad: context }).ok()?);
        DbKey::from_bytes(&plain)
    }
}

/// `n` random bytes (a person's key, a salt).
pub(crate) fn random_bytes(n: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; n];
    rand::rng().fill_bytes(&mut bytes);
    bytes
}

/// `text` sealed (XChaCha20-Poly1305) under a 32-byte `key`, as hex of the nonce and the sealed bytes.
pub(crate) fn seal_text(key: &[u8], text: &str) -> Result<String> {
    let cipher = XChaCha20Poly1305::new_from_slice(key).map_err(|_| CoreError::Corrupt("a person's key has the wrong length".into()))?;
    let nonce = random_bytes(24);
    let sealed = cipher.encrypt(XNonce::from_slice(&nonce), text.as_bytes()).map_err(|_| CoreError::Corrupt("cannot seal a value".into()))?;
    Ok(hex(&[nonce, sealed].concat()))
}

/// The text `seal_text` sealed, if `key` opens it.
pub(crate) fn open_text(key: &[u8], sealed: &str) -> Option<String> {
    let bytes = unhex(sealed).filter(|b| b.len() > 24)?;
    let cipher = XChaCha20Poly1305::new_from_slice(key).ok()?;
    let plain = cipher.decrypt(XNonce::from_slice(&bytes[..24]), &bytes[24..]).ok()?;
    String::from_utf8(plain).ok()
}

/// The wrapping key: the Argon2id output, hashed once more under a name of
/// its own so it is never the stored password hash itself.
fn cipher(material: &[u8]) -> XChaCha20Poly1305 {
    let mut digest = Sha256::new();
    digest.update(b"MRC Desk key slot 1\0");
    digest.update(material);
    let mut wrapping = digest.finalize();
    let cipher = XChaCha20Poly1305::new(&wrapping);
    zeroize::Zeroize::zeroize(wrapping.as_mut_slice());
    cipher
}

/// A short digest naming a stored password hash, without revealing it.
fn digest_of(stored: &str) -> String {
    let mut digest = Sha256::new();
    digest.update(b"MRC Desk slot of\0");
    digest.update(stored.as_bytes());
    hex(&digest.finalize()[..16])
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

fn base32(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// `ABCDEFGH…` as `ABCD-EFGH-…`, easier to copy by hand.
fn grouped(code: &str) -> String {
    code.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
}

/// What was typed, as the code was made: upper case, no separators, and
/// the digits people write for the letters they look like.
fn normalise_code(typed: &str) -> Zeroizing<String> {
    Zeroizing::new(
        typed
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| match c.to_ascii_uppercase() {
                '0' => 'O',
                '1' => 'I',
                '8' => 'B',
                other => other,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn screen() -> SignInScreen {
        let centre = Centre { id: Uuid::nil(), name: "MRC".into(), country: "TJ".into(), city: "Osh".into(), created_at: Utc::now(), referral_reminder_days: 14, practice: false, retention_years: 5 };
        SignInScreen { centre, staff: vec![], language: "en".into(), lock_minutes: 10, has_practice: false }
    }

    #[test]
    fn a_password_unwraps_its_own_copy_and_a_wrong_one_is_counted() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("d.db");
        let key = DbKey::random();
        let (alice, bob) = (Uuid::now_v7(), Uuid::now_v7());
        let mut file = KeyFile::new(screen());
        let stored = |p: &str| crate::account::hash(p).unwrap();
        file.set_accounts(&key, &[(alice, stored("river stones at dawn")), (bob, stored("tea with lemon, no sugar"))], None).unwrap();
        file.save(&db).unwrap();
        let mut file = KeyFile::load(&db).unwrap().unwrap();
        assert_eq!(file.unwrap(&db, alice, "river stones at dawn").unwrap().0.as_ref(), key.0.as_ref());
        assert_eq!(file.unwrap(&db, bob, "tea with lemon, no sugar").unwrap().0.as_ref(), key.0.as_ref());
        assert!(matches!(file.unwrap(&db, bob, "river stones at dawn"), Err(CoreError::WrongPassword)));
        let reread = KeyFile::load(&db).unwrap().unwrap();
        assert_eq!(reread.unlogged.len(), 1);
        assert_eq!(reread.accounts[1].failed, 1);
    }

    #[test]
    fn a_removed_account_and_an_old_password_open_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("d.db");
        let key = DbKey::random();
        let (alice, bob) = (Uuid::now_v7(), Uuid::now_v7());
        let mut file = KeyFile::new(screen());
        let old = crate::account::hash("the old long password").unwrap();
        file.set_accounts(&key, &[(alice, old), (bob, crate::account::hash("bob's own passphrase").unwrap())], None).unwrap();
        // Alice changes her password; Bob's account is closed.
        let new = crate::account::hash("the new long password").unwrap();
        file.set_accounts(&key, &[(alice, new)], Some((alice, "the new long password"))).unwrap();
        assert!(matches!(file.unwrap(&db, alice, "the old long password"), Err(CoreError::WrongPassword)));
        assert!(file.unwrap(&db, alice, "the new long password").is_ok());
        assert_eq!(file.unwrap(&db, bob, "bob's own passphrase").unwrap_err().code(), "validation");
    }

    #[test]
    fn a_slot_made_from_a_typed_password_is_not_opened_by_the_stored_hash() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("d.db");
        let key = DbKey::random();
        let alice = Uuid::now_v7();
        let stored = crate::account::hash("river stones at dawn").unwrap();
        let mut file = KeyFile::new(screen());
        file.set_accounts(&key, &[(alice, stored.clone())], None).unwrap();
        assert!(file.is_transitional(alice));
        // Whoever holds the stored hash (a plain copy from before) opens a transitional slot...
        let material = crate::account::output_of(&stored).unwrap();
        assert!(file.accounts[0].key.open(&material, alice.as_bytes()).is_some());
        // ...but not the slot wrapped anew once the password was typed.
        file.set_accounts(&key, &[(alice, stored)], Some((alice, "river stones at dawn"))).unwrap();
        assert!(!file.is_transitional(alice));
        assert!(file.accounts[0].key.open(&material, alice.as_bytes()).is_none());
        assert!(file.unwrap(&db, alice, "river stones at dawn").is_ok());
        assert!(file.for_backup().accounts.is_empty());
    }

    #[test]
    fn the_recovery_key_opens_however_it_is_copied() {
        let key = DbKey::random();
        let mut file = KeyFile::new(screen());
        let code = file.new_recovery(&key).unwrap();
        assert_eq!(code.len(), 32 + 7, "{code}");
        let sloppy = code.to_lowercase().replace('-', " ").replace('o', "0").replace('i', "1");
        assert_eq!(file.unwrap_with_recovery(&sloppy).unwrap().0.as_ref(), key.0.as_ref());
        let err = file.unwrap_with_recovery("AAAA-BBBB").unwrap_err();
        assert_eq!(err.field_errors()[0].code, "wrong_recovery_key");
    }

    #[test]
    fn base32_and_hex_round_trip() {
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(unhex(&hex(&[0, 1, 254, 255])).unwrap(), vec![0, 1, 254, 255]);
        assert!(unhex("abc").is_none());
    }
}
