//! Tables that break across pages: a title, a header (with captions over
//! runs of columns), then rows of a caption and numbers. A table that goes
//! on over a page break repeats its title and header on the next page, and a
//! caption that does not fit in three lines ends with an ellipsis, so that
//! words never run into the numbers.

use std::ops::Range;

use super::{ellipsize, fitted, wrap_lines, Doc, ACCENT, BOTTOM, HEADING, INK, MUTED, NOTE, RULE, TINT};
use crate::canvas::{Canvas, Rgb, TextStyle};
use crate::font::FontId;

const CELL_PAD: f32 = 4.0;
const ROW_PAD: f32 = 3.2;
/// Line height of row captions and of header labels.
const LINE: f32 = 9.4;
const HEAD_LINE: f32 = 7.8;
const TITLE_HEIGHT: f32 = 17.0;
const GROUP_HEIGHT: f32 = 12.0;
const MAX_CAPTION_LINES: usize = 3;
const MAX_HEAD_LINES: usize = 3;
/// Rows that start a table on the same page as its title and header.
const KEEP_WITH_HEAD: usize = 3;
/// Where the first baseline sits below the top of a row.
const BASELINE_DROP: f32 = 7.0;

const BODY: TextStyle = TextStyle::new(FontId::Regular, 7.5, INK);
const BODY_STRONG: TextStyle = TextStyle::new(FontId::Bold, 7.5, INK);
const HEAD: TextStyle = TextStyle::new(FontId::Bold, 6.5, MUTED);
const GROUP: TextStyle = TextStyle::new(FontId::Bold, 7.0, ACCENT);
const STRONG_FILL: Rgb = Rgb(0.955, 0.965, 0.975);

pub(super) struct Column {
    pub label: String,
    pub width: f32,
}

/// A caption over the number columns `columns` (indices into `Table::columns`).
pub(super) struct Group {
    pub label: String,
    pub columns: Range<usize>,
}

pub(super) struct Row {
    pub caption: String,
    /// One per column, already formatted.
    pub cells: Vec<String>,
    /// A total: set in bold on a tinted band.
    pub strong: bool,
}

pub(super) struct Table {
    pub title: String,
    /// Printed after the title in grey (the unit counted); may be empty.
    pub note: String,
    pub caption_label: String,
    /// `None`: the caption column takes whatever width the numbers leave.
    pub caption_width: Option<f32>,
    pub columns: Vec<Column>,
    pub groups: Vec<Group>,
    pub rows: Vec<Row>,
}

/// A table measured for a place on the page.
struct Layout {
    x: f32,
    width: f32,
    /// Right edge of the caption column, then of each number column.
    edges: Vec<f32>,
    /// Where thin vertical rules separate runs of columns.
    separators: Vec<f32>,
    caption_head: (TextStyle, Vec<String>),
    heads: Vec<(TextStyle, Vec<String>)>,
    head_lines: usize,
    captions: Vec<Vec<String>>,
}

impl Layout {
    fn head_height(&self, grouped: bool) -> f32 {
        let groups = if grouped { GROUP_HEIGHT } else { 0.0 };
        groups + self.head_lines as f32 * HEAD_LINE + 2.0 * ROW_PAD
    }
}

fn row_height(lines: usize) -> f32 {
    lines.max(1) as f32 * LINE + 2.0 * ROW_PAD
}

impl Table {
    /// Draw at `x`, at most `width` wide, from the free space of `doc` on.
    pub(super) fn draw(&self, doc: &mut Doc, x: f32, width: f32) {
        let layout = self.layout(&doc.canvas, x, width);
        // A header with a row or two under it and the rest overleaf reads badly.
        let opening: f32 = layout.captions.iter().take(KEEP_WITH_HEAD).map(|c| row_height(c.len())).sum();
        doc.ensure(TITLE_HEIGHT + layout.head_height(!self.groups.is_empty()) + opening);
        self.draw_head(doc, &layout);
        for (row, caption) in self.rows.iter().zip(&layout.captions) {
            if doc.y - row_height(caption.len()) < BOTTOM {
                doc.new_page();
                self.draw_head(doc, &layout);
            }
            self.draw_row(doc, &layout, row, caption);
        }
    }

    fn layout(&self, canvas: &Canvas, x: f32, width: f32) -> Layout {
        let numbers: f32 = self.columns.iter().map(|c| c.width).sum();
        let caption_width = match self.caption_width {
            Some(w) => w.min(width - numbers),
            None => width - numbers,
        }
        .max(40.0);
        let mut edges = vec![x + caption_width];
        for column in &self.columns {
            edges.push(edges[edges.len() - 1] + column.width);
        }
        let mut separators = vec![edges[0]];
        for group in &self.groups {
            if let Some(&edge) = edges.get(group.columns.start) {
                if !separators.contains(&edge) {
                    separators.push(edge);
                }
            }
        }
        let inner = caption_width - 2.0 * CELL_PAD;
        let caption_head = head_label(canvas, &self.caption_label, inner);
        let heads: Vec<_> = self.columns.iter().map(|c| head_label(canvas, &c.label, c.width - 2.0 * CELL_PAD)).collect();
        let head_lines = heads.iter().chain([&caption_head]).map(|h| h.1.len()).max().unwrap_or(1).max(1);
        let captions = self
            .rows
            .iter()
            .map(|row| wrap_lines(canvas, body_style(row), &row.caption, inner, MAX_CAPTION_LINES))
            .collect();
        let width = edges[edges.len() - 1] - x;
        Layout { x, width, edges, separators, caption_head, heads, head_lines, captions }
    }

    /// Title, group captions and column labels, on a tinted band.
    fn draw_head(&self, doc: &mut Doc, layout: &Layout) {
        let canvas = &mut doc.canvas;
        let note_width = if self.note.is_empty() { 0.0 } else { canvas.text_width(NOTE, &self.note) + 6.0 };
        let title = ellipsize(canvas, HEADING, &self.title, layout.width - note_width);
        let baseline = doc.y - HEADING.size - 1.0;
        canvas.text(HEADING, layout.x, baseline, &title);
        let after = layout.x + canvas.text_width(HEADING, &title) + 6.0;
        canvas.text(NOTE, after, baseline, &self.note);
        doc.y -= TITLE_HEIGHT;

        let height = layout.head_height(!self.groups.is_empty());
        canvas.fill_rect(layout.x, doc.y - height, layout.width, height, TINT);
        if !self.groups.is_empty() {
            self.draw_groups(canvas, layout, doc.y);
        }
        let bottom = doc.y - height;
        let (style, lines) = &layout.caption_head;
        draw_head_lines(canvas, *style, lines, bottom, |_, _| layout.x + CELL_PAD);
        for ((style, lines), right) in layout.heads.iter().zip(&layout.edges[1..]) {
            draw_head_lines(canvas, *style, lines, bottom, |canvas, line| right - CELL_PAD - canvas.text_width(*style, line));
        }
        for &sx in &layout.separators {
            canvas.line((sx, bottom), (sx, doc.y), RULE, 0.4);
        }
        canvas.line((layout.x, bottom), (layout.x + layout.width, bottom), ACCENT, 0.8);
        doc.y = bottom;
    }

    /// Group captions centred over their columns, each underlined.
    fn draw_groups(&self, canvas: &mut Canvas, layout: &Layout, top: f32) {
        for group in &self.groups {
            let (Some(&left), Some(&right)) = (layout.edges.get(group.columns.start), layout.edges.get(group.columns.end)) else {
                continue;
            };
            let label = ellipsize(canvas, GROUP, &group.label, right - left - 2.0 * CELL_PAD);
            let w = canvas.text_width(GROUP, &label);
            canvas.text(GROUP, (left + right - w) / 2.0, top - GROUP.size - 1.5, &label);
            let y = top - GROUP_HEIGHT + 1.0;
            canvas.line((left + CELL_PAD, y), (right - CELL_PAD, y), ACCENT, 0.5);
        }
    }

    fn draw_row(&self, doc: &mut Doc, layout: &Layout, row: &Row, caption: &[String]) {
        let canvas = &mut doc.canvas;
        let height = row_height(caption.len());
        let style = body_style(row);
        if row.strong {
            canvas.fill_rect(layout.x, doc.y - height, layout.width, height, STRONG_FILL);
        }
        let baseline = doc.y - ROW_PAD - BASELINE_DROP;
        for (i, line) in caption.iter().enumerate() {
            canvas.text(style, layout.x + CELL_PAD, baseline - i as f32 * LINE, line);
        }
        for ((cell, column), right) in row.cells.iter().zip(&self.columns).zip(&layout.edges[1..]) {
            let fit = fitted(canvas, style, cell, column.width - 2.0 * CELL_PAD);
            canvas.text_right(fit, right - CELL_PAD, baseline, cell);
        }
        for &sx in &layout.separators {
            canvas.line((sx, doc.y - height), (sx, doc.y), RULE, 0.4);
        }
        doc.y -= height;
        canvas.line((layout.x, doc.y), (layout.x + layout.width, doc.y), RULE, 0.4);
    }
}

fn body_style(row: &Row) -> TextStyle {
    if row.strong {
        BODY_STRONG
    } else {
        BODY
    }
}

/// A column label wrapped to `width`, its type shrunk first if a single
/// word would otherwise be cut in two (Russian words are long).
fn head_label(canvas: &Canvas, label: &str, width: f32) -> (TextStyle, Vec<String>) {
    let widest = label.split_whitespace().max_by(|a, b| canvas.text_width(HEAD, a).total_cmp(&canvas.text_width(HEAD, b)));
    // A hair of slack: widths summed glyph by glyph can exceed the whole word's.
    let style = widest.map_or(HEAD, |word| fitted(canvas, HEAD, word, width - 0.5));
    (style, wrap_lines(canvas, style, label, width, MAX_HEAD_LINES))
}

/// Header lines set on the bottom of the header band, so that labels of
/// different lengths line up on their last line.
fn draw_head_lines(canvas: &mut Canvas, style: TextStyle, lines: &[String], bottom: f32, x_of: impl Fn(&Canvas, &str) -> f32) {
    let last = bottom + ROW_PAD + 1.8;
    for (i, line) in lines.iter().enumerate() {
        let y = last + (lines.len() - 1 - i) as f32 * HEAD_LINE;
        let x = x_of(canvas, line);
        canvas.text(style, x, y, line);
    }
}

#[cfg(test)]
pub(super) fn caption_right_edge(table: &Table, x: f32, width: f32) -> f32 {
    let numbers: f32 = table.columns.iter().map(|c| c.width).sum();
    x + table.caption_width.map_or(width - numbers, |w| w.min(width - numbers)).max(40.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_grow_with_their_lines() {
        assert_eq!(row_height(0), row_height(1));
        assert!(row_height(3) > row_height(2));
    }

    #[test]
    fn long_header_words_shrink_instead_of_breaking() {
        let canvas = Canvas::new().unwrap();
        // The width of a period column of the section tables, less padding.
        let (style, lines) = head_label(&canvas, "Предыдущий период", 44.0);
        assert!(style.size < HEAD.size);
        assert_eq!(lines, ["Предыдущий", "период"]);
        assert!(lines.iter().all(|l| canvas.text_width(style, l) <= 44.0));
    }
}
