//! What changed between two versions of a scenario, and what each change did to the money: the
//! changed inputs (every leaf of the scenario, compared as JSON), then a variance waterfall per
//! variant and fiscal year — each change applied alone to the old scenario and replanned, its
//! effect the difference from the old plan — with the interaction remainder (new − old − the sum
//! of the single effects) shown, never spread. Structural changes (variants, services or sites
//! added or removed) and changes that are not valid alone fall into the remainder, named.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::catalog::Catalog;
use crate::engine::report::Report;
use crate::scenario::model::Scenario;
use crate::scenario::validate::{ValidScenario, validate};

/// At most this many changes are replanned one by one; beyond, the rest join the remainder.
pub const MAX_STEPS: usize = 400;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    /// Every changed leaf, in path order; price-table changes last.
    pub changes: Vec<Change>,
    /// Per variant (by name): the waterfall.
    pub variants: Vec<VariantDiff>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ChangeKind {
    /// A value changed in place: attributed alone.
    Changed,
    /// A leaf only in the new scenario, or only in the old (structure): in the remainder.
    Added,
    Removed,
    /// The price catalogue differs (the scenario's `pricing.tables`): attributed as one step.
    Prices,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub path: String,
    pub old: String,
    pub new: String,
    pub kind: ChangeKind,
    /// Why the change has no step of its own (not valid alone, too many changes), if so.
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VariantDiff {
    pub name: String,
    /// Present in the old plan, the new, or both.
    pub in_old: bool,
    pub in_new: bool,
    /// Fiscal-year labels, then the horizon total as "total".
    pub periods: Vec<String>,
    /// Amortised, per period.
    pub old_usd: Vec<f64>,
    pub new_usd: Vec<f64>,
    /// (index into `Diff::changes`, effect per period) for the changes with a step, in order;
    /// changes that move nothing in this variant are left out.
    pub steps: Vec<(usize, Vec<f64>)>,
    /// new − old − Σ steps, per period: interactions, structure, changes without a step.
    pub remainder: Vec<f64>,
}

/// A leaf of the scenario as JSON: display path, JSON pointer, value.
fn leaves(v: &Value) -> BTreeMap<String, (String, Value)> {
    fn walk(path: &str, ptr: &str, v: &Value, out: &mut BTreeMap<String, (String, Value)>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    let p = if path.is_empty() {
                        k.clone()
                    } else if k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                        format!("{path}.{k}")
                    } else {
                        format!("{path}[{k:?}]")
                    };
                    walk(&p, &format!("{ptr}/{}", k.replace('~', "~0").replace('/', "~1")), x, out);
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    walk(&format!("{path}[{i}]"), &format!("{ptr}/{i}"), x, out);
                }
            }
            _ => {
                out.insert(path.to_string(), (ptr.to_string(), v.clone()));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk("", "", v, &mut out);
    out
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "none".into(),
        other => other.to_string(),
    }
}

/// Amortised per fiscal-year label and in total, per variant name.
type Totals = BTreeMap<String, BTreeMap<String, f64>>;

fn totals(r: &Report) -> Totals {
    r.variants
        .iter()
        .map(|v| {
            let mut m: BTreeMap<String, f64> = v.fiscal_years.iter().map(|f| (f.label(), f.amortised_usd)).collect();
            m.insert("total".into(), v.total_usd);
            (v.name.clone(), m)
        })
        .collect()
}

/// Compare two scenarios (each with the catalogue it plans with).
pub fn diff(old: &ValidScenario, old_cat: &Catalog, new: &ValidScenario, new_cat: &Catalog) -> Diff {
    let plan = |s: &ValidScenario, c: &Catalog| totals(&crate::engine::plan::plan(s, c));
    let base = plan(old, old_cat);
    let last = plan(new, new_cat);
    let (ov, nv) = (
        serde_json::to_value(old.scenario()).unwrap_or(Value::Null),
        serde_json::to_value(new.scenario()).unwrap_or(Value::Null),
    );
    let (ol, nl) = (leaves(&ov), leaves(&nv));
    let mut changes = Vec::new();
    let mut steps: Vec<(usize, Totals)> = Vec::new();
    for (path, (ptr, a)) in &ol {
        match nl.get(path) {
            Some((_, b)) if a == b => {}
            Some((_, b)) => {
                let mut note = String::new();
                if steps.len() < MAX_STEPS {
                    let mut root = ov.clone();
                    if let Some(slot) = root.pointer_mut(ptr) {
                        *slot = b.clone();
                    }
                    let alone = serde_json::from_value::<Scenario>(root)
                        .map_err(|e| e.to_string())
                        .and_then(|s| validate(s, old_cat).map_err(|p| p[0].to_string()));
                    match alone {
                        Ok(s) => steps.push((changes.len(), plan(&s, old_cat))),
                        Err(e) => note = format!("not valid alone ({e}): in the remainder"),
                    }
                } else {
                    note = format!("more than {MAX_STEPS} changes: in the remainder");
                }
                changes.push(Change {
                    path: path.clone(),
                    old: text(a),
                    new: text(b),
                    kind: ChangeKind::Changed,
                    note,
                });
            }
            None => changes.push(Change {
                path: path.clone(),
                old: text(a),
                new: String::new(),
                kind: ChangeKind::Removed,
                note: "structure: in the remainder".into(),
            }),
        }
    }
    for (path, (_, b)) in nl.iter().filter(|(p, _)| !ol.contains_key(*p)) {
        changes.push(Change {
            path: path.clone(),
            old: String::new(),
            new: text(b),
            kind: ChangeKind::Added,
            note: "structure: in the remainder".into(),
        });
    }
    if old_cat != new_cat {
        steps.push((changes.len(), plan(old, new_cat)));
        changes.push(Change {
            path: "price catalogue (pricing.tables)".into(),
            old: old.pricing.tables.join(", "),
            new: new.pricing.tables.join(", "),
            kind: ChangeKind::Prices,
            note: String::new(),
        });
    }
    let names: Vec<String> = {
        let mut n: Vec<String> = old.variants.iter().map(|v| v.name.clone()).collect();
        n.extend(new.variants.iter().map(|v| v.name.clone()).filter(|x| !old.variants.iter().any(|v| &v.name == x)));
        n
    };
    let variants = names
        .into_iter()
        .map(|name| {
            let (o, n) = (base.get(&name), last.get(&name));
            let mut periods: Vec<String> =
                o.into_iter().chain(n).flat_map(|m| m.keys().filter(|k| *k != "total").cloned()).collect();
            periods.sort();
            periods.dedup();
            periods.push("total".into());
            let at = |m: Option<&BTreeMap<String, f64>>, p: &str| m.and_then(|m| m.get(p)).copied().unwrap_or(0.0);
            let old_usd: Vec<f64> = periods.iter().map(|p| at(o, p)).collect();
            let new_usd: Vec<f64> = periods.iter().map(|p| at(n, p)).collect();
            let var_steps: Vec<(usize, Vec<f64>)> = steps
                .iter()
                .filter_map(|(i, t)| {
                    let effect: Vec<f64> = periods.iter().map(|p| at(t.get(&name), p) - at(o, p)).collect();
                    // A variant the step removes or adds is structure, not this change's effect.
                    let both = o.is_some() && t.contains_key(&name);
                    (both && effect.iter().any(|x| x.abs() > 0.005)).then_some((*i, effect))
                })
                .collect();
            let remainder = (0..periods.len())
                .map(|k| new_usd[k] - old_usd[k] - var_steps.iter().map(|(_, e)| e[k]).sum::<f64>())
                .collect();
            VariantDiff {
                in_old: o.is_some(),
                in_new: n.is_some(),
                name,
                periods,
                old_usd,
                new_usd,
                steps: var_steps,
                remainder,
            }
        })
        .collect();
    Diff { changes, variants }
}
