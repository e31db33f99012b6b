//! Money: the [`ledger`] every line goes into (cost lines, views, the tally both evaluation modes
//! keep, the recording and summing sinks) and the [`finance`] layer applied to each variant-month
//! (on-prem TCO, spot, commitments, discount, escalation, contingency; fiscal years).
//!
//! Depends on `catalog` and `scenario`; never on the engine (the engine hands it a
//! `MonthInput`).

pub mod finance;
pub mod ledger;

/// `1234.5` → `"$1,234.50"`: rounded to the cent once; a sum that rounds to zero is `$0.00`,
/// never `-$0.00`.
pub fn usd(v: f64) -> String {
    let cents = (v.abs() * 100.0).round() as u64;
    let neg = v < 0.0 && cents > 0;
    let (whole, frac) = (cents / 100, cents % 100);
    format!("{}${}.{frac:02}", if neg { "-" } else { "" }, grouped(whole))
}

/// Whole dollars with thousands separators: `"$12,345"`.
pub fn usd0(v: f64) -> String {
    let s = usd(v.round());
    s[..s.len() - 3].to_string()
}

/// `1234567` → `"1,234,567"`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}
