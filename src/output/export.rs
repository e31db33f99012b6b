//! Cost sheets and the budget review: CSV (wide and long), XLSX with live formulas, and a
//! self-contained HTML report. Every function returns bytes; writing them is the caller's job
//! (the CLI and the GUI share [`export`] and write atomically).

use std::fmt::Write as _;

use rust_xlsxwriter::{Format, Formula, Workbook, Worksheet, XlsxError, utility::row_col_to_cell};

use crate::engine::report::{Name, Report, VariantMonth, VariantPlan, Verdict, View};
use crate::output::render::{usd, usd0};
use crate::scenario::assumptions::Assumption;
use crate::scenario::model::Category;
use crate::uncertainty::montecarlo::McReport;

/// Output formats of `headroom export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// One row per variant × category × line item, one column per month.
    Csv,
    /// Tidy: one row per variant × month × line item.
    CsvLong,
    Xlsx,
    Html,
    /// The budget review as PDF, A4 or Letter.
    PdfA4,
    PdfLetter,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 6] = [
        ExportFormat::Csv,
        ExportFormat::CsvLong,
        ExportFormat::Xlsx,
        ExportFormat::Html,
        ExportFormat::PdfA4,
        ExportFormat::PdfLetter,
    ];
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::CsvLong => "csv-long",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Html => "html",
            ExportFormat::PdfA4 => "pdf",
            ExportFormat::PdfLetter => "pdf-letter",
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv | ExportFormat::CsvLong => "csv",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Html => "html",
            ExportFormat::PdfA4 | ExportFormat::PdfLetter => "pdf",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot build the spreadsheet: {0}")]
    Xlsx(#[from] XlsxError),
    #[error("cannot write CSV: {0}")]
    Csv(String),
}

/// Render `report` in `format`.
pub fn export(report: &Report, format: ExportFormat) -> Result<Vec<u8>, ExportError> {
    export_with(report, None, format)
}

/// Render `report` in `format`, with a Monte Carlo result for the budget review's Uncertainty
/// section (HTML) and sheet (XLSX); the CSV cost sheets leave it out.
pub fn export_with(report: &Report, mc: Option<&McReport>, format: ExportFormat) -> Result<Vec<u8>, ExportError> {
    match format {
        ExportFormat::Csv => csv_wide(report).map(String::into_bytes),
        ExportFormat::CsvLong => csv_long(report).map(String::into_bytes),
        ExportFormat::Xlsx => xlsx(report, mc),
        ExportFormat::Html => Ok(html_with(report, mc).into_bytes()),
        ExportFormat::PdfA4 => Ok(crate::output::pdf::pdf(report, mc, crate::output::pdf::Paper::A4)),
        ExportFormat::PdfLetter => Ok(crate::output::pdf::pdf(report, mc, crate::output::pdf::Paper::Letter)),
    }
}

/// A text cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a
/// leading apostrophe, so it stays text (OWASP "CSV injection").
pub fn neutralise(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_string() }
}

/// A line item's identity across months: site, category, item, view.
pub type ItemKey = (Name, Category, Name, View);

fn view_rank(v: View) -> u8 {
    match v {
        View::Both => 0,
        View::Amortised => 1,
        View::Cash => 2,
    }
}

/// Label of a view-specific line, for sheets that list both views.
pub fn view_suffix(v: View) -> &'static str {
    match v {
        View::Both => "",
        View::Amortised => " [amortised view]",
        View::Cash => " [cash view]",
    }
}

/// The distinct line items of a variant, by category then first appearance, with the index of
/// its line in each month's lines (None: the item does not exist that month).
pub fn line_items(v: &VariantPlan) -> Vec<(ItemKey, Vec<Option<usize>>)> {
    let mut keys: Vec<ItemKey> = Vec::new();
    let mut index = rustc_hash::FxHashMap::default();
    for m in &v.months {
        for l in &m.lines {
            let k = (l.site, l.category, l.item, l.view);
            if let std::collections::hash_map::Entry::Vacant(e) = index.entry(k) {
                e.insert(keys.len());
                keys.push(k);
            }
        }
    }
    let mut rows: Vec<Vec<Option<usize>>> = vec![vec![None; v.months.len()]; keys.len()];
    for (mi, m) in v.months.iter().enumerate() {
        for (li, l) in m.lines.iter().enumerate() {
            let i = index[&(l.site, l.category, l.item, l.view)];
            rows[i][mi] = Some(li);
        }
    }
    // Lines in both views first, then amortised-only, then cash-only; by category (the cost
    // table's order) within each, keeping appearance order.
    let mut out: Vec<_> = keys.into_iter().zip(rows).collect();
    out.sort_by_key(|((_, c, _, v), _)| (view_rank(*v), *c));
    out
}

/// A variant's line amounts as every export shows them, in whole cents: per month, per line (in
/// the month's line order), None when the price is unknown. Each month's amortised-view lines
/// add up to its total rounded to the cent, and its cash-view lines to its cash total
/// ([`crate::money::cents_summing_to`]), so sheets add up exactly as displayed.
pub fn displayed_cents(v: &VariantPlan) -> Vec<Vec<Option<i64>>> {
    v.months
        .iter()
        .map(|m| {
            let mut out = vec![None; m.lines.len()];
            // Lines in both views and amortised-only lines make the amortised total.
            let amortised: Vec<usize> =
                (0..m.lines.len()).filter(|&i| m.lines[i].usd.is_some() && m.lines[i].view != View::Cash).collect();
            let values: Vec<f64> = amortised.iter().filter_map(|&i| m.lines[i].usd).collect();
            for (&i, c) in amortised.iter().zip(crate::money::cents_summing_to(&values, m.total_usd)) {
                out[i] = Some(c);
            }
            // Cash-only lines make up the rest of the cash total.
            let both: i64 = (0..m.lines.len()).filter(|&i| m.lines[i].view == View::Both).filter_map(|i| out[i]).sum();
            let cash: Vec<usize> =
                (0..m.lines.len()).filter(|&i| m.lines[i].usd.is_some() && m.lines[i].view == View::Cash).collect();
            let values: Vec<f64> = cash.iter().filter_map(|&i| m.lines[i].usd).collect();
            let rest = m.cash_usd - both as f64 / 100.0;
            for (&i, c) in cash.iter().zip(crate::money::cents_summing_to(&values, rest)) {
                out[i] = Some(c);
            }
            out
        })
        .collect()
}

/// A line item's displayed cents per month: None where the item does not exist that month,
/// Some(None) where its price is unknown.
fn item_cents(cents: &[Vec<Option<i64>>], months: &[Option<usize>]) -> Vec<Option<Option<i64>>> {
    months.iter().zip(cents).map(|(i, c)| i.map(|i| c[i])).collect()
}

/// A month's displayed total in a view: the sum of its displayed line cents.
fn view_cents(m: &VariantMonth, cents: &[Option<i64>], cash: bool) -> i64 {
    m.lines
        .iter()
        .zip(cents)
        .filter(|(l, _)| if cash { l.view.in_cash() } else { l.view.in_amortised() })
        .filter_map(|(_, c)| *c)
        .sum()
}

/// The label of a variant's total row: a lower bound when lines are unpriced.
fn total_label(v: &VariantPlan, view: &str) -> String {
    if v.completeness.complete {
        format!("TOTAL {view}")
    } else {
        format!("TOTAL {view} (known prices; lower bound: {})", v.completeness.status())
    }
}

fn csv_wide(r: &Report) -> Result<String, ExportError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = ["variant", "site", "category", "line_item", "view"].map(String::from).to_vec();
    header.extend(r.demand.iter().map(|d| d.month.to_string()));
    header.extend(["total_usd".into(), "unpriced_months".into()]);
    w.write_record(&header).map_err(|e| ExportError::Csv(e.to_string()))?;
    for v in &r.variants {
        let cents = displayed_cents(v);
        for ((site, cat, item, view), months) in line_items(v) {
            let mut row = vec![
                neutralise(&v.name),
                neutralise(&site),
                cat.label().to_string(),
                neutralise(&item),
                format!("{view:?}").to_lowercase(),
            ];
            let mut total = 0i64;
            let (mut known, mut unknown) = (0, 0);
            for cell in item_cents(&cents, &months) {
                // An unknown amount: no number, the marker "unknown".
                let cell = match cell {
                    None => String::new(),
                    Some(None) => {
                        unknown += 1;
                        "unknown".into()
                    }
                    Some(Some(c)) => {
                        known += 1;
                        total += c;
                        crate::money::cents_text(c)
                    }
                };
                row.push(cell);
            }
            row.push(if known == 0 && unknown > 0 { "unknown".into() } else { crate::money::cents_text(total) });
            row.push(unknown.to_string());
            w.write_record(&row).map_err(|e| ExportError::Csv(e.to_string()))?;
        }
        let unpriced: u32 = v.months.iter().filter(|m| m.unknown_lines > 0).count() as u32;
        for (view, cash) in [("amortised", false), ("cash", true)] {
            let mut row = vec![neutralise(&v.name), String::new(), "Total".into(), total_label(v, view), view.into()];
            let per_month: Vec<i64> = v.months.iter().zip(&cents).map(|(m, c)| view_cents(m, c, cash)).collect();
            row.extend(per_month.iter().map(|c| crate::money::cents_text(*c)));
            row.push(crate::money::cents_text(per_month.iter().sum()));
            row.push(unpriced.to_string());
            w.write_record(&row).map_err(|e| ExportError::Csv(e.to_string()))?;
        }
    }
    finish(w)
}

fn csv_long(r: &Report) -> Result<String, ExportError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "variant",
        "month",
        "site",
        "category",
        "line_item",
        "quantity",
        "unit",
        "unit_price",
        "cost",
        "currency",
        "price_source",
        "price_as_of",
        "view",
        "capex",
    ])
    .map_err(|e| ExportError::Csv(e.to_string()))?;
    for v in &r.variants {
        let cents = displayed_cents(v);
        for (m, cents) in v.months.iter().zip(&cents) {
            for (l, c) in m.lines.iter().zip(cents) {
                let p = l.price.map(|i| &r.prices[i as usize]);
                w.write_record([
                    neutralise(&v.name),
                    m.month.to_string(),
                    neutralise(&l.site),
                    l.category.label().to_string(),
                    neutralise(&l.item),
                    format!("{}", l.quantity),
                    neutralise(&l.unit),
                    l.unit_usd.map_or_else(|| "unknown".into(), |u| format!("{u}")),
                    c.map_or_else(|| "unknown".into(), crate::money::cents_text),
                    r.currency.clone(),
                    neutralise(&p.map_or_else(|| l.basis.to_string(), |p| p.source.clone())),
                    p.map_or_else(String::new, |p| p.as_of.clone()),
                    format!("{:?}", l.view).to_lowercase(),
                    l.capex.to_string(),
                ])
                .map_err(|e| ExportError::Csv(e.to_string()))?;
            }
        }
    }
    finish(w)
}

pub(crate) fn finish(w: csv::Writer<Vec<u8>>) -> Result<String, ExportError> {
    let bytes = w.into_inner().map_err(|e| ExportError::Csv(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| ExportError::Csv(e.to_string()))
}

/// A worksheet name Excel accepts (≤ 31 chars, none of `[]:*?/\`, unique among `taken`).
fn sheet_name(name: &str, taken: &mut Vec<String>) -> String {
    let clean: String = name.chars().map(|c| if "[]:*?/\\'".contains(c) { '_' } else { c }).take(28).collect();
    let clean = if clean.trim().is_empty() { "variant".to_string() } else { clean };
    let mut n = clean.clone();
    let mut i = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&n)) {
        n = format!("{clean}~{i}");
        i += 1;
    }
    taken.push(n.clone());
    n
}

fn quote_sheet(name: &str) -> String {
    format!("'{}'", name.replace('\'', "''"))
}

fn xlsx(r: &Report, mc: Option<&McReport>) -> Result<Vec<u8>, ExportError> {
    let mut wb = Workbook::new();
    // Document properties from the report, never the clock: the same scenario and version give
    // the same bytes. The document date is the plan's first month.
    let date =
        rust_xlsxwriter::ExcelDateTime::from_ymd(r.start.year().clamp(1900, 9999) as u16, r.start.month() as u8, 1)?;
    wb.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_title(neutralise(&r.scenario))
            .set_subject("Headroom capacity and cost plan")
            .set_comment(r.provenance.line())
            .set_creation_datetime(&date),
    );
    let fmt = Formats {
        bold: Format::new().set_bold(),
        money: Format::new().set_num_format("$#,##0.00"),
        money_bold: Format::new().set_num_format("$#,##0.00").set_bold(),
    };
    // Per-variant sheets first (the Summary refers to their total rows).
    // The displayed cents, once per variant, for its sheet and the Summary's cached results.
    let cents: Vec<Vec<Vec<Option<i64>>>> = r.variants.iter().map(displayed_cents).collect();
    let (sheets, totals) = variant_sheets(r, &cents, &fmt)?;
    wb.push_worksheet(decision_sheet(&crate::uncertainty::review::review(r, mc), &fmt)?);
    wb.push_worksheet(summary_sheet(r, &totals, &cents, &fmt)?);
    for ws in sheets {
        wb.push_worksheet(ws);
    }
    wb.push_worksheet(capacity_sheet(r, &fmt)?);
    wb.push_worksheet(resize_sheet(r, &fmt)?);
    wb.push_worksheet(commitments_sheet(r, &fmt)?);
    if let Some(mc) = mc {
        wb.push_worksheet(uncertainty_sheet(mc, &fmt.bold, &fmt.money)?);
    }
    wb.push_worksheet(assumptions_sheet(r, &fmt)?);
    // Printable: landscape, one page wide, the first row repeated on every page.
    for ws in wb.worksheets_mut() {
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
        ws.set_repeat_rows(0, 0)?;
    }
    Ok(wb.save_to_buffer()?)
}

/// The workbook's cell formats.
struct Formats {
    bold: Format,
    money: Format,
    money_bold: Format,
}

/// Column of the first month in a variant sheet.
const FIRST_MONTH_COL: u16 = 4;

/// Per variant (sheet name, its total row), for the Summary's formulas.
type Totals = Vec<(String, String, u32)>;

/// One sheet per variant: every line item by month, with live `SUM` totals.
fn variant_sheets(
    r: &Report,
    all_cents: &[Vec<Vec<Option<i64>>>],
    fmt: &Formats,
) -> Result<(Vec<Worksheet>, Totals), ExportError> {
    let Formats { bold, money, money_bold } = fmt;
    let mut taken =
        vec!["Summary".to_string(), "Capacity".to_string(), "Uncertainty".to_string(), "Assumptions".to_string()];
    let months = r.demand.len() as u16;
    let first_month_col = FIRST_MONTH_COL;
    let total_col = first_month_col + months;
    let mut totals: Vec<(String, String, u32)> = Vec::new(); // (variant, sheet, total row)
    let mut sheets = Vec::new();
    for (v, cents) in r.variants.iter().zip(all_cents) {
        let name = sheet_name(&v.name, &mut taken);
        let mut ws = Worksheet::new();
        ws.set_name(&name)?;
        for (c, h) in ["Site", "Category", "Line item", "Unit"].iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, bold)?;
        }
        for (i, d) in r.demand.iter().enumerate() {
            ws.write_string_with_format(0, first_month_col + i as u16, d.month.to_string(), bold)?;
        }
        ws.write_string_with_format(0, total_col, "Total", bold)?;
        let items = line_items(v);
        let mut row = 1u32;
        let mut both_end = 1u32; // first row that is not in both views
        let mut amortised_end = 1u32; // first cash-only row
        for ((site, cat, item, view), ls) in &items {
            if *view == View::Both {
                both_end = row + 1;
            }
            if *view != View::Cash {
                amortised_end = row + 1;
            }
            ws.write_string(row, 0, neutralise(site))?;
            ws.write_string(row, 1, cat.label())?;
            ws.write_string(row, 2, neutralise(&format!("{item}{}", view_suffix(*view))))?;
            if let Some((mi, li)) = ls.iter().enumerate().find_map(|(mi, l)| l.map(|li| (mi, li))) {
                ws.write_string(row, 3, neutralise(&v.months[mi].lines[li].unit))?;
            }
            // Amounts as displayed (whole cents), so the live sums add up to the cent.
            let mut known = 0i64;
            for (i, cell) in item_cents(cents, ls).into_iter().enumerate() {
                let col = first_month_col + i as u16;
                match cell {
                    Some(Some(c)) => {
                        known += c;
                        ws.write_number_with_format(row, col, c as f64 / 100.0, money)?
                    }
                    Some(None) => ws.write_string(row, col, "unknown")?,
                    None => continue,
                };
            }
            let f = format!("=SUM({}:{})", row_col_to_cell(row, first_month_col), row_col_to_cell(row, total_col - 1));
            let known = crate::money::cents_text(known);
            ws.write_formula_with_format(row, total_col, Formula::new(f).set_result(known), money)?;
            row += 1;
        }
        // Rows are ordered both-views, amortised-only, cash-only: each total is one or two
        // contiguous ranges.
        let last_row = row - 1;
        let amortised_total_row = row;
        let cash_total_row = row + 1;
        let range = |col: u16, a: u32, b: u32| format!("{}:{}", row_col_to_cell(a, col), row_col_to_cell(b, col));
        let amortised_f = |col: u16| format!("=SUM({})", range(col, 1, amortised_end.max(2) - 1));
        let cash_f = |col: u16| {
            let mut parts = vec![range(col, 1, both_end.max(2) - 1)];
            if amortised_end <= last_row {
                parts.push(range(col, amortised_end, last_row));
            }
            format!("=SUM({})", parts.join(","))
        };
        ws.write_string_with_format(amortised_total_row, 2, total_label(v, "amortised"), bold)?;
        ws.write_string_with_format(cash_total_row, 2, total_label(v, "cash"), bold)?;
        let (mut all_a, mut all_c) = (0i64, 0i64);
        for (i, (m, c)) in v.months.iter().zip(cents).enumerate() {
            let col = first_month_col + i as u16;
            let (a, cash) = (view_cents(m, c, false), view_cents(m, c, true));
            (all_a, all_c) = (all_a + a, all_c + cash);
            ws.write_formula_with_format(
                amortised_total_row,
                col,
                Formula::new(amortised_f(col)).set_result(crate::money::cents_text(a)),
                money_bold,
            )?;
            ws.write_formula_with_format(
                cash_total_row,
                col,
                Formula::new(cash_f(col)).set_result(crate::money::cents_text(cash)),
                money_bold,
            )?;
        }
        ws.write_formula_with_format(
            amortised_total_row,
            total_col,
            Formula::new(amortised_f(total_col)).set_result(crate::money::cents_text(all_a)),
            money_bold,
        )?;
        ws.write_formula_with_format(
            cash_total_row,
            total_col,
            Formula::new(cash_f(total_col)).set_result(crate::money::cents_text(all_c)),
            money_bold,
        )?;
        let row = amortised_total_row;
        ws.set_freeze_panes(1, first_month_col)?;
        ws.set_column_width(0, 16)?;
        ws.set_column_width(1, 24)?;
        ws.set_column_width(2, 44)?;
        ws.set_column_width(3, 16)?;
        for c in first_month_col..=total_col {
            ws.set_column_width(c, 12)?;
        }
        totals.push((v.name.clone(), name, row));
        sheets.push(ws);
    }

    Ok((sheets, totals))
}

/// The Summary: formulas into the variant sheets, so edits there move these figures.
fn summary_sheet(
    r: &Report,
    totals: &Totals,
    all_cents: &[Vec<Vec<Option<i64>>>],
    fmt: &Formats,
) -> Result<Worksheet, ExportError> {
    let Formats { bold, money, money_bold } = fmt;
    let months = r.demand.len() as u16;
    let first_month_col = FIRST_MONTH_COL;
    let total_col = first_month_col + months;
    let mut sum = Worksheet::new();
    sum.set_name("Summary")?;
    sum.write_string_with_format(0, 0, neutralise(&r.scenario), bold)?;
    sum.write_string(
        1,
        0,
        format!(
            "{} months from {}, {}. {}. A variant with unpriced lines is not ranked: its totals are lower bounds.",
            r.horizon_months, r.start, r.currency, r.comparison.decision
        ),
    )?;
    sum.write_string(2, 0, neutralise(&r.provenance.line()))?;
    let years: Vec<i32> = {
        let mut y: Vec<i32> = r.demand.iter().map(|d| d.month.year()).collect();
        y.dedup();
        y
    };
    let mut header = vec!["Variant".to_string(), format!("Month 1 ({})", r.start)];
    if let Some(last) = r.demand.last() {
        header.push(format!("Month {} ({})", r.demand.len(), last.month));
    }
    header.extend(years.iter().map(|y| format!("FY {y}")));
    header.push(format!("{}-month total (amortised)", r.demand.len()));
    header.push(format!("{}-month total (cash)", r.demand.len()));
    header.push("Costs".into());
    header.extend(
        [
            "Availability",
            "Downtime h/yr",
            "RTO month 1 (h)",
            "RTO last (h)",
            "RPO (min)",
            "Meets availability",
            "Meets RTO",
            "Meets RPO",
            "Meets all",
        ]
        .map(String::from),
    );
    for (c, h) in header.iter().enumerate() {
        sum.write_string_with_format(3, c as u16, h, bold)?;
    }
    for (i, (((vname, sheet, trow), v), cents)) in totals.iter().zip(&r.variants).zip(all_cents).enumerate() {
        let row = 4 + i as u32;
        let q = quote_sheet(sheet);
        sum.write_string(row, 0, neutralise(vname))?;
        let cell = |col: u16| format!("{q}!{}", row_col_to_cell(*trow, col));
        // Cached results as the variant sheet displays them (whole cents).
        let shown: Vec<(i64, i64)> =
            v.months.iter().zip(cents).map(|(m, c)| (view_cents(m, c, false), view_cents(m, c, true))).collect();
        let text = crate::money::cents_text;
        sum.write_formula_with_format(
            row,
            1,
            Formula::new(format!("={}", cell(first_month_col))).set_result(text(shown[0].0)),
            money,
        )?;
        let last = v.months.len() as u16 - 1;
        sum.write_formula_with_format(
            row,
            2,
            Formula::new(format!("={}", cell(first_month_col + last))).set_result(text(shown[last as usize].0)),
            money,
        )?;
        for (yi, y) in years.iter().enumerate() {
            let cols: Vec<u16> = r
                .demand
                .iter()
                .enumerate()
                .filter(|(_, d)| d.month.year() == *y)
                .map(|(i, _)| first_month_col + i as u16)
                .collect();
            let (a, b) = (cols[0], cols[cols.len() - 1]);
            let known: i64 = v.months.iter().zip(&shown).filter(|(m, _)| m.month.year() == *y).map(|(_, s)| s.0).sum();
            let f = format!("=SUM({q}!{}:{})", row_col_to_cell(*trow, a), row_col_to_cell(*trow, b));
            sum.write_formula_with_format(row, 3 + yi as u16, Formula::new(f).set_result(text(known)), money)?;
        }
        let tc = 3 + years.len() as u16;
        sum.write_formula_with_format(
            row,
            tc,
            Formula::new(format!("={}", cell(total_col))).set_result(text(shown.iter().map(|s| s.0).sum())),
            money_bold,
        )?;
        let cash_cell = format!("{q}!{}", row_col_to_cell(*trow + 1, total_col));
        sum.write_formula_with_format(
            row,
            tc + 1,
            Formula::new(format!("={cash_cell}")).set_result(text(shown.iter().map(|s| s.1).sum())),
            money_bold,
        )?;
        sum.write_string(row, tc + 2, v.completeness.status())?;
        if let Some(res) = r.resilience.iter().find(|x| x.variant == v.name) {
            let pct = Format::new().set_num_format("0.000%");
            let num = Format::new().set_num_format("0.00");
            let c0 = tc + 3;
            sum.write_number_with_format(row, c0, res.availability.availability, &pct)?;
            sum.write_number_with_format(row, c0 + 1, res.availability.downtime_hours_per_year, &num)?;
            for (k, h) in [res.rto_first.hours, res.rto_last.hours].iter().enumerate() {
                match h {
                    Some(h) => sum.write_number_with_format(row, c0 + 2 + k as u16, *h, &num)?,
                    None => sum.write_string(row, c0 + 2 + k as u16, "none")?,
                };
            }
            match res.rpo.minutes {
                Some(m) => sum.write_number_with_format(row, c0 + 4, m, &num)?,
                None => sum.write_string(row, c0 + 4, "no copy")?,
            };
            for (k, ok) in [res.meets.availability, res.meets.rto, res.meets.rpo, res.meets.all].iter().enumerate() {
                sum.write_string(row, c0 + 5 + k as u16, if *ok { "yes" } else { "no" })?;
            }
        }
    }
    // What keeps a variant from being ranked, line by line, with what fills each.
    let mut row = 5 + r.variants.len() as u32;
    for v in r.variants.iter().filter(|v| !v.completeness.complete) {
        sum.write_string_with_format(row, 0, neutralise(&format!("{}: {}", v.name, v.completeness.status())), bold)?;
        row += 1;
        for u in &v.completeness.unpriced {
            sum.write_string(row, 0, neutralise(&u.line))?;
            sum.write_string(row, 1, neutralise(&format!("fill {}", u.fill)))?;
            row += 1;
        }
    }
    sum.set_column_width(0, 28)?;
    for c in 1..(header.len() as u16) {
        sum.set_column_width(c, 16)?;
    }
    sum.set_freeze_panes(4, 1)?;

    Ok(sum)
}

/// Capacity per variant, month and site.
fn capacity_sheet(r: &Report, fmt: &Formats) -> Result<Worksheet, ExportError> {
    let bold = &fmt.bold;
    let mut cap = Worksheet::new();
    cap.set_name("Capacity")?;
    let ch = [
        "Variant",
        "Month",
        "Site",
        "Users",
        "Peak users",
        "Peak req/s",
        "Nodes",
        "Pods",
        "DB class",
        "DB storage GB",
        "Cache nodes",
        "Objects GB",
        "Node-hours billed",
        "Node-hours at peak sizing",
    ];
    for (c, h) in ch.iter().enumerate() {
        cap.write_string_with_format(0, c as u16, *h, bold)?;
    }
    let mut row = 1;
    for v in &r.variants {
        for m in &v.months {
            let d = &r.demand[m.index as usize];
            for s in &m.sites {
                cap.write_string(row, 0, neutralise(&v.name))?;
                cap.write_string(row, 1, m.month.to_string())?;
                cap.write_string(row, 2, neutralise(&s.site))?;
                cap.write_number(row, 3, d.users.round())?;
                cap.write_number(row, 4, d.peak_users.round())?;
                cap.write_number(row, 5, (s.traffic.peak_rps * 10.0).round() / 10.0)?;
                cap.write_number(row, 6, s.nodes())?;
                cap.write_number(row, 7, s.pools.iter().map(|p| p.pods).sum::<u32>())?;
                cap.write_string(row, 8, s.database.as_ref().map_or("-".to_string(), |d| d.class.to_string()))?;
                cap.write_number(row, 9, s.database.as_ref().map_or(0.0, |d| d.provisioned_gb))?;
                cap.write_number(row, 10, s.cache.as_ref().map_or(0, |c| c.nodes))?;
                cap.write_number(row, 11, s.object_storage_gb.round())?;
                // Simulated (autoscaling) or static; the static figure beside it.
                cap.write_number(row, 12, s.pools.iter().map(|p| p.node_hours).sum::<f64>().round())?;
                cap.write_number(row, 13, s.pools.iter().map(|p| p.static_node_hours()).sum::<f64>().round())?;
                row += 1;
            }
        }
    }
    cap.set_freeze_panes(1, 3)?;
    cap.set_column_width(0, 24)?;
    cap.set_column_width(2, 16)?;

    Ok(cap)
}

/// The recommendations worth acting on (a count or a commitment to make), as every view lists them.
fn useful_recommendations(r: &Report) -> impl Iterator<Item = &crate::engine::recommend::Recommendation> {
    r.recommendations.iter().filter(|x| x.is_useful())
}

/// The decision first: recommendation and why, the variants, the fiscal years against budget
/// and the top risks; numbers stored as numbers, printed landscape one page wide.
fn decision_sheet(rv: &crate::uncertainty::review::Review, fmt: &Formats) -> Result<Worksheet, ExportError> {
    let mut ws = Worksheet::new();
    ws.set_name("Decision")?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    let pct = Format::new().set_num_format("0.000%");
    let pct0 = Format::new().set_num_format("0%");
    let money0 = Format::new().set_num_format("$#,##0");
    ws.write_string_with_format(0, 0, "Decision", &fmt.bold)?;
    ws.write_string(1, 0, neutralise(&rv.decision))?;
    let mut row = 2u32;
    for w in &rv.why {
        ws.write_string(row, 0, neutralise(w))?;
        row += 1;
    }
    row += 1;
    let head = ["Variant", "Rank", "Total (amortised)", "Costs", "Availability", "RTO (h)", "RPO (min)", "Targets"];
    for (c, h) in head.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, &fmt.bold)?;
    }
    for v in &rv.variants {
        row += 1;
        ws.write_string(row, 0, neutralise(&v.name))?;
        if let Some(k) = v.rank {
            ws.write_number(row, 1, k)?;
        }
        ws.write_number_with_format(row, 2, (v.total_usd * 100.0).round() / 100.0, &money0)?;
        ws.write_string(row, 3, neutralise(&v.status))?;
        ws.write_number_with_format(row, 4, v.availability, &pct)?;
        if let Some(h) = v.rto_hours {
            ws.write_number(row, 5, (h * 10.0).round() / 10.0)?;
        }
        if let Some(m) = v.rpo_minutes {
            ws.write_number(row, 6, (m * 10.0).round() / 10.0)?;
        }
        ws.write_string(row, 7, if v.meets_all { "all met" } else { "missed" })?;
    }
    row += 2;
    ws.write_string_with_format(row, 0, "Fiscal years against budget (variance = budget − amortised)", &fmt.bold)?;
    row += 1;
    let head =
        ["Variant", "Year", "Months", "Cash", "Amortised", "Capex", "Opex", "Budget", "Variance", "P(exceed)", "Costs"];
    for (c, h) in head.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, &fmt.bold)?;
    }
    let cents = |x: f64| (x * 100.0).round() / 100.0;
    for f in &rv.fiscal {
        row += 1;
        ws.write_string(row, 0, neutralise(&f.variant))?;
        ws.write_string(row, 1, &f.label)?;
        ws.write_number(row, 2, f.months)?;
        for (c, x) in [(3u16, f.cash_usd), (4, f.amortised_usd), (5, f.capex_usd), (6, f.opex_usd)] {
            ws.write_number_with_format(row, c, cents(x), &fmt.money)?;
        }
        if let Some(b) = f.budget_usd {
            ws.write_number_with_format(row, 7, cents(b), &fmt.money)?;
        }
        if let Some(v) = f.variance_usd {
            ws.write_number_with_format(row, 8, cents(v), &fmt.money)?;
        }
        if let Some(p) = f.p_exceed {
            ws.write_number_with_format(row, 9, p, &pct0)?;
        }
        ws.write_string(row, 10, if f.complete { "complete" } else { "lower bound" })?;
    }
    row += 1;
    ws.write_string(row, 0, format!("P(exceed): {}", rv.exceedance_basis))?;
    row += 2;
    ws.write_string_with_format(row, 0, "Top risks", &fmt.bold)?;
    for k in &rv.risks {
        row += 1;
        ws.write_string(row, 0, format!("{:?}", k.kind))?;
        ws.write_string(row, 1, neutralise(&k.text))?;
    }
    ws.set_column_width(0, 28)?;
    for c in 1..=10u16 {
        ws.set_column_width(c, 14)?;
    }
    Ok(ws)
}

/// What to reserve or commit to, when, and what it saves: one row per recommendation.
fn commitments_sheet(r: &Report, fmt: &Formats) -> Result<Worksheet, ExportError> {
    let mut ws = Worksheet::new();
    ws.set_name("Commitments")?;
    let head = [
        "Variant",
        "Kind",
        "Region",
        "Instance type",
        "Count",
        "Term (years)",
        "From",
        "Months",
        "Commit $/h",
        "On-demand $/h",
        "Reserved $/h",
        "Break-even use",
        "Saving",
        "Rate source",
    ];
    for (c, h) in head.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &fmt.bold)?;
    }
    let pct = Format::new().set_num_format("0%");
    let rate = Format::new().set_num_format("$0.0000");
    for (row, x) in (1u32..).zip(useful_recommendations(r)) {
        ws.write_string(row, 0, neutralise(&x.variant))?;
        ws.write_string(row, 1, format!("{:?}", x.kind))?;
        ws.write_string(row, 2, neutralise(&x.region))?;
        ws.write_string(row, 3, neutralise(&x.instance_type))?;
        ws.write_number(row, 4, x.count)?;
        ws.write_number(row, 5, x.term_years)?;
        ws.write_string(row, 6, x.from.to_string())?;
        ws.write_number(row, 7, x.months)?;
        ws.write_number_with_format(row, 8, x.commit_usd_per_hour, &rate)?;
        ws.write_number_with_format(row, 9, x.on_demand_usd_per_hour, &rate)?;
        ws.write_number_with_format(row, 10, x.reserved_usd_per_hour, &rate)?;
        ws.write_number_with_format(row, 11, x.break_even_utilization, &pct)?;
        ws.write_number_with_format(row, 12, (x.saving_usd * 100.0).round() / 100.0, &fmt.money)?;
        ws.write_string(row, 13, neutralise(&x.rate_source))?;
    }
    ws.set_freeze_panes(1, 1)?;
    ws.set_column_width(0, 24)?;
    ws.set_column_width(13, 40)?;
    Ok(ws)
}

/// Resize events, one row each.
fn resize_sheet(r: &Report, fmt: &Formats) -> Result<Worksheet, ExportError> {
    let mut ws = Worksheet::new();
    ws.set_name("Resize events")?;
    for (c, h) in ["Variant", "Month", "Date", "Site", "What", "From", "To", "Why"].iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &fmt.bold)?;
    }
    let mut row = 1;
    for v in &r.variants {
        for x in &v.resize_events {
            ws.write_string(row, 0, neutralise(&v.name))?;
            ws.write_number(row, 1, x.month)?;
            ws.write_string(row, 2, x.date.to_string())?;
            ws.write_string(row, 3, neutralise(&x.site))?;
            ws.write_string(row, 4, x.resource.label())?;
            ws.write_string(row, 5, neutralise(&x.from))?;
            ws.write_string(row, 6, neutralise(&x.to))?;
            ws.write_string(row, 7, neutralise(&x.reason))?;
            row += 1;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.set_column_width(0, 24)?;
    ws.set_column_width(7, 60)?;
    Ok(ws)
}

/// Assumptions: every input, then every price with its source and date.
fn assumptions_sheet(r: &Report, fmt: &Formats) -> Result<Worksheet, ExportError> {
    let bold = &fmt.bold;
    let mut asm = Worksheet::new();
    asm.set_name("Assumptions")?;
    for (c, h) in ["Input", "Value", "Unit", "Source", "Range (Monte Carlo)"].iter().enumerate() {
        asm.write_string_with_format(0, c as u16, *h, bold)?;
    }
    let mut row = 1;
    for a in &r.assumptions {
        asm.write_string(row, 0, &a.path)?;
        // Numbers as numbers (a reviewer can calculate with them), text as text.
        match a.value.parse::<f64>() {
            Ok(x) if x.is_finite() => asm.write_number(row, 1, x)?,
            _ => asm.write_string(row, 1, neutralise(&a.value))?,
        };
        asm.write_string(row, 2, a.unit)?;
        asm.write_string(row, 3, neutralise(&a.source))?;
        asm.write_string(row, 4, neutralise(&a.range))?;
        row += 1;
    }
    row += 1;
    let ph = ["Region", "Price", "USD", "Unit", "Source", "Source title", "As of", "Confidence", "Note"];
    for (c, h) in ph.iter().enumerate() {
        asm.write_string_with_format(row, c as u16, *h, bold)?;
    }
    row += 1;
    for p in &r.prices {
        asm.write_string(row, 0, &p.region)?;
        asm.write_string(row, 1, &p.key)?;
        match p.usd {
            Some(u) => asm.write_number(row, 2, u)?,
            None => asm.write_string(row, 2, "unknown")?,
        };
        asm.write_string(row, 3, &p.unit)?;
        asm.write_string(row, 4, neutralise(&p.source))?;
        asm.write_string(row, 5, neutralise(&p.source_title))?;
        asm.write_string(row, 6, &p.as_of)?;
        asm.write_string(row, 7, p.confidence.map_or("GAP".to_string(), |c| format!("{c:?}")))?;
        asm.write_string(row, 8, neutralise(&p.note))?;
        row += 1;
    }
    asm.set_column_width(0, 48)?;
    asm.set_column_width(1, 36)?;
    asm.set_column_width(2, 22)?;
    asm.set_freeze_panes(1, 0)?;

    Ok(asm)
}

/// The Monte Carlo as a sheet: per variant and fiscal year the percentiles, the budget and the
/// share of paths above it; then what moves each variant's cost over the horizon.
fn uncertainty_sheet(mc: &McReport, bold: &Format, money: &Format) -> Result<Worksheet, ExportError> {
    let mut ws = Worksheet::new();
    ws.set_name("Uncertainty")?;
    let pct = Format::new().set_num_format("0.0%");
    ws.write_string_with_format(0, 0, "Monte Carlo", bold)?;
    ws.write_string(
        0,
        1,
        format!(
            "{} paths (seed {}, {}), {} rejected; inputs: {}; {}",
            mc.paths - mc.rejected,
            mc.seed,
            mc.engine,
            mc.rejected,
            neutralise(&mc.inputs.join(", ")),
            mc.sizing
        ),
    )?;
    let ps: Vec<f64> = mc
        .variants
        .first()
        .and_then(|v| v.fiscal_years.first())
        .map_or_else(Vec::new, |f| f.cost.percentiles.iter().map(|x| x.0).collect());
    let mut head: Vec<String> = vec!["Variant".into(), "Fiscal year".into()];
    head.extend(ps.iter().map(|p| format!("P{p}")));
    head.extend(["Budget".into(), "Paths above the budget".into()]);
    for (c, h) in head.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, h, bold)?;
    }
    let mut row = 3u32;
    for v in &mc.variants {
        for fy in &v.fiscal_years {
            ws.write_string(row, 0, neutralise(&v.name))?;
            ws.write_string(row, 1, &fy.label)?;
            for (i, (_, x)) in fy.cost.percentiles.iter().enumerate() {
                ws.write_number_with_format(row, 2 + i as u16, *x, money)?;
            }
            let c = 2 + ps.len() as u16;
            if let (Some(b), Some(p)) = (fy.budget_usd, fy.p_exceed) {
                ws.write_number_with_format(row, c, b, money)?;
                ws.write_number_with_format(row, c + 1, p, &pct)?;
            }
            row += 1;
        }
    }
    row += 1;
    let (lo, hi) = crate::uncertainty::montecarlo::SWING_PERCENTILES;
    let head = [
        "Variant".to_string(),
        "Input".into(),
        format!("Input at P{lo}"),
        format!("Input at P{hi}"),
        format!("Horizon cost, input at P{lo}"),
        format!("Horizon cost, input at P{hi}"),
        "Horizon cost as written".into(),
    ];
    for (c, h) in head.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, h, bold)?;
    }
    row += 1;
    for v in &mc.variants {
        for w in &v.swings {
            ws.write_string(row, 0, neutralise(&v.name))?;
            ws.write_string(row, 1, neutralise(&w.input))?;
            ws.write_number(row, 2, w.low_value)?;
            ws.write_number(row, 3, w.high_value)?;
            for (c, x) in [(4, w.low_usd), (5, w.high_usd)] {
                match x {
                    Some(x) => ws.write_number_with_format(row, c, x, money)?,
                    None => ws.write_string(row, c, "out of range")?,
                };
            }
            ws.write_number_with_format(row, 6, v.horizon_usd, money)?;
            row += 1;
        }
    }
    // Wide enough for every value (no ### cells).
    ws.set_column_width(0, 24)?;
    ws.set_column_width(1, 40)?;
    for c in 2..=12u16 {
        ws.set_column_width(c, 16)?;
    }
    Ok(ws)
}

/// Escape text for HTML element content and attribute values. (Five replacements: no crate
/// needed for this.)
/// How likely each budget line is exceeded, when a capacity limit comes, what moves the cost.
fn uncertainty_html(h: &mut String, mc: &McReport) {
    let e = escape;
    let _ = write!(
        h,
        "<h2>Uncertainty: how likely is the budget exceeded?</h2><p class=\"muted\">Monte Carlo: {} paths (seed {}, {}){}; inputs drawn: {}; {}.</p>",
        mc.paths - mc.rejected,
        mc.seed,
        e(&mc.engine),
        if mc.rejected > 0 {
            format!(", {} rejected (drawn values outside a field's range)", mc.rejected)
        } else {
            String::new()
        },
        e(&mc.inputs.join(", ")),
        e(&mc.sizing)
    );
    let (lo, hi) = crate::uncertainty::montecarlo::SWING_PERCENTILES;
    for v in &mc.variants {
        let _ = write!(h, "<h3>{}</h3><table><thead><tr><th>Fiscal year</th>", e(&v.name));
        let ps: Vec<f64> =
            v.fiscal_years.first().map_or_else(Vec::new, |f| f.cost.percentiles.iter().map(|x| x.0).collect());
        for p in &ps {
            let _ = write!(h, "<th class=\"n\">P{p}</th>");
        }
        h.push_str("<th class=\"n\">Budget</th><th class=\"n\">Paths above it</th></tr></thead><tbody>");
        for fy in &v.fiscal_years {
            let _ = write!(h, "<tr><td>{}</td>", e(&fy.label));
            for (_, x) in &fy.cost.percentiles {
                let _ = write!(h, "<td class=\"n\">{}</td>", usd0(*x));
            }
            match (fy.budget_usd, fy.p_exceed) {
                (Some(b), Some(p)) => {
                    let cls = if p > 1.0 - mc.confidence { "bad" } else { "ok" };
                    let _ = write!(h, "<td class=\"n\">{}</td><td class=\"n {cls}\">{:.1} %</td>", usd0(b), p * 100.0);
                }
                _ => h.push_str("<td class=\"n\">—</td><td class=\"n\">—</td>"),
            }
            h.push_str("</tr>");
        }
        h.push_str("</tbody></table>");
        let _ = write!(
            h,
            "<p>Capacity limit (a pool at maxNodes, or no allowed database class big enough): {}. {}.</p>",
            match v.capacity_limit_month {
                Some(m) => format!(
                    "by month {m} ({}) with {:.0} % confidence",
                    mc.months.get(m as usize - 1).map_or_else(String::new, ToString::to_string),
                    mc.confidence * 100.0
                ),
                None => format!(
                    "not within the horizon at {:.0} % confidence ({:.1} % of paths hit one)",
                    mc.confidence * 100.0,
                    v.p_capacity_limit * 100.0
                ),
            },
            e(&crate::output::render::capitalise(&crate::output::render::cheapest_text(v, mc.months.len())))
        );
        if !v.swings.is_empty() {
            let _ = write!(
                h,
                "<table><thead><tr><th>What moves the {}-month cost of {}</th><th class=\"n\">Input at P{lo}</th><th class=\"n\">Input at P{hi}</th><th class=\"n\">Cost at P{lo}</th><th class=\"n\">Cost at P{hi}</th></tr></thead><tbody>",
                mc.months.len(),
                usd0(v.horizon_usd)
            );
            for w in &v.swings {
                let cost = |x: Option<f64>| x.map_or("out of range".to_string(), usd0);
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                    e(&w.input),
                    crate::output::render::sig(w.low_value),
                    crate::output::render::sig(w.high_value),
                    cost(w.low_usd),
                    cost(w.high_usd)
                );
            }
            h.push_str("</tbody></table>");
        }
    }
}

pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

const PALETTE: [&str; 9] =
    ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f"];

/// A line chart as inline SVG: one series per (name, values), x = month index.
/// Hand-written on purpose: a few polylines and axis labels need no plotting dependency.
fn svg_lines(title: &str, unit: &str, labels: &[String], series: &[(String, Vec<f64>)]) -> String {
    let (w, h, l, b, t, rpad) = (760.0, 300.0, 70.0, 40.0, 30.0, 170.0);
    let n = labels.len().max(2) as f64;
    let max = series.iter().flat_map(|(_, v)| v.iter().copied()).fold(0.0f64, f64::max).max(1.0);
    let nice = nice_ceiling(max);
    let x = |i: usize| l + (w - l - rpad) * i as f64 / (n - 1.0);
    let y = |v: f64| t + (h - t - b) * (1.0 - v / nice);
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-label="{}"><title>{}</title>"#,
        escape(title),
        escape(title)
    );
    for k in 0..=4 {
        let v = nice * k as f64 / 4.0;
        let _ = write!(
            s,
            r##"<line x1="{l}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{}" y="{:.1}" font-size="11" text-anchor="end">{}</text>"##,
            w - rpad,
            l - 6.0,
            y(v) + 4.0,
            escape(&axis_label(v, unit)),
            y = y(v)
        );
    }
    for (i, lab) in labels.iter().enumerate() {
        if i % 12 == 0 || i + 1 == labels.len() {
            let _ = write!(
                s,
                r#"<text x="{:.1}" y="{}" font-size="11" text-anchor="middle">{}</text>"#,
                x(i),
                h - b + 16.0,
                escape(lab)
            );
        }
    }
    for (si, (name, vals)) in series.iter().enumerate() {
        let color = PALETTE[si % PALETTE.len()];
        let pts: Vec<String> = vals.iter().enumerate().map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v))).collect();
        let _ = write!(s, r#"<polyline fill="none" stroke="{color}" stroke-width="2" points="{}"/>"#, pts.join(" "));
        let ly = t + 16.0 * si as f64;
        let _ = write!(
            s,
            r#"<rect x="{}" y="{}" width="10" height="10" fill="{color}"/><text x="{}" y="{}" font-size="11">{}</text>"#,
            w - rpad + 10.0,
            ly,
            w - rpad + 24.0,
            ly + 9.0,
            escape(name)
        );
    }
    s.push_str("</svg>");
    s
}

/// Horizontal stacked bars: one bar per label, one segment per category.
fn svg_stacked(title: &str, bars: &[(String, Vec<(Category, f64)>)]) -> String {
    let (w, bar_h, gap, l, t) = (760.0, 22.0, 10.0, 230.0, 10.0);
    // Legend entries laid out in rows that fit the width.
    let mut legend = Vec::new();
    let (mut lx, mut row) = (10.0, 0.0);
    for (i, c) in Category::ALL.iter().enumerate() {
        let width = 13.0 + 6.5 * c.label().len() as f64 + 14.0;
        if lx + width > w {
            lx = 10.0;
            row += 1.0;
        }
        legend.push((i, c, lx, row));
        lx += width;
    }
    let legend_h = 16.0 * (row + 1.0);
    let h = t + bars.len() as f64 * (bar_h + gap) + legend_h + 10.0;
    let max = bars.iter().map(|(_, v)| v.iter().map(|x| x.1).sum::<f64>()).fold(0.0f64, f64::max).max(1.0);
    let scale = (w - l - 90.0) / max;
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h:.0}" role="img" aria-label="{}"><title>{}</title>"#,
        escape(title),
        escape(title)
    );
    for (bi, (label, segs)) in bars.iter().enumerate() {
        let y = t + bi as f64 * (bar_h + gap);
        let _ = write!(
            s,
            r#"<text x="{}" y="{:.1}" font-size="11" text-anchor="end">{}</text>"#,
            l - 6.0,
            y + 15.0,
            escape(label)
        );
        let mut x = l;
        for (c, v) in segs {
            if *v <= 0.0 {
                continue;
            }
            let color = PALETTE[Category::ALL.iter().position(|k| k == c).unwrap_or(0) % PALETTE.len()];
            let _ = write!(
                s,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{bar_h}" fill="{color}"><title>{}: {}</title></rect>"#,
                v * scale,
                escape(c.label()),
                usd(*v)
            );
            x += v * scale;
        }
        let total: f64 = segs.iter().map(|x| x.1).sum();
        let _ = write!(s, r#"<text x="{:.1}" y="{:.1}" font-size="11">{}</text>"#, x + 4.0, y + 15.0, usd0(total));
    }
    let top = h - legend_h - 4.0;
    for (i, c, x, row) in legend {
        let y = top + 16.0 * row;
        let _ = write!(
            s,
            r#"<rect x="{x}" y="{y}" width="10" height="10" fill="{}"/><text x="{}" y="{}" font-size="10">{}</text>"#,
            PALETTE[i % PALETTE.len()],
            x + 13.0,
            y + 9.0,
            escape(c.label())
        );
    }
    s.push_str("</svg>");
    s
}

fn nice_ceiling(v: f64) -> f64 {
    let p = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * p).find(|c| *c >= v).unwrap_or(10.0 * p)
}

fn axis_label(v: f64, unit: &str) -> String {
    if unit == "USD" {
        usd0(v)
    } else if v.fract().abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

const CSS: &str = r#"
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:60rem;color:#222;line-height:1.4}
h1{margin-bottom:.2rem}h2{border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0}
th,td{border-bottom:1px solid #e3e3e3;padding:.25rem .4rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.muted{color:#666}.bad{color:#b00020;font-weight:600}.ok{color:#1b6e20}
svg{width:100%;height:auto;margin:.5rem 0}
.kpis{display:flex;gap:1rem;flex-wrap:wrap}.kpi{border:1px solid #ddd;border-radius:6px;padding:.5rem .8rem;min-width:12rem}
.kpi b{display:block;font-size:1.3rem}
tr.pick td{background:#eef7ee;font-weight:600}
@media print{body{margin:0;max-width:none;font-size:10pt}h2{break-after:avoid}table,svg,.kpi{break-inside:avoid}a{color:inherit}}
@page{size:A4;margin:15mm}
"#;

/// The budget review: one self-contained HTML file (no external resources), print-friendly.
pub fn html(r: &Report) -> String {
    html_with(r, None)
}

/// The budget review, with the Monte Carlo's Uncertainty section when there is one.
pub fn html_with(r: &Report, mc: Option<&McReport>) -> String {
    let mut h = String::new();
    let e = escape;
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{} — budget review</title><style>{CSS}</style></head><body>",
        e(&r.scenario)
    );
    let last = r.demand.last().map_or_else(String::new, |d| d.month.to_string());
    let _ = write!(
        h,
        "<h1>{}</h1><p class=\"muted\">Budget review · {} months from {} to {} · {} · known list prices; lines with unknown prices are counted, never guessed</p>",
        e(&r.scenario),
        r.horizon_months,
        r.start,
        e(&last),
        e(&r.currency)
    );

    html_decision(&mut h, &crate::uncertainty::review::review(r, mc));
    html_summary(&mut h, r);
    html_comparison(&mut h, r);
    html_charts(&mut h, r);
    html_resilience(&mut h, r, mc);
    html_commitments(&mut h, r);
    html_resize(&mut h, r);
    html_risks(&mut h, r);
    html_assumptions(&mut h, r);
    h
}

/// The decision first: the recommendation and why, every variant's total beside availability,
/// RTO, RPO and completeness, the fiscal years against budget, and the top risks.
fn html_decision(h: &mut String, rv: &crate::uncertainty::review::Review) {
    let e = escape;
    let _ = write!(h, "<h2>Decision</h2><p class=\"decision\"><b>{}</b>.</p><ul>", e(&rv.decision));
    for w in &rv.why {
        let _ = write!(h, "<li>{}</li>", e(w));
    }
    h.push_str("</ul><table><thead><tr><th>Variant</th><th class=\"n\">Rank</th><th class=\"n\">Total (amortised)</th><th class=\"n\">Availability</th><th class=\"n\">RTO</th><th class=\"n\">RPO</th><th>Targets</th><th>Costs</th></tr></thead><tbody>");
    for v in &rv.variants {
        let _ = write!(
            h,
            "<tr{}><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{:.3} %</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"{}\">{}</td><td>{}</td></tr>",
            if rv.recommended.as_deref() == Some(v.name.as_str()) { " class=\"pick\"" } else { "" },
            e(&v.name),
            v.rank.map_or("—".to_string(), |k| k.to_string()),
            e(&crate::engine::report::lower_bound(v.complete, usd0(v.total_usd))),
            v.availability * 100.0,
            v.rto_hours.map_or("none".to_string(), |x| format!("{x:.1} h")),
            v.rpo_minutes.map_or("no copy".to_string(), |x| format!("{x:.1} min")),
            if v.meets_all { "ok" } else { "bad" },
            if v.meets_all { "all met" } else { "missed" },
            e(&v.status)
        );
    }
    h.push_str("</tbody></table><h2>Fiscal years against budget</h2><table><thead><tr><th>Variant</th><th>Year</th><th class=\"n\">Months</th><th class=\"n\">Cash</th><th class=\"n\">Amortised</th><th class=\"n\">Capex</th><th class=\"n\">Opex</th><th class=\"n\">Budget</th><th class=\"n\">Variance</th><th class=\"n\">P(exceed)</th></tr></thead><tbody>");
    for f in &rv.fiscal {
        let money = |x: f64| e(&crate::engine::report::lower_bound(f.complete, usd0(x)));
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n {}\">{}</td><td class=\"n\">{}</td></tr>",
            e(&f.variant),
            e(&f.label),
            f.months,
            money(f.cash_usd),
            money(f.amortised_usd),
            usd0(f.capex_usd),
            money(f.opex_usd),
            f.budget_usd.map_or("—".to_string(), usd0),
            if f.variance_usd.is_some_and(|x| x < 0.0) { "bad" } else { "" },
            f.variance_usd.map_or("—".to_string(), usd0),
            f.p_exceed.map_or("—".to_string(), |p| format!("{:.0} %", p * 100.0))
        );
    }
    let _ = write!(
        h,
        "</tbody></table><p class=\"muted\">Variance = budget − amortised (negative: over budget). P(exceed): {}.</p><h2>Top risks</h2>",
        e(&rv.exceedance_basis)
    );
    if rv.risks.is_empty() {
        h.push_str("<p class=\"ok\">No budget, capacity, unpriced or stale-price risk.</p>");
    } else {
        h.push_str("<ul>");
        for k in &rv.risks {
            let _ = write!(h, "<li><b>{:?}</b>: {}</li>", k.kind, e(&k.text));
        }
        h.push_str("</ul>");
    }
}

/// The executive summary: each variant's total and its months.
fn html_summary(h: &mut String, r: &Report) {
    let e = escape;
    h.push_str("<h2>Executive summary</h2><div class=\"kpis\">");
    for v in &r.variants {
        let (Some(f), Some(l)) = (v.months.first(), v.months.last()) else { continue };
        let unk = if v.completeness.complete {
            String::new()
        } else {
            format!(
                "<br><span class=\"bad\" title=\"{}\">{}: the total is a lower bound</span>",
                e(&v.completeness.fill_list().join("\n")),
                e(&v.completeness.status())
            )
        };
        let fx = r.reporting_currency.as_ref().map_or_else(String::new, |fx| {
            format!(
                "<br><span class=\"muted\">= {} {:.0} at {} per USD ({}, {})</span>",
                e(&fx.code),
                v.total_usd * fx.per_usd,
                fx.per_usd,
                e(&fx.as_of),
                e(&fx.source)
            )
        });
        let _ = write!(
            h,
            "<div class=\"kpi\">{}<b>{}</b>over {} months (amortised){}<br>{} in month 1 → {} in month {}{unk}{fx}</div>",
            e(&v.name),
            e(&v.completeness.amount(usd0(v.total_usd))),
            v.months.len(),
            if (v.total_cash_usd - v.total_usd).abs() > 0.005 {
                format!("; cash {}", usd0(v.total_cash_usd))
            } else {
                String::new()
            },
            usd0(f.total_usd),
            usd0(l.total_usd),
            l.index + 1
        );
    }
    h.push_str("</div>");
    // The decision: only complete variants are ranked (an unknown cost never wins).
    let _ = write!(h, "<p class=\"decision\"><b>{}</b>.</p>", e(&r.comparison.decision));
    let blocked: Vec<&VariantPlan> = r.variants.iter().filter(|v| !v.completeness.complete).collect();
    if !blocked.is_empty() {
        h.push_str("<ul class=\"muted\">");
        for v in blocked {
            let _ = write!(
                h,
                "<li>{}: {} — {}</li>",
                e(&v.name),
                e(&v.completeness.status()),
                e(&v.completeness.fill_list().join("; "))
            );
        }
        h.push_str("</ul>");
    }
}

/// The variants side by side.
fn html_comparison(h: &mut String, r: &Report) {
    let e = escape;
    h.push_str("<h2>Variants side by side</h2><table><thead><tr><th>Variant</th><th class=\"n\">Month 1</th><th class=\"n\">Last month</th><th class=\"n\">Total</th><th class=\"n\">Nodes m1 → last</th><th>Database m1 → last</th><th>Costs</th></tr></thead><tbody>");
    for v in &r.variants {
        let (Some(f), Some(l)) = (v.months.first(), v.months.last()) else { continue };
        let _ = write!(
            h,
            "<tr><td>{}<div class=\"muted\">{}</div></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{} → {}</td><td>{} → {}</td><td>{}</td></tr>",
            e(&v.name),
            e(&v.description),
            e(&v.completeness.amount(usd0(f.total_usd))),
            e(&v.completeness.amount(usd0(l.total_usd))),
            e(&v.completeness.amount(usd0(v.total_usd))),
            f.nodes(),
            l.nodes(),
            e(f.db_class().unwrap_or("-")),
            e(l.db_class().unwrap_or("-")),
            e(&v.completeness.status())
        );
    }
    h.push_str("</tbody></table>");
}

/// Monthly totals and the cost mix as inline SVG.
fn html_charts(h: &mut String, r: &Report) {
    let labels: Vec<String> = r.demand.iter().map(|d| d.month.to_string()).collect();
    h.push_str("<h2>Cost over time</h2>");
    let series: Vec<(String, Vec<f64>)> =
        r.variants.iter().map(|v| (v.name.clone(), v.months.iter().map(|m| m.total_usd).collect())).collect();
    h.push_str(&svg_lines("Monthly cost per variant (USD, known prices)", "USD", &labels, &series));
    h.push_str("<h2>Cost by category</h2>");
    let mut bars = Vec::new();
    for v in &r.variants {
        if let (Some(f), Some(l)) = (v.months.first(), v.months.last()) {
            bars.push((format!("{} · month 1", v.name), f.by_category.clone()));
            bars.push((format!("{} · month {}", v.name, l.index + 1), l.by_category.clone()));
        }
    }
    h.push_str(&svg_stacked("Monthly cost by category, first and last month", &bars));
    h.push_str("<h2>Capacity</h2>");
    let nodes: Vec<(String, Vec<f64>)> =
        r.variants.iter().map(|v| (v.name.clone(), v.months.iter().map(|m| f64::from(m.nodes())).collect())).collect();
    h.push_str(&svg_lines("Kubernetes nodes per variant (all sites)", "nodes", &labels, &nodes));
    let users: Vec<(String, Vec<f64>)> =
        vec![("peak concurrent users".into(), r.demand.iter().map(|d| d.peak_users).collect())];
    h.push_str(&svg_lines("Peak concurrent users", "users", &labels, &users));
}

/// Availability, RTO and RPO per variant against the targets.
fn html_resilience(h: &mut String, r: &Report, mc: Option<&McReport>) {
    let e = escape;
    let c = &r.comparison;
    let t = &c.targets;
    let _ = write!(
        h,
        "<h2>Resilience against the targets</h2><p>Targets: availability ≥ {:.2} % ({:.2} h of downtime a year), RTO &lt; {} h, RPO &lt; {} min. <b>{}</b>.</p>",
        t.availability * 100.0,
        (1.0 - t.availability) * crate::engine::topology::HOURS_PER_YEAR,
        t.rto_hours,
        t.rpo_minutes,
        e(&c.decision)
    );
    h.push_str("<table><thead><tr><th>Variant</th><th class=\"n\">Total</th><th class=\"n\">vs baseline</th><th class=\"n\">Availability</th><th class=\"n\">Down h/yr</th><th class=\"n\">RTO m1 / last</th><th class=\"n\">RPO</th><th>Meets</th></tr></thead><tbody>");
    let hrs = |x: Option<f64>| x.map_or("none".to_string(), |h| format!("{h:.1} h"));
    for row in &c.rows {
        let verdict = |ok: bool, what: &str| {
            if ok {
                format!("<span class=\"ok\">{what}</span>")
            } else {
                format!("<span class=\"bad\">no {what}</span>")
            }
        };
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{:.3} %</td><td class=\"n\">{:.2}</td><td class=\"n\">{} / {}</td><td class=\"n\">{}</td><td>{} {} {}</td></tr>",
            e(&row.variant),
            crate::engine::report::lower_bound(row.complete, usd0(row.total_usd)),
            crate::output::render::delta_text(c, row),
            row.availability * 100.0,
            row.downtime_hours_per_year,
            hrs(row.rto_first_hours),
            hrs(row.rto_last_hours),
            row.rpo_minutes.map_or("no copy".to_string(), |m| format!("{m:.1} min")),
            verdict(row.meets.availability, "availability"),
            verdict(row.meets.rto, "RTO"),
            verdict(row.meets.rpo, "RPO")
        );
    }
    h.push_str("</tbody></table>");
    for res in &r.resilience {
        let _ = write!(
            h,
            "<h3>{}</h3><p>Dominant component: {} ({:.0} % of the primary stack's unavailability). RPO: {}.</p><table><thead><tr><th>Failover step (last month)</th><th class=\"n\">min</th><th>How</th></tr></thead><tbody>",
            e(&res.variant),
            e(&res.availability.dominant),
            res.availability.dominant_share * 100.0,
            e(&res.rpo.basis)
        );
        for st in &res.rto_last.steps {
            let _ = write!(
                h,
                "<tr><td>{}</td><td class=\"n\">{:.1}</td><td>{}</td></tr>",
                e(&st.step),
                st.minutes,
                e(&st.detail)
            );
        }
        h.push_str("</tbody></table>");
    }

    if let Some(mc) = mc {
        uncertainty_html(h, mc);
    }
}

/// What to reserve or commit to, when, and what it saves.
fn html_commitments(h: &mut String, r: &Report) {
    let e = escape;
    let rows: Vec<_> = useful_recommendations(r).collect();
    if rows.is_empty() {
        return;
    }
    let total: f64 = rows.iter().map(|x| x.saving_usd).sum();
    let _ = write!(
        h,
        "<h2>Commitments worth making</h2><p class=\"muted\">From the planned node-hours: a reservation pays off above its break-even use (reserved ÷ on-demand). Savings add up to {} over the plan, across all variants.</p>",
        usd0(total)
    );
    h.push_str("<table><thead><tr><th>Variant</th><th>What</th><th>From</th><th class=\"n\">Months</th><th class=\"n\">Break-even use</th><th class=\"n\">Saving</th><th>Rate source</th></tr></thead><tbody>");
    for x in rows {
        let what = match x.kind {
            crate::engine::recommend::RecommendationKind::SavingsPlan => {
                format!("Compute Savings Plan: ${:.3}/h", x.commit_usd_per_hour)
            }
            _ => format!("{} × {} {} ({}-yr)", x.count, x.instance_type, x.region, x.term_years),
        };
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{:.0} %</td><td class=\"n\">{}</td><td>{}</td></tr>",
            e(&x.variant),
            e(&what),
            x.from,
            x.months,
            x.break_even_utilization * 100.0,
            usd0(x.saving_usd),
            e(&x.rate_source)
        );
    }
    h.push_str("</tbody></table>");
}

/// Resize events per variant: database class, cache shards, on-prem hardware.
fn html_resize(h: &mut String, r: &Report) {
    let e = escape;
    h.push_str("<h2>Resize events</h2><p class=\"muted\">Database and cache follow the scenario's resize policy (data.resize: up when a month's peak needs it, down only after the need has stayed lower); on-prem hardware is kept until its refresh.</p>");
    h.push_str("<table><thead><tr><th>Variant</th><th>Month</th><th>Site</th><th>What</th><th>From → to</th><th>Why</th></tr></thead><tbody>");
    for v in &r.variants {
        for x in &v.resize_events {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{} ({})</td><td>{}</td><td>{}</td><td>{} → {}</td><td>{}</td></tr>",
                e(&v.name),
                x.month,
                x.date,
                e(&x.site),
                x.resource.label(),
                e(&x.from),
                e(&x.to),
                e(&x.reason)
            );
        }
    }
    h.push_str("</tbody></table>");
}

/// Warnings, reference checks and the uncertainty.
fn html_risks(h: &mut String, r: &Report) {
    let e = escape;
    h.push_str("<h2>Risks</h2>");
    if r.warnings.is_empty() {
        h.push_str("<p class=\"ok\">No saturation, undersizing or unknown prices.</p>");
    } else {
        h.push_str("<table><thead><tr><th>Variant</th><th>From</th><th>Kind</th><th>What</th></tr></thead><tbody>");
        for w in &r.warnings {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>month {} ({})</td><td>{:?}</td><td>{}</td></tr>",
                e(&w.variant),
                w.first_month,
                w.month,
                w.kind,
                e(&w.message)
            );
        }
        h.push_str("</tbody></table>");
    }
    if !r.reference_checks.is_empty() {
        h.push_str("<h3>Against the reference estimate (month 1)</h3><table><thead><tr><th>Row</th><th class=\"n\">Estimate</th><th class=\"n\">Plan</th><th>Verdict</th><th>Source</th></tr></thead><tbody>");
        for c in &r.reference_checks {
            let cls = if c.verdict == Verdict::Within { "ok" } else { "bad" };
            let unk =
                if c.plan_unknown_lines > 0 { format!(" + {} unknown", c.plan_unknown_lines) } else { String::new() };
            let _ = write!(
                h,
                "<tr><td>{} <span class=\"muted\">({})</span></td><td class=\"n\">{} – {}</td><td class=\"n\">{}{unk}</td><td class=\"{cls}\">{}</td><td>{}</td></tr>",
                e(&c.label),
                e(&c.variant),
                usd0(c.low_usd),
                usd0(c.high_usd),
                usd0(c.plan_usd),
                e(c.verdict.label()),
                e(&c.source)
            );
        }
        h.push_str("</tbody></table>");
    }
}

/// Every input and every price with its source and date.
fn html_assumptions(h: &mut String, r: &Report) {
    let e = escape;
    h.push_str("<h2>Assumptions</h2><table><thead><tr><th>Input</th><th>Value</th><th>Unit</th><th>Source</th><th>Range</th></tr></thead><tbody>");
    for Assumption { path, value, unit, source, range } in &r.assumptions {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            e(path),
            e(value),
            e(unit),
            e(source),
            e(range)
        );
    }
    h.push_str("</tbody></table><h3>Prices used</h3><table><thead><tr><th>Region</th><th>Price</th><th class=\"n\">USD</th><th>Unit</th><th>Source</th><th>As of</th><th>Confidence</th></tr></thead><tbody>");
    for p in &r.prices {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{} <span class=\"muted\">{}</span></td><td>{}</td><td>{}</td></tr>",
            e(&p.region),
            e(&p.key),
            p.usd.map_or("<span class=\"bad\">unknown</span>".to_string(), |u| format!("{u}")),
            e(&p.unit),
            e(&p.source),
            e(&p.source_title),
            e(&p.as_of),
            p.confidence.map_or("GAP".to_string(), |c| format!("{c:?}"))
        );
    }
    let _ = writeln!(
        h,
        "</tbody></table><footer class=\"muted\"><p>{}</p></footer></body></html>",
        e(&r.provenance.line())
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_cells_are_neutralised() {
        for s in ["=1+1", "+SUM(A1)", "-2", "@cmd", "\tx", "\rx"] {
            assert!(neutralise(s).starts_with('\''), "{s:?}");
        }
        assert_eq!(neutralise("api"), "api");
    }

    #[test]
    fn html_escape() {
        assert_eq!(
            escape(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
    }

    #[test]
    fn nice_axis_ceiling() {
        assert_eq!(nice_ceiling(7205.0), 10000.0);
        assert_eq!(nice_ceiling(2400.0), 2500.0);
        assert_eq!(nice_ceiling(3.0), 5.0);
    }
}
