//! `mrc report` against figures worked out here from the records
//! themselves: plain reads of the visit, assistance, referral and migrant
//! tables and a first-principles age count, never the report's facts or
//! queries. Every format is read back and compared with them.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::process::{Command, Output};

use chrono::{DateTime, Datelike, Local, NaiveDate, Utc};
use rusqlite::Connection;
use serde_json::Value;

fn mrc(db: &Path, args: &[&str]) -> Output {
    let home = db.parent().unwrap().join("xdg");
    Command::new(env!("CARGO_BIN_EXE_mrc")).arg("--db").arg(db).args(args).env("XDG_DATA_HOME", &home).env("HOME", &home).output().expect("mrc runs")
}

fn ok(output: Output) -> String {
    let err = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "mrc failed: {}\n{err}", String::from_utf8_lossy(&output.stdout));
    String::from_utf8(output.stdout).unwrap()
}

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
    let conn = Connection::open(db).unwrap();
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

#[test]
fn a_bad_period_is_refused_with_its_reason() {
    let s = seeded();
    let out = s.dir.join("x.json");
    let refused = mrc(&s.db, &["report", "--period", "2026-13", "--format", "json", "--out", out.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--period"), "{}", String::from_utf8_lossy(&refused.stderr));
    assert!(!out.exists());
}
