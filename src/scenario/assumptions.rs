//! Every input of a scenario as a flat, readable list (path, value, unit): what the Assumptions
//! views and sheets show. Derived from the scenario itself, so a new field appears without code.

use serde::Serialize;
use serde_json::Value;

use crate::scenario::model::Scenario;

/// One input value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assumption {
    /// Field path as validation messages use it, e.g. `workload.services[1].cpu_ms_per_request`.
    pub path: String,
    pub value: String,
    /// Unit read from the field's naming convention (see `src/model.rs`).
    pub unit: &'static str,
    /// Where the value comes from, where the scenario says (`finance.onprem.basis`): a public
    /// source and date, or "assumption: …" (the user's to replace). Empty otherwise.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub source: String,
    /// The range the Monte Carlo draws it from (`uncertainty.inputs`), if any.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub range: String,
}

/// Unit of a field from its name (the conventions documented in `src/model.rs`): the first unit
/// token (`ms`, `mib`, `gib`, `gb`, `kib`, `usd`, `m` for millicores…) and any `per …` after it,
/// e.g. `cpu_ms_per_request` → "ms per request", `gb_per_user_per_month` → "GB per user per month".
pub fn unit_of(field: &str) -> &'static str {
    const UNITS: [(&str, &str); 9] = [
        ("ms", "ms"),
        ("mib", "MiB"),
        ("gib", "GiB"),
        ("gb", "GB"),
        ("kib", "KiB"),
        ("usd", "USD"),
        ("days", "days"),
        ("months", "months"),
        ("m", "millicores"),
    ];
    let tokens: Vec<&str> = field.split('_').collect();
    let found = tokens.iter().enumerate().find_map(|(i, t)| UNITS.iter().find(|(k, _)| k == t).map(|(_, u)| (i, *u)));
    if let Some((i, unit)) = found {
        let rest = &tokens[i + 1..];
        if rest.first() == Some(&"per") {
            // Leak-free: the few combinations in use are spelled out.
            return match (unit, rest.join(" ").as_str()) {
                ("ms", "per request") => "ms per request",
                ("ms", "per query") => "ms per query",
                ("MiB", "per request") => "MiB per request",
                ("MiB", "per user") => "MiB per user",
                ("GB", "per user") => "GB per user",
                ("GB", "per month") => "GB per month",
                ("GB", "per user per month") => "GB per user per month",
                ("KiB", "per request") => "KiB per request",
                _ => unit,
            };
        }
        return unit;
    }
    match field {
        _ if field.ends_with("per_user_per_s") => "per user per second",
        _ if field.ends_with("per_user_per_month") => "per user per month",
        _ if field.ends_with("per_month") => "per month",
        _ if field.ends_with("per_request") => "per request",
        _ if field.contains("utilization")
            || field.contains("fraction")
            || field.contains("share")
            || field == "annual_growth" =>
        {
            "fraction (1 = 100 %)"
        }
        "seasonality" => "× peak",
        "diurnal" => "share of daily peak",
        "concurrent_users" => "users",
        _ => "",
    }
}

/// The scenario's inputs, in file order, each with its stated source and its uncertainty range.
pub fn assumptions(s: &Scenario) -> Vec<Assumption> {
    let mut out = assumptions_of(s);
    // The basis texts describe the inputs; they are not inputs themselves.
    out.retain(|a| !a.path.starts_with("finance.onprem.basis."));
    if let Some(t) = &s.finance.onprem {
        for (k, text) in &t.basis {
            let k = format!("finance.onprem.{k}");
            for a in out.iter_mut().filter(|a| under(&a.path, &k)) {
                a.source.clone_from(text);
            }
        }
    }
    for i in &s.uncertainty.inputs {
        if let Some(a) = out.iter_mut().find(|a| a.path == i.path) {
            a.range = i.dist.to_string();
        }
    }
    out
}

/// Whether field `path` is `prefix` or inside it (`a.b` is under `a`, `a[0].c` under `a`).
pub fn under(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
}

/// Any serialisable value's fields as (path, value, unit), paths relative to it.
pub fn assumptions_of<T: Serialize>(x: &T) -> Vec<Assumption> {
    let mut out = Vec::new();
    if let Ok(v) = serde_json::to_value(x) {
        flatten("", "", &v, &mut out);
    }
    out
}

fn flatten(path: &str, field: &str, v: &Value, out: &mut Vec<Assumption>) {
    match v {
        Value::Object(m) => {
            // Enum variants serialise as {"Variant": value}: keep the variant name in the path.
            for (k, x) in m {
                let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                flatten(&p, k, x, out);
            }
        }
        Value::Array(a) if a.iter().all(|x| !x.is_object() && !x.is_array()) => {
            let items: Vec<String> = a.iter().map(scalar).collect();
            out.push(Assumption {
                path: path.into(),
                value: format!("[{}]", items.join(", ")),
                unit: unit_of(field),
                source: String::new(),
                range: String::new(),
            });
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                flatten(&format!("{path}[{i}]"), field, x, out);
            }
        }
        _ => out.push(Assumption {
            path: path.into(),
            value: scalar(v),
            unit: unit_of(field),
            source: String::new(),
            range: String::new(),
        }),
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "none".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_inputs_are_listed_with_units() {
        let s = crate::parse_scenario(crate::SEED_SCENARIO).unwrap();
        let a = assumptions(&s);
        let find = |p: &str| a.iter().find(|x| x.path == p).unwrap_or_else(|| panic!("{p}"));
        assert_eq!(
            (find("demand.concurrent_users").value.as_str(), find("demand.concurrent_users").unit),
            ("1000.0", "users")
        );
        let cpu = find("workload.services[1].cpu_ms_per_request");
        assert_eq!((cpu.value.as_str(), cpu.unit), ("16.0", "ms per request"));
        assert_eq!(find("workload.services[1].pod.cpu_request_m").unit, "millicores");
        assert_eq!(find("data.postgres.working_set_mib_per_user").unit, "MiB per user");
        assert_eq!(find("variants[0].sites[1].role.WarmStandby").value, "0.2");
        assert_eq!(find("demand.annual_growth").unit, "fraction (1 = 100 %)");
        assert_eq!(find("data.object_storage.gb_per_user_per_month").unit, "GB per user per month");
        assert_eq!(find("cluster.daemonset_per_node.cpu_m").unit, "millicores");
        assert_eq!(find("data.postgres.backup_retention_days").unit, "days");
        assert_eq!(find("workload.peak_requests_per_user_per_s").unit, "per user per second");
    }
}
