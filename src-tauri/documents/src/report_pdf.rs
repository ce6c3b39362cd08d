//! The monthly report as an A4 PDF.
//!
//! Pages are landscape because a section table carries fourteen number
//! columns (three periods, four sexes, seven age bands) beside its captions.
//! Page 1 puts the headline figures beside the twelve-month trend and the
//! referrals by status; the two larger charts follow, then every section as
//! a table, then the persons section by citizenship and by migration status.
//! Every page has the same header (title, centres, period) and a footer
//! with "Page x of y", written once the page count is known.
//!
//! Every word and number comes from [`ReportText`], so the file says what
//! the dashboard says, in the same language.

mod chart;
mod table;
mod tables;
#[cfg(test)]
mod tests;

use chrono::Datelike;
use mrc_core::age::AgeBand;
use mrc_core::migrant::Sex;
use mrc_core::report::{Cell, HeadlineId, Period, Report, SectionId, TrendPoint};

use crate::canvas::{Canvas, DocInfo, Rgb, TextStyle, A4_LANDSCAPE};
use crate::font::FontId;
use crate::wrap::wrap_text;
use crate::{DocumentError, ReportText};

use chart::{Area, Bar};

// Geometry, in points (origin bottom-left).
const PAGE: (f32, f32) = A4_LANDSCAPE;
const LEFT: f32 = 36.0;
const RIGHT: f32 = PAGE.0 - 36.0;
const CONTENT_WIDTH: f32 = RIGHT - LEFT;
const HEADER_TITLE_Y: f32 = PAGE.1 - 40.0;
const HEADER_CENTRES_Y: f32 = PAGE.1 - 53.0;
const HEADER_RULE_Y: f32 = PAGE.1 - 60.0;
const CONTENT_TOP: f32 = PAGE.1 - 74.0;
/// Content never goes below this line; the footer lives underneath.
const BOTTOM: f32 = 50.0;
const FOOTER_RULE_Y: f32 = 38.0;
const FOOTER_BASELINE: f32 = 26.0;
const BLOCK_GAP: f32 = 20.0;
/// Page 1: the headline table on the left, two charts on the right.
const SUMMARY_WIDTH: f32 = 420.0;
const COLUMN_GAP: f32 = 28.0;
const TREND_HEIGHT: f32 = 220.0;
const SEX_AGE_HEIGHT: f32 = 205.0;

// Colours: dark ink, a muted grey for captions, one sober accent.
const INK: Rgb = Rgb(0.11, 0.12, 0.14);
const MUTED: Rgb = Rgb(0.38, 0.40, 0.44);
const ACCENT: Rgb = Rgb(0.10, 0.24, 0.44);
const TINT: Rgb = Rgb(0.91, 0.94, 0.97);
const RULE: Rgb = Rgb(0.78, 0.80, 0.84);

const TITLE: TextStyle = TextStyle::new(FontId::Bold, 14.0, ACCENT);
const PERIOD: TextStyle = TextStyle::new(FontId::Bold, 10.5, INK);
const CENTRES: TextStyle = TextStyle::new(FontId::Regular, 9.0, MUTED);
const HEADING: TextStyle = TextStyle::new(FontId::Bold, 10.0, ACCENT);
const NOTE: TextStyle = TextStyle::new(FontId::Regular, 8.0, MUTED);
const NOTICE: TextStyle = TextStyle::new(FontId::Bold, 8.5, INK);
const META_CAPTION: TextStyle = TextStyle::new(FontId::Regular, 8.0, MUTED);
const META_VALUE: TextStyle = TextStyle::new(FontId::Regular, 8.0, INK);
const FOOTER: TextStyle = TextStyle::new(FontId::Regular, 7.5, MUTED);

const ELLIPSIS: &str = "…";
/// Printed where the model has no value at all (not a hidden one).
const MISSING: &str = "—";

/// The report as PDF bytes; `trend` is the twelve months drawn as a chart.
pub fn report_pdf(report: &Report, trend: &[TrendPoint], text: &ReportText) -> Result<Vec<u8>, DocumentError> {
    let mut doc = Doc { canvas: Canvas::with_page_size(PAGE)?, report, text, y: CONTENT_TOP };
    doc.new_page();
    doc.first_page(trend);
    doc.charts();
    for section in &report.sections {
        doc.table(&tables::section(&doc, section));
    }
    if let Some(persons) = report.section(SectionId::Persons) {
        doc.table(&tables::by_citizenship(&doc, persons));
        doc.table(&tables::by_status(&doc, persons));
    }
    doc.footers();

    let title = format!("{} {}", text.title(), text.period(report.period));
    let lang = text.language.code();
    doc.canvas.finish(&DocInfo { title: &title, lang })
}

/// The document being written, with the free space left on its current page.
struct Doc<'a> {
    canvas: Canvas,
    report: &'a Report,
    text: &'a ReportText,
    /// Top of the free space on the current page.
    y: f32,
}

impl Doc<'_> {
    fn new_page(&mut self) {
        self.canvas.add_page();
        self.page_header();
        self.y = CONTENT_TOP;
    }

    /// Start a new page unless `height` more points fit on this one. A block
    /// taller than a whole page starts at the top of one and is cut there
    /// rather than pushing blank pages forever.
    fn ensure(&mut self, height: f32) {
        if self.y - height < BOTTOM && self.y < CONTENT_TOP {
            self.new_page();
        }
    }

    /// A full-width table, then a gap.
    fn table(&mut self, table: &table::Table) {
        table.draw(self, LEFT, CONTENT_WIDTH);
        self.y -= BLOCK_GAP;
    }

    fn page_header(&mut self) {
        let period = self.text.period(self.report.period);
        self.canvas.text_right(PERIOD, RIGHT, HEADER_TITLE_Y, &period);
        let room = CONTENT_WIDTH - self.canvas.text_width(PERIOD, &period) - 24.0;
        let title = ellipsize(&self.canvas, TITLE, &self.text.title(), room);
        self.canvas.text(TITLE, LEFT, HEADER_TITLE_Y, &title);
        let centres = ellipsize(&self.canvas, CENTRES, &self.text.centres(self.report), CONTENT_WIDTH);
        self.canvas.text(CENTRES, LEFT, HEADER_CENTRES_Y, &centres);
        self.canvas.line((LEFT, HEADER_RULE_Y), (RIGHT, HEADER_RULE_Y), ACCENT, 1.2);
    }

    /// "Page x of y" on every page, and on a report for sharing its notice,
    /// so that a page printed alone still says what it may be used for.
    fn footers(&mut self) {
        let pages = self.canvas.page_count();
        let template = self.text.get("report.page_of");
        let notice = self.report.request.for_sharing.then(|| self.text.get("report.for_sharing"));
        for page in 0..pages {
            self.canvas.select_page(page);
            self.canvas.line((LEFT, FOOTER_RULE_Y), (RIGHT, FOOTER_RULE_Y), RULE, 0.6);
            let number = template.replace("{page}", &(page + 1).to_string()).replace("{pages}", &pages.to_string());
            self.canvas.text_right(FOOTER, RIGHT, FOOTER_BASELINE, &number);
            if let Some(notice) = &notice {
                let room = CONTENT_WIDTH - self.canvas.text_width(FOOTER, &number) - 24.0;
                let line = ellipsize(&self.canvas, FOOTER, notice, room);
                self.canvas.text(FOOTER, LEFT, FOOTER_BASELINE, &line);
            }
        }
    }

    // ----- page 1 -----------------------------------------------------------

    /// The headline table on the left, the trend and the referrals by
    /// status on the right.
    fn first_page(&mut self, trend: &[TrendPoint]) {
        // The charts go first: they are placed on this page whatever happens
        // to the left column, which is free to flow on if it ever had to.
        let right_bottom = self.first_page_charts(trend);
        let page = self.canvas.page_count();
        tables::summary(self).draw(self, LEFT, SUMMARY_WIDTH);
        self.y -= 12.0;
        self.sharing_notice(SUMMARY_WIDTH);
        self.generated();
        if self.canvas.page_count() == page {
            self.y = self.y.min(right_bottom);
        }
        self.y -= BLOCK_GAP;
    }

    /// Returns where the lower chart ends.
    fn first_page_charts(&mut self, trend: &[TrendPoint]) -> f32 {
        let x = LEFT + SUMMARY_WIDTH + COLUMN_GAP;
        let width = RIGHT - x;
        let trend_area = Area { x, top: self.y, width, height: TREND_HEIGHT };
        let title = self.get("report.chart.trend");
        chart::vertical(&mut self.canvas, self.text, trend_area, &title, &trend_bars(self.text, self.report, trend));

        let bars = self.section_bars(SectionId::ReferralsByStatus);
        let height = chart::horizontal_height(bars.len());
        let referrals = Area { x, top: self.y - TREND_HEIGHT - BLOCK_GAP, width, height };
        let title = self.get("report.chart.referrals");
        chart::horizontal(&mut self.canvas, self.text, referrals, &title, &bars);
        referrals.top - height
    }

    /// The notice of a report for sharing, framed so that it is not missed.
    fn sharing_notice(&mut self, width: f32) {
        if !self.report.request.for_sharing {
            return;
        }
        let pad = 7.0;
        let lines = wrap_text(&self.get("report.for_sharing"), width - 2.0 * pad, |s| self.canvas.text_width(NOTICE, s));
        let line_height = NOTICE.size * 1.35;
        let height = lines.len() as f32 * line_height + 2.0 * pad;
        self.ensure(height);
        self.canvas.fill_rect(LEFT, self.y - height, width, height, TINT);
        self.canvas.stroke_rect(LEFT, self.y - height, width, height, ACCENT, 0.9);
        for (i, line) in lines.iter().enumerate() {
            let baseline = self.y - pad - NOTICE.size - i as f32 * line_height;
            self.canvas.text(NOTICE, LEFT + pad, baseline + 1.5, line);
        }
        self.y -= height + 10.0;
    }

    /// When the report was made, and by whom when that is known.
    fn generated(&mut self) {
        let mut lines = vec![(self.get("report.generated_at"), self.text.timestamp(self.report.generated_at))];
        let by = self.report.generated_by.trim();
        if !by.is_empty() {
            lines.push((self.get("report.generated_by"), by.to_owned()));
        }
        for (caption, value) in lines {
            self.ensure(12.0);
            let caption = format!("{caption}: ");
            let baseline = self.y - META_CAPTION.size;
            self.canvas.text(META_CAPTION, LEFT, baseline, &caption);
            let x = LEFT + self.canvas.text_width(META_CAPTION, &caption);
            let value = ellipsize(&self.canvas, META_VALUE, &value, SUMMARY_WIDTH - (x - LEFT));
            self.canvas.text(META_VALUE, x, baseline, &value);
            self.y -= META_CAPTION.size * 1.5;
        }
    }

    // ----- charts -----------------------------------------------------------

    /// Persons by kind of assistance, then by sex and age band.
    fn charts(&mut self) {
        let bars = self.section_bars(SectionId::AssistancePersons);
        let height = chart::horizontal_height(bars.len());
        self.ensure(height);
        let area = Area { x: LEFT, top: self.y, width: CONTENT_WIDTH, height };
        let title = self.get("report.chart.by_category");
        chart::horizontal(&mut self.canvas, self.text, area, &title, &bars);
        self.y -= height + BLOCK_GAP;

        self.ensure(SEX_AGE_HEIGHT);
        let area = Area { x: LEFT, top: self.y, width: CONTENT_WIDTH, height: SEX_AGE_HEIGHT };
        let series: Vec<String> = (0..Sex::ALL.len()).map(|i| self.text.sex(i)).collect();
        let (title, groups) = (self.get("report.chart.sex_age"), self.sex_age_groups());
        chart::grouped(&mut self.canvas, self.text, area, &title, &series, &groups);
        self.y -= SEX_AGE_HEIGHT + BLOCK_GAP;
    }

    /// One bar per row of a section (its total row left out), current period.
    fn section_bars(&self, id: SectionId) -> Vec<Bar> {
        let Some(section) = self.report.section(id) else { return Vec::new() };
        section
            .rows
            .iter()
            .filter(|row| row.key != "total")
            .map(|row| self.bar(self.text.row(id, &row.key, row.label.as_deref()), Some(row.current.total)))
            .collect()
    }

    /// Age bands as groups, each with one bar per sex, of persons assisted.
    fn sex_age_groups(&self) -> Vec<(String, Vec<Bar>)> {
        let cells = self
            .report
            .section(SectionId::Persons)
            .and_then(|s| s.rows.iter().find(|r| r.key == "assisted"))
            .map(|r| r.current.by_sex_age.as_slice())
            .unwrap_or_default();
        (0..AgeBand::ALL.len())
            .map(|age| {
                let bars = (0..Sex::ALL.len())
                    .map(|sex| self.bar(String::new(), cells.get(sex).and_then(|r| r.get(age)).copied()))
                    .collect();
                (self.text.age_band(age), bars)
            })
            .collect()
    }

    /// A bar of `cell`; `None` when the model has no such cell at all.
    fn bar(&self, label: String, cell: Option<Cell>) -> Bar {
        match cell {
            Some(cell) => Bar { label, value: cell, shown: self.text.cell(cell) },
            None => Bar { label, value: None, shown: MISSING.to_owned() },
        }
    }

    fn get(&self, key: &str) -> String {
        self.text.get(key)
    }
}

/// The months of the trend, labelled "MM" with the year underneath where
/// it starts or changes (no month names in the catalogues; digits read the
/// same in every language).
fn trend_bars(text: &ReportText, report: &Report, trend: &[TrendPoint]) -> Vec<Bar> {
    let mut last_year = None;
    trend
        .iter()
        .map(|point| {
            let day = chrono::NaiveDate::parse_from_str(&format!("{}-01", point.month), "%Y-%m-%d").ok();
            let label = match day {
                Some(day) if last_year != Some(day.year()) => {
                    last_year = Some(day.year());
                    format!("{:02}\n{}", day.month(), day.year())
                }
                Some(day) => format!("{:02}", day.month()),
                None => point.month.clone(),
            };
            let value = trend_cell(report, point);
            Bar { label, value, shown: text.cell(value) }
        })
        .collect()
}

/// A month of the trend as the report may show it: the core hides small
/// counts for sharing; the report's own month shows the same figure as the
/// headline, hidden or not, so the page never disagrees with itself.
fn trend_cell(report: &Report, point: &TrendPoint) -> Cell {
    if report.request.for_sharing && Period::month(&point.month) == Some(report.period) {
        return report.headline(HeadlineId::PersonsAssisted).and_then(|h| h.current);
    }
    point.persons_assisted
}

/// `text` on one line of `width`, cut with an ellipsis when it is wider.
fn ellipsize(canvas: &Canvas, style: TextStyle, text: &str, width: f32) -> String {
    if canvas.text_width(style, text) <= width {
        return text.to_owned();
    }
    let budget = width - canvas.text_width(style, ELLIPSIS);
    let mut out = String::new();
    let mut used = 0.0;
    let mut buf = [0u8; 4];
    for c in text.chars() {
        let w = canvas.text_width(style, c.encode_utf8(&mut buf));
        if used + w > budget {
            break;
        }
        out.push(c);
        used += w;
    }
    format!("{}{ELLIPSIS}", out.trim_end())
}

/// `text` wrapped to `width` in at most `max_lines` lines, the last one
/// ending with an ellipsis when some of the text had to be left out.
fn wrap_lines(canvas: &Canvas, style: TextStyle, text: &str, width: f32, max_lines: usize) -> Vec<String> {
    let mut lines = wrap_text(text, width, |s| canvas.text_width(style, s));
    if lines.len() > max_lines && max_lines > 0 {
        let rest = lines[max_lines - 1..].join(" ");
        lines.truncate(max_lines - 1);
        // The rest is wider than the line, so it is always cut.
        lines.push(ellipsize(canvas, style, &format!("{rest}{ELLIPSIS}"), width));
    }
    lines
}

/// `style` shrunk (down to 4.5 pt) so that `text` fits in `width`.
fn fitted(canvas: &Canvas, style: TextStyle, text: &str, width: f32) -> TextStyle {
    let w = canvas.text_width(style, text);
    if w <= width || w <= 0.0 {
        style
    } else {
        TextStyle { size: (style.size * width / w).max(4.5), ..style }
    }
}
