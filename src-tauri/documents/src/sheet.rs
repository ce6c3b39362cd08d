//! A plain document of captioned sections, for a person to read: a title,
//! a line under it, then sections of caption/value rows that wrap and flow
//! onto further pages; every page ends with a footer and "n / m".

use crate::canvas::{Canvas, DocInfo, Rgb, TextStyle, PAGE_HEIGHT, PAGE_WIDTH};
use crate::font::FontId;
use crate::wrap::wrap_text;
use crate::DocumentError;

/// What a sheet says, in the reader's words already.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub title: String,
    pub subtitle: String,
    pub sections: Vec<SheetSection>,
    pub footer: String,
    /// The language code written into the PDF.
    pub lang: String,
}

/// A heading and its rows; a row with an empty caption is a line of its own.
#[derive(Debug, Clone, Default)]
pub struct SheetSection {
    pub heading: String,
    pub rows: Vec<(String, String)>,
    /// Said when there are no rows.
    pub empty: String,
}

const MARGIN_X: f32 = 50.0;
const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN_X;
const RIGHT: f32 = PAGE_WIDTH - MARGIN_X;
const TOP: f32 = PAGE_HEIGHT - 56.0;
const BOTTOM: f32 = 78.0;
const FOOTER_RULE_Y: f32 = 60.0;
const FOOTER_BASELINE: f32 = 47.0;
const CAPTION_WIDTH: f32 = 150.0;
const LEADING: f32 = 1.35;

const INK: Rgb = Rgb(0.11, 0.12, 0.14);
const MUTED: Rgb = Rgb(0.38, 0.40, 0.44);
const ACCENT: Rgb = Rgb(0.10, 0.24, 0.44);
const RULE: Rgb = Rgb(0.78, 0.80, 0.84);

const TITLE: TextStyle = TextStyle::new(FontId::Bold, 20.0, ACCENT);
const SUBTITLE: TextStyle = TextStyle::new(FontId::Regular, 10.0, MUTED);
const HEADING: TextStyle = TextStyle::new(FontId::Bold, 12.5, ACCENT);
const CAPTION: TextStyle = TextStyle::new(FontId::Bold, 9.5, MUTED);
const VALUE: TextStyle = TextStyle::new(FontId::Regular, 10.0, INK);
const FOOTER: TextStyle = TextStyle::new(FontId::Regular, 8.5, MUTED);

struct Writer {
    canvas: Canvas,
    y: f32,
}

impl Writer {
    fn line_height(style: TextStyle) -> f32 {
        style.size * LEADING
    }

    /// Starts a new page unless `height` more points fit on this one.
    fn ensure(&mut self, height: f32) {
        if self.y - height < BOTTOM {
            self.canvas.add_page();
            self.y = TOP;
        }
    }

    fn wrap(&self, style: TextStyle, text: &str, width: f32) -> Vec<String> {
        text.lines().flat_map(|l| wrap_text(l, width, |s| self.canvas.text_width(style, s))).collect()
    }

    fn heading(&mut self, text: &str) {
        self.ensure(Self::line_height(HEADING) * 3.0);
        self.y -= 10.0;
        self.y -= HEADING.size;
        self.canvas.text(HEADING, MARGIN_X, self.y, text);
        self.y -= 6.0;
        self.canvas.line((MARGIN_X, self.y), (RIGHT, self.y), RULE, 0.6);
        self.y -= 4.0;
    }

    /// A caption and its value side by side, each wrapped in its column.
    fn row(&mut self, caption: &str, value: &str) {
        let (caption_width, value_x) = if caption.is_empty() { (0.0, MARGIN_X) } else { (CAPTION_WIDTH - 10.0, MARGIN_X + CAPTION_WIDTH) };
        let captions = if caption.is_empty() { vec![] } else { self.wrap(CAPTION, caption, caption_width) };
        let values = self.wrap(VALUE, value, RIGHT - value_x);
        let h = Self::line_height(VALUE);
        self.y -= 3.0;
        for i in 0..captions.len().max(values.len()).max(1) {
            self.ensure(h);
            self.y -= h;
            if let Some(c) = captions.get(i) {
                self.canvas.text(CAPTION, MARGIN_X, self.y + (h - CAPTION.size) * 0.25, c);
            }
            if let Some(v) = values.get(i) {
                self.canvas.text(VALUE, value_x, self.y + (h - VALUE.size) * 0.25, v);
            }
        }
    }

    fn footers(&mut self, footer: &str) {
        let pages = self.canvas.page_count();
        for page in 0..pages {
            self.canvas.select_page(page);
            self.canvas.line((MARGIN_X, FOOTER_RULE_Y), (RIGHT, FOOTER_RULE_Y), RULE, 0.6);
            let number = format!("{} / {}", page + 1, pages);
            self.canvas.text_right(FOOTER, RIGHT, FOOTER_BASELINE, &number);
            let room = CONTENT_WIDTH - self.canvas.text_width(FOOTER, &number) - 20.0;
            let lines = wrap_text(footer, room, |s| self.canvas.text_width(FOOTER, s));
            for (i, line) in lines.iter().take(2).enumerate() {
                self.canvas.text(FOOTER, MARGIN_X, FOOTER_BASELINE - i as f32 * FOOTER.size * 1.25, line);
            }
        }
    }
}

/// Lays `sheet` out as a PDF.
pub fn sheet_pdf(sheet: &Sheet) -> Result<Vec<u8>, DocumentError> {
    let mut w = Writer { canvas: Canvas::new()?, y: TOP };
    w.canvas.add_page();
    w.y -= TITLE.size;
    w.canvas.text(TITLE, MARGIN_X, w.y, &sheet.title);
    for line in w.wrap(SUBTITLE, &sheet.subtitle, CONTENT_WIDTH) {
        w.y -= Writer::line_height(SUBTITLE);
        w.canvas.text(SUBTITLE, MARGIN_X, w.y, &line);
    }
    w.y -= 6.0;
    for section in &sheet.sections {
        w.heading(&section.heading);
        if section.rows.is_empty() {
            w.row("", &section.empty);
        }
        for (caption, value) in &section.rows {
            w.row(caption, value);
        }
    }
    w.footers(&sheet.footer);
    w.canvas.finish(&DocInfo { title: &sheet.title, lang: &sheet.lang })
}
