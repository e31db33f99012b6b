//! Editing a scenario field by its path (`workload.services[1].cpu_ms_per_request`), the same
//! paths validation messages and the assumptions list use. The edited scenario still has to
//! pass [`crate::validate`] before the engine sees it.

use serde_json::Value;

use crate::model::Scenario;

/// One step of a field path.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

fn steps(path: &str) -> Result<Vec<Step<'_>>, String> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if key.is_empty() && out.is_empty() {
            return Err(format!("{path}: empty field name"));
        }
        if !key.is_empty() {
            out.push(Step::Key(key));
        }
        while let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']').ok_or_else(|| format!("{path}: unclosed '['"))?;
            let i = r[..end].parse().map_err(|_| format!("{path}: {:?} is not an index", &r[..end]))?;
            out.push(Step::Index(i));
            rest = &r[end + 1..];
        }
    }
    Ok(out)
}

/// The text as a value of the same kind as `old`: a number, a boolean, `none`, a list, or text.
fn parse_like(old: &Value, text: &str) -> Value {
    let t = text.trim();
    if t.eq_ignore_ascii_case("none") && (old.is_null() || old.is_number()) {
        return Value::Null;
    }
    if old.is_string() {
        return Value::String(t.to_string());
    }
    serde_json::from_str(t).unwrap_or_else(|_| Value::String(t.to_string()))
}

/// A copy of `s` with the field at `path` set to `text`; an error names the path when the path
/// does not exist or the value does not fit the field's type.
pub fn set_field(s: &Scenario, path: &str, text: &str) -> Result<Scenario, String> {
    let mut root = serde_json::to_value(s).map_err(|e| e.to_string())?;
    let mut cur = &mut root;
    for step in steps(path)? {
        cur = match step {
            Step::Key(k) => cur.get_mut(k).ok_or_else(|| format!("{path}: no such field"))?,
            Step::Index(i) => cur.get_mut(i).ok_or_else(|| format!("{path}: no such element"))?,
        };
    }
    *cur = parse_like(cur, text);
    serde_json::from_value(root).map_err(|e| format!("{path}: {e}"))
}

/// The field at `path` in a scenario turned into a JSON value, read-only.
pub fn field<'v>(root: &'v Value, path: &str) -> Result<&'v Value, String> {
    let mut cur = root;
    for step in steps(path)? {
        cur = match step {
            Step::Key(k) => cur.get(k).ok_or_else(|| format!("{path}: no such field"))?,
            Step::Index(i) => cur.get(i).ok_or_else(|| format!("{path}: no such element"))?,
        };
    }
    Ok(cur)
}

/// The field at `path` in a scenario already turned into a JSON value.
pub fn field_mut<'v>(root: &'v mut Value, path: &str) -> Result<&'v mut Value, String> {
    let mut cur = root;
    for step in steps(path)? {
        cur = match step {
            Step::Key(k) => cur.get_mut(k).ok_or_else(|| format!("{path}: no such field"))?,
            Step::Index(i) => cur.get_mut(i).ok_or_else(|| format!("{path}: no such element"))?,
        };
    }
    Ok(cur)
}

/// A copy of the scenario `root` (as a JSON value) with numbers set at these paths, in one
/// pass: the Monte Carlo paths use it.
pub fn with_numbers(root: &Value, values: &[(&str, f64)]) -> Result<Scenario, String> {
    let mut v = root.clone();
    for (path, x) in values {
        let f = field_mut(&mut v, path)?;
        // Integer fields (counts) take the nearest whole number.
        *f = if f.is_u64() || f.is_i64() {
            Value::Number(serde_json::Number::from(x.round() as i64))
        } else {
            serde_json::Number::from_f64(*x).map_or(Value::Null, Value::Number)
        };
    }
    serde_json::from_value(v).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed() -> Scenario {
        crate::parse_scenario(crate::SEED_SCENARIO).unwrap()
    }

    #[test]
    fn sets_numbers_strings_enums_and_options() {
        let s = seed();
        let t = set_field(&s, "workload.services[1].cpu_ms_per_request", "20").unwrap();
        assert_eq!(t.workload.services[1].cpu_ms_per_request, 20.0);
        let t = set_field(&s, "cluster.node_pools[0].instance_type", "m5.2xlarge").unwrap();
        assert_eq!(t.cluster.node_pools[0].instance_type, "m5.2xlarge");
        let t = set_field(&s, "variants[0].sites[1].role.WarmStandby", "0.5").unwrap();
        assert_eq!(t.variants[0].sites[1].role, crate::model::Role::WarmStandby(0.5));
        let t = set_field(&s, "cluster.node_pools[0].max_pods", "40").unwrap();
        assert_eq!(t.cluster.node_pools[0].max_pods, Some(40));
        let t = set_field(&t, "cluster.node_pools[0].max_pods", "none").unwrap();
        assert_eq!(t.cluster.node_pools[0].max_pods, None);
        let t = set_field(&s, "meta.start", "2028-04").unwrap();
        assert_eq!(t.meta.start.to_string(), "2028-04");
    }

    #[test]
    fn errors_name_the_path() {
        let s = seed();
        assert_eq!(set_field(&s, "demand.nope", "1").unwrap_err(), "demand.nope: no such field");
        assert_eq!(
            set_field(&s, "workload.services[9].name", "x").unwrap_err(),
            "workload.services[9].name: no such element"
        );
        let e = set_field(&s, "demand.concurrent_users", "lots").unwrap_err();
        assert!(e.starts_with("demand.concurrent_users: invalid type: string \"lots\""), "{e}");
        let e = set_field(&s, "meta.start", "2028-13").unwrap_err();
        assert!(e.contains("expected a month as \"YYYY-MM\""), "{e}");
        // Values that parse but break a rule are for validate() to reject, with its message.
        let t = set_field(&s, "demand.concurrent_users", "-5").unwrap();
        let p = crate::validate(t, crate::Catalog::builtin()).unwrap_err();
        assert_eq!(p[0].to_string(), "demand.concurrent_users: must be between 1 and 100000000, found -5");
    }
}
