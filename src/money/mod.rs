//! Money: the [`ledger`] every line goes into (cost lines, views, the tally both evaluation modes
//! keep, the recording and summing sinks) and the [`finance`] layer applied to each variant-month
//! (on-prem TCO, spot, commitments, discount, escalation, contingency; fiscal years).
//!
//! Depends on `catalog` and `scenario`; never on the engine (the engine hands it a
//! `MonthInput`).

pub mod finance;
pub mod ledger;
