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

/// A unit price to six significant digits, trailing zeros dropped: `183.33333333333334` →
/// `"$183.333"`, `0.0225` → `"$0.0225"`, `12.5` → `"$12.5"`.
pub fn unit_usd(u: f64) -> String {
    if u == 0.0 || !u.is_finite() {
        return format!("${u}");
    }
    let decimals = (5 - u.abs().log10().floor() as i32).clamp(0, 12) as usize;
    let t = format!("{u:.decimals$}");
    let t = if t.contains('.') { t.trim_end_matches('0').trim_end_matches('.') } else { &t };
    if let Some(rest) = t.strip_prefix('-') { format!("-${rest}") } else { format!("${t}") }
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

/// Whole cents for `values` that add up to `total` rounded to the cent ("round once, carry the
/// remainder"): each value is rounded down to the cent, and the cents still missing go one each
/// to the values with the largest remainders (ties: the first). So a table's cells add up to
/// its total exactly as displayed, and no cell is more than a cent from its exact amount.
pub fn cents_summing_to(values: &[f64], total: f64) -> Vec<i64> {
    let floors: Vec<i64> = values.iter().map(|v| (v * 100.0).floor() as i64).collect();
    let target = (total * 100.0).round() as i64;
    let missing = target - floors.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..values.len()).collect();
    let rem = |i: usize| values[i] * 100.0 - floors[i] as f64;
    order.sort_by(|&a, &b| rem(b).total_cmp(&rem(a)).then(a.cmp(&b)));
    let mut out = floors;
    // `missing` is between 0 and the number of values when `total` is their sum; clamp anyway.
    let n = usize::try_from(missing.max(0)).unwrap_or(0).min(out.len());
    for &i in &order[..n] {
        out[i] += 1;
    }
    out
}

/// Cents as a plain decimal: `12345` → `"123.45"`, `-5` → `"-0.05"`, `0` → `"0.00"`.
pub fn cents_text(c: i64) -> String {
    let sign = if c < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", c.unsigned_abs() / 100, c.unsigned_abs() % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cents_add_up_to_the_rounded_total() {
        // Three thirds of $1: 33.33 each is $0.99; the largest remainder (the first, all tie)
        // takes the missing cent.
        let third = 1.0 / 3.0;
        assert_eq!(cents_summing_to(&[third, third, third], 1.0), [34, 33, 33]);
        // 0.125 + 0.125 + 0.25 = 0.50: floors 12 + 12 + 25 = 49, one cent to a 0.5 remainder.
        assert_eq!(cents_summing_to(&[0.125, 0.125, 0.25], 0.5), [13, 12, 25]);
        // Each cell within a cent of its amount, the sum exact.
        let v = [10.004, 20.006, 0.333, 7.777];
        let c = cents_summing_to(&v, v.iter().sum());
        assert_eq!(c.iter().sum::<i64>(), 3812);
        assert!(c.iter().zip(v).all(|(c, v)| (*c as f64 - v * 100.0).abs() < 1.0));
        assert_eq!(cents_text(-5), "-0.05");
        assert_eq!(cents_text(0), "0.00");
        assert_eq!(cents_text(123_456), "1234.56");
        assert_eq!(usd(-0.004), "$0.00");
        assert_eq!(unit_usd(11000.0 / 60.0), "$183.333");
        assert_eq!(unit_usd(0.0225), "$0.0225");
        assert_eq!(unit_usd(12.5), "$12.5");
        assert_eq!(unit_usd(0.0000004), "$0.0000004");
    }
}
