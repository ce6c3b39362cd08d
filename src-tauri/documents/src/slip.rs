//! Layout of the referral slip.
//!
//! Page 1 opens with the title, the date and a framed reference number,
//! then two boxes side by side: the referring centre ("From") and the
//! partner organisation ("To"). The details follow as a two-column table of
//! captions and values (the reason wraps inside its column), then the
//! bulleted lists of what to bring and what was shared, and a signature
//! line. Content that does not fit flows onto further pages, which repeat a
//! short running header; every page ends with the footer line and
//! "Page n of m".

use crate::canvas::{Canvas, DocInfo, Rgb, TextStyle, PAGE_HEIGHT, PAGE_WIDTH};
use crate::font::FontId;
use crate::labels::SlipLabels;
use crate::wrap::wrap_text;
use crate::{DocumentError, Language, SlipData};

// Geometry, in points.
const MARGIN_X: f32 = 50.0;
const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN_X;
const RIGHT: f32 = PAGE_WIDTH - MARGIN_X;
const TOP: f32 = PAGE_HEIGHT - 48.0;
/// Content never goes below this line; the footer lives underneath.
const BOTTOM: f32 = 78.0;
const FOOTER_RULE_Y: f32 = 60.0;
const FOOTER_BASELINE: f32 = 47.0;
const REF_BOX_WIDTH: f32 = 185.0;
const REF_BOX_HEIGHT: f32 = 52.0;
const COLUMN_GAP: f32 = 16.0;
const BOX_BAND: f32 = 20.0;
const BOX_PAD: f32 = 10.0;
const LABEL_COLUMN: f32 = 150.0;
const ROW_PAD: f32 = 6.0;
const BULLET_INDENT: f32 = 14.0;

/// Line height as a multiple of the largest font size on the line, and
/// where the baseline sits below the top of the line.
const LEADING: f32 = 1.36;
const BASELINE_DROP: f32 = 1.0;

// Colours: dark ink, a muted grey for captions, one sober accent.
const INK: Rgb = Rgb(0.11, 0.12, 0.14);
const MUTED: Rgb = Rgb(0.38, 0.40, 0.44);
const ACCENT: Rgb = Rgb(0.10, 0.24, 0.44);
const TINT: Rgb = Rgb(0.91, 0.94, 0.97);
const RULE: Rgb = Rgb(0.78, 0.80, 0.84);

const TITLE: TextStyle = TextStyle::new(FontId::Bold, 22.0, ACCENT);
const REF_VALUE: TextStyle = TextStyle::new(FontId::Bold, 16.0, INK);
const CAPTION: TextStyle = TextStyle::new(FontId::Regular, 8.5, MUTED);
const BOX_HEADING: TextStyle = TextStyle::new(FontId::Bold, 9.5, ACCENT);
const NAME: TextStyle = TextStyle::new(FontId::Bold, 11.5, INK);
const BODY: TextStyle = TextStyle::new(FontId::Regular, 10.0, INK);
const BODY_MUTED: TextStyle = TextStyle::new(FontId::Regular, 10.0, MUTED);
const ROW_LABEL: TextStyle = TextStyle::new(FontId::Bold, 9.5, MUTED);
const ROW_VALUE: TextStyle = TextStyle::new(FontId::Regular, 10.5, INK);
const ROW_VALUE_STRONG: TextStyle = TextStyle::new(FontId::Bold, 11.5, INK);
const SECTION: TextStyle = TextStyle::new(FontId::Bold, 11.0, ACCENT);
const RUNNING_HEAD: TextStyle = TextStyle::new(FontId::Regular, 9.0, MUTED);
const FOOTER: TextStyle = TextStyle::new(FontId::Regular, 8.5, MUTED);

/// Shown for a value that was left empty.
const EMPTY_VALUE: &str = "—";

pub(crate) fn render(data: &SlipData, lang: Language) -> Result<Vec<u8>, DocumentError> {
    let labels = SlipLabels::for_language(lang);
    let mut slip = Slip { canvas: Canvas::new()?, y: TOP, labels, reference: data.reference.trim() };
    slip.canvas.add_page();
    slip.header(data);
    slip.parties(data);
    slip.details(data);
    slip.bullet_section(labels.bring, &data.bring);
    slip.bullet_section(labels.shared_data, &data.shared_data);
    slip.signature();
    slip.footers();

    let title = if slip.reference.is_empty() {
        labels.title.to_string()
    } else {
        format!("{} {}", labels.title, slip.reference)
    };
    slip.canvas.finish(&DocInfo { title: &title, lang: lang.code() })
}

/// One line of text, possibly mixing styles (an inline caption and its value).
struct Line {
    spans: Vec<(TextStyle, String)>,
    /// Extra space before the first span (continuation lines of a caption).
    indent: f32,
}

impl Line {
    fn plain(style: TextStyle, text: impl Into<String>) -> Self {
        Line { spans: vec![(style, text.into())], indent: 0.0 }
    }

    fn size(&self) -> f32 {
        self.spans.iter().map(|(s, _)| s.size).fold(0.0, f32::max)
    }

    fn height(&self) -> f32 {
        self.size() * LEADING
    }

    /// Draw with the top of the line box at `top`.
    fn draw(&self, canvas: &mut Canvas, x: f32, top: f32) {
        let baseline = top - self.size() * BASELINE_DROP;
        let mut cx = x + self.indent;
        for (style, text) in &self.spans {
            canvas.text(*style, cx, baseline, text);
            cx += canvas.text_width(*style, text);
        }
    }
}

struct Slip<'a> {
    canvas: Canvas,
    /// Top of the free space on the current page.
    y: f32,
    labels: &'static SlipLabels,
    reference: &'a str,
}

impl Slip<'_> {
    // ----- building lines -------------------------------------------------

    fn paragraph(&self, style: TextStyle, text: &str, width: f32) -> Vec<Line> {
        wrap_text(text, width, |s| self.canvas.text_width(style, s))
            .into_iter()
            .map(|l| Line::plain(style, l))
            .collect()
    }

    /// "Caption: value" for lists such as phone numbers or opening hours:
    /// lines break only after a comma or semicolon (never inside a phone
    /// number, unless one alone is wider than the box), and continuation
    /// lines align under the first value.
    fn captioned(&self, caption: &str, value: &str, width: f32) -> Vec<Line> {
        let caption = format!("{caption}: ");
        let caption_width = self.canvas.text_width(BODY_MUTED, &caption);
        let measure = |s: &str| self.canvas.text_width(BODY, s);
        // A caption too wide to leave room for values gets a line of its own.
        let (mut lines, indent) = if caption_width > width * 0.6 {
            (vec![Line::plain(BODY_MUTED, caption.trim_end())], 0.0)
        } else {
            (Vec::new(), caption_width)
        };
        let room = width - indent;
        let units = value
            .split_inclusive([',', ';', '\n'])
            .map(|u| u.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|u| !u.is_empty());
        let mut texts: Vec<String> = Vec::new();
        for unit in units {
            match texts.last_mut() {
                Some(last) if measure(last) + measure(" ") + measure(&unit) <= room => {
                    last.push(' ');
                    last.push_str(&unit);
                }
                _ if measure(&unit) <= room => texts.push(unit),
                _ => texts.extend(wrap_text(&unit, room, measure)),
            }
        }
        let first_value_line = lines.len();
        lines.extend(texts.into_iter().map(|t| Line { spans: vec![(BODY, t)], indent }));
        if indent > 0.0 {
            if let Some(first) = lines.get_mut(first_value_line) {
                first.spans.insert(0, (BODY_MUTED, caption));
                first.indent = 0.0;
            }
        }
        lines
    }

    /// `style`, shrunk if need be so that `text` fits on one line of `width`.
    fn fitted_size(&self, style: TextStyle, text: &str, width: f32) -> TextStyle {
        let w = self.canvas.text_width(style, text);
        if w <= width {
            style
        } else {
            TextStyle { size: (style.size * width / w).max(4.0), ..style }
        }
    }

    // ----- page flow --------------------------------------------------------

    fn new_page(&mut self) {
        self.canvas.add_page();
        let mut head = format!("{} ({})", self.labels.title, self.labels.continued);
        if !self.reference.is_empty() {
            head = format!("{head} · {}: {}", self.labels.reference, self.reference);
        }
        let style = self.fitted_size(RUNNING_HEAD, &head, CONTENT_WIDTH);
        self.canvas.text(style, MARGIN_X, TOP - 9.0, &head);
        self.canvas.line((MARGIN_X, TOP - 16.0), (RIGHT, TOP - 16.0), RULE, 0.6);
        self.y = TOP - 30.0;
    }

    /// Start a new page unless `height` more points fit on this one.
    fn ensure(&mut self, height: f32) -> bool {
        if self.y - height < BOTTOM {
            self.new_page();
            true
        } else {
            false
        }
    }

    // ----- blocks -------------------------------------------------------------

    fn header(&mut self, data: &SlipData) {
        let labels = self.labels;
        // Reference number, framed, at the top right.
        let box_x = RIGHT - REF_BOX_WIDTH;
        let box_y = TOP - REF_BOX_HEIGHT;
        self.canvas.fill_rect(box_x, box_y, REF_BOX_WIDTH, REF_BOX_HEIGHT, TINT);
        self.canvas.stroke_rect(box_x, box_y, REF_BOX_WIDTH, REF_BOX_HEIGHT, ACCENT, 1.0);
        self.canvas.text(CAPTION, box_x + 10.0, TOP - 15.0, labels.reference);
        let reference = if self.reference.is_empty() { EMPTY_VALUE } else { self.reference };
        let style = self.fitted_size(REF_VALUE, reference, REF_BOX_WIDTH - 20.0);
        self.canvas.text(style, box_x + 10.0, TOP - 39.0, reference);

        // Title and date on the left.
        let title_width = CONTENT_WIDTH - REF_BOX_WIDTH - 16.0;
        let title = self.fitted_size(TITLE, labels.title, title_width);
        self.canvas.text(title, MARGIN_X, TOP - 22.0, labels.title);
        let date_caption = format!("{}: ", labels.date);
        let date = if data.date.trim().is_empty() { EMPTY_VALUE } else { data.date.trim() };
        let date_line = Line {
            spans: vec![(BODY_MUTED, date_caption), (TextStyle::new(FontId::Bold, 10.0, INK), date.into())],
            indent: 0.0,
        };
        date_line.draw(&mut self.canvas, MARGIN_X, TOP - 33.0);

        let rule_y = box_y - 12.0;
        self.canvas.line((MARGIN_X, rule_y), (RIGHT, rule_y), ACCENT, 1.4);
        self.y = rule_y - 16.0;
    }

    /// The "From" (centre) and "To" (partner) boxes side by side.
    fn parties(&mut self, data: &SlipData) {
        let labels = self.labels;
        let col_width = (CONTENT_WIDTH - COLUMN_GAP) / 2.0;
        let inner = col_width - 2.0 * BOX_PAD;

        let mut from = self.party_name(&data.centre_name, inner);
        from.extend(self.paragraph(BODY, &data.centre_address, inner));
        if !data.centre_phone.trim().is_empty() {
            from.extend(self.captioned(labels.phone, &data.centre_phone, inner));
        }

        let mut to = self.party_name(&data.partner_name, inner);
        to.extend(self.paragraph(BODY, &data.partner_address, inner));
        if !data.partner_phones.trim().is_empty() {
            to.extend(self.captioned(labels.phone, &data.partner_phones, inner));
        }
        if !data.partner_opening_hours.trim().is_empty() {
            to.extend(self.captioned(labels.opening_hours, &data.partner_opening_hours, inner));
        }

        let columns = [(MARGIN_X, labels.from, from), (MARGIN_X + col_width + COLUMN_GAP, labels.to, to)];
        let rows = columns.iter().map(|c| c.2.len()).max().unwrap_or(0);
        // Keep the caption band together with at least one line.
        self.ensure(BOX_BAND + 2.0 * BOX_PAD + self.row_height(&columns, 0));

        // The band with the captions.
        let mut segment_top = self.y;
        for (x, caption, _) in &columns {
            self.canvas.fill_rect(*x, self.y - BOX_BAND, col_width, BOX_BAND, TINT);
            self.canvas.text(BOX_HEADING, x + BOX_PAD, self.y - 14.0, caption);
            self.canvas.line((*x, self.y - BOX_BAND), (x + col_width, self.y - BOX_BAND), RULE, 0.6);
        }
        self.y -= BOX_BAND + BOX_PAD;

        let mut segment_first_row = 0;
        for i in 0..rows {
            let h = self.row_height(&columns, i);
            if self.y - h - BOX_PAD < BOTTOM {
                // Close the boxes here and carry on on the next page.
                self.frame_columns(&columns, col_width, segment_first_row, segment_top, self.y - BOX_PAD);
                self.new_page();
                segment_top = self.y;
                segment_first_row = i;
                self.y -= BOX_PAD;
            }
            for (x, _, lines) in &columns {
                if let Some(line) = lines.get(i) {
                    line.draw(&mut self.canvas, x + BOX_PAD, self.y);
                }
            }
            self.y -= h;
        }
        self.y -= BOX_PAD;
        self.frame_columns(&columns, col_width, segment_first_row, segment_top, self.y);
        self.y -= 20.0;
    }

    fn party_name(&self, name: &str, width: f32) -> Vec<Line> {
        if name.trim().is_empty() {
            vec![Line::plain(NAME, EMPTY_VALUE)]
        } else {
            self.paragraph(NAME, name, width)
        }
    }

    fn row_height(&self, columns: &[(f32, &str, Vec<Line>)], i: usize) -> f32 {
        columns.iter().filter_map(|c| c.2.get(i)).map(Line::height).fold(0.0, f32::max)
    }

    /// Outline the boxes from `top` to `bottom`; on a continuation page
    /// (`first_row` > 0) only the boxes that still have lines there.
    fn frame_columns(
        &mut self,
        columns: &[(f32, &str, Vec<Line>)],
        width: f32,
        first_row: usize,
        top: f32,
        bottom: f32,
    ) {
        for (x, _, lines) in columns {
            if first_row == 0 || lines.len() > first_row {
                self.canvas.stroke_rect(*x, bottom, width, top - bottom, ACCENT, 0.9);
            }
        }
    }

    /// Captions on the left, values on the right, rules between rows.
    fn details(&mut self, data: &SlipData) {
        let labels = self.labels;
        let rows: [(&str, &str, TextStyle); 5] = [
            (labels.migrant, &data.migrant_name, ROW_VALUE_STRONG),
            (labels.service, &data.service, ROW_VALUE),
            (labels.urgency, &data.urgency, ROW_VALUE),
            (labels.reason, &data.reason, ROW_VALUE),
            (labels.caseworker, &data.caseworker, ROW_VALUE),
        ];
        let value_x = MARGIN_X + LABEL_COLUMN;
        let value_width = CONTENT_WIDTH - LABEL_COLUMN;

        self.canvas.line((MARGIN_X, self.y), (RIGHT, self.y), RULE, 0.6);
        for (caption, value, style) in rows {
            let caption_lines = self.paragraph(ROW_LABEL, caption, LABEL_COLUMN - 12.0);
            let value_lines = if value.trim().is_empty() {
                vec![Line::plain(TextStyle { color: MUTED, ..style }, EMPTY_VALUE)]
            } else {
                self.paragraph(style, value, value_width)
            };
            let first = caption_lines.first().map_or(0.0, Line::height).max(value_lines[0].height());
            if self.ensure(2.0 * ROW_PAD + first) {
                self.canvas.line((MARGIN_X, self.y), (RIGHT, self.y), RULE, 0.6);
            }
            self.y -= ROW_PAD;
            // `c` counts caption lines drawn on this page: a row that goes on
            // over a page break shows its caption again.
            let (mut v, mut c) = (0, 0);
            while v < value_lines.len() || c < caption_lines.len() {
                let caption_line = caption_lines.get(c);
                let value_line = value_lines.get(v);
                let h = caption_line.map_or(0.0, Line::height).max(value_line.map_or(0.0, Line::height));
                if self.y - h - ROW_PAD < BOTTOM {
                    // Close the table on this page, reopen it on the next.
                    self.canvas.line((MARGIN_X, self.y - 4.0), (RIGHT, self.y - 4.0), RULE, 0.6);
                    self.new_page();
                    self.canvas.line((MARGIN_X, self.y), (RIGHT, self.y), RULE, 0.6);
                    self.y -= ROW_PAD;
                    if v < value_lines.len() {
                        c = 0;
                        continue;
                    }
                }
                // Captions sit on the value's baseline.
                let size = value_line.map_or(0.0, Line::size).max(caption_line.map_or(0.0, Line::size));
                if let Some(line) = caption_line {
                    let top = self.y - (size - line.size()) * BASELINE_DROP;
                    line.draw(&mut self.canvas, MARGIN_X, top);
                }
                if let Some(line) = value_line {
                    let top = self.y - (size - line.size()) * BASELINE_DROP;
                    line.draw(&mut self.canvas, value_x, top);
                }
                self.y -= h;
                v += 1;
                c += 1;
            }
            self.y -= ROW_PAD;
            self.canvas.line((MARGIN_X, self.y), (RIGHT, self.y), RULE, 0.6);
        }
        self.y -= 20.0;
    }

    /// A heading and a bulleted list; nothing at all when the list is empty.
    fn bullet_section(&mut self, heading: &str, items: &[String]) {
        let items: Vec<&str> = items.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
        if items.is_empty() {
            return;
        }
        let heading_lines = self.paragraph(SECTION, heading, CONTENT_WIDTH);
        let heading_height: f32 = heading_lines.iter().map(Line::height).sum::<f32>() + 8.0;
        let first_item = BODY.size * LEADING;
        self.ensure(heading_height + first_item);
        for line in &heading_lines {
            line.draw(&mut self.canvas, MARGIN_X, self.y);
            self.y -= line.height();
        }
        self.y -= 2.0;
        self.canvas.line((MARGIN_X, self.y), (RIGHT, self.y), ACCENT, 0.8);
        self.y -= 6.0;

        for item in items {
            let lines = self.paragraph(BODY, item, CONTENT_WIDTH - BULLET_INDENT);
            for (i, line) in lines.iter().enumerate() {
                self.ensure(line.height());
                if i == 0 {
                    Line::plain(BODY, "•").draw(&mut self.canvas, MARGIN_X + 3.0, self.y);
                }
                line.draw(&mut self.canvas, MARGIN_X + BULLET_INDENT, self.y);
                self.y -= line.height();
            }
            self.y -= 2.0;
        }
        self.y -= 16.0;
    }

    /// A line to sign on, with its caption underneath.
    fn signature(&mut self) {
        self.ensure(48.0);
        self.y -= 28.0;
        let width = 220.0;
        self.canvas.line((MARGIN_X, self.y), (MARGIN_X + width, self.y), INK, 0.7);
        self.canvas.text(CAPTION, MARGIN_X, self.y - 12.0, self.labels.signature);
        self.y -= 20.0;
    }

    /// Footer line and page numbers, once the number of pages is known.
    fn footers(&mut self) {
        let pages = self.canvas.page_count();
        for page in 0..pages {
            self.canvas.select_page(page);
            self.canvas.line((MARGIN_X, FOOTER_RULE_Y), (RIGHT, FOOTER_RULE_Y), RULE, 0.6);
            let number = self.labels.page_number(page + 1, pages);
            self.canvas.text_right(FOOTER, RIGHT, FOOTER_BASELINE, &number);
            let room = CONTENT_WIDTH - self.canvas.text_width(FOOTER, &number) - 20.0;
            let lines = wrap_text(self.labels.footer, room, |s| self.canvas.text_width(FOOTER, s));
            for (i, line) in lines.iter().take(2).enumerate() {
                let y = FOOTER_BASELINE - i as f32 * FOOTER.size * 1.25;
                self.canvas.text(FOOTER, MARGIN_X, y, line);
            }
        }
    }
}
