//! Bar charts as vector graphics: bars, axis lines and light gridlines.
//! Every bar carries its number and grouped bars differ by fill pattern as
//! well as by shade, with a legend, so no chart is read by colour alone.

use mrc_core::report::Cell;

use super::{ellipsize, fitted, ACCENT, HEADING, INK, MUTED, RULE};
use crate::canvas::{Canvas, Rgb, TextStyle};
use crate::font::FontId;
use crate::ReportText;

/// Room for the chart's caption above the plot.
const CAPTION_HEIGHT: f32 = 20.0;
/// Room above the tallest bar for its number.
const HEADROOM: f32 = 11.0;
const ROW_HEIGHT: f32 = 15.0;
const LABEL_LINE: f32 = 8.0;
const LEGEND_LINE: f32 = 13.0;

const VALUE: TextStyle = TextStyle::new(FontId::Regular, 6.5, INK);
const LABEL: TextStyle = TextStyle::new(FontId::Regular, 7.5, INK);
const AXIS_LABEL: TextStyle = TextStyle::new(FontId::Regular, 6.5, MUTED);
const TICK: TextStyle = TextStyle::new(FontId::Regular, 6.0, MUTED);
const LEGEND: TextStyle = TextStyle::new(FontId::Regular, 7.5, INK);
const LIGHT: Rgb = Rgb(0.66, 0.75, 0.87);
const WHITE: Rgb = Rgb(1.0, 1.0, 1.0);

/// One bar. A `value` of `None` draws no bar, only `shown` ("<5" for a
/// count hidden in a report for sharing).
pub(super) struct Bar {
    /// Under the bar (vertical charts, lines split at '\n') or beside it.
    pub label: String,
    pub value: Cell,
    pub shown: String,
}

/// Where a chart goes: left edge, top, and its size.
#[derive(Debug, Clone, Copy)]
pub(super) struct Area {
    pub x: f32,
    pub top: f32,
    pub width: f32,
    pub height: f32,
}

/// The height a horizontal chart of `bars` bars needs.
pub(super) fn horizontal_height(bars: usize) -> f32 {
    CAPTION_HEIGHT + bars.max(1) as f32 * ROW_HEIGHT + 16.0
}

/// A round step for a value axis and the top it reaches (a multiple of the
/// step at or above `max`), about four steps in all.
fn scale(max: u32) -> (u64, u64) {
    let max = u64::from(max.max(1));
    let mut base = 1u64;
    loop {
        for step in [base, 2 * base, 5 * base] {
            if step * 4 >= max {
                return (step, max.div_ceil(step) * step);
            }
        }
        base *= 10;
    }
}

fn largest<'a>(bars: impl IntoIterator<Item = &'a Bar>) -> u32 {
    bars.into_iter().filter_map(|b| b.value).max().unwrap_or(0)
}

fn caption(canvas: &mut Canvas, area: Area, text: &str) {
    let line = ellipsize(canvas, HEADING, text, area.width);
    canvas.text(HEADING, area.x, area.top - HEADING.size - 1.0, &line);
}

fn centred(canvas: &mut Canvas, style: TextStyle, cx: f32, baseline: f32, text: &str) {
    let w = canvas.text_width(style, text);
    canvas.text(style, cx - w / 2.0, baseline, text);
}

/// Left edge of a vertical plot: room for the widest tick label.
fn axis_width(canvas: &Canvas, text: &ReportText, top: u64) -> f32 {
    canvas.text_width(TICK, &text.number(top)) + 5.0
}

/// Gridlines and their numbers across a vertical plot from `y0` (zero) to `y1` (`top`).
fn value_axis(canvas: &mut Canvas, text: &ReportText, (x0, x1): (f32, f32), (y0, y1): (f32, f32), (step, top): (u64, u64)) {
    let mut value = 0;
    while value <= top {
        let y = y0 + (value as f32 / top as f32) * (y1 - y0);
        if value > 0 {
            canvas.line((x0, y), (x1, y), RULE, 0.4);
        }
        canvas.text_right(TICK, x0 - 3.0, y - 2.0, &text.number(value));
        value += step;
    }
    canvas.line((x0, y0), (x1, y0), INK, 0.8);
    canvas.line((x0, y0), (x0, y1), INK, 0.6);
}

/// One bar per item, rising from a value axis; labels split at '\n' underneath.
pub(super) fn vertical(canvas: &mut Canvas, text: &ReportText, area: Area, title: &str, bars: &[Bar]) {
    caption(canvas, area, title);
    let label_lines = bars.iter().map(|b| b.label.split('\n').count()).max().unwrap_or(1);
    let scale = scale(largest(bars));
    let x0 = area.x + axis_width(canvas, text, scale.1);
    let x1 = area.x + area.width;
    let y0 = area.top - area.height + label_lines as f32 * LABEL_LINE + 6.0;
    let y1 = area.top - CAPTION_HEIGHT - HEADROOM;
    value_axis(canvas, text, (x0, x1), (y0, y1), scale);
    if bars.is_empty() {
        return;
    }
    let slot = (x1 - x0) / bars.len() as f32;
    let bar_width = slot * 0.62;
    for (i, bar) in bars.iter().enumerate() {
        let cx = x0 + slot * (i as f32 + 0.5);
        let height = bar_length(bar.value, scale.1, y1 - y0);
        if height > 0.0 {
            canvas.fill_rect(cx - bar_width / 2.0, y0, bar_width, height, ACCENT);
        }
        let style = fitted(canvas, VALUE, &bar.shown, slot - 1.0);
        centred(canvas, style, cx, y0 + height + 2.5, &bar.shown);
        for (j, line) in bar.label.split('\n').enumerate() {
            let style = fitted(canvas, AXIS_LABEL, line, slot - 1.0);
            centred(canvas, style, cx, y0 - 8.5 - j as f32 * LABEL_LINE, line);
        }
    }
}

/// The length of a bar of `value` on an axis of `length` points reaching `top`.
fn bar_length(value: Cell, top: u64, length: f32) -> f32 {
    match value {
        Some(v) if top > 0 => v as f32 / top as f32 * length,
        _ => 0.0,
    }
}

/// One row per item: its label, a bar from the axis and the bar's number.
pub(super) fn horizontal(canvas: &mut Canvas, text: &ReportText, area: Area, title: &str, bars: &[Bar]) {
    caption(canvas, area, title);
    let widest_label = bars.iter().map(|b| canvas.text_width(LABEL, &b.label)).fold(0.0, f32::max);
    let label_width = (widest_label + 10.0).min(area.width * 0.4);
    let widest_value = bars.iter().map(|b| canvas.text_width(VALUE, &b.shown)).fold(0.0, f32::max);
    let (step, top) = scale(largest(bars));
    let x0 = area.x + label_width;
    let x1 = area.x + area.width - widest_value - 6.0;
    let y_top = area.top - CAPTION_HEIGHT;
    let y_bottom = y_top - bars.len().max(1) as f32 * ROW_HEIGHT;

    let mut value = 0;
    while value <= top {
        let x = x0 + value as f32 / top as f32 * (x1 - x0);
        if value > 0 {
            canvas.line((x, y_bottom), (x, y_top), RULE, 0.4);
        }
        centred(canvas, TICK, x, y_bottom - 9.0, &text.number(value));
        value += step;
    }
    for (i, bar) in bars.iter().enumerate() {
        let row_top = y_top - i as f32 * ROW_HEIGHT;
        let baseline = row_top - ROW_HEIGHT / 2.0 - 2.6;
        let label = ellipsize(canvas, LABEL, &bar.label, label_width - 8.0);
        canvas.text(LABEL, area.x, baseline, &label);
        let length = bar_length(bar.value, top, x1 - x0);
        let bar_height = ROW_HEIGHT * 0.58;
        if length > 0.0 {
            canvas.fill_rect(x0, row_top - (ROW_HEIGHT + bar_height) / 2.0, length, bar_height, ACCENT);
        }
        canvas.text(VALUE, x0 + length + 3.0, baseline + 0.5, &bar.shown);
    }
    canvas.line((x0, y_bottom), (x0, y_top), INK, 0.8);
    canvas.line((x0, y_bottom), (x1, y_bottom), INK, 0.4);
}

/// Groups of bars side by side (one bar per series in each group), with a
/// legend that shows each series' fill next to its name.
pub(super) fn grouped(canvas: &mut Canvas, text: &ReportText, area: Area, title: &str, series: &[String], groups: &[(String, Vec<Bar>)]) {
    caption(canvas, area, title);
    let legend_height = legend(canvas, area, series);
    let scale = scale(largest(groups.iter().flat_map(|g| &g.1)));
    let x0 = area.x + axis_width(canvas, text, scale.1);
    let x1 = area.x + area.width;
    let y0 = area.top - area.height + LABEL_LINE + 8.0;
    let y1 = area.top - CAPTION_HEIGHT - legend_height - HEADROOM;
    value_axis(canvas, text, (x0, x1), (y0, y1), scale);
    if groups.is_empty() {
        return;
    }
    let slot = (x1 - x0) / groups.len() as f32;
    let inner = slot * 0.84;
    for (g, (label, bars)) in groups.iter().enumerate() {
        let left = x0 + g as f32 * slot + (slot - inner) / 2.0;
        let bar_width = inner / bars.len().max(1) as f32;
        for (s, bar) in bars.iter().enumerate() {
            let bx = left + s as f32 * bar_width;
            let height = bar_length(bar.value, scale.1, y1 - y0);
            if height > 0.0 {
                swatch(canvas, s, (bx + 0.8, y0), (bar_width - 1.6, height));
            }
            let style = fitted(canvas, VALUE, &bar.shown, bar_width);
            centred(canvas, style, bx + bar_width / 2.0, y0 + height + 2.5, &bar.shown);
        }
        let name = ellipsize(canvas, AXIS_LABEL, label, slot - 4.0);
        centred(canvas, AXIS_LABEL, x0 + (g as f32 + 0.5) * slot, y0 - 9.0, &name);
    }
}

/// The legend under the caption, wrapping when the names do not fit on one
/// line; returns its height.
fn legend(canvas: &mut Canvas, area: Area, series: &[String]) -> f32 {
    let (box_w, box_h, gap) = (14.0, 8.0, 16.0);
    let right = area.x + area.width;
    let mut x = area.x;
    let mut line = 0;
    for (i, name) in series.iter().enumerate() {
        let name = ellipsize(canvas, LEGEND, name, area.width - box_w - 4.0);
        let item = box_w + 4.0 + canvas.text_width(LEGEND, &name);
        if x > area.x && x + item > right {
            x = area.x;
            line += 1;
        }
        let baseline = area.top - CAPTION_HEIGHT - 7.0 - line as f32 * LEGEND_LINE;
        swatch(canvas, i, (x, baseline - 1.0), (box_w, box_h));
        canvas.text(LEGEND, x + box_w + 4.0, baseline, &name);
        x += item + gap;
    }
    if series.is_empty() {
        0.0
    } else {
        (line + 1) as f32 * LEGEND_LINE
    }
}

/// The fill of series `index`: solid, hatched, light, outlined. Each reads
/// differently in grey, on screen and on a black-and-white printer.
fn swatch(canvas: &mut Canvas, index: usize, (x, y): (f32, f32), (w, h): (f32, f32)) {
    match index % 4 {
        0 => canvas.fill_rect(x, y, w, h, ACCENT),
        1 => {
            canvas.fill_rect(x, y, w, h, WHITE);
            canvas.hatch_rect(x, y, w, h, ACCENT, 2.6);
            canvas.stroke_rect(x, y, w, h, ACCENT, 0.7);
        }
        2 => {
            canvas.fill_rect(x, y, w, h, LIGHT);
            canvas.stroke_rect(x, y, w, h, ACCENT, 0.7);
        }
        _ => {
            canvas.fill_rect(x, y, w, h, WHITE);
            canvas.stroke_rect(x, y, w, h, ACCENT, 0.9);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_is_round_and_covers_the_largest_value() {
        assert_eq!(scale(0), (1, 1));
        assert_eq!(scale(3), (1, 3));
        assert_eq!(scale(7), (2, 8));
        assert_eq!(scale(37), (10, 40));
        assert_eq!(scale(100), (50, 100));
        assert_eq!(scale(1234), (500, 1500));
        let (step, top) = scale(u32::MAX);
        assert!(top >= u64::from(u32::MAX) && top / step <= 5);
    }

    #[test]
    fn hidden_and_zero_values_draw_no_bar() {
        assert_eq!(bar_length(None, 10, 100.0), 0.0);
        assert_eq!(bar_length(Some(0), 10, 100.0), 0.0);
        assert_eq!(bar_length(Some(5), 10, 100.0), 50.0);
        assert_eq!(bar_length(Some(5), 0, 100.0), 0.0);
    }
}
