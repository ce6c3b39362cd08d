//! Realistic people for the large benchmark centres: names from the demo's
//! lists in each country's script with their Latin spelling, phones and
//! passports as clerks write them, and now and then a person registered a
//! second time, the name spelled another way. A planted duplicate says so in
//! its notes ([`PLANTED`] and the first record's id), so the duplicate check
//! can be measured on any generated or kept database.

use chrono::{Months, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use crate::age::age_on;
use crate::demo::{a_name_among_many, a_place_of_origin};
use crate::migrant::{DocumentKind, IdentityDocument, Messenger, Migrant, MigrantInput, MigrationStatus, Phone, Sex};
use crate::scale::pick;

/// The notes of a planted duplicate begin with this, then the first record's id.
pub const PLANTED: &str = "planted duplicate of ";
/// Earlier people a duplicate may copy: a sample, so a million stay cheap.
const REMEMBERED: usize = 20_000;
const CITIZENSHIPS: &[(&str, u32)] = &[("TJ", 34), ("UZ", 26), ("KG", 18), ("AM", 6), ("KZ", 5), ("RU", 4), ("AZ", 3), ("GE", 2), ("UA", 2)];

/// Who a generated person is, as a registration would have it.
#[derive(Debug, Clone)]
pub struct Identity {
    pub family_name: String,
    pub given_name: String,
    pub patronymic: String,
    pub family_name_latin: String,
    pub given_name_latin: String,
    pub sex: Sex,
    pub birth: Option<NaiveDate>,
    pub birth_estimated: bool,
    pub citizenship: String,
    pub origin_region: String,
    pub origin_town: String,
    pub phones: Vec<Phone>,
    pub documents: Vec<IdentityDocument>,
    pub notes: String,
}

impl Identity {
    /// Who a stored record says the person is.
    pub fn of(m: &Migrant) -> Identity {
        Identity {
            family_name: m.family_name.clone(),
            given_name: m.given_name.clone(),
            patronymic: m.patronymic.clone(),
            family_name_latin: m.family_name_latin.clone(),
            given_name_latin: m.given_name_latin.clone(),
            sex: m.sex,
            birth: m.birth_date,
            birth_estimated: m.birth_date_estimated,
            citizenship: m.citizenship.clone(),
            origin_region: m.origin_region.clone(),
            origin_town: m.origin_town.clone(),
            phones: m.phones.clone(),
            documents: m.documents.clone(),
            notes: m.notes.clone(),
        }
    }

    /// The registration form as a caseworker would fill it in for this person on `today`.
    pub fn input(&self, today: NaiveDate) -> MigrantInput {
        let age = self.birth.filter(|_| self.birth_estimated).map(|b| i64::from(age_on(b, today)));
        MigrantInput {
            family_name: self.family_name.clone(),
            given_name: self.given_name.clone(),
            patronymic: self.patronymic.clone(),
            family_name_latin: self.family_name_latin.clone(),
            given_name_latin: self.given_name_latin.clone(),
            sex: Some(self.sex),
            birth_date: self.birth.filter(|_| !self.birth_estimated),
            estimated_age: age,
            citizenship: self.citizenship.clone(),
            origin_region: self.origin_region.clone(),
            origin_town: self.origin_town.clone(),
            phones: self.phones.clone(),
            documents: self.documents.clone(),
            migration_status: Some(MigrationStatus::Regular),
            ..Default::default()
        }
    }
}

/// The people registered so far, as far as a duplicate needs them.
#[derive(Default)]
pub struct Population {
    earlier: Vec<(Uuid, Identity)>,
}

impl Population {
    /// The person registered as `id` on `registered`: someone new, or with
    /// probability `duplicates` someone registered before.
    pub fn next(&mut self, rng: &mut ChaCha8Rng, id: Uuid, registered: NaiveDate, duplicates: f64) -> Identity {
        if self.earlier.len() >= 100 && rng.random_bool(duplicates) {
            let (first, person) = &self.earlier[rng.random_range(0..self.earlier.len())];
            return again(rng, *first, person, registered);
        }
        let person = someone(rng, registered);
        if self.earlier.len() < REMEMBERED {
            self.earlier.push((id, person.clone()));
        } else {
            let slot = rng.random_range(0..REMEMBERED);
            self.earlier[slot] = (id, person.clone());
        }
        person
    }
}

/// Someone new.
pub fn someone(rng: &mut ChaCha8Rng, registered: NaiveDate) -> Identity {
    let citizenship = pick(rng, CITIZENSHIPS);
    let sex = pick(rng, &[(Sex::Male, 58), (Sex::Female, 40), (Sex::Other, 1), (Sex::Unknown, 1)]);
    let [family, family_latin, given, given_latin, patronymic] = a_name_among_many(rng, citizenship, sex);
    let with_latin = rng.random_bool(0.6);
    let age: u32 = pick(rng, &[(8, 6), (21, 20), (29, 32), (41, 27), (54, 10), (63, 5)]) + rng.random_range(0..5);
    let (birth, birth_estimated) = match rng.random_range(0..100) {
        0..3 => (None, false),
        3..13 => (estimated(registered, age), true),
        _ => (registered.checked_sub_months(Months::new(age * 12 + rng.random_range(0..12))).map(|d| d - chrono::Days::new(rng.random_range(0..28))), false),
    };
    let (origin_region, origin_town) = if rng.random_bool(0.9) { a_place_of_origin(rng, citizenship) } else { (String::new(), String::new()) };
    let phones = if rng.random_bool(0.8) { vec![Phone { number: phone_number(rng, citizenship), messenger: Messenger::WhatsApp }] } else { vec![] };
    let documents = if rng.random_bool(0.6) { vec![passport(rng, citizenship)] } else { vec![] };
    Identity {
        family_name: family,
        given_name: given,
        patronymic,
        family_name_latin: if with_latin { family_latin } else { String::new() },
        given_name_latin: if with_latin { given_latin } else { String::new() },
        sex,
        birth,
        birth_estimated,
        citizenship: citizenship.to_string(),
        origin_region,
        origin_town,
        phones,
        documents,
        notes: String::new(),
    }
}

/// A date of birth estimated from an age, the way registration stores one.
fn estimated(on: NaiveDate, age: u32) -> Option<NaiveDate> {
    on.checked_sub_months(Months::new(age * 12 + 6))
}

fn phone_number(rng: &mut ChaCha8Rng, citizenship: &str) -> String {
    let code = match citizenship {
        "TJ" => "992",
        "KG" => "996",
        "UZ" => "998",
        "AM" => "374",
        "AZ" => "994",
        "GE" => "995",
        "UA" => "380",
        _ => "7",
    };
    let operator = rng.random_range(10..100);
    let rest = rng.random_range(0..10_000_000u32);
    format!("+{code} {operator} {:03} {:04}", rest / 10_000, rest % 10_000)
}

fn passport(rng: &mut ChaCha8Rng, citizenship: &str) -> IdentityDocument {
    let letters: String = (0..2).map(|_| char::from(b'A' + rng.random_range(0..26u8))).collect();
    IdentityDocument {
        kind: DocumentKind::Passport,
        number: format!("{letters}{:07}", rng.random_range(0..10_000_000u32)),
        issuing_country: citizenship.to_string(),
        expires_on: None,
    }
}

/// The same person registered again by another clerk: the names written in
/// Latin letters only, or with another transliteration; the patronymic or
/// the place of origin sometimes left out; the age instead of the date; the
/// phone written another way, or a new one; the passport number sometimes,
/// with a space.
fn again(rng: &mut ChaCha8Rng, first: Uuid, person: &Identity, registered: NaiveDate) -> Identity {
    let mut copy = person.clone();
    let family_latin = respell(rng, &latin_or_native(&person.family_name_latin, &person.family_name));
    let given_latin = respell(rng, &latin_or_native(&person.given_name_latin, &person.given_name));
    if rng.random_bool(0.5) {
        (copy.family_name, copy.given_name) = (family_latin, given_latin);
        (copy.family_name_latin, copy.given_name_latin) = (String::new(), String::new());
    } else {
        (copy.family_name_latin, copy.given_name_latin) = (family_latin, given_latin);
    }
    if rng.random_bool(0.5) {
        copy.patronymic.clear();
    }
    if rng.random_bool(0.3) {
        (copy.origin_region, copy.origin_town) = (String::new(), String::new());
    }
    match rng.random_range(0..10) {
        0..7 => {}
        7..9 => {
            copy.birth = person.birth.and_then(|b| estimated(registered, age_on(b, registered).max(0) as u32));
            copy.birth_estimated = copy.birth.is_some();
        }
        _ => (copy.birth, copy.birth_estimated) = (None, false),
    }
    copy.phones = match rng.random_range(0..10) {
        0..5 => person.phones.iter().map(|p| Phone { number: local_form(&p.number), messenger: p.messenger }).collect(),
        5..7 => vec![Phone { number: phone_number(rng, &person.citizenship), messenger: Messenger::None }],
        _ => vec![],
    };
    copy.documents = if rng.random_bool(0.3) {
        person.documents.iter().map(|d| IdentityDocument { number: format!("{} {}", &d.number[..2], &d.number[2..]), ..d.clone() }).collect()
    } else {
        vec![]
    };
    copy.notes = format!("{PLANTED}{first}");
    copy
}

fn latin_or_native(latin: &str, native: &str) -> String {
    if latin.is_empty() {
        crate::names::in_latin(native)
    } else {
        latin.to_string()
    }
}

/// +992 93 123 4567 as a caller would say it at home: 093-123-45-67.
fn local_form(number: &str) -> String {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let tail = &digits[digits.len().saturating_sub(9)..];
    if tail.len() < 9 {
        return number.to_string();
    }
    format!("0{}-{}-{}-{}", &tail[..2], &tail[2..5], &tail[5..7], &tail[7..])
}

/// Spellings that transliterations of one name differ by.
const VARIANTS: &[(&str, &str)] = &[
    ("kh", "h"), ("h", "kh"), ("dzh", "j"), ("j", "dzh"), ("zh", "j"), ("gh", "g"), ("q", "k"), ("yu", "iu"),
    ("ya", "ia"), ("ia", "ya"), ("y", "i"), ("u", "ou"), ("rr", "r"), ("ff", "f"), ("sh", "sch"),
];

/// Another common Latin spelling of a name, capitalised.
fn respell(rng: &mut ChaCha8Rng, name: &str) -> String {
    let lower = name.to_lowercase();
    let options: Vec<&(&str, &str)> = VARIANTS
        .iter()
        .filter(|(from, _)| lower.contains(from) && !(*from == "h" && ["kh", "sh", "ch", "zh", "gh"].iter().any(|d| lower.contains(d))))
        .collect();
    let spelled = match options.is_empty() {
        true => lower,
        false => {
            let (from, to) = options[rng.random_range(0..options.len())];
            lower.replacen(from, to, 1)
        }
    };
    let mut chars = spelled.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;
    use crate::names::{name_key, skeleton};

    /// The skeleton is the key both registrations surely share: the duplicate check finds people by it.
    #[test]
    fn a_planted_duplicate_shares_the_name_skeleton() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let day = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        for _ in 0..300 {
            let person = someone(&mut rng, day);
            let copy = again(&mut rng, Uuid::nil(), &person, day);
            let of = |native: &str, latin: &str| skeleton(&name_key(if latin.is_empty() { native } else { latin }));
            assert_eq!(of(&copy.family_name, &copy.family_name_latin), skeleton(&name_key(&person.family_name)), "{person:?} {copy:?}");
            assert_eq!(of(&copy.given_name, &copy.given_name_latin), skeleton(&name_key(&person.given_name)), "{person:?} {copy:?}");
            assert!(copy.notes.starts_with(PLANTED));
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_people() {
        let day = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let names = |seed| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let mut population = Population::default();
            (0..500).map(|_| population.next(&mut rng, Uuid::nil(), day, 0.05).family_name).collect::<Vec<_>>()
        };
        assert_eq!(names(3), names(3));
        assert_ne!(names(3), names(4));
    }

    #[test]
    fn a_local_phone_keeps_the_last_nine_digits() {
        assert_eq!(local_form("+992 93 123 4567"), "093-123-45-67");
    }
}
