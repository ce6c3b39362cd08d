//! A minimal drawing surface of A4 pages that serialises to PDF.
//!
//! Coordinates are PDF points with the origin at the bottom-left corner of
//! the page. Text is drawn with the embedded fonts of [`crate::font`]; when
//! the document is finished each font is subset to the glyphs actually used
//! and embedded as a CID-keyed TrueType font with a ToUnicode map, so that
//! readers render Cyrillic correctly and text can be searched and copied.

use miniz_oxide::deflate::compress_to_vec_zlib;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use crate::font::{FontFace, FontId, Fonts};
use crate::DocumentError;

/// A4 portrait in points, as `pdfinfo` reports it ("595 x 842 pts (A4)").
pub(crate) const PAGE_WIDTH: f32 = 595.0;
pub(crate) const PAGE_HEIGHT: f32 = 842.0;
/// A4 turned on its side: wide tables fit without shrinking the type.
pub(crate) const A4_LANDSCAPE: (f32, f32) = (PAGE_HEIGHT, PAGE_WIDTH);

/// zlib level for content streams and fonts: small files, still fast.
const COMPRESSION_LEVEL: u8 = 6;

/// An RGB colour, components in 0..=1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rgb(pub f32, pub f32, pub f32);

/// Font, size and colour of a piece of text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TextStyle {
    pub font: FontId,
    pub size: f32,
    pub color: Rgb,
}

impl TextStyle {
    pub(crate) const fn new(font: FontId, size: f32, color: Rgb) -> Self {
        TextStyle { font, size, color }
    }
}

/// Document-level information written into the PDF.
pub(crate) struct DocInfo<'a> {
    pub title: &'a str,
    /// BCP 47 code of the document's language ("en", "ru").
    pub lang: &'a str,
}

pub(crate) struct Canvas {
    fonts: Fonts,
    pages: Vec<Content>,
    current: usize,
    /// Width and height of every page, in points.
    size: (f32, f32),
}

impl Canvas {
    /// A canvas of A4 portrait pages, with no pages yet.
    pub(crate) fn new() -> Result<Self, DocumentError> {
        Self::with_page_size((PAGE_WIDTH, PAGE_HEIGHT))
    }

    /// A canvas whose pages are `size` (width, height) points.
    pub(crate) fn with_page_size(size: (f32, f32)) -> Result<Self, DocumentError> {
        Ok(Canvas { fonts: Fonts::load()?, pages: Vec::new(), current: 0, size })
    }

    /// Append a blank page and make it the one drawn on.
    pub(crate) fn add_page(&mut self) {
        self.pages.push(Content::new());
        self.current = self.pages.len() - 1;
    }

    pub(crate) fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Draw on an earlier page again (for footers once the page count is known).
    pub(crate) fn select_page(&mut self, index: usize) {
        assert!(index < self.pages.len(), "no page {index}");
        self.current = index;
    }

    fn page(&mut self) -> &mut Content {
        if self.pages.is_empty() {
            self.add_page();
        }
        &mut self.pages[self.current]
    }

    /// Width of `text` in points when set in `style`.
    pub(crate) fn text_width(&self, style: TextStyle, text: &str) -> f32 {
        self.fonts.get(style.font).text_width(text, style.size)
    }

    /// Draw one line of text with its baseline starting at (x, y).
    pub(crate) fn text(&mut self, style: TextStyle, x: f32, y: f32, text: &str) {
        if text.is_empty() {
            return;
        }
        let encoded = self.fonts.get_mut(style.font).encode(text);
        let Rgb(r, g, b) = style.color;
        self.page()
            .begin_text()
            .set_fill_rgb(r, g, b)
            .set_font(font_resource(style.font), style.size)
            .next_line(x, y)
            .show(Str(&encoded))
            .end_text();
    }

    /// Draw one line of text ending at `right`.
    pub(crate) fn text_right(&mut self, style: TextStyle, right: f32, y: f32, text: &str) {
        let w = self.text_width(style, text);
        self.text(style, right - w, y, text);
    }

    /// Fill a rectangle whose bottom-left corner is (x, y).
    pub(crate) fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgb) {
        let Rgb(r, g, b) = color;
        self.page().save_state().set_fill_rgb(r, g, b).rect(x, y, w, h).fill_nonzero().restore_state();
    }

    /// Outline a rectangle whose bottom-left corner is (x, y).
    pub(crate) fn stroke_rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgb, width: f32) {
        let Rgb(r, g, b) = color;
        self.page()
            .save_state()
            .set_stroke_rgb(r, g, b)
            .set_line_width(width)
            .rect(x, y, w, h)
            .stroke()
            .restore_state();
    }

    /// Parallel diagonal lines `spacing` apart inside a rectangle: a fill
    /// that stays distinct from a plain one when printed in grey.
    pub(crate) fn hatch_rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgb, spacing: f32) {
        if w <= 0.0 || h <= 0.0 || spacing <= 0.0 {
            return;
        }
        let Rgb(r, g, b) = color;
        let content = self.page();
        content.save_state().rect(x, y, w, h).clip_nonzero().end_path();
        content.set_stroke_rgb(r, g, b).set_line_width(0.7);
        // Lines at 45°, started left of the box so the clip trims both ends.
        let mut offset = -h;
        while offset < w {
            content.move_to(x + offset, y).line_to(x + offset + h, y + h);
            offset += spacing;
        }
        content.stroke().restore_state();
    }

    /// A straight line.
    pub(crate) fn line(&mut self, from: (f32, f32), to: (f32, f32), color: Rgb, width: f32) {
        let Rgb(r, g, b) = color;
        self.page()
            .save_state()
            .set_stroke_rgb(r, g, b)
            .set_line_width(width)
            .move_to(from.0, from.1)
            .line_to(to.0, to.1)
            .stroke()
            .restore_state();
    }

    /// Serialise everything drawn so far into a PDF file.
    pub(crate) fn finish(mut self, info: &DocInfo) -> Result<Vec<u8>, DocumentError> {
        if self.pages.is_empty() {
            self.add_page();
        }
        let mut ids = IdAlloc(0);
        let catalog_id = ids.next();
        let tree_id = ids.next();
        let info_id = ids.next();
        let page_ids: Vec<(Ref, Ref)> = self.pages.iter().map(|_| (ids.next(), ids.next())).collect();
        let regular_id = ids.next();
        let bold_id = ids.next();

        let mut pdf = Pdf::new();
        pdf.catalog(catalog_id).pages(tree_id).lang(TextStr(info.lang));
        pdf.document_info(info_id)
            .title(TextStr(info.title))
            .creator(TextStr("MRC Desk"))
            .producer(TextStr("MRC Desk (mrc-documents)"));
        pdf.pages(tree_id)
            .kids(page_ids.iter().map(|&(page, _)| page))
            .count(page_ids.len() as i32);

        for (content, &(page_id, content_id)) in self.pages.into_iter().zip(&page_ids) {
            let mut page = pdf.page(page_id);
            page.media_box(Rect::new(0.0, 0.0, self.size.0, self.size.1));
            page.parent(tree_id);
            page.contents(content_id);
            let mut resources = page.resources();
            resources
                .fonts()
                .pair(font_resource(FontId::Regular), regular_id)
                .pair(font_resource(FontId::Bold), bold_id);
            resources.finish();
            page.finish();

            let data = compress_to_vec_zlib(&content.finish(), COMPRESSION_LEVEL);
            pdf.stream(content_id, &data).filter(Filter::FlateDecode);
        }

        write_font(&mut pdf, &mut ids, regular_id, &self.fonts.regular)?;
        write_font(&mut pdf, &mut ids, bold_id, &self.fonts.bold)?;
        Ok(pdf.finish())
    }
}

struct IdAlloc(i32);

impl IdAlloc {
    fn next(&mut self) -> Ref {
        self.0 += 1;
        Ref::new(self.0)
    }
}

fn font_resource(font: FontId) -> Name<'static> {
    match font {
        FontId::Regular => Name(b"F1"),
        FontId::Bold => Name(b"F2"),
    }
}

const IDENTITY: SystemInfo = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

/// Embed `face` (subset to the glyphs used) as a Type 0 font with id `type0_id`.
fn write_font(
    pdf: &mut Pdf,
    ids: &mut IdAlloc,
    type0_id: Ref,
    face: &FontFace,
) -> Result<(), DocumentError> {
    let cid_id = ids.next();
    let descriptor_id = ids.next();
    let file_id = ids.next();
    let cmap_id = ids.next();

    let subset = subsetter::subset(face.data, 0, &face.remapper).map_err(|e| {
        DocumentError::Font { font: face.ps_name, reason: format!("subsetting failed: {e}") }
    })?;
    let base_name = format!("{}+{}", subset_tag(face), face.ps_name);
    let base_name = Name(base_name.as_bytes());

    pdf.type0_font(type0_id)
        .base_font(base_name)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_id)
        .to_unicode(cmap_id);

    let mut cid = pdf.cid_font(cid_id);
    cid.subtype(CidFontType::Type2)
        .base_font(base_name)
        .system_info(IDENTITY)
        .font_descriptor(descriptor_id)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    cid.widths().consecutive(0, face.subset_widths());
    cid.finish();

    let m = face.metrics();
    pdf.font_descriptor(descriptor_id)
        .name(base_name)
        .flags(FontFlags::SYMBOLIC)
        .bbox(Rect::new(m.bbox[0], m.bbox[1], m.bbox[2], m.bbox[3]))
        .italic_angle(m.italic_angle)
        .ascent(m.ascent)
        .descent(m.descent)
        .cap_height(m.cap_height)
        .weight(if face.bold { 700 } else { 400 })
        .stem_v(if face.bold { 140.0 } else { 80.0 })
        .font_file2(file_id);

    let compressed = compress_to_vec_zlib(&subset, COMPRESSION_LEVEL);
    pdf.stream(file_id, &compressed)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), subset.len() as i32);

    let mut cmap = UnicodeCmap::new(Name(b"MRC-UCS"), IDENTITY);
    for (&cid, &c) in &face.to_unicode {
        cmap.pair(cid, c);
    }
    pdf.cmap(cmap_id, &cmap.finish());
    Ok(())
}

/// Six capital letters naming the subset (required by the PDF spec),
/// derived from the glyph set so equal documents give equal files.
fn subset_tag(face: &FontFace) -> String {
    let mut hash: u32 = 0x811C_9DC5;
    for gid in face.remapper.remapped_gids() {
        for byte in gid.to_be_bytes() {
            hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
        }
    }
    (0..6)
        .map(|_| {
            let letter = char::from(b'A' + (hash % 26) as u8);
            hash /= 26;
            letter
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BLACK: Rgb = Rgb(0.0, 0.0, 0.0);

    #[test]
    fn writes_a_pdf_with_embedded_subset_fonts() {
        let mut canvas = Canvas::new().unwrap();
        canvas.add_page();
        canvas.text(TextStyle::new(FontId::Regular, 12.0, BLACK), 72.0, 700.0, "Привет, world");
        canvas.text(TextStyle::new(FontId::Bold, 12.0, BLACK), 72.0, 680.0, "Жирный");
        canvas.fill_rect(72.0, 600.0, 100.0, 20.0, Rgb(0.9, 0.9, 0.9));
        let bytes = canvas.finish(&DocInfo { title: "t", lang: "ru" }).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("/FontFile2"));
        assert!(text.contains("+DejaVuSans-Bold"));
        assert!(text.contains("/ToUnicode"));
        assert!(text.contains("/MediaBox [0 0 595 842]"));
        // Subsetting keeps the file small (the two fonts are ~1.4 MB whole).
        assert!(bytes.len() < 60_000, "{} bytes", bytes.len());
    }

    #[test]
    fn landscape_pages_and_hatching() {
        let mut canvas = Canvas::with_page_size(A4_LANDSCAPE).unwrap();
        canvas.add_page();
        canvas.hatch_rect(10.0, 10.0, 40.0, 20.0, BLACK, 4.0);
        // Degenerate boxes draw nothing rather than looping or failing.
        canvas.hatch_rect(10.0, 10.0, 0.0, 20.0, BLACK, 4.0);
        canvas.hatch_rect(10.0, 10.0, 40.0, 20.0, BLACK, 0.0);
        let bytes = canvas.finish(&DocInfo { title: "t", lang: "en" }).unwrap();
        assert!(String::from_utf8_lossy(&bytes).contains("/MediaBox [0 0 842 595]"));
    }

    #[test]
    fn same_input_gives_same_bytes() {
        let make = || {
            let mut canvas = Canvas::new().unwrap();
            canvas.text(TextStyle::new(FontId::Regular, 10.0, BLACK), 10.0, 10.0, "abc абв");
            canvas.finish(&DocInfo { title: "t", lang: "en" }).unwrap()
        };
        assert_eq!(make(), make());
    }
}
