//! Passwords: what makes one acceptable, how it is kept (an Argon2id hash,
//! never the password), and how repeated failures slow the next try down.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::{DateTime, Utc};

use crate::error::{CoreError, Result};
use crate::validate::Checks;

/// At least this many characters: a passphrase of a few words is easy to
/// remember and hard to guess.
pub const MIN_LENGTH: usize = 12;
pub const MAX_LENGTH: usize = 200;

/// Failed sign-ins allowed before each further one waits.
pub const FREE_ATTEMPTS: u32 = 5;
/// The longest wait between attempts, however many have failed.
const MAX_WAIT_SECONDS: i64 = 15 * 60;

/// 46 MiB, one pass: one of the settings OWASP gives for Argon2id, and
/// about a quarter of a second on a 2-core laptop (`mrc bench-sign-in`).
const MEMORY_KIB: u32 = 46 * 1024;
const PASSES: u32 = 1;

/// Passwords and words that every guessing list tries first; a password is
/// refused when, lower-cased and without digits and symbols, it is one of
/// these or one of these repeated.
const COMMON_WORDS: &[&str] = &[
    "password", "passw", "pass", "qwerty", "qwertyuiop", "asdfgh", "asdfghjkl", "zxcvbnm", "azerty", "letmein", "welcome",
    "admin", "administrator", "login", "iloveyou", "monkey", "dragon", "master", "football", "baseball", "sunshine",
    "princess", "shadow", "superman", "michael", "trustno", "abc", "abcd", "abcdef", "qwe", "qaz", "wsx", "changeme",
    "secret", "test", "guest", "user", "default", "parol", "privet", "lubov", "mrcdesk", "mrc", "desk", "centre",
    "center", "migrant", "caseworker", "supervisor",
];

/// Checks a new password, naming what is wrong with it under `field`.
pub fn check_new(field: &str, password: &str, own_name: &str, c: &mut Checks) {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        c.fail(field, "password_too_short", format!("must be at least {MIN_LENGTH} characters (a few words make a good one)"));
    } else if length > MAX_LENGTH {
        c.fail(field, "too_long", format!("must be at most {MAX_LENGTH} characters"));
    } else if password.chars().any(char::is_control) {
        c.fail(field, "control_characters", "must not contain control characters");
    } else if is_common(password) || contains_name(password, own_name) {
        c.fail(field, "password_common", "is among the first passwords anyone would try: choose another");
    }
}

fn is_common(password: &str) -> bool {
    let letters: String = password.to_lowercase().chars().filter(|c| c.is_alphabetic()).collect();
    if letters.is_empty() || repeats_a_short_run(password) || is_a_run_of_the_keyboard(password) {
        return true;
    }
    COMMON_WORDS.iter().any(|word| letters.len() % word.len() == 0 && letters == word.repeat(letters.len() / word.len()))
}

/// "aaaaaaaaaaaa", "abcabcabcabc", "121212121212".
fn repeats_a_short_run(password: &str) -> bool {
    let chars: Vec<char> = password.to_lowercase().chars().collect();
    (1..=4).any(|period| chars.len() > period && (period..chars.len()).all(|i| chars[i] == chars[i - period]))
}

/// "123456789012", "abcdefghijkl", "987654321098": each character one after the last.
fn is_a_run_of_the_keyboard(password: &str) -> bool {
    let chars: Vec<u32> = password.to_lowercase().chars().map(u32::from).collect();
    let step = |d: i64| chars.windows(2).all(|w| (w[1] as i64 - w[0] as i64 == d) || (w[0] == '9' as u32 && w[1] == '0' as u32 && d == 1) || (w[0] == '0' as u32 && w[1] == '9' as u32 && d == -1));
    step(1) || step(-1)
}

/// A password that is the person's own name (with digits around it) is the first anyone would try.
fn contains_name(password: &str, own_name: &str) -> bool {
    let letters: String = password.to_lowercase().chars().filter(|c| c.is_alphabetic()).collect();
    let name: String = own_name.to_lowercase().chars().filter(|c| c.is_alphabetic()).collect();
    !letters.is_empty() && (letters == name || own_name.to_lowercase().split_whitespace().any(|w| w.chars().count() >= 3 && letters == w))
}

fn hasher() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, PASSES, 1, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The stored form of a password: a PHC string with its own salt and cost,
/// so a later, dearer cost still verifies the passwords set before it.
pub fn hash(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| CoreError::Corrupt(format!("cannot hash a password: {e}")))
}

pub fn verify(password: &str, stored: &str) -> Result<bool> {
    let parsed = PasswordHash::new(stored).map_err(|e| CoreError::Corrupt(format!("a stored password hash is unreadable: {e}")))?;
    // The cost is read from the stored string, not from today's settings.
    Ok(Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// The Argon2id settings and salt of a stored hash, without the hash: what a
/// key slot keeps to derive the same hash again from the password typed.
pub(crate) fn settings_of(stored: &str) -> Result<String> {
    let parsed = parse(stored)?;
    let mut settings = parsed.clone();
    settings.hash = None;
    Ok(settings.to_string())
}

/// The raw hash output of a stored PHC string.
pub(crate) fn output_of(stored: &str) -> Result<Vec<u8>> {
    let parsed = parse(stored)?;
    parsed.hash.map(|h| h.as_bytes().to_vec()).ok_or_else(|| CoreError::Corrupt("a stored password hash has no hash".into()))
}

/// The hash output `password` gives under `settings` (from [`settings_of`]):
/// equal to [`output_of`] the account's stored hash when the password is right.
pub(crate) fn output_for(settings: &str, password: &str) -> Result<Vec<u8>> {
    let parsed = parse(settings)?;
    let salt = parsed.salt.ok_or_else(|| CoreError::Corrupt("a key slot has no salt".into()))?;
    let params = Params::try_from(&parsed).map_err(|e| CoreError::Corrupt(format!("a key slot's settings are unreadable: {e}")))?;
    let hashed = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password(password.as_bytes(), salt)
        .map_err(|e| CoreError::Corrupt(format!("cannot hash a password: {e}")))?;
    output_of(&hashed.to_string())
}

fn parse(stored: &str) -> Result<PasswordHash<'_>> {
    PasswordHash::new(stored).map_err(|e| CoreError::Corrupt(format!("a stored password hash is unreadable: {e}")))
}

/// How long the next attempt must wait after `failed` failures, the last at
/// `last`: nothing for the first few, then 1 s, 2 s, 4 s... up to 15 minutes.
pub fn wait_seconds(failed: u32, last: Option<DateTime<Utc>>, now: DateTime<Utc>) -> i64 {
    let Some(last) = last else { return 0 };
    if failed < FREE_ATTEMPTS {
        return 0;
    }
    let exponent = (failed - FREE_ATTEMPTS).min(20);
    let wait = (1_i64 << exponent).min(MAX_WAIT_SECONDS);
    (wait - (now - last).num_seconds()).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(password: &str) -> Option<String> {
        let mut c = Checks::new();
        check_new("password", password, "Dilnoza Rahimova", &mut c);
        c.finish().err().map(|e| e.field_errors()[0].code.clone())
    }

    #[test]
    fn short_common_and_own_name_passwords_are_refused_with_their_reason() {
        assert_eq!(problem("short one").as_deref(), Some("password_too_short"));
        for weak in ["password1234", "Password!2024", "qwertyuiop12", "123456789012", "aaaaaaaaaaaa", "abcabcabcabc", "121212121212", "rahimova1990", "Dilnoza 2024!", "0987654321098"] {
            assert_eq!(problem(weak).as_deref(), Some("password_common"), "{weak}");
        }
    }

    #[test]
    fn a_passphrase_in_any_script_is_accepted() {
        for good in ["river stone lamp tea", "зелёный чайник утром", "Khujand-bridge-at-dawn", "mountain 7 apricots"] {
            assert_eq!(problem(good), None, "{good}");
        }
    }

    #[test]
    fn a_hash_verifies_its_password_and_no_other() {
        let stored = hash("river stone lamp tea").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(!stored.contains("river"));
        assert!(verify("river stone lamp tea", &stored).unwrap());
        assert!(!verify("river stone lamp te", &stored).unwrap());
        assert_ne!(stored, hash("river stone lamp tea").unwrap(), "each hash has its own salt");
    }

    #[test]
    fn failures_beyond_the_free_ones_wait_longer_each_time() {
        let t0 = chrono::Utc::now();
        let at = |s| t0 + chrono::Duration::seconds(s);
        assert_eq!(wait_seconds(4, Some(t0), t0), 0);
        assert_eq!(wait_seconds(5, Some(t0), t0), 1);
        assert_eq!(wait_seconds(7, Some(t0), t0), 4);
        assert_eq!(wait_seconds(7, Some(t0), at(3)), 1);
        assert_eq!(wait_seconds(7, Some(t0), at(10)), 0);
        assert_eq!(wait_seconds(40, Some(t0), t0), 15 * 60);
    }
}
