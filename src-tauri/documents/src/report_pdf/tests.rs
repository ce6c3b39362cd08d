//! The report PDF read back by poppler's `pdfinfo` and `pdftotext`, as a
//! user's viewer would read it, from a real report of a demo centre.
//!
//! poppler-utils is required: without it these tests fail, they do not skip.
//! Set MRC_REPORT_OUT=/some/dir to keep report-en.pdf and report-ru.pdf.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use chrono::NaiveDate;
use mrc_core::centre::{SetupInput, StaffInput, StaffRole};
use mrc_core::demo::{seed_demo, DemoOptions};
use mrc_core::report::{HeadlineId, Report, ReportRequest, SectionId, TrendPoint};
use mrc_core::Desk;

use super::*;
use crate::Language;

const CENTRE: &str = "MRC Dushanbe";

/// A month of a demo centre's year: for the centre, and for sharing.
struct Fixture {
    report: Report,
    sharing: Report,
    trend: Vec<TrendPoint>,
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn set_up() -> Desk {
    let mut desk = Desk::open_in_memory().unwrap();
    mrc_core::sample::start_centre(&mut desk, SetupInput {
        centre_name: CENTRE.into(),
        country: "TJ".into(),
        city: "Dushanbe".into(),
        staff: StaffInput { full_name: "Caseworker One".into(), role: Some(StaffRole::Supervisor), password: mrc_core::sample::PASSWORD.into() },
        language: "en".into(),
    })
    .unwrap();
    desk
}

fn request(for_sharing: bool) -> ReportRequest {
    ReportRequest { centre_id: None, from: day(2025, 9, 1), to: day(2025, 9, 30), for_sharing }
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let mut desk = set_up();
        seed_demo(&mut desk, &DemoOptions::new(7, 300, 3.0, day(2026, 1, 1))).unwrap();
        Fixture {
            report: desk.report(&request(false)).unwrap(),
            sharing: desk.report(&request(true)).unwrap(),
            trend: desk.report_trend(None, request(false).to, false).unwrap(),
        }
    })
}

/// Run a poppler tool; a missing tool is a failure with a hint, not a skip.
fn poppler(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {tool} ({e}): install poppler-utils"));
    assert!(out.status.success(), "{tool} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("poppler writes UTF-8")
}

/// Writes the PDF into `dir` (and into $MRC_REPORT_OUT when set).
fn saved(dir: &Path, name: &str, pdf: &[u8]) -> PathBuf {
    if let Some(out) = std::env::var_os("MRC_REPORT_OUT") {
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(Path::new(&out).join(name), pdf).unwrap();
    }
    let path = dir.join(name);
    std::fs::write(&path, pdf).unwrap();
    path
}

/// Page count, after checking that every page is A4 (either way round).
fn a4_pages(pdf: &Path) -> usize {
    let path = pdf.to_str().unwrap();
    let info = poppler("pdfinfo", &["-f", "1", "-l", "9999", path]);
    let mut sizes = info.lines().filter(|l| l.starts_with("Page") && l.contains(" size:")).peekable();
    assert!(sizes.peek().is_some(), "no page sizes in:\n{info}");
    for size in sizes {
        assert!(size.contains("842 x 595 pts (A4)") || size.contains("595 x 842 pts (A4)"), "{size}");
    }
    let pages = info.lines().find_map(|l| l.strip_prefix("Pages:")).expect("a page count");
    pages.trim().parse().unwrap()
}

fn text_of(pdf: &Path, layout: bool) -> String {
    let path = pdf.to_str().unwrap();
    let mut args = vec!["-enc", "UTF-8"];
    if layout {
        args.push("-layout");
    }
    args.extend([path, "-"]);
    poppler("pdftotext", &args)
}

/// Runs of white space (line breaks, no-break spaces) as one space.
fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn has(extracted: &str, needle: &str) -> bool {
    flat(extracted).contains(&flat(needle))
}

/// The three figures printed after a headline's caption on page 1.
fn headline_figures(layout_text: &str, caption: &str) -> Vec<String> {
    let caption = flat(caption);
    let line = layout_text
        .lines()
        .map(flat)
        .find(|l| l.starts_with(&caption) && l.len() > caption.len())
        .unwrap_or_else(|| panic!("no line starts with {caption:?}"));
    line[caption.len()..].split_whitespace().map(str::to_owned).collect()
}

/// The figures of a headline as the PDF prints them: a number may hold a
/// no-break space in Russian, so tokens are compared after flattening.
fn expected_figures(text: &ReportText, h: &mrc_core::report::Headline) -> String {
    flat(&[h.current, h.previous, h.year_to_date].map(|c| text.cell(c)).join(" "))
}

#[test]
fn english_report_is_a4_numbered_and_holds_the_model() {
    let f = fixture();
    let text = ReportText::new(Language::English);
    let dir = tempfile::tempdir().unwrap();
    let pdf = saved(dir.path(), "report-en.pdf", &report_pdf(&f.report, &f.trend, &text).unwrap());

    let pages = a4_pages(&pdf);
    assert!(pages > 1 && pages < 20, "{pages} pages");
    let extracted = text_of(&pdf, false);
    assert!(has(&extracted, "Page 1 of "), "no page numbers");
    assert!(has(&extracted, &format!("Page {pages} of {pages}")));
    assert_eq!(extracted.matches(&format!(" of {pages}")).count(), pages, "one number per page");
    for needle in [CENTRE.to_owned(), text.title(), text.date(f.report.period.from), text.date(f.report.period.to)] {
        assert!(has(&extracted, &needle), "{needle:?} missing");
    }
    for id in SectionId::ALL {
        assert!(has(&extracted, &text.section(*id)), "section {id} missing");
    }
    assert!(has(&extracted, &text.get("report.chart.trend")) && has(&extracted, &text.get("report.chart.sex_age")));
    assert!(has(&extracted, "Caseworker One"), "generated by");

    let layout = text_of(&pdf, true);
    for h in &f.report.headline {
        let shown = headline_figures(&layout, &text.headline(h.id));
        assert!(flat(&shown.join(" ")).starts_with(&expected_figures(&text, h)), "{}: {shown:?}", h.id);
    }
    let persons = f.report.headline(HeadlineId::PersonsAssisted).and_then(|h| h.current).unwrap();
    assert!(persons >= 20, "the demo month is busy enough to be a real test: {persons}");
}

#[test]
fn russian_report_prints_cyrillic_titles() {
    let f = fixture();
    let text = ReportText::new(Language::Russian);
    let dir = tempfile::tempdir().unwrap();
    let pdf = saved(dir.path(), "report-ru.pdf", &report_pdf(&f.report, &f.trend, &text).unwrap());

    let pages = a4_pages(&pdf);
    let extracted = text_of(&pdf, false);
    assert!(has(&extracted, &format!("Страница 1 из {pages}")));
    assert!(has(&extracted, &text.title()) && text.title().starts_with("Ежемесячный"));
    for id in SectionId::ALL {
        let title = text.section(*id);
        assert!(title.chars().any(|c| ('а'..='я').contains(&c.to_lowercase().next().unwrap_or(c))), "{title}");
        assert!(has(&extracted, &title), "section {id} missing: {title}");
    }
    let english = ReportText::new(Language::English);
    assert!(!has(&extracted, &english.section(SectionId::Contacts)));
    let layout = text_of(&pdf, true);
    let h = f.report.headline(HeadlineId::Visits).unwrap();
    let shown = headline_figures(&layout, &text.headline(h.id));
    assert!(flat(&shown.join(" ")).starts_with(&expected_figures(&text, h)), "{shown:?}");
}

#[test]
fn report_for_sharing_shows_small_counts_as_under_five() {
    let f = fixture();
    let text = ReportText::new(Language::English);
    let dir = tempfile::tempdir().unwrap();
    let pdf = saved(dir.path(), "report-sharing.pdf", &report_pdf(&f.sharing, &f.trend, &text).unwrap());

    let extracted = text_of(&pdf, false);
    assert!(extracted.contains("<5"));
    assert!(has(&extracted, &text.get("report.for_sharing")));
    let layout = text_of(&pdf, true);
    for h in &f.sharing.headline {
        let shown = headline_figures(&layout, &text.headline(h.id));
        for figure in shown.iter().take(3) {
            let n: Option<u32> = figure.replace(',', "").parse().ok();
            assert!(!matches!(n, Some(1..=4)), "{}: {shown:?}", h.id);
        }
    }
}

#[test]
fn long_partner_names_stay_in_their_column() {
    let f = fixture();
    let text = ReportText::new(Language::English);
    let name = "Public Association of Legal Aid to Migrant Workers in Almaty";
    assert_eq!(name.chars().count(), 60);
    let huge = format!("Foundation {}", "Humanitarian Support Network ".repeat(12));
    let mut report = f.report.clone();
    let partners = report.sections.iter_mut().find(|s| s.id == SectionId::ReferralsByPartner).unwrap();
    assert!(partners.rows.len() >= 3, "the demo month has referrals to partners");
    partners.rows[1].label = Some(name.into());
    partners.rows[2].label = Some(huge);
    let dir = tempfile::tempdir().unwrap();
    let plain = saved(dir.path(), "plain.pdf", &report_pdf(&f.report, &f.trend, &text).unwrap());
    let pdf = saved(dir.path(), "report-long-names.pdf", &report_pdf(&report, &f.trend, &text).unwrap());

    assert!(a4_pages(&pdf) <= a4_pages(&plain) + 1);
    let extracted = text_of(&pdf, false);
    assert!(has(&extracted, name), "name missing");
    assert!(extracted.contains("Foundation Humanitarian") && extracted.contains('…'), "huge name not cut");

    // Every word of the names ends left of the first number column.
    let table = tables::section(&doc_for(&report, &text), report.section(SectionId::ReferralsByPartner).unwrap());
    let limit = table::caption_right_edge(&table, LEFT, CONTENT_WIDTH);
    let words = ["Public", "Association", "Legal", "Migrant", "Workers", "Almaty", "Foundation", "Humanitarian", "Network"];
    let boxes = word_boxes(&pdf);
    let mut seen = 0;
    for (word, x_max) in boxes.iter().filter(|(w, _)| words.iter().any(|n| w.starts_with(n))) {
        assert!(*x_max <= limit, "{word} ends at {x_max}, past {limit}");
        seen += 1;
    }
    assert!(seen >= 8, "only {seen} words of the names found");
    for (word, x_max) in &boxes {
        assert!(*x_max <= RIGHT + 0.5, "{word} runs off the page at {x_max}");
    }
}

/// A document with no pages, for building tables outside of `report_pdf`.
fn doc_for<'a>(report: &'a Report, text: &'a ReportText) -> Doc<'a> {
    Doc { canvas: Canvas::with_page_size(PAGE).unwrap(), report, text, y: CONTENT_TOP }
}

/// Each word `pdftotext -bbox` finds, with the x of its right end.
fn word_boxes(pdf: &Path) -> Vec<(String, f32)> {
    let html = poppler("pdftotext", &["-bbox", pdf.to_str().unwrap(), "-"]);
    html.lines()
        .filter_map(|line| {
            let line = line.trim();
            let rest = line.strip_prefix("<word ")?;
            let x_max = rest.split("xMax=\"").nth(1)?.split('"').next()?.parse().ok()?;
            let word = rest.split('>').nth(1)?.split('<').next()?.to_owned();
            Some((word, x_max))
        })
        .collect()
}

#[test]
fn an_empty_month_still_renders() {
    let desk = set_up();
    let report = desk.report(&request(false)).unwrap();
    let trend = desk.report_trend(None, request(false).to, false).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (name, trend) in [("empty.pdf", trend.as_slice()), ("no-trend.pdf", &[])] {
        let pdf = saved(dir.path(), name, &report_pdf(&report, trend, &ReportText::new(Language::English)).unwrap());
        assert!(a4_pages(&pdf) > 1);
        assert!(has(&text_of(&pdf, false), CENTRE));
    }
}

#[test]
fn same_report_gives_same_bytes() {
    let f = fixture();
    let text = ReportText::new(Language::Russian);
    let a = report_pdf(&f.sharing, &f.trend, &text).unwrap();
    let b = report_pdf(&f.sharing, &f.trend, &text).unwrap();
    assert!(a == b, "two renderings differ");
}

#[test]
fn long_text_is_cut_with_an_ellipsis() {
    let canvas = Canvas::new().unwrap();
    let style = TextStyle::new(FontId::Regular, 8.0, INK);
    let long = "Международная организация по миграции ".repeat(5);
    let cut = ellipsize(&canvas, style, &long, 100.0);
    assert!(cut.ends_with(ELLIPSIS) && canvas.text_width(style, &cut) <= 100.0);
    assert_eq!(ellipsize(&canvas, style, "short", 100.0), "short");
    let lines = wrap_lines(&canvas, style, &long, 100.0, 2);
    assert_eq!(lines.len(), 2);
    assert!(lines[1].ends_with(ELLIPSIS) && lines.iter().all(|l| canvas.text_width(style, l) <= 100.0));
}

#[test]
fn trend_months_name_their_year_once() {
    let text = ReportText::new(Language::English);
    let bars = trend_bars(&text, &fixture().report, &[point("2024-11", 1234), point("2024-12", 3), point("2025-01", 0), point("garbled", 7)]);
    let labels: Vec<&str> = bars.iter().map(|b| b.label.as_str()).collect();
    assert_eq!(labels, ["11\n2024", "12", "01\n2025", "garbled"]);
    let shown: Vec<&str> = bars.iter().map(|b| b.shown.as_str()).collect();
    assert_eq!(shown, ["1,234", "3", "0", "7"]);
}

#[test]
fn trend_for_sharing_shows_hidden_months_and_follows_the_headline() {
    let text = ReportText::new(Language::English);
    let mut sharing = fixture().sharing.clone();
    let month = sharing.period.from.format("%Y-%m").to_string();
    let headline = sharing.headline.iter_mut().find(|h| h.id == HeadlineId::PersonsAssisted).unwrap();
    headline.current = None;
    let hidden = TrendPoint { persons_assisted: None, ..point("2024-11", 0) };
    let bars = trend_bars(&text, &sharing, &[hidden, point("2024-12", 0), point("2025-01", 12), point(&month, 95)]);
    let values: Vec<Option<u32>> = bars.iter().map(|b| b.value).collect();
    assert_eq!(values, [None, Some(0), Some(12), None]);
    assert_eq!(bars[0].shown, "<5");
    assert_eq!(bars[3].shown, "<5");
}

fn point(month: &str, persons_assisted: u32) -> TrendPoint {
    TrendPoint { month: month.into(), persons_assisted: Some(persons_assisted), visits: Some(0), assistance_records: Some(0), referrals_made: Some(0) }
}
