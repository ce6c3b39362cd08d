//! Embedded TrueType fonts: measuring text and turning it into glyph codes.
//!
//! The fonts are compiled into the binary (DejaVu Sans, which covers Latin,
//! Cyrillic, Armenian and more), so a document never depends on what is
//! installed on the caseworker's laptop. Text is written with a 2-byte
//! Identity-H encoding whose codes are the glyph ids of the *subset* font
//! built at the end (see [`FontFace::remapper`]).

use std::collections::BTreeMap;

use subsetter::GlyphRemapper;
use ttf_parser::{Face, GlyphId};

use crate::DocumentError;

/// DejaVu Sans Book, from Debian's `fonts-dejavu-core` (licence in assets/fonts/).
static DEJAVU_SANS: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold, from Debian's `fonts-dejavu-core`.
static DEJAVU_SANS_BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// Which of the two embedded faces to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FontId {
    Regular,
    Bold,
}

/// One embedded face plus the glyphs a document has used from it so far.
pub(crate) struct FontFace {
    /// PostScript name written into the PDF (without the subset tag).
    pub(crate) ps_name: &'static str,
    pub(crate) bold: bool,
    pub(crate) data: &'static [u8],
    face: Face<'static>,
    units_per_em: f32,
    /// Glyph used for characters the font has no glyph for.
    fallback: GlyphId,
    /// Old glyph id -> glyph id in the subset (= CID in the PDF).
    pub(crate) remapper: GlyphRemapper,
    /// Subset glyph id -> the text it stands for (for the ToUnicode map,
    /// so that text can be searched and copied out of the PDF).
    pub(crate) to_unicode: BTreeMap<u16, char>,
}

impl FontFace {
    fn load(ps_name: &'static str, data: &'static [u8], bold: bool) -> Result<Self, DocumentError> {
        let face = Face::parse(data, 0).map_err(|e| DocumentError::Font {
            font: ps_name,
            reason: e.to_string(),
        })?;
        let fallback = ['\u{FFFD}', '?']
            .iter()
            .find_map(|&c| face.glyph_index(c))
            .unwrap_or(GlyphId(0));
        Ok(FontFace {
            ps_name,
            bold,
            data,
            units_per_em: f32::from(face.units_per_em().max(1)),
            face,
            fallback,
            remapper: GlyphRemapper::new(),
            to_unicode: BTreeMap::new(),
        })
    }

    fn glyph(&self, c: char) -> GlyphId {
        self.face.glyph_index(c).unwrap_or(self.fallback)
    }

    /// Advance width of a glyph in thousandths of the font size (PDF text space).
    pub(crate) fn glyph_width(&self, glyph: GlyphId) -> f32 {
        let advance = self.face.glyph_hor_advance(glyph).unwrap_or(0);
        f32::from(advance) * 1000.0 / self.units_per_em
    }

    /// Width of `text` set at `size` points. Widths add up (no kerning is
    /// applied, neither here nor when the text is drawn).
    pub(crate) fn text_width(&self, text: &str, size: f32) -> f32 {
        let units: f32 = text.chars().map(|c| self.glyph_width(self.glyph(c))).sum();
        units * size / 1000.0
    }

    /// Encode `text` for a `Tj` operator: big-endian subset glyph ids.
    pub(crate) fn encode(&mut self, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let (glyph, shown) = match self.face.glyph_index(c) {
                Some(g) => (g, c),
                None => (self.fallback, '\u{FFFD}'),
            };
            let cid = self.remapper.remap(glyph.0);
            if glyph.0 != 0 {
                self.to_unicode.entry(cid).or_insert(shown);
            }
            out.extend_from_slice(&cid.to_be_bytes());
        }
        out
    }

    /// Font-wide metrics for the PDF font descriptor, in thousandths of an em.
    pub(crate) fn metrics(&self) -> FontMetrics {
        let scale = 1000.0 / self.units_per_em;
        let bbox = self.face.global_bounding_box();
        FontMetrics {
            bbox: [
                f32::from(bbox.x_min) * scale,
                f32::from(bbox.y_min) * scale,
                f32::from(bbox.x_max) * scale,
                f32::from(bbox.y_max) * scale,
            ],
            ascent: f32::from(self.face.ascender()) * scale,
            descent: f32::from(self.face.descender()) * scale,
            cap_height: f32::from(self.face.capital_height().unwrap_or(self.face.ascender()))
                * scale,
            italic_angle: self.face.italic_angle(),
        }
    }

    /// Widths of the subset's glyphs, in subset order (CID 0, 1, 2...).
    pub(crate) fn subset_widths(&self) -> Vec<f32> {
        self.remapper.remapped_gids().map(|old| self.glyph_width(GlyphId(old))).collect()
    }
}

/// Values for the PDF font descriptor.
pub(crate) struct FontMetrics {
    pub(crate) bbox: [f32; 4],
    pub(crate) ascent: f32,
    pub(crate) descent: f32,
    pub(crate) cap_height: f32,
    pub(crate) italic_angle: f32,
}

/// The regular and bold faces used by a document.
pub(crate) struct Fonts {
    pub(crate) regular: FontFace,
    pub(crate) bold: FontFace,
}

impl Fonts {
    pub(crate) fn load() -> Result<Self, DocumentError> {
        Ok(Fonts {
            regular: FontFace::load("DejaVuSans", DEJAVU_SANS, false)?,
            bold: FontFace::load("DejaVuSans-Bold", DEJAVU_SANS_BOLD, true)?,
        })
    }

    pub(crate) fn get(&self, id: FontId) -> &FontFace {
        match id {
            FontId::Regular => &self.regular,
            FontId::Bold => &self.bold,
        }
    }

    pub(crate) fn get_mut(&mut self, id: FontId) -> &mut FontFace {
        match id {
            FontId::Regular => &mut self.regular,
            FontId::Bold => &mut self.bold,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fonts_cover_latin_and_cyrillic() {
        let fonts = Fonts::load().unwrap();
        for face in [&fonts.regular, &fonts.bold] {
            for c in "AZaz09Рахмонов ФаррухЁёЙй№".chars() {
                assert!(face.face.glyph_index(c).is_some(), "{} lacks {c:?}", face.ps_name);
            }
        }
    }

    #[test]
    fn widths_add_up_and_bold_is_wider() {
        let fonts = Fonts::load().unwrap();
        let r = &fonts.regular;
        let a = r.text_width("Рахмонов", 10.0);
        let b = r.text_width(" Фаррух", 10.0);
        assert!((r.text_width("Рахмонов Фаррух", 10.0) - (a + b)).abs() < 1e-3);
        assert!(a > 30.0 && a < 80.0, "{a}");
        assert!(fonts.bold.text_width("Рахмонов", 10.0) > a);
        assert_eq!(r.text_width("", 10.0), 0.0);
    }

    #[test]
    fn encoding_uses_subset_ids_and_records_unicode() {
        let mut fonts = Fonts::load().unwrap();
        let f = fonts.get_mut(FontId::Regular);
        let bytes = f.encode("ЖаЖ");
        // .notdef is 0, so the first new glyph is 1.
        assert_eq!(bytes, vec![0, 1, 0, 2, 0, 1]);
        assert_eq!(f.to_unicode.get(&1), Some(&'Ж'));
        assert_eq!(f.to_unicode.get(&2), Some(&'а'));
        assert_eq!(f.subset_widths().len(), 3);
    }
}
