//! The budget review as a PDF written by Headroom itself (pdf-writer, no browser): the decision
//! and why, the variants, the fiscal years against budget, the top risks, the monthly cost per
//! variant as a vector chart, and the assumptions appendix (every input, every price used with
//! its source and date). A4 or Letter. The base-14 fonts (Helvetica, Courier) need no
//! embedding; text is WinAnsi, so the few characters outside it are spelt in ASCII (≥ as >=).
//! Nothing reads the clock: the same report gives the same bytes.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use crate::engine::report::Report;
use crate::money::usd0;
use crate::uncertainty::montecarlo::McReport;
use crate::uncertainty::review::review;

/// Paper size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    A4,
    Letter,
}

impl Paper {
    /// Width and height in points.
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::A4 => (595.0, 842.0),
            Paper::Letter => (612.0, 792.0),
        }
    }
}

const MARGIN: f32 = 40.0;
const BODY: f32 = 8.0;
/// Courier's advance: 600/1000 em.
const MONO_EM: f32 = 0.6;

/// Text as WinAnsi bytes: Latin-1 maps directly, a few symbols are spelt out, the rest is `?`.
pub fn win_ansi(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{ff}' => out.push(c as u8),
            '—' => out.push(0x97),
            '–' | '−' => out.push(b'-'),
            '…' => out.push(0x85),
            '€' => out.push(0x80),
            '’' => out.push(0x92),
            '•' => out.push(0x95),
            '≥' => out.extend_from_slice(b">="),
            '≤' => out.extend_from_slice(b"<="),
            '→' => out.extend_from_slice(b"->"),
            _ => out.push(b'?'),
        }
    }
    out
}

/// A page being laid out: its content stream and the cursor.
struct Layout {
    paper: (f32, f32),
    pages: Vec<Content>,
    y: f32,
}

#[derive(Clone, Copy)]
enum Font {
    Regular,
    Bold,
    Mono,
}

impl Font {
    fn name(self) -> Name<'static> {
        match self {
            Font::Regular => Name(b"F1"),
            Font::Bold => Name(b"F2"),
            Font::Mono => Name(b"F3"),
        }
    }
}

impl Layout {
    fn new(paper: Paper) -> Layout {
        let paper = paper.size();
        Layout { paper, pages: vec![Content::new()], y: paper.1 - MARGIN }
    }

    fn page(&mut self) -> &mut Content {
        if self.pages.is_empty() {
            self.pages.push(Content::new());
        }
        let n = self.pages.len() - 1;
        &mut self.pages[n]
    }

    /// Room for `h` points, else a new page.
    fn need(&mut self, h: f32) {
        if self.y - h < MARGIN {
            self.pages.push(Content::new());
            self.y = self.paper.1 - MARGIN;
        }
    }

    /// Characters of Courier at `size` that fit the text width.
    fn mono_chars(&self, size: f32) -> usize {
        ((self.paper.0 - 2.0 * MARGIN) / (size * MONO_EM)) as usize
    }

    fn text_at(&mut self, font: Font, size: f32, x: f32, y: f32, s: &str) {
        let bytes = win_ansi(s);
        let c = self.page();
        c.begin_text();
        c.set_font(font.name(), size);
        c.next_line(x, y);
        c.show(Str(&bytes));
        c.end_text();
    }

    /// One line of text; long proportional lines wrap at a rough width, mono lines are cut.
    fn line(&mut self, font: Font, size: f32, s: &str) {
        let width = match font {
            Font::Mono => self.mono_chars(size),
            // Helvetica averages about half an em a character.
            _ => ((self.paper.0 - 2.0 * MARGIN) / (size * 0.5)) as usize,
        };
        let mut rest: Vec<&str> = s.split(' ').collect();
        while !rest.is_empty() {
            let mut l = String::new();
            while let Some(w) = rest.first() {
                if !l.is_empty() && l.chars().count() + 1 + w.chars().count() > width {
                    break;
                }
                if !l.is_empty() {
                    l.push(' ');
                }
                l.push_str(w);
                rest.remove(0);
            }
            if matches!(font, Font::Mono) {
                l = l.chars().take(width).collect();
            }
            self.need(size * 1.3);
            self.y -= size * 1.3;
            let y = self.y;
            self.text_at(font, size, MARGIN, y, &l);
        }
    }

    fn heading(&mut self, s: &str) {
        self.need(40.0);
        self.y -= 8.0;
        self.line(Font::Bold, 12.0, s);
        self.y -= 2.0;
    }

    /// Monthly totals per variant as lines on axes: a vector drawing.
    fn chart(&mut self, title: &str, months: &[String], series: &[(String, Vec<f64>)]) {
        let h = 190.0;
        self.need(h + 40.0);
        self.line(Font::Bold, 9.0, title);
        let (x0, x1) = (MARGIN + 50.0, self.paper.0 - MARGIN - 110.0);
        let (y0, y1) = (self.y - h, self.y - 10.0);
        let max = series.iter().flat_map(|s| s.1.iter().copied()).filter(|x| x.is_finite()).fold(0.0f64, f64::max);
        let top = nice_ceiling(max);
        let n = months.len().max(2);
        let px = |i: usize| x0 + (x1 - x0) * i as f32 / (n - 1) as f32;
        let py = |v: f64| y0 + (y1 - y0) * (v / top) as f32;
        let mut labels = Vec::new();
        {
            let c = self.page();
            c.set_line_width(0.5);
            c.set_stroke_gray(0.6);
            for k in 0..=4 {
                let y = y0 + (y1 - y0) * k as f32 / 4.0;
                c.move_to(x0, y);
                c.line_to(x1, y);
                c.stroke();
                labels.push((MARGIN, y - 3.0, usd0(top * f64::from(k) / 4.0)));
            }
            const COLOURS: [(f32, f32, f32); 8] = [
                (0.12, 0.47, 0.71),
                (1.0, 0.5, 0.05),
                (0.17, 0.63, 0.17),
                (0.84, 0.15, 0.16),
                (0.58, 0.4, 0.74),
                (0.55, 0.34, 0.29),
                (0.89, 0.47, 0.76),
                (0.5, 0.5, 0.5),
            ];
            c.set_line_width(1.2);
            for (k, (name, ys)) in series.iter().enumerate() {
                let (r, g, b) = COLOURS[k % COLOURS.len()];
                c.set_stroke_rgb(r, g, b);
                for (i, v) in ys.iter().enumerate() {
                    let (x, y) = (px(i), py(*v));
                    if i == 0 {
                        c.move_to(x, y);
                    } else {
                        c.line_to(x, y);
                    }
                }
                c.stroke();
                let ly = y1 - 12.0 * k as f32;
                c.set_fill_rgb(r, g, b);
                c.rect(x1 + 8.0, ly - 1.0, 8.0, 6.0);
                c.fill_nonzero();
                labels.push((x1 + 20.0, ly - 1.0, name.clone()));
            }
            c.set_fill_gray(0.0);
        }
        for (x, y, s) in labels {
            self.text_at(Font::Regular, 7.0, x, y, &s);
        }
        for i in [0, n / 2, n - 1] {
            if let Some(m) = months.get(i) {
                self.text_at(Font::Regular, 7.0, px(i) - 12.0, y0 - 10.0, m);
            }
        }
        self.y = y0 - 16.0;
    }
}

/// The smallest 1, 2 or 5 × 10^k at or above `x`.
fn nice_ceiling(x: f64) -> f64 {
    if x <= 0.0 || !x.is_finite() {
        return 1.0;
    }
    let p = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * p).find(|v| *v >= x).unwrap_or(10.0 * p)
}

/// A row of fixed-width columns (Courier): text left, numbers right.
fn row(cols: &[(&str, usize, bool)]) -> String {
    cols.iter()
        .map(|(s, w, right)| {
            let s: String = s.chars().take(*w).collect();
            if *right { format!("{s:>w$}") } else { format!("{s:<w$}") }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The budget review as PDF bytes.
pub fn pdf(r: &Report, mc: Option<&McReport>, paper: Paper) -> Vec<u8> {
    let rv = review(r, mc);
    let mut l = Layout::new(paper);
    l.line(Font::Bold, 16.0, &format!("{} - budget review", r.scenario));
    let last = r.demand.last().map_or_else(String::new, |d| d.month.to_string());
    l.line(
        Font::Regular,
        BODY,
        &format!("{} months from {} to {}, {}; {}", r.horizon_months, r.start, last, r.currency, r.provenance.line()),
    );
    l.heading("Decision");
    l.line(Font::Bold, 10.0, &rv.decision);
    for w in &rv.why {
        l.line(Font::Regular, BODY, &format!("• {w}"));
    }
    l.y -= 4.0;
    l.line(
        Font::Mono,
        7.0,
        &row(&[
            ("Variant", 24, false),
            ("Rank", 4, true),
            ("Total", 14, true),
            ("Avail.", 9, true),
            ("RTO", 8, true),
            ("RPO", 10, true),
            ("Targets", 8, false),
            ("Costs", 24, false),
        ]),
    );
    for v in &rv.variants {
        let total = crate::engine::report::lower_bound(v.complete, usd0(v.total_usd));
        let rank = v.rank.map_or("-".to_string(), |k| k.to_string());
        let avail = format!("{:.3}%", v.availability * 100.0);
        let rto = v.rto_hours.map_or("none".into(), |h| format!("{h:.1} h"));
        let rpo = v.rpo_minutes.map_or("no copy".into(), |m| format!("{m:.1} min"));
        let pick = if rv.recommended.as_deref() == Some(v.name.as_str()) { "> " } else { "" };
        l.line(
            Font::Mono,
            7.0,
            &row(&[
                (&format!("{pick}{}", v.name), 24, false),
                (&rank, 4, true),
                (&total, 14, true),
                (&avail, 9, true),
                (&rto, 8, true),
                (&rpo, 10, true),
                (if v.meets_all { "all met" } else { "missed" }, 8, false),
                (&v.status, 24, false),
            ]),
        );
    }
    l.heading("Fiscal years against budget");
    l.line(
        Font::Mono,
        7.0,
        &row(&[
            ("Variant", 22, false),
            ("Year", 6, false),
            ("Cash", 11, true),
            ("Amortised", 11, true),
            ("Capex", 10, true),
            ("Opex", 11, true),
            ("Budget", 10, true),
            ("Variance", 10, true),
            ("P(exc.)", 7, true),
        ]),
    );
    for f in &rv.fiscal {
        let o = |x: Option<f64>| x.map_or("-".to_string(), usd0);
        l.line(
            Font::Mono,
            7.0,
            &row(&[
                (&f.variant, 22, false),
                (&f.label, 6, false),
                (&usd0(f.cash_usd), 11, true),
                (&usd0(f.amortised_usd), 11, true),
                (&usd0(f.capex_usd), 10, true),
                (&usd0(f.opex_usd), 11, true),
                (&o(f.budget_usd), 10, true),
                (&o(f.variance_usd), 10, true),
                (&f.p_exceed.map_or("-".to_string(), |p| format!("{:.0}%", p * 100.0)), 7, true),
            ]),
        );
    }
    l.line(
        Font::Regular,
        7.0,
        &format!("Variance = budget - amortised (negative: over budget). P(exceed): {}.", rv.exceedance_basis),
    );
    l.heading("Top risks");
    if rv.risks.is_empty() {
        l.line(Font::Regular, BODY, "No budget, capacity, unpriced or stale-price risk.");
    }
    for k in &rv.risks {
        l.line(Font::Regular, BODY, &format!("• {:?}: {}", k.kind, k.text));
    }
    l.heading("Cost over time");
    let months: Vec<String> = r.demand.iter().map(|d| d.month.to_string()).collect();
    let series: Vec<(String, Vec<f64>)> =
        r.variants.iter().map(|v| (v.name.clone(), v.months.iter().map(|m| m.total_usd).collect())).collect();
    l.chart("Monthly cost per variant (USD, amortised, known prices)", &months, &series);
    l.heading("Appendix: assumptions");
    for a in &r.assumptions {
        let extra = [a.source.as_str(), a.range.as_str()]
            .iter()
            .filter(|x| !x.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("; ");
        l.line(Font::Mono, 6.5, &format!("{} = {} {} {}", a.path, a.value, a.unit, extra));
    }
    l.heading("Appendix: prices used");
    for p in &r.prices {
        let usd = p.usd.map_or("unknown".to_string(), |u| format!("{u}"));
        l.line(
            Font::Mono,
            6.5,
            &format!("{}/{} {} per {} ({} {}) {}", p.region, p.key, usd, p.unit, p.source, p.as_of, p.source_title),
        );
    }
    write(l, r)
}

/// The document: catalog, pages, fonts, info (no dates), page numbers in the footer.
fn write(mut l: Layout, r: &Report) -> Vec<u8> {
    let n = l.pages.len();
    for i in 0..n {
        let footer = format!("{} - page {} of {n}", r.provenance.line(), i + 1);
        let bytes = win_ansi(&footer);
        let c = &mut l.pages[i];
        c.begin_text();
        c.set_font(Font::Regular.name(), 6.0);
        c.next_line(MARGIN, MARGIN - 18.0);
        c.show(Str(&bytes));
        c.end_text();
    }
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let info = Ref::new(3);
    let fonts = [Ref::new(4), Ref::new(5), Ref::new(6)];
    let first = 7;
    let page_ids: Vec<Ref> = (0..n).map(|i| Ref::new(first + 2 * i as i32)).collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids(page_ids.iter().copied()).count(n as i32);
    let title = win_ansi(&format!("{} - budget review", r.scenario));
    pdf.document_info(info)
        .title(TextStr(&String::from_utf8_lossy(&title)))
        .producer(TextStr(&format!("Headroom {}", r.provenance.headroom_version)))
        .subject(TextStr(&r.provenance.line()));
    for (id, base) in fonts.iter().zip([&b"Helvetica"[..], b"Helvetica-Bold", b"Courier"]) {
        pdf.type1_font(*id).base_font(Name(base)).encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    let (w, h) = l.paper;
    for (i, content) in l.pages.into_iter().enumerate() {
        let content_id = Ref::new(first + 2 * i as i32 + 1);
        let mut page = pdf.page(page_ids[i]);
        page.media_box(Rect::new(0.0, 0.0, w, h)).parent(tree).contents(content_id);
        let mut res = page.resources();
        let mut f = res.fonts();
        f.pair(Font::Regular.name(), fonts[0]);
        f.pair(Font::Bold.name(), fonts[1]);
        f.pair(Font::Mono.name(), fonts[2]);
        f.finish();
        res.finish();
        page.finish();
        pdf.stream(content_id, &content.finish());
    }
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn win_ansi_spells_what_it_cannot_encode() {
        assert_eq!(win_ansi("≥ 99.9 % → £5 — ok"), b">= 99.9 % -> \xa35 \x97 ok");
        assert_eq!(win_ansi("漢"), b"?");
    }

    #[test]
    fn nice_ceilings() {
        assert_eq!([nice_ceiling(7_300.0), nice_ceiling(12_000.0), nice_ceiling(0.0)], [10_000.0, 20_000.0, 1.0]);
    }
}
