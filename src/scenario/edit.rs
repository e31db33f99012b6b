//! Editing a scenario field by its path (`workload.services[1].cpu_ms_per_request`), the same
//! paths validation messages and the assumptions list use. The edited scenario still has to
//! pass [`crate::validate`] before the engine sees it.

use serde_json::Value;

use crate::scenario::model::Scenario;

/// Why a field path cannot be read or set. Each names the path as the user wrote it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("{path}: empty field name")]
    EmptyName { path: String },
    #[error("{path}: unclosed '['")]
    UnclosedBracket { path: String },
    #[error("{path}: {index:?} is not an index")]
    NotAnIndex { path: String, index: String },
    #[error("{path}: no such field")]
    NoSuchField { path: String },
    #[error("{path}: no such element")]
    NoSuchElement { path: String },
    #[error("{path}: not a number")]
    NotANumber { path: String },
    /// The value does not fit the field's type.
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

impl EditError {
    /// The same error for the path `path` (a path inside a section made absolute).
    fn at(self, path: &str) -> EditError {
        let path = path.to_string();
        match self {
            EditError::EmptyName { .. } => EditError::EmptyName { path },
            EditError::UnclosedBracket { .. } => EditError::UnclosedBracket { path },
            EditError::NotAnIndex { index, .. } => EditError::NotAnIndex { path, index },
            EditError::NoSuchField { .. } => EditError::NoSuchField { path },
            EditError::NoSuchElement { .. } => EditError::NoSuchElement { path },
            EditError::NotANumber { .. } => EditError::NotANumber { path },
            EditError::Invalid { message, .. } => EditError::Invalid { path, message },
        }
    }
}

impl EditError {
    /// The field path the error is about.
    pub fn path(&self) -> &str {
        match self {
            EditError::EmptyName { path }
            | EditError::UnclosedBracket { path }
            | EditError::NotAnIndex { path, .. }
            | EditError::NoSuchField { path }
            | EditError::NoSuchElement { path }
            | EditError::NotANumber { path }
            | EditError::Invalid { path, .. } => path,
        }
    }

    /// What is wrong, without the path.
    pub fn detail(&self) -> String {
        let full = self.to_string();
        full.strip_prefix(&format!("{}: ", self.path())).map_or(full.clone(), str::to_string)
    }
}

fn invalid(path: &str, e: impl std::fmt::Display) -> EditError {
    EditError::Invalid { path: path.to_string(), message: e.to_string() }
}

/// One step of a field path.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

fn steps(path: &str) -> Result<Vec<Step<'_>>, EditError> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        // A path may start with an index ("[1].x", inside a list); not with nothing.
        if key.is_empty() && out.is_empty() && rest.is_empty() {
            return Err(EditError::EmptyName { path: path.into() });
        }
        if !key.is_empty() {
            out.push(Step::Key(key));
        }
        while let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']').ok_or_else(|| EditError::UnclosedBracket { path: path.into() })?;
            let i = r[..end]
                .parse()
                .map_err(|_| EditError::NotAnIndex { path: path.into(), index: r[..end].to_string() })?;
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
pub fn set_field(s: &Scenario, path: &str, text: &str) -> Result<Scenario, EditError> {
    let mut root = serde_json::to_value(s).map_err(|e| invalid(path, e))?;
    let cur = field_mut(&mut root, path)?;
    *cur = parse_like(cur, text);
    serde_json::from_value(root).map_err(|e| invalid(path, e))
}

/// The field at `path` in a scenario turned into a JSON value, read-only.
pub fn field<'v>(root: &'v Value, path: &str) -> Result<&'v Value, EditError> {
    let mut cur = root;
    for step in steps(path)? {
        cur = match step {
            Step::Key(k) => cur.get(k).ok_or_else(|| EditError::NoSuchField { path: path.into() })?,
            Step::Index(i) => cur.get(i).ok_or_else(|| EditError::NoSuchElement { path: path.into() })?,
        };
    }
    Ok(cur)
}

/// The field at `path` in a scenario already turned into a JSON value.
pub fn field_mut<'v>(root: &'v mut Value, path: &str) -> Result<&'v mut Value, EditError> {
    let mut cur = root;
    for step in steps(path)? {
        cur = match step {
            Step::Key(k) => cur.get_mut(k).ok_or_else(|| EditError::NoSuchField { path: path.into() })?,
            Step::Index(i) => cur.get_mut(i).ok_or_else(|| EditError::NoSuchElement { path: path.into() })?,
        };
    }
    Ok(cur)
}

/// Sets numbers at field paths in a typed scenario, again and again (the Monte Carlo paths): only
/// the top-level sections the paths fall in (`demand`, `workload`, …) go through JSON, each
/// from a copy taken once, so a path costs a few small deserialisations, not the whole scenario.
#[derive(Debug, Clone)]
pub struct NumberSetter {
    sections: Vec<Section>,
}

/// A section touched: its name, its JSON in the base scenario, and the paths inside it (index
/// into the values, path relative to the section).
type Section = (&'static str, Value, Vec<(usize, String)>);

macro_rules! sections {
    ($($f:ident),* $(,)?) => {
        /// The scenario's top-level sections, by name. The pattern keeps the list complete: a
        /// new field in `Scenario` does not compile until it is listed here.
        fn section_names(s: &Scenario) -> &'static [&'static str] {
            let Scenario { $($f: _),* } = s;
            &[$(stringify!($f)),*]
        }
        fn section_value(s: &Scenario, name: &str) -> Result<Value, EditError> {
            match name {
                $(stringify!($f) => serde_json::to_value(&s.$f).map_err(|e| invalid(name, e)),)*
                _ => Err(EditError::NoSuchField { path: name.into() }),
            }
        }
        fn set_section(s: &mut Scenario, name: &str, v: Value) -> Result<(), EditError> {
            match name {
                $(stringify!($f) => s.$f = serde_json::from_value(v).map_err(|e| invalid(name, e))?,)*
                _ => return Err(EditError::NoSuchField { path: name.into() }),
            }
            Ok(())
        }
    };
}

sections!(
    meta,
    demand,
    workload,
    data,
    cluster,
    platform,
    variants,
    pricing,
    finance,
    targets,
    availability,
    reference_estimates,
    simulation,
    uncertainty,
);

impl NumberSetter {
    /// A setter for numbers at `paths` of scenarios shaped like `base`; an error names a path
    /// that does not exist or is not a number.
    pub fn new(base: &Scenario, paths: &[&str]) -> Result<NumberSetter, EditError> {
        let mut sections: Vec<Section> = Vec::new();
        for (i, path) in paths.iter().enumerate() {
            let split = path.find(['.', '[']).unwrap_or(path.len());
            let (head, rest) = path.split_at(split);
            let name = section_names(base)
                .iter()
                .copied()
                .find(|n| *n == head)
                .ok_or_else(|| EditError::NoSuchField { path: path.to_string() })?;
            let k = match sections.iter().position(|x| x.0 == name) {
                Some(k) => k,
                None => {
                    sections.push((name, section_value(base, name)?, Vec::new()));
                    sections.len() - 1
                }
            };
            // The rest as a path inside the section: "[1].x" or ".x" → "[1].x" or "x"; a number
            // at the top of a section ("[2]" of a list) keeps its brackets.
            let rel = rest.strip_prefix('.').unwrap_or(rest).to_string();
            let v =
                if rel.is_empty() { &sections[k].1 } else { field(&sections[k].1, &rel).map_err(|e| e.at(path))? };
            if !v.is_number() {
                return Err(EditError::NotANumber { path: path.to_string() });
            }
            sections[k].2.push((i, rel));
        }
        Ok(NumberSetter { sections })
    }

    /// The base scenario's values at the paths, in their order.
    pub fn values(&self) -> Vec<f64> {
        let mut out = vec![f64::NAN; self.sections.iter().map(|x| x.2.len()).sum()];
        for (_, base, paths) in &self.sections {
            for (i, rel) in paths {
                let v = if rel.is_empty() { Some(base) } else { field(base, rel).ok() };
                if let Some(x) = v.and_then(Value::as_f64)
                    && let Some(o) = out.get_mut(*i)
                {
                    *o = x;
                }
            }
        }
        out
    }

    /// Set `values` (in the order of the paths) in `s`, integers rounded. On an error (a value
    /// that does not fit its field) `s` has the base scenario's values at every path.
    /// The error names the section and says why.
    pub fn apply(&self, s: &mut Scenario, values: &[f64]) -> Result<(), (&'static str, EditError)> {
        for (k, (name, base, paths)) in self.sections.iter().enumerate() {
            let mut v = base.clone();
            for (i, rel) in paths {
                let f = if rel.is_empty() { Ok(&mut v) } else { field_mut(&mut v, rel) };
                match (f, values.get(*i)) {
                    (Ok(f), Some(x)) => set_number(f, *x),
                    (Err(e), _) => {
                        self.restore(s, k);
                        return Err((name, e));
                    }
                    (_, None) => {
                        self.restore(s, k);
                        return Err((name, EditError::NoSuchElement { path: format!("{name}.{rel}") }));
                    }
                }
            }
            if let Err(e) = set_section(s, name, v) {
                self.restore(s, k + 1);
                return Err((name, e));
            }
        }
        Ok(())
    }

    /// Put the base scenario's sections back (the first `n` touched).
    pub fn restore(&self, s: &mut Scenario, n: usize) {
        for (name, base, _) in self.sections.iter().take(n) {
            // The base values came out of a scenario of this shape, so they go back in.
            let _ = set_section(s, name, base.clone());
        }
    }

    /// Every section touched.
    pub fn restore_all(&self, s: &mut Scenario) {
        self.restore(s, self.sections.len());
    }
}

fn set_number(f: &mut Value, x: f64) {
    // Integer fields (counts) take the nearest whole number.
    *f = if f.is_u64() || f.is_i64() {
        Value::Number(serde_json::Number::from(x.round() as i64))
    } else {
        serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
    };
}

/// A copy of the scenario `root` (as a JSON value) with numbers set at these paths, in one
/// pass.
pub fn with_numbers(root: &Value, values: &[(&str, f64)]) -> Result<Scenario, EditError> {
    let mut v = root.clone();
    for (path, x) in values {
        set_number(field_mut(&mut v, path)?, *x);
    }
    serde_json::from_value(v).map_err(|e| invalid("", e))
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
        assert_eq!(t.variants[0].sites[1].role, crate::scenario::model::Role::WarmStandby(0.5));
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
        assert_eq!(set_field(&s, "demand.nope", "1").unwrap_err().to_string(), "demand.nope: no such field");
        assert_eq!(
            set_field(&s, "workload.services[9].name", "x").unwrap_err().to_string(),
            "workload.services[9].name: no such element"
        );
        let e = set_field(&s, "demand.concurrent_users", "lots").unwrap_err();
        assert!(e.to_string().starts_with("demand.concurrent_users: invalid type: string \"lots\""), "{e}");
        let e = set_field(&s, "meta.start", "2028-13").unwrap_err();
        assert!(e.to_string().contains("expected a month as \"YYYY-MM\""), "{e}");
        // Values that parse but break a rule are for validate() to reject, with its message.
        let t = set_field(&s, "demand.concurrent_users", "-5").unwrap();
        let p = crate::validate(t, crate::Catalog::builtin()).unwrap_err();
        assert_eq!(p[0].to_string(), "demand.concurrent_users: must be between 1 and 100000000, found -5");
    }

    #[test]
    fn number_setter_equals_the_whole_scenario_round_trip() {
        let s = seed();
        let paths = [
            "demand.annual_growth",
            "workload.services[1].cpu_ms_per_request",
            "cluster.node_pools[0].max_nodes",
            "variants[0].sites[1].role.WarmStandby",
            "demand.seasonality[11]",
        ];
        let values = [0.31, 22.5, 17.4, 0.35, 1.3];
        let setter = NumberSetter::new(&s, &paths).unwrap();
        let mut t = s.clone();
        setter.apply(&mut t, &values).unwrap();
        let root = serde_json::to_value(&s).unwrap();
        let pairs: Vec<(&str, f64)> = paths.iter().copied().zip(values).collect();
        assert_eq!(t, with_numbers(&root, &pairs).unwrap());
        // By hand: the counts are rounded, the rest set as drawn.
        assert_eq!(t.cluster.node_pools[0].max_nodes, 17);
        assert_eq!(t.variants[0].sites[1].role, crate::scenario::model::Role::WarmStandby(0.35));
        assert_eq!(t.demand.seasonality[11], 1.3);
        // Setting again from another draw starts from the base, not from the last draw.
        setter.apply(&mut t, &[0.2, 16.0, 30.0, 0.2, 1.0]).unwrap();
        assert_eq!(t.workload.services[1].cpu_ms_per_request, 16.0);
        assert_eq!(t.cluster.node_pools[0].max_nodes, 30);
    }

    #[test]
    fn number_setter_names_bad_paths_and_restores_on_failure() {
        let s = seed();
        assert_eq!(NumberSetter::new(&s, &["demand.nope"]).unwrap_err().to_string(), "demand.nope: no such field");
        assert_eq!(NumberSetter::new(&s, &["meta.name"]).unwrap_err().to_string(), "meta.name: not a number");
        assert_eq!(NumberSetter::new(&s, &["nowhere.x"]).unwrap_err().to_string(), "nowhere.x: no such field");
        let setter =
            NumberSetter::new(&s, &["demand.annual_growth", "workload.services[0].cpu_ms_per_request"]).unwrap();
        let cat = crate::Catalog::builtin();
        let mut vs = crate::validate(s.clone(), cat).unwrap();
        // NaN cannot be a number field; the section is put back.
        let e = vs.set_numbers(&setter, &[0.3, f64::NAN], cat).unwrap_err();
        assert_eq!(e[0].path, "workload");
        assert_eq!(*vs, s);
        // A value out of its range: validation's message, and the base scenario back.
        let e = vs.set_numbers(&setter, &[-3.0, 2.0], cat).unwrap_err();
        assert!(e[0].to_string().starts_with("demand.annual_growth: must be between"), "{}", e[0]);
        assert_eq!(*vs, s);
        vs.set_numbers(&setter, &[0.25, 2.0], cat).unwrap();
        assert_eq!((vs.demand.annual_growth, vs.workload.services[0].cpu_ms_per_request), (0.25, 2.0));
    }
}
