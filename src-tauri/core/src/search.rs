//! Finding people: by any part of their names in any script and the usual
//! transliterations, by the last digits of a phone in any format, by a
//! document number, or by a case reference; the closest first, with what
//! matched. Each migrant's keys (`keys_of`) are kept in `migrant_key` by
//! triggers (migration 0007), so a search reads a few index ranges instead
//! of every row.

use std::cmp::Ordering;
use std::collections::HashMap;

use rusqlite::functions::{Context, FunctionFlags};
use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection};
use uuid::Uuid;

use crate::migrant::{self, MigrantQuery, MigrantSummary};
use crate::names::{closeness, name_key, skeleton};
use crate::record::Page;
use crate::Result;

/// At most this many people are ranked by closeness; a broader search (a
/// single letter, a lone common name) lists these and says there are more.
const RANKED: usize = 2000;
/// Phone numbers match on their last digits: +992 93 123 4567 and
/// 93-123-45-67 share them, whatever the country code or trunk prefix.
const PHONE_TAIL: usize = 9;
/// A name word typed this far is also matched by its skeleton (Rakhmanov finds Rahmonov).
const SKELETON_FROM: usize = 5;
/// A skeleton of fewer consonants begins too many others to search by: the
/// `l` of Iulia begins a fifth of all skeletons.
const SKELETON_BONES: usize = 3;

/// Registers `migrant_keys(family, given, patronymic, family_latin, given_latin, phones, documents)`,
/// the JSON array of a migrant's keys, for the triggers of `migrant_key`.
pub(crate) fn register(conn: &Connection) -> rusqlite::Result<()> {
    let pure = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC | FunctionFlags::SQLITE_INNOCUOUS;
    conn.create_scalar_function("migrant_keys", 7, pure, keys_function)
}

fn keys_function(ctx: &Context) -> rusqlite::Result<String> {
    let mut names = Vec::with_capacity(5);
    for i in 0..5 {
        names.push(ctx.get::<String>(i)?);
    }
    let phones = json_strings(&ctx.get::<String>(5)?, "number");
    let documents = json_strings(&ctx.get::<String>(6)?, "number");
    let keys = keys_of(&names, &phones, &documents);
    serde_json::to_string(&keys).map_err(|e| rusqlite::Error::UserFunctionError(Box::new(e)))
}

/// The `field` of each object in a JSON array; nothing for anything else.
pub(crate) fn json_strings(json: &str, field: &str) -> Vec<String> {
    let value: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
    value.as_array().into_iter().flatten().filter_map(|v| v.get(field)?.as_str().map(str::to_string)).collect()
}

/// Every key a person is found by: `n` + each folded name word, `s` + its
/// skeleton, `p` + phone digits backwards, `d` + document number.
pub fn keys_of(names: &[String], phones: &[String], documents: &[String]) -> Vec<String> {
    let mut keys = Vec::new();
    for word in names.iter().flat_map(|n| words(n)) {
        let bones = skeleton(&word);
        if !bones.is_empty() {
            keys.push(format!("s{bones}"));
        }
        keys.push(format!("n{word}"));
    }
    for number in phones {
        let backwards: String = digits(number).chars().rev().collect();
        if !backwards.is_empty() {
            keys.push(format!("p{backwards}"));
        }
    }
    for number in documents {
        keys.extend(document_keys(number).into_iter().map(|k| format!("d{k}")));
    }
    keys.sort();
    keys.dedup();
    keys
}

pub(crate) fn words(name: &str) -> Vec<String> {
    name_key(name).split(' ').filter(|w| !w.is_empty()).map(str::to_string).collect()
}

/// A phone's last digits read backwards, the form its keys hold.
pub(crate) fn phone_tail(number: &str) -> String {
    digits(number).chars().rev().take(PHONE_TAIL).collect()
}

pub(crate) fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// A document number as typed in any form (A 0123456, a0123456) and by its digits alone.
pub(crate) fn document_keys(number: &str) -> Vec<String> {
    let whole: String = number.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_uppercase();
    let only_digits = digits(number);
    let mut keys = vec![whole.clone()];
    if !only_digits.is_empty() && only_digits != whole {
        keys.push(only_digits);
    }
    keys.retain(|k| !k.is_empty());
    keys
}

/// One word of a search, and the key ranges that find it.
struct Term {
    prefixes: Vec<String>,
    /// The folded name word, for ranking; none for numbers.
    word: Option<String>,
    /// Digits backwards, to say which phone matched.
    phone_tail: Option<String>,
    /// The word as a case reference.
    reference: Option<String>,
}

fn terms(text: &str) -> Vec<Term> {
    // A phone typed with spaces (+992 93 123 4567) is one number, not four
    // words; so is a document's series and number (AN 0123456).
    let phone_only = text.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
    let joined: String = text.split_whitespace().collect();
    let pieces: Vec<&str> = if phone_only {
        vec![text.trim()]
    } else if is_document_with_series(text) {
        vec![joined.as_str()]
    } else {
        text.split_whitespace().take(8).collect()
    };
    let mut terms = Vec::new();
    for raw in pieces.into_iter().filter(|w| !w.is_empty()) {
        let d = digits(raw);
        if d.len() >= 3 && d.len() * 2 >= raw.chars().count() {
            // Mostly digits: a phone, or the digits of a document.
            let tail = phone_tail(raw);
            let mut prefixes = vec![format!("p{tail}")];
            prefixes.extend(document_keys(raw).into_iter().map(|k| format!("d{k}")));
            terms.push(Term { prefixes, word: None, phone_tail: Some(tail), reference: Some(raw.to_ascii_uppercase()) });
        } else if !d.is_empty() {
            // Letters and digits: a document number or a case reference.
            let prefixes = document_keys(raw).into_iter().map(|k| format!("d{k}")).collect();
            terms.push(Term { prefixes, word: None, phone_tail: None, reference: Some(raw.to_ascii_uppercase()) });
        } else {
            for word in words(raw) {
                let mut prefixes = vec![format!("n{word}")];
                let bones = skeleton(&word);
                if word.chars().count() >= SKELETON_FROM && bones.chars().count() >= SKELETON_BONES {
                    prefixes.push(format!("s{bones}"));
                }
                terms.push(Term { prefixes, word: Some(word), phone_tail: None, reference: None });
            }
        }
    }
    terms
}

/// A series of a few letters and a number, written apart: AN 0123456, XX 4818026.
fn is_document_with_series(text: &str) -> bool {
    let pieces: Vec<&str> = text.split_whitespace().collect();
    let number = |p: &&str| p.chars().all(|c| c.is_ascii_digit());
    pieces.len() == 2 && pieces[0].chars().count() <= 3 && !number(&pieces[0]) && number(&pieces[1]) && pieces[1].len() >= 5
}

/// One person the search found, with what is needed to rank them.
struct Found {
    id: Uuid,
    names: [String; 5],
    /// As stored (JSON), read only when a number was searched for.
    phones: String,
    score: f64,
    matched: Option<String>,
}

/// The page of people matching every word of `query.text`, closest first.
pub(crate) fn find(conn: &Connection, centre_id: Uuid, query: &MigrantQuery) -> Result<Page<MigrantSummary>> {
    let page_size = query.page_size.clamp(1, 500);
    let terms = terms(&query.text);
    if terms.is_empty() {
        return Ok(Page { items: vec![], total: 0, page: query.page, page_size, capped: false });
    }
    let (sql, args) = candidates_sql(&terms);
    let mut values: Vec<Value> = vec![Value::Blob(centre_id.as_bytes().to_vec())];
    values.extend(args.into_iter().map(Value::Text));
    let filter = query.filter_sql(&mut values);
    let hits = format!("{}{filter}", hits(&sql));
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT m.id, m.family_name, m.given_name, m.patronymic, m.family_name_latin, m.given_name_latin, m.phones \
         FROM {hits} LIMIT {}",
        RANKED + 1
    ))?;
    let mut found = stmt
        .query_map(params_from_iter(values.iter()), |r| {
            Ok(Found {
                id: r.get(0)?,
                names: [r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?],
                phones: r.get(6)?,
                score: 0.0,
                matched: None,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // A search this broad (a lone common name among a million) ranks the
    // first RANKED it meets and says there are more, instead of counting
    // and sorting tens of thousands (measured: 270 ms at a million).
    let capped = found.len() > RANKED;
    found.truncate(RANKED);
    rank(&mut found, &terms);
    found.sort_by(|a, b| {
        b.score.partial_cmp(&a.score).unwrap_or(Ordering::Equal).then_with(|| a.names[..2].cmp(&b.names[..2])).then(a.id.cmp(&b.id))
    });
    let total = found.len() as u32;
    let start = (query.page as usize).saturating_mul(page_size as usize).min(found.len());
    let page: Vec<&Found> = found.iter().skip(start).take(page_size as usize).collect();
    let mut items = migrant::summaries(conn, &page.iter().map(|f| f.id).collect::<Vec<_>>())?;
    for (item, person) in items.iter_mut().zip(&page) {
        item.matched = person.matched.clone();
    }
    Ok(Page { items, total, page: query.page, page_size, capped })
}

/// The ids matching every term: per term, the union of its key ranges (and
/// a case reference), intersected across terms. `?1` is left for the centre.
/// Each union sits in its own subquery: compound SELECTs bind left to right.
/// The unions keep repeats (UNION ALL), which the intersection or DISTINCT
/// drops once: a common name's ranges hold tens of thousands at a million,
/// and each removal of repeats is a temporary B-tree as large.
fn candidates_sql(terms: &[Term]) -> (String, Vec<String>) {
    let mut args = Vec::new();
    let mut parts = Vec::new();
    for term in terms {
        let mut union = Vec::new();
        for prefix in &term.prefixes {
            args.push(prefix.clone());
            args.push(format!("{prefix}\u{7f}"));
            union.push(format!("SELECT migrant_id FROM migrant_key WHERE key >= ?{} AND key < ?{}", args.len(), args.len() + 1));
        }
        if let Some(reference) = &term.reference {
            args.push(reference.clone());
            union.push(format!("SELECT migrant_id FROM case_file WHERE reference = ?{} AND deleted_at IS NULL", args.len() + 1));
        }
        parts.push(format!("SELECT migrant_id FROM ({})", union.join(" UNION ALL ")));
    }
    if parts.len() == 1 {
        parts[0] = parts[0].replacen("SELECT", "SELECT DISTINCT", 1);
    }
    (parts.join(" INTERSECT "), args)
}

/// The centre's living migrants among the ids, as `m`. CROSS JOIN keeps the
/// few ids as the outer loop: left to itself SQLite walked the whole centre
/// and looked each person up in the ids (100,000 migrants: 180 ms a search).
pub(crate) fn hits(ids: &str) -> String {
    format!("({ids}) AS hit CROSS JOIN migrant m ON m.id = hit.migrant_id WHERE m.centre_id = ?1 AND m.deleted_at IS NULL")
}

/// How close each person is to the search (the mean over its words), and
/// the spelling that matched the first word best. Hundreds of the people
/// found share a few names, so each name is weighed against the words once.
fn rank(found: &mut [Found], terms: &[Term]) {
    let mut by_name: HashMap<String, Vec<f64>> = HashMap::new();
    for person in found {
        let mut total = 0.0;
        for (t, term) in terms.iter().enumerate() {
            let (score, matched) = match (&term.word, &term.phone_tail) {
                (Some(_), _) => {
                    let mut best = (0.0, None);
                    for name in person.names.iter().filter(|n| !n.is_empty()) {
                        if !by_name.contains_key(name) {
                            let scores = terms.iter().map(|term| term.word.as_deref().map_or(0.0, |word| best_word(name, word))).collect();
                            by_name.insert(name.clone(), scores);
                        }
                        let score = by_name[name][t];
                        if score > best.0 {
                            best = (score, Some(name.clone()));
                        }
                    }
                    best
                }
                (None, Some(tail)) => match json_strings(&person.phones, "number").into_iter().find(|p| phone_tail(p).starts_with(tail.as_str())) {
                    Some(phone) => (1.0, Some(phone)),
                    None => (1.0, None),
                },
                (None, None) => (1.0, None),
            };
            total += score;
            if person.matched.is_none() {
                person.matched = matched;
            }
        }
        person.score = total / terms.len() as f64;
    }
}

/// How close the best word of one name is to a folded search word: the same
/// word, then a word it begins, then a near spelling.
fn best_word(name: &str, word: &str) -> f64 {
    let mut best: f64 = 0.0;
    for candidate in words(name) {
        let score = if candidate == word {
            1.0
        } else if candidate.starts_with(word) {
            0.9 + 0.1 * word.len() as f64 / candidate.len() as f64 - 0.01
        } else {
            0.85 * closeness(word, &candidate)
        };
        best = best.max(score);
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_cover_names_phones_and_documents() {
        let names = ["Рахмонов", "Фаррух", "", "Rakhmonov", ""].map(String::from);
        let keys = keys_of(&names, &["+992 93 123 4567".into()], &["A 0123456".into()]);
        for key in ["nrahmonov", "srhmnv", "nfaruh", "p765432139299", "dA0123456", "d0123456"] {
            assert!(keys.contains(&key.to_string()), "{key} in {keys:?}");
        }
        assert_eq!(keys.iter().filter(|k| *k == "nrahmonov").count(), 1, "one key for two spellings");
    }

    #[test]
    fn a_search_is_split_into_words_and_numbers() {
        let t = terms("Рахм 8-912-345-67-89 2026-K7QD-M3XA");
        assert_eq!(t.len(), 3);
        assert_eq!(t[0].prefixes, vec!["nrahm"]);
        assert_eq!(t[1].phone_tail.as_deref(), Some("987654321"));
        assert_eq!(t[2].reference.as_deref(), Some("2026-K7QD-M3XA"));
        assert!(terms("Rakhmanov")[0].prefixes.contains(&"srhmnv".to_string()));
        assert!(terms("Iuliya")[0].prefixes.iter().all(|p| p.starts_with('n')), "the skeleton l begins too many");
        assert_eq!(terms("+992 93 123 4567")[0].phone_tail.as_deref(), Some("765432139"));
        let document = terms("XX 4818026");
        assert_eq!(document.len(), 1, "a series and its number are one document");
        assert!(document[0].prefixes.contains(&"dXX4818026".to_string()), "{:?}", document[0].prefixes);
        assert_eq!(terms("Rahmonov 4567").len(), 2, "a name and a phone's digits stay two");
    }

    #[test]
    fn the_same_word_ranks_above_one_it_begins_and_a_near_spelling() {
        let same = best_word("Рахмонов", "rahmonov");
        let begins = best_word("Рахмонова Шахло", "rahmon");
        let near = best_word("Рахманов", "rahmonov");
        assert!(same > begins && begins > near && near > 0.7, "{same} {begins} {near}");
    }
}
