//! `mrc report` against figures worked out here from the records
//! themselves: plain reads of the visit, assistance, referral and migrant
//! tables and a first-principles age count, never the report's facts or
//! queries. Every format is read back and compared with them.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::process::Command;

use chrono::{DateTime, Datelike, Local, NaiveDate, Utc};
use serde_json::Value;

mod common;
use common::{mrc, ok};

const SEXES: [&str; 4] = ["female", "male", "other", "unknown"];
const BANDS: [&str; 7] = ["0-17", "18-24", "25-34", "35-49", "50-59", "60+", "unknown"];

fn band(birth: Option<NaiveDate>, on: NaiveDate) -> &'static str {
    let Some(birth) = birth else { return "unknown" };
    let had_birthday = (on.month(), on.day()) >= (birth.month(), birth.day());
    let age = on.year() - birth.year() - i32::from(!had_birthday);
    match age {
        a if a < 0 => "unknown",
        0..=17 => "0-17",
        18..=24 => "18-24",
        25..=34 => "25-34",
        35..=49 => "35-49",
        50..=59 => "50-59",
        _ => "60+",
    }
}

fn local(at: &str) -> NaiveDate {
    let parsed: DateTime<Utc> = at.parse().or_else(|_| DateTime::parse_from_str(at, "%Y-%m-%d %H:%M:%S%.f%:z").map(|t| t.with_timezone(&Utc))).unwrap();
    parsed.with_timezone(&Local).date_naive()
}

/// What the month should show, from the records.
#[derive(Debug, Default)]
struct Expected {
    persons: usize,
    persons_by_sex: BTreeMap<&'static str, usize>,
    persons_by_band: BTreeMap<&'static str, usize>,
    assistance_by_category: BTreeMap<String, usize>,
    persons_by_category: BTreeMap<String, usize>,
    visits_by_channel: BTreeMap<String, usize>,
    referrals_by_status: BTreeMap<String, usize>,
}

struct Person {
    sex: String,
    birth: Option<NaiveDate>,
}

fn expected(db: &Path, from: NaiveDate, to: NaiveDate) -> Expected {
    let store = common::raw_connection(db);
    let conn = store.connection();
    let mut people: HashMap<Vec<u8>, Person> = HashMap::new();
    let mut stmt = conn.prepare("SELECT id, sex, birth_date FROM migrant WHERE deleted_at IS NULL").unwrap();
    for row in stmt.query_map([], |r| Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?))).unwrap() {
        let (id, sex, birth) = row.unwrap();
        people.insert(id, Person { sex, birth: birth.map(|b| b.parse().unwrap()) });
    }
    let inside = |d: NaiveDate| d >= from && d <= to;
    let mut first: HashMap<Vec<u8>, NaiveDate> = HashMap::new();
    let mut seen = |who: &Vec<u8>, day: NaiveDate| {
        let e = first.entry(who.clone()).or_insert(day);
        *e = (*e).min(day);
    };
    let mut out = Expected::default();
    let mut received: BTreeMap<String, std::collections::HashSet<Vec<u8>>> = BTreeMap::new();

    let rows = |sql: &str| -> Vec<(Vec<u8>, String, String)> {
        let mut stmt = conn.prepare(sql).unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect()
    };
    for (who, at, channel) in rows("SELECT migrant_id, occurred_at, channel FROM visit WHERE deleted_at IS NULL") {
        let day = local(&at);
        if people.contains_key(&who) && inside(day) {
            seen(&who, day);
            *out.visits_by_channel.entry(channel).or_default() += 1;
        }
    }
    for (who, on, category) in rows("SELECT migrant_id, given_on, category FROM assistance WHERE deleted_at IS NULL") {
        let day: NaiveDate = on.parse().unwrap();
        if people.contains_key(&who) && inside(day) {
            seen(&who, day);
            *out.assistance_by_category.entry(category.clone()).or_default() += 1;
            received.entry(category).or_default().insert(who);
        }
    }
    for (who, at, status) in rows("SELECT migrant_id, created_at, status FROM referral WHERE deleted_at IS NULL") {
        let day = local(&at);
        if people.contains_key(&who) && inside(day) {
            seen(&who, day);
            *out.referrals_by_status.entry(status).or_default() += 1;
        }
    }
    for (who, on, _) in rows("SELECT p.migrant_id, s.held_on, s.kind FROM group_participant p JOIN group_session s ON s.id = p.session_id WHERE s.deleted_at IS NULL") {
        let day: NaiveDate = on.parse().unwrap();
        if people.contains_key(&who) && inside(day) {
            seen(&who, day);
        }
    }
    out.persons_by_category = received.into_iter().map(|(k, v)| (k, v.len())).collect();
    for (who, day) in &first {
        let p = &people[who];
        out.persons += 1;
        *out.persons_by_sex.entry(SEXES.iter().find(|s| **s == p.sex).unwrap()).or_default() += 1;
        *out.persons_by_band.entry(band(p.birth, *day)).or_default() += 1;
    }
    out
}

fn row<'a>(report: &'a Value, section: &str, key: &str) -> &'a Value {
    let s = report["sections"].as_array().unwrap().iter().find(|s| s["id"] == section).unwrap();
    s["rows"].as_array().unwrap().iter().find(|r| r["key"] == key).unwrap_or_else(|| panic!("{section} {key}"))
}

fn n(v: &Value) -> usize {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}")) as usize
}

fn check_json(report: &Value, e: &Expected) {
    let assisted = &row(report, "persons", "assisted")["current"];
    assert_eq!(n(&assisted["total"]), e.persons);
    for (i, sex) in SEXES.iter().enumerate() {
        assert_eq!(n(&assisted["by_sex"][i]), e.persons_by_sex.get(sex).copied().unwrap_or(0), "{sex}");
    }
    for (i, b) in BANDS.iter().enumerate() {
        assert_eq!(n(&assisted["by_age"][i]), e.persons_by_band.get(b).copied().unwrap_or(0), "{b}");
    }
    for (category, count) in &e.assistance_by_category {
        assert_eq!(n(&row(report, "assistance_records", category)["current"]["total"]), *count, "{category}");
    }
    for (category, count) in &e.persons_by_category {
        assert_eq!(n(&row(report, "assistance_persons", category)["current"]["total"]), *count, "{category}");
    }
    for (channel, count) in &e.visits_by_channel {
        assert_eq!(n(&row(report, "contacts", channel)["current"]["total"]), *count, "{channel}");
    }
    for (status, count) in &e.referrals_by_status {
        assert_eq!(n(&row(report, "referrals_by_status", status)["current"]["total"]), *count, "{status}");
    }
}

struct Seeded {
    _dir: tempfile::TempDir,
    dir: std::path::PathBuf,
    db: std::path::PathBuf,
}

fn seeded() -> Seeded {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    ok(mrc(&db, &["seed-demo", "--seed", "11", "--migrants", "400", "--visits-per-migrant", "4", "--as-of", "2026-11-01"]));
    Seeded { dir: dir.path().to_path_buf(), db, _dir: dir }
}

#[test]
fn the_json_report_equals_the_figures_worked_out_from_the_records() {
    let s = seeded();
    let out = s.dir.join("october.json");
    ok(mrc(&s.db, &["report", "--period", "2026-10", "--format", "json", "--out", out.to_str().unwrap()]));
    let report: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let e = expected(&s.db, NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(), NaiveDate::from_ymd_opt(2026, 10, 31).unwrap());
    assert!(e.persons > 50, "a busy month: {e:?}");
    check_json(&report, &e);
    // The year to date counts each person once however many months they came.
    let ytd = expected(&s.db, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), NaiveDate::from_ymd_opt(2026, 10, 31).unwrap());
    assert_eq!(n(&row(&report, "persons", "assisted")["year_to_date"]), ytd.persons);
    let september = expected(&s.db, NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(), NaiveDate::from_ymd_opt(2026, 9, 30).unwrap());
    assert_eq!(n(&row(&report, "persons", "assisted")["previous"]), september.persons);
}

/// The oracle's figure for a row of a section, by the row's key.
fn expected_row(e: &Expected, section: &str, key: &str) -> Option<usize> {
    let get = |m: &BTreeMap<String, usize>| m.get(key).copied().or(Some(0));
    match (section, key) {
        ("persons", "assisted") => Some(e.persons),
        ("assistance_records", "total") => Some(e.assistance_by_category.values().sum()),
        ("assistance_records", _) => get(&e.assistance_by_category),
        ("assistance_persons", k) if k != "total" => get(&e.persons_by_category),
        ("contacts", "total") => Some(e.visits_by_channel.values().sum()),
        ("contacts", _) => get(&e.visits_by_channel),
        ("referrals_by_status", "total") => Some(e.referrals_by_status.values().sum()),
        ("referrals_by_status", _) => get(&e.referrals_by_status),
        _ => None,
    }
}

/// Every file format, read back the way a user's tools would, shows the
/// oracle's figures in the "This period" column of the right rows.
#[test]
fn xlsx_csv_and_pdf_show_the_figures_worked_out_from_the_records() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let s = seeded();
    let path = |name: &str| s.dir.join(name).to_str().unwrap().to_owned();
    for (format, name) in [("json", "r.json"), ("xlsx", "r.xlsx"), ("csv", "r.csv"), ("pdf", "r.pdf")] {
        ok(mrc(&s.db, &["report", "--period", "2026-10", "--format", format, "--out", &path(name)]));
    }
    let report: Value = serde_json::from_slice(&std::fs::read(path("r.json")).unwrap()).unwrap();
    let e = expected(&s.db, NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(), NaiveDate::from_ymd_opt(2026, 10, 31).unwrap());
    let sections = report["sections"].as_array().unwrap();

    let mut book: Xlsx<_> = open_workbook(path("r.xlsx")).unwrap();
    let sheets = book.sheet_names().to_vec();
    assert_eq!(sheets.len(), 2 + sections.len(), "cover, summary, one per section: {sheets:?}");
    let mut checked = 0;
    for (i, section) in sections.iter().enumerate() {
        let id = section["id"].as_str().unwrap();
        let keys: Vec<&str> = section["rows"].as_array().unwrap().iter().map(|r| r["key"].as_str().unwrap()).collect();
        // XLSX: the rows under the header row whose second cell says "This period".
        let range = book.worksheet_range(&sheets[2 + i]).unwrap();
        let rows: Vec<&[Data]> = range.rows().collect();
        let header = rows.iter().position(|r| r.get(1).is_some_and(|c| c.to_string() == "This period")).expect("a header row");
        // CSV: one file per section, same rows, same columns.
        let text = std::fs::read_to_string(path(&format!("r-{id}.csv"))).unwrap();
        let mut csv = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        assert_eq!(csv.headers().unwrap().get(1), Some("This period"));
        let csv_rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
        assert_eq!(csv_rows.len(), keys.len(), "{id}");
        for (r, key) in keys.iter().enumerate() {
            let Some(want) = expected_row(&e, id, key) else { continue };
            let cell = &rows[header + 1 + r][1];
            let stored = match cell {
                Data::Float(f) => Some(*f),
                Data::Int(n) => Some(*n as f64),
                _ => None,
            };
            assert_eq!(stored, Some(want as f64), "xlsx {id} {key}: a number, not text: {cell:?}");
            assert_eq!(csv_rows[r].get(1), Some(want.to_string().as_str()), "csv {id} {key}");
            checked += 1;
        }
    }
    assert!(checked > 25, "{checked} figures compared");

    // PDF: the headline line of persons assisted carries the oracle's count.
    let text = Command::new("pdftotext").args(["-layout", &path("r.pdf"), "-"]).output().expect("pdftotext (poppler-utils) is installed");
    let text = String::from_utf8_lossy(&text.stdout);
    let line = text.lines().find(|l| l.trim_start().starts_with("Persons assisted")).expect("a persons line");
    let thousands = |n: usize| {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        out
    };
    assert!(line.split_whitespace().any(|w| w == thousands(e.persons)), "{line} should show {}", e.persons);
    let visits: usize = e.visits_by_channel.values().sum();
    let line = text.lines().find(|l| l.trim_start().starts_with("Visits and contacts")).expect("a visits line");
    assert!(line.split_whitespace().any(|w| w == thousands(visits)), "{line} should show {visits}");
}

#[test]
fn a_bad_period_is_refused_with_its_reason() {
    let s = seeded();
    let out = s.dir.join("x.json");
    let refused = mrc(&s.db, &["report", "--period", "2026-13", "--format", "json", "--out", out.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--period"), "{}", String::from_utf8_lossy(&refused.stderr));
    assert!(!out.exists());
}
