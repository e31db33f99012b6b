//! Monte Carlo over the scenario's uncertain inputs (`uncertainty.inputs`): every path draws
//! each input from its distribution (statrs, one ChaCha8 stream per path from
//! `simulation.seed`), plans the scenario with static peak sizing, and keeps users, nodes and
//! monthly and fiscal-year costs per variant. Paths run in parallel (rayon) and are collected in
//! path order, so results do not depend on the thread count.
//!
//! Each thread keeps one validated copy of the scenario; a path sets its draws into it
//! ([`ValidScenario::set_numbers`]) and runs the engine's one evaluator with the summing sink
//! ([`plan::path_totals`]): the program is compiled once per run (per path when prices
//! themselves are uncertain), sizing is shared by the variants, and no line, name or warning is
//! built.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;

use crate::catalog::Catalog;
use crate::engine::plan::{self, NodeBasis, PathTotals, Scratch};
use crate::engine::program::Program;
use crate::scenario::dist::Sampler;
use crate::scenario::model::Scenario;
use crate::scenario::validate::ValidScenario;
use sketches_ddsketch::DDSketch;

/// Percentiles of one figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Band {
    pub mean: f64,
    /// (percentile, value), in the order asked.
    pub percentiles: Vec<(f64, f64)>,
}

impl Band {
    /// Mean and percentiles (0–100) of these values, which are reordered in place.
    pub fn of(values: &mut [f64], percentiles: &[f64]) -> Band {
        let n = values.len();
        let mean = if n == 0 { f64::NAN } else { values.iter().sum::<f64>() / n as f64 };
        let mut at = |p: f64| {
            if n == 0 || !(0.0..=100.0).contains(&p) {
                return f64::NAN;
            }
            // Linear interpolation between order statistics (numpy's default, "type 7"). Each
            // order statistic by selection, not a full sort: O(n) per percentile. A total order,
            // so the values are those of the sorted sequence.
            let h = (n - 1) as f64 * p / 100.0;
            let lo = (h.floor() as usize).min(n - 1);
            let (_, x_lo, right) = values.select_nth_unstable_by(lo, f64::total_cmp);
            let x_lo = *x_lo;
            let x_hi = right.iter().copied().min_by(f64::total_cmp).unwrap_or(x_lo);
            x_lo + (h - lo as f64) * (x_hi - x_lo)
        };
        Band { mean, percentiles: percentiles.iter().map(|&p| (p, at(p))).collect() }
    }

    /// The value at percentile `p` if it was asked for.
    pub fn at(&self, p: f64) -> Option<f64> {
        self.percentiles.iter().find(|(q, _)| (*q - p).abs() < 1e-9).map(|x| x.1)
    }
}

/// A fiscal year of one variant over the paths.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FiscalBand {
    pub label: String,
    pub cost: Band,
    /// The budget line for it, if any, and the share of paths above it.
    pub budget_usd: Option<f64>,
    pub p_exceed: Option<f64>,
}

/// One variant over the paths.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VariantBands {
    pub name: String,
    /// Per month: amortised cost and nodes (all sites).
    pub cost: Vec<Band>,
    pub nodes: Vec<Band>,
    pub fiscal_years: Vec<FiscalBand>,
    /// The month (1-based) by which a capacity limit (a pool at maxNodes, or no allowed database
    /// class large enough) is hit with `confidence`; None if not within the horizon.
    pub capacity_limit_month: Option<u32>,
    /// Share of paths hitting a capacity limit within the horizon.
    pub p_capacity_limit: f64,
    /// Share of paths on which this variant costs the least over the horizon (amortised) of
    /// the variants with complete costs on that path; None when this variant has unpriced lines
    /// (it cannot be ranked).
    pub p_cheapest: Option<f64>,
    /// Lines whose price is unknown (the variant's totals are lower bounds).
    pub unpriced_lines: usize,
    /// "complete" or "cannot rank: N lines unpriced", as the plan says it.
    pub status: String,
    /// The amortised cost over the whole horizon as the scenario is written.
    pub horizon_usd: f64,
    /// What moves that cost: each input alone at its P10 and P90, the others as written;
    /// largest swing first; inputs that do not change this variant's cost are left out.
    pub swings: Vec<Swing>,
}

/// One input's effect on a variant's cost over the horizon (a bar of a tornado chart).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Swing {
    pub input: String,
    /// The input at its P10 and at its P90.
    pub low_value: f64,
    pub high_value: f64,
    /// The cost over the horizon with the input there; None when that value is outside the
    /// field's range (the plan is then not made).
    pub low_usd: Option<f64>,
    pub high_usd: Option<f64>,
}

impl Swing {
    /// How far apart the two costs are (0 when one is missing).
    pub fn width(&self) -> f64 {
        match (self.low_usd, self.high_usd) {
            (Some(a), Some(b)) => (b - a).abs(),
            _ => 0.0,
        }
    }
}

/// The percentiles the swings put each input at.
pub const SWING_PERCENTILES: (f64, f64) = (10.0, 90.0);

/// The simulation's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct McReport {
    pub seed: u64,
    pub paths: u32,
    /// Paths whose drawn values broke a field's range (skipped), and the first reason.
    pub rejected: u32,
    pub first_rejection: Option<String>,
    /// Whether the percentiles are exact order statistics (else streamed in bounded memory),
    /// and how they were computed.
    pub exact_percentiles: bool,
    pub percentile_method: String,
    pub confidence: f64,
    pub inputs: Vec<String>,
    /// How the evaluator ran the paths (one program for all, or one per path).
    pub engine: String,
    /// How nodes are billed on every path (the plan's basis), said once wherever totals show.
    pub sizing: String,
    pub months: Vec<crate::scenario::model::YearMonth>,
    pub users: Vec<Band>,
    pub variants: Vec<VariantBands>,
}

/// Why a run produced no report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum McError {
    /// The cancel flag was raised.
    #[error("cancelled")]
    Cancelled,
    /// The scenario with its uncertain inputs cleared and the simulation off did not validate,
    /// or an input path cannot be set.
    #[error("the Monte Carlo base scenario is invalid: {0}")]
    Invalid(String),
}

/// Run `paths` paths (default: the scenario's) with percentiles `percentiles` (0–100).
/// `progress` is called with the number of paths done (from any thread); `cancel` stops early.
/// Percentiles are exact while every path's figures fit [`Memory::exact_values`], streamed beyond.
pub fn run(
    s: &ValidScenario,
    cat: &Catalog,
    paths: Option<u32>,
    percentiles: &[f64],
    progress: &(dyn Fn(usize) + Sync),
    cancel: &AtomicBool,
) -> Result<McReport, McError> {
    run_within(s, cat, paths, percentiles, progress, cancel, Memory::default())
}

/// The streamed percentiles' relative accuracy.
pub const SKETCH_ALPHA: f64 = 0.001;

/// How much a run holds at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Memory {
    /// Values (paths × figures) kept for exact percentiles; beyond, every figure streams into
    /// a DDSketch. Default 2^24 (128 MiB of f64); the seed's 10 000 paths need 8.1 million.
    pub exact_values: u64,
    /// Values per chunk of paths evaluated before the chunk is folded into the summary
    /// (default 2^22, 32 MiB; a chunk holds 64 to 4096 paths).
    pub chunk_values: usize,
}

impl Default for Memory {
    fn default() -> Self {
        Memory { exact_values: 1 << 24, chunk_values: 1 << 22 }
    }
}

/// [`run`] within the given memory (tests shrink it to exercise streaming and chunking).
pub fn run_within(
    s: &ValidScenario,
    cat: &Catalog,
    paths: Option<u32>,
    percentiles: &[f64],
    progress: &(dyn Fn(usize) + Sync),
    cancel: &AtomicBool,
    memory: Memory,
) -> Result<McReport, McError> {
    let u = &s.uncertainty;
    let paths = paths.unwrap_or(u.paths).max(1);
    let samplers: Vec<(String, Sampler)> =
        u.inputs.iter().filter_map(|i| Sampler::new(&i.dist).ok().map(|d| (i.path.clone(), d))).collect();
    // The plan, as `headroom plan` makes it: its totals are the Monte Carlo's "as written", and
    // its simulated node-hours (per month, as a ratio to peak nodes) bill each path's nodes.
    let det = plan::plan_costs(s, cat);
    let ratios = std::sync::Arc::new(plan::node_hour_ratios(&det));
    let nodes = NodeBasis::Ratios(&ratios);
    let sizing = if ratios.is_empty() {
        "nodes at peak sizing × 730 h, as the plan".to_string()
    } else {
        "nodes billed as the plan bills them: each month's simulated-day node-hours per peak node, applied to the path's peak nodes".to_string()
    };
    let mut base: Scenario = s.scenario().clone();
    // The paths themselves draw nothing (and validating the input paths again costs time).
    base.uncertainty.inputs.clear();
    let base = crate::scenario::validate::validate(base, cat)
        .map_err(|p| McError::Invalid(p.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")))?;
    let input_paths: Vec<&str> = samplers.iter().map(|(p, _)| p.as_str()).collect();
    // Validation has checked the paths against the scenario.
    let setter =
        crate::scenario::edit::NumberSetter::new(&base, &input_paths).map_err(|e| McError::Invalid(e.to_string()))?;
    // Prices are compiled into the program: uncertain prices need one per path.
    let prices_drawn = input_paths.iter().any(|p| p.starts_with("pricing"));
    let prog = (!prices_drawn).then(|| Program::compile(&base, cat));
    let engine_note =
        if prices_drawn { "one evaluator, prices per path".to_string() } else { "one evaluator".to_string() };
    let seed = s.simulation.seed;
    let run = Run { setter: &setter, paths: &input_paths, cat, prog: prog.as_ref(), nodes };
    let months: Vec<_> = det.demand.iter().map(|d| d.month).collect();
    let nm = months.len();
    // The figures every path adds to: users per month, cost and nodes per variant and month,
    // each variant's fiscal years. Exact order statistics while all values fit the budget;
    // a DDSketch per figure beyond it, so memory does not grow with the path count.
    let fiscal_counts: Vec<usize> = det.variants.iter().map(|v| v.fiscal_years.len()).collect();
    let figures = nm * (1 + 2 * det.variants.len()) + fiscal_counts.iter().sum::<usize>();
    let exact = u64::from(paths).saturating_mul(figures.max(1) as u64) <= memory.exact_values;
    let mut sum = Summary::new(&det, u, nm, exact);
    let chunk = (memory.chunk_values / figures.max(1)).clamp(64, 4096) as u32;
    let draw = Draw { run: &run, base: &base, samplers: &samplers, seed };
    draw.paths_into(&mut sum, paths, chunk, progress, cancel)?;
    let swings = swings(&base, cat, &setter, &samplers, prog.as_ref(), nodes);
    let n_ok = sum.ok.max(1) as f64;
    let users = sum.users.iter_mut().map(|a| a.band(percentiles)).collect();
    let variants = det
        .variants
        .iter()
        .zip(sum.variants.iter_mut())
        .enumerate()
        .map(|(v, (vp, acc))| {
            let cost = acc.cost.iter_mut().map(|a| a.band(percentiles)).collect();
            let nodes = acc.nodes.iter_mut().map(|a| a.band(percentiles)).collect();
            let fiscal_years = vp
                .fiscal_years
                .iter()
                .zip(acc.fiscal.iter_mut())
                .map(|(fy, f)| FiscalBand {
                    label: fy.label(),
                    cost: f.acc.band(percentiles),
                    budget_usd: f.budget,
                    p_exceed: f.budget.map(|_| f.exceeded as f64 / n_ok),
                })
                .collect();
            let (capacity_limit_month, p_capacity_limit) = limit_month(&acc.first_limit, u.confidence);
            let mut sw: Vec<Swing> = swings
                .iter()
                .map(|p| Swing {
                    input: p.input.clone(),
                    low_value: p.low,
                    high_value: p.high,
                    low_usd: p.at_low.as_ref().map(|t| t.cost[v].iter().sum()),
                    high_usd: p.at_high.as_ref().map(|t| t.cost[v].iter().sum()),
                })
                .collect();
            // Inputs that leave this variant's cost as it is (another variant's inputs) are left out.
            sw.retain(|w| w.width() > 0.0 || w.low_usd.is_none() || w.high_usd.is_none());
            sw.sort_by(|a, b| b.width().total_cmp(&a.width()));
            VariantBands {
                name: vp.name.clone(),
                cost,
                nodes,
                fiscal_years,
                capacity_limit_month,
                p_capacity_limit,
                p_cheapest: vp.completeness.complete.then(|| acc.cheapest as f64 / n_ok),
                unpriced_lines: vp.completeness.unpriced.len(),
                status: vp.completeness.status(),
                horizon_usd: vp.total_usd,
                swings: sw,
            }
        })
        .collect();
    let percentile_method = if exact {
        "exact: order statistics of every path, interpolated linearly".to_string()
    } else {
        format!(
            "streamed: a DDSketch per figure (each percentile within {} % of an order statistic of the paths; memory bounded whatever the path count)",
            SKETCH_ALPHA * 100.0
        )
    };
    Ok(McReport {
        seed,
        paths,
        rejected: sum.rejected,
        first_rejection: sum.first_rejection,
        exact_percentiles: exact,
        percentile_method,
        confidence: u.confidence,
        inputs: samplers.iter().map(|(p, _)| p.clone()).collect(),
        engine: engine_note,
        sizing,
        months,
        users,
        variants,
    })
}

/// What drawing a path needs: the run, the base scenario, the samplers and the seed.
struct Draw<'a> {
    run: &'a Run<'a>,
    base: &'a ValidScenario,
    samplers: &'a [(String, Sampler)],
    seed: u64,
}

impl Draw<'_> {
    /// Paths `0..paths` in chunks of `chunk` (in parallel within one), each chunk folded into
    /// the summary in path order, so sums, counts and the first rejection do not depend on the
    /// thread count.
    fn paths_into(
        &self,
        sum: &mut Summary,
        paths: u32,
        chunk: u32,
        progress: &(dyn Fn(usize) + Sync),
        cancel: &AtomicBool,
    ) -> Result<(), McError> {
        let done = AtomicUsize::new(0);
        let mut start = 0u32;
        while start < paths {
            let end = start.saturating_add(chunk).min(paths);
            let outs: Vec<Result<PathTotals, String>> = (start..end)
                .into_par_iter()
                .map_init(
                    || (Scratch::default(), self.base.clone(), Vec::with_capacity(self.samplers.len())),
                    |(scratch, vs, values), p| {
                        if cancel.load(Ordering::Relaxed) {
                            return Err(String::new());
                        }
                        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
                        rng.set_stream(u64::from(p) + 1);
                        values.clear();
                        values.extend(self.samplers.iter().map(|(_, d)| d.sample(&mut rng)));
                        let r = one_path(self.run, vs, values, scratch);
                        progress(done.fetch_add(1, Ordering::Relaxed) + 1);
                        r
                    },
                )
                .collect();
            if cancel.load(Ordering::Relaxed) {
                return Err(McError::Cancelled);
            }
            for o in outs {
                sum.add(o);
            }
            start = end;
        }
        Ok(())
    }
}

/// One figure over the paths: every value (exact percentiles) or a DDSketch (bounded memory).
enum Acc {
    Exact(Vec<f64>),
    Sketch { sketch: Box<DDSketch>, sum: f64, n: usize },
}

impl Acc {
    fn new(exact: bool) -> Acc {
        if exact {
            Acc::Exact(Vec::new())
        } else {
            let config = sketches_ddsketch::Config::new(SKETCH_ALPHA, 4096, 1e-9);
            Acc::Sketch { sketch: Box::new(DDSketch::new(config)), sum: 0.0, n: 0 }
        }
    }

    fn push(&mut self, x: f64) {
        match self {
            Acc::Exact(v) => v.push(x),
            Acc::Sketch { sketch, sum, n } => {
                sketch.add(x);
                *sum += x;
                *n += 1;
            }
        }
    }

    /// Mean (a sum in path order, either way) and percentiles.
    fn band(&mut self, percentiles: &[f64]) -> Band {
        match self {
            Acc::Exact(v) => Band::of(v, percentiles),
            Acc::Sketch { sketch, sum, n } => {
                let mean = if *n == 0 { f64::NAN } else { *sum / *n as f64 };
                let at = |p: f64| {
                    let q = sketch.quantile(p / 100.0).ok().flatten().unwrap_or(f64::NAN);
                    // The sketch's bucket value may sit just outside the values seen.
                    match (sketch.min(), sketch.max()) {
                        (Some(lo), Some(hi)) if q.is_finite() => q.clamp(lo, hi),
                        _ => q,
                    }
                };
                Band { mean, percentiles: percentiles.iter().map(|&p| (p, at(p))).collect() }
            }
        }
    }
}

/// A fiscal year of one variant: its values and how many paths exceed its budget line.
struct FiscalAcc {
    acc: Acc,
    budget: Option<f64>,
    exceeded: u64,
}

/// One variant's figures over the paths.
struct VariantAcc {
    cost: Vec<Acc>,
    nodes: Vec<Acc>,
    fiscal: Vec<FiscalAcc>,
    /// Paths by first capacity-limit month (index m: month m + 1; the last: none).
    first_limit: Vec<u64>,
    /// Paths on which this variant is the cheapest complete one.
    cheapest: u64,
}

/// Everything the report needs from the paths, added to one path at a time in path order.
struct Summary {
    users: Vec<Acc>,
    variants: Vec<VariantAcc>,
    ok: u64,
    rejected: u32,
    first_rejection: Option<String>,
}

impl Summary {
    fn new(
        det: &crate::engine::report::Report,
        u: &crate::scenario::model::Uncertainty,
        nm: usize,
        exact: bool,
    ) -> Summary {
        let accs = || (0..nm).map(|_| Acc::new(exact)).collect::<Vec<_>>();
        Summary {
            users: accs(),
            variants: det
                .variants
                .iter()
                .map(|vp| VariantAcc {
                    cost: accs(),
                    nodes: accs(),
                    fiscal: vp
                        .fiscal_years
                        .iter()
                        .map(|fy| FiscalAcc {
                            acc: Acc::new(exact),
                            budget: crate::scenario::model::budget_for(&u.budgets, fy.year, &vp.name),
                            exceeded: 0,
                        })
                        .collect(),
                    first_limit: vec![0; nm + 1],
                    cheapest: 0,
                })
                .collect(),
            ok: 0,
            rejected: 0,
            first_rejection: None,
        }
    }

    fn add(&mut self, o: Result<PathTotals, String>) {
        let o = match o {
            Ok(o) => o,
            Err(e) => {
                self.rejected += 1;
                self.first_rejection.get_or_insert(e);
                return;
            }
        };
        self.ok += 1;
        for (a, &x) in self.users.iter_mut().zip(&o.users) {
            a.push(x);
        }
        let nm = self.users.len();
        for (v, acc) in self.variants.iter_mut().enumerate() {
            let (Some(cost), Some(nodes)) = (o.cost.get(v), o.nodes.get(v)) else { continue };
            for (a, &x) in acc.cost.iter_mut().zip(cost) {
                a.push(x);
            }
            for (a, &x) in acc.nodes.iter_mut().zip(nodes) {
                a.push(f64::from(x));
            }
            let fiscal = o.fiscal.get(v).map_or(&[][..], Vec::as_slice);
            for (fi, f) in acc.fiscal.iter_mut().enumerate() {
                let x = fiscal.get(fi).map_or(f64::NAN, |x| x.1);
                f.acc.push(x);
                if f.budget.is_some_and(|b| x > b) {
                    f.exceeded += 1;
                }
            }
            let m = o.limit_month.get(v).copied().flatten().map_or(nm, |m| (m as usize).saturating_sub(1).min(nm));
            if let Some(c) = acc.first_limit.get_mut(m) {
                *c += 1;
            }
        }
        // Which variant is cheapest over the horizon on this path (its variants share the
        // draws, so this compares like with like), of the variants whose costs are complete on
        // it: an unknown cost never wins or loses a ranking.
        let total = |v: usize| o.cost[v].iter().sum::<f64>();
        let complete = |v: &usize| o.complete.get(*v).copied().unwrap_or(false);
        if let Some(v) = (0..o.cost.len()).filter(complete).min_by(|&a, &b| total(a).total_cmp(&total(b)))
            && let Some(acc) = self.variants.get_mut(v)
        {
            acc.cheapest += 1;
        }
    }
}

/// The earliest month by which at least `confidence` of the paths have hit a capacity limit
/// (None if not within the horizon), and the share of paths that hit one at all. `first[m]`
/// counts the paths whose first limit is month m + 1; the last entry counts paths with none.
fn limit_month(first: &[u64], confidence: f64) -> (Option<u32>, f64) {
    let n: u64 = first.iter().sum();
    let (never, by_month) = first.split_last().map_or((0, first), |(l, r)| (*l, r));
    let hit = n - never;
    // The k-th smallest first month (k = ⌈confidence × n⌉, at least 1), as a sorted list of
    // every path's first month (never = after the horizon) would give it.
    let k = ((confidence * n as f64).ceil() as u64).clamp(1, n.max(1));
    let mut seen = 0u64;
    let month = by_month.iter().position(|&c| {
        seen += c;
        seen >= k
    });
    (month.map(|m| m as u32 + 1), hit as f64 / n.max(1) as f64)
}

/// One input at its P10 and P90, the others as written: the plans (None when the value breaks
/// a range).
struct Probe {
    input: String,
    low: f64,
    high: f64,
    at_low: Option<PathTotals>,
    at_high: Option<PathTotals>,
}

fn swings(
    base: &ValidScenario,
    cat: &Catalog,
    setter: &crate::scenario::edit::NumberSetter,
    samplers: &[(String, Sampler)],
    prog: Option<&Program>,
    nodes: NodeBasis,
) -> Vec<Probe> {
    let written = setter.values();
    let (p_lo, p_hi) = SWING_PERCENTILES;
    samplers
        .par_iter()
        .enumerate()
        .map(|(i, (path, d))| {
            let at = |x: f64| {
                let mut vs = base.clone();
                let mut values = written.clone();
                values[i] = x;
                vs.set_numbers(setter, &values, cat).ok()?;
                Some(evaluate(&vs, cat, prog, nodes, &mut Scratch::default()))
            };
            let (lo, hi) = (d.quantile(p_lo / 100.0), d.quantile(p_hi / 100.0));
            Probe { input: path.clone(), low: lo, high: hi, at_low: at(lo), at_high: at(hi) }
        })
        .collect()
}

/// What every path of a run shares.
struct Run<'a> {
    setter: &'a crate::scenario::edit::NumberSetter,
    paths: &'a [&'a str],
    cat: &'a Catalog,
    prog: Option<&'a Program>,
    nodes: NodeBasis<'a>,
}

/// One path: set the drawn values in this thread's copy of the scenario and evaluate it.
fn one_path(run: &Run, vs: &mut ValidScenario, values: &[f64], scratch: &mut Scratch) -> Result<PathTotals, String> {
    vs.set_numbers(run.setter, values, run.cat).map_err(|p| {
        let drawn: Vec<String> = run.paths.iter().zip(values).map(|(k, v)| format!("{k} = {v}")).collect();
        format!("{} (drawn: {})", p[0], drawn.join(", "))
    })?;
    Ok(evaluate(vs, run.cat, run.prog, run.nodes, scratch))
}

/// One path's totals: the run's program, or one compiled for this path's prices.
fn evaluate(
    vs: &ValidScenario,
    cat: &Catalog,
    prog: Option<&Program>,
    nodes: NodeBasis,
    scratch: &mut Scratch,
) -> PathTotals {
    match prog {
        Some(p) => plan::path_totals(p, vs, cat, nodes, scratch),
        None => plan::path_totals(&Program::compile(vs, cat), vs, cat, nodes, scratch),
    }
}
