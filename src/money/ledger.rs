//! The ledger a variant-month's lines go into: one [`Tally`] that both evaluation modes keep
//! (so the plan and a Monte Carlo path add the same dollars in the same order), and a [`Sink`]
//! that either records every line with its names, price and basis (the report) or keeps nothing
//! more ([`Sum`], the Monte Carlo).

use std::borrow::Cow;

use serde::Serialize;

use crate::scenario::model::Category;

/// A shared, immutable name (sites, services, items): an interned string (ustr), copied per
/// month without allocating or reference counting. Interned names live for the process; the
/// distinct names a planner ever sees are few.
pub type Name = ustr::Ustr;

/// One priced line: `quantity × unit price = cost`, traceable to its price and assumptions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostLine {
    /// Site name, or empty for variant-wide lines (Shield Advanced, Route 53, connectivity).
    pub site: Name,
    pub category: Category,
    pub item: Name,
    pub quantity: f64,
    pub unit: Name,
    pub unit_usd: Option<f64>,
    /// `None`: unknown price; the line is not in the totals.
    pub usd: Option<f64>,
    /// Index into the report's prices; `None` for lines not priced from the catalog.
    pub price: Option<u32>,
    /// How the quantity was derived (assumptions), or why the cost differs from
    /// quantity × unit price.
    pub basis: Cow<'static, str>,
    /// Which view of the money the line belongs to.
    pub view: View,
    /// Capital expenditure (hardware bought), as opposed to operating expenditure.
    pub capex: bool,
    /// Whether the negotiated AWS discount applies to it.
    #[serde(skip)]
    pub class: DiscountClass,
}

/// Cash (payments in the month they fall) or amortised (spread over the term or the
/// depreciation period), as cloud bills and finance both use them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
pub enum View {
    /// The same in both views (on-demand usage, recurring fees, running costs).
    #[default]
    Both,
    /// Only in the cash view (upfront payments, hardware purchases).
    Cash,
    /// Only in the amortised view (amortised upfronts, depreciation).
    Amortised,
}

impl View {
    pub fn in_amortised(self) -> bool {
        self != View::Cash
    }
    pub fn in_cash(self) -> bool {
        self != View::Amortised
    }
}

/// Whether a line is an AWS charge, which the negotiated discount (`finance.aws_discount`)
/// applies to: catalog-priced lines, commitment fees and what they cover, spot shares. A typed
/// field of every line, set where the line is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub enum DiscountClass {
    Aws,
    #[default]
    NotAws,
}

/// A price as used: where it came from and how sure it is (the catalogue's row shape, with the
/// source's title resolved; `usd: None` is a gap the user must fill with `pricing.overrides`).
pub type PriceUsed = crate::catalog::PriceRow;

/// A price resolved once per evaluation, as the report records it: where it came from, and its
/// unit as a shared name. (Lines read the USD from their [`Slot`].)
#[derive(Debug, Clone)]
pub struct PriceSlot {
    pub unit: Name,
    pub used: PriceUsed,
}

/// A price as lines read it: USD per unit (NaN when unknown) inline, so a line reads no table,
/// and the index of its [`PriceSlot`] (what commitments cover and the report records).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Slot {
    pub usd: f64,
    pub id: u16,
}

impl Slot {
    pub fn index(self) -> usize {
        usize::from(self.id)
    }
}

/// A catalog-priced line as the finance steps look at it (commitments cover them by price,
/// spot shares by pool).
#[derive(Debug, Clone, Copy)]
pub struct PricedLine {
    pub slot: Slot,
    /// The node pool whose nodes the line bills, if any.
    pub pool: Option<u16>,
    pub site: Name,
    pub category: Category,
    pub quantity: f64,
    pub unit_usd: f64,
    pub usd: f64,
}

/// The sums of one variant-month, kept line by line in line order by both modes.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    /// Known dollars per category in the amortised view, in [`Category::ALL`] order.
    pub by_category: [f64; 9],
    /// Known dollars in the amortised view (the escalation and contingency base), in line order.
    pub amortised: f64,
    pub cash: f64,
    pub capex: f64,
    /// Known dollars the negotiated AWS discount applies to (lines in both views), and the
    /// same per category (in [`Category::ALL`] order).
    pub aws: f64,
    pub aws_by_category: [f64; 9],
    /// Lines with an unknown price.
    pub unknown: u32,
    /// Catalog-priced lines with a known price, kept while `keep_priced` (commitments or spot
    /// shares read them).
    pub priced: Vec<PricedLine>,
    pub keep_priced: bool,
    /// Keep the view and discount sums (`amortised`, `cash`, `capex`, `aws`) besides the
    /// categories: the recording sink and the finance steps that read them need them; a
    /// Monte Carlo path without those settings does not (each is a serial chain of additions).
    pub bases: bool,
}

impl Tally {
    /// Start a new month (buffers kept).
    pub fn reset(&mut self, keep_priced: bool, bases: bool) {
        self.by_category = [0.0; 9];
        self.aws_by_category = [0.0; 9];
        (self.amortised, self.cash, self.capex, self.aws, self.unknown) = (0.0, 0.0, 0.0, 0.0, 0);
        self.priced.clear();
        (self.keep_priced, self.bases) = (keep_priced, bases);
    }

    /// Add a known amount.
    #[inline]
    pub fn add(&mut self, c: Category, usd: f64, view: View, capex: bool, class: DiscountClass) {
        if view.in_amortised() {
            self.by_category[c as usize] += usd;
        }
        if !self.bases {
            return;
        }
        if view.in_amortised() {
            self.amortised += usd;
        }
        if view.in_cash() {
            self.cash += usd;
            if capex {
                self.capex += usd;
            }
        }
        if view == View::Both && class == DiscountClass::Aws {
            self.aws += usd;
            self.aws_by_category[c as usize] += usd;
        }
    }

    /// The amortised total: the categories' sum.
    pub fn total(&self) -> f64 {
        self.by_category.iter().sum()
    }
}

/// Where lines go besides the tally.
pub trait Sink {
    /// Whether lines are kept (with names and bases). A constant, so the summing mode compiles
    /// without building any of them.
    const RECORDS: bool;
    /// Keep a line; `slot` is its catalog price, if any.
    fn line(&mut self, line: CostLine, slot: Option<(Slot, &PriceSlot)>);
}

/// The summing sink: the tally is all a Monte Carlo path needs.
#[derive(Debug, Default)]
pub struct Sum;

impl Sink for Sum {
    const RECORDS: bool = false;
    #[inline]
    fn line(&mut self, _: CostLine, _: Option<(Slot, &PriceSlot)>) {}
}

/// The recording sink: every line, and each price used recorded once in first-use order.
#[derive(Debug, Default)]
pub struct Record {
    pub lines: Vec<CostLine>,
    pub prices: Vec<PriceUsed>,
    /// Per slot: its index in `prices` (u32::MAX: not used yet).
    index: Vec<u32>,
}

impl Record {
    /// The index of a price in `prices`, recording it on first use.
    pub fn price(&mut self, slot: Slot, p: &PriceSlot) -> u32 {
        let i = slot.index();
        if self.index.len() <= i {
            self.index.resize(i + 1, u32::MAX);
        }
        if self.index[i] == u32::MAX {
            self.index[i] = self.prices.len() as u32;
            self.prices.push(p.used.clone());
        }
        self.index[i]
    }
}

impl Sink for Record {
    const RECORDS: bool = true;
    fn line(&mut self, mut line: CostLine, slot: Option<(Slot, &PriceSlot)>) {
        if let Some((s, p)) = slot {
            line.price = Some(self.price(s, p));
        }
        self.lines.push(line);
    }
}

/// What a line is called and why, built only when a line is recorded.
pub struct Describe {
    pub item: Name,
    pub unit: &'static str,
    pub basis: Cow<'static, str>,
}

/// A line's item: fixed text or a name built once beforehand.
#[derive(Clone, Copy)]
pub enum Item {
    Fixed(&'static str),
    Built(Name),
}

impl From<&'static str> for Item {
    fn from(s: &'static str) -> Self {
        Item::Fixed(s)
    }
}

impl From<Name> for Item {
    fn from(s: Name) -> Self {
        Item::Built(s)
    }
}

impl From<&Name> for Item {
    fn from(s: &Name) -> Self {
        Item::Built(*s)
    }
}

impl Item {
    fn name(self) -> Name {
        match self {
            Item::Fixed(s) => s.into(),
            Item::Built(n) => n,
        }
    }
}

/// What a line not priced from the catalog costs: `quantity × unit_usd`, in which views, and
/// whether it is capital expenditure or an AWS charge.
#[derive(Debug, Clone, Copy)]
pub struct Amount {
    pub quantity: f64,
    pub unit_usd: f64,
    pub view: View,
    pub capex: bool,
    pub class: DiscountClass,
}

impl Amount {
    /// In both views, operating expenditure.
    pub fn both(quantity: f64, unit_usd: f64, class: DiscountClass) -> Amount {
        Amount { quantity, unit_usd, view: View::Both, capex: false, class }
    }
    /// In one view only, operating expenditure, not an AWS charge... unless `class` says so.
    pub fn only(view: View, quantity: f64, unit_usd: f64, class: DiscountClass) -> Amount {
        Amount { quantity, unit_usd, view, capex: false, class }
    }
    /// Hardware bought: cash view, capital expenditure.
    pub fn capex(quantity: f64, unit_usd: f64) -> Amount {
        Amount { quantity, unit_usd, view: View::Cash, capex: true, class: DiscountClass::NotAws }
    }
}

/// One variant-month's ledger: the tally, the sink, the prices lines refer to, and the site
/// the catalog-priced lines being added belong to.
pub struct Ledger<'a, S: Sink> {
    pub tally: &'a mut Tally,
    pub sink: &'a mut S,
    pub prices: &'a [PriceSlot],
    pub site: Name,
}

impl<S: Sink> Ledger<'_, S> {
    /// A catalog-priced line of the current site: `quantity` in the price's unit × the price;
    /// unknown prices add nothing and are counted.
    #[inline]
    pub fn priced(&mut self, c: Category, item: impl Into<Item>, q: f64, slot: Slot, basis: &'static str) {
        self.priced_pool(c, item.into(), q, slot, basis, None);
    }

    /// [`Ledger::priced`] for a pool's node-hours (spot shares find them by pool).
    #[inline]
    pub fn priced_pool(&mut self, c: Category, item: Item, q: f64, slot: Slot, basis: &'static str, pool: Option<u16>) {
        let site = self.site;
        let u = slot.usd;
        let known = !u.is_nan();
        if known {
            let usd = u * q;
            self.tally.add(c, usd, View::Both, false, DiscountClass::Aws);
            if self.tally.keep_priced {
                self.tally.priced.push(PricedLine { slot, pool, site, category: c, quantity: q, unit_usd: u, usd });
            }
        } else {
            self.tally.unknown += 1;
        }
        if S::RECORDS {
            let line = self.catalog_line(c, item, q, slot, basis);
            let p = &self.prices[slot.index()];
            self.sink
                .line(CostLine { unit_usd: known.then_some(u), usd: known.then_some(u * q), ..line }, Some((slot, p)));
        }
    }

    /// A catalog-priced line whose charge is waived (WAF under Shield Advanced): shown with its
    /// price, charged at zero.
    pub fn waived(&mut self, c: Category, item: &'static str, q: f64, slot: Slot, basis: &'static str) {
        // Adding zero changes no sum: only the recording sink needs the line.
        if S::RECORDS {
            self.tally.add(c, 0.0, View::Both, false, DiscountClass::Aws);
            let p = &self.prices[slot.index()];
            let line = self.catalog_line(c, item.into(), q, slot, basis);
            let u = slot.usd;
            self.sink.line(CostLine { unit_usd: (!u.is_nan()).then_some(u), usd: Some(0.0), ..line }, Some((slot, p)));
        }
    }

    /// A recorded catalog line, before its amounts.
    #[cold]
    fn catalog_line(&self, category: Category, item: Item, quantity: f64, slot: Slot, basis: &'static str) -> CostLine {
        CostLine {
            site: self.site,
            category,
            item: item.name(),
            quantity,
            unit: self.prices[slot.index()].unit,
            unit_usd: None,
            usd: None,
            price: None,
            basis: Cow::Borrowed(basis),
            view: View::Both,
            capex: false,
            class: DiscountClass::Aws,
        }
    }

    /// A line of the current site whose price is unknown and has no catalog row (on-premises
    /// without TCO inputs).
    pub fn unpriced(&mut self, category: Category, quantity: f64, describe: impl FnOnce() -> Describe) {
        self.tally.unknown += 1;
        if S::RECORDS {
            let d = describe();
            let line = CostLine {
                site: self.site,
                category,
                item: d.item,
                quantity,
                unit: d.unit.into(),
                unit_usd: None,
                usd: None,
                price: None,
                basis: d.basis,
                view: View::Both,
                capex: false,
                class: DiscountClass::NotAws,
            };
            self.sink.line(line, None);
        }
    }

    /// A line priced by the scenario or the finance layer.
    #[inline]
    pub fn line(&mut self, site: Name, category: Category, a: Amount, describe: impl FnOnce() -> Describe) {
        let usd = a.quantity * a.unit_usd;
        self.tally.add(category, usd, a.view, a.capex, a.class);
        if S::RECORDS {
            let d = describe();
            let line = CostLine {
                site,
                category,
                item: d.item,
                quantity: a.quantity,
                unit: d.unit.into(),
                unit_usd: Some(a.unit_usd),
                usd: Some(usd),
                price: None,
                basis: d.basis,
                view: a.view,
                capex: a.capex,
                class: a.class,
            };
            self.sink.line(line, None);
        }
    }
}
