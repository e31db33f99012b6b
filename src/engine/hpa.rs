//! The HorizontalPodAutoscaler (autoscaling/v2) controller, one reconcile, as upstream computes
//! it (`pkg/controller/podautoscaler/horizontal.go`, `replica_calculator.go`, as described in
//! `../shared/reference/hpa-and-cluster-autoscaler.md` §1), with every step recorded so that
//! `headroom hpa explain` can say why the HPA did what it did.
//!
//! Times are seconds before "now" (the reconcile); quantities are milli-units (`600m` CPU = 600,
//! `1Gi` = 1 073 741 824 000), as the controller's `MilliValue` arithmetic uses them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A Kubernetes quantity in milli-units, read from `"600m"`, `"1Gi"`, `"15"`, `"1.5k"`, or a
/// JSON number. Parsed here (a dozen suffixes) rather than pulling in the Kubernetes API crates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Milli(pub i64);

impl Milli {
    /// Exact decimal arithmetic (no floats): `"409m"` is 409, `"0.1"` is 100, `"1.0001m"`
    /// rounds up to 2 (Kubernetes rounds MilliValue up).
    pub fn parse(s: &str) -> Result<Milli, QuantityError> {
        let bad = || QuantityError::Malformed(s.to_string());
        let range = || QuantityError::OutOfRange(s.to_string());
        let t = s.trim();
        // Suffix: binary (2^10k) or decimal (10^p).
        let suffixes: [(&str, u32, i32); 15] = [
            ("Ki", 1, 0),
            ("Mi", 2, 0),
            ("Gi", 3, 0),
            ("Ti", 4, 0),
            ("Pi", 5, 0),
            ("Ei", 6, 0),
            ("n", 0, -9),
            ("u", 0, -6),
            ("m", 0, -3),
            ("k", 0, 3),
            ("M", 0, 6),
            ("G", 0, 9),
            ("T", 0, 12),
            ("P", 0, 15),
            ("E", 0, 18),
        ];
        let (num, bin, mut exp10) = suffixes
            .iter()
            .find(|(suf, _, _)| {
                t.ends_with(suf) && !(*suf == "E" && t.len() > 1 && t[..t.len() - 1].contains(['e', 'E']))
            })
            .map_or((t, 0, 0), |&(suf, b, p)| (&t[..t.len() - suf.len()], b, p));
        // Mantissa and decimal exponent.
        let (mant, e) = match num.find(['e', 'E']) {
            Some(i) => (&num[..i], num[i + 1..].parse::<i32>().map_err(|_| bad())?),
            None => (num, 0),
        };
        exp10 += e;
        let (neg, mant) = match mant.strip_prefix('-') {
            Some(m) => (true, m),
            None => (false, mant.strip_prefix('+').unwrap_or(mant)),
        };
        let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
        if int.is_empty() && frac.is_empty() || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        let digits = format!("{int}{frac}");
        let digits = digits.trim_start_matches('0');
        if digits.len() > 30 {
            return Err(range());
        }
        let mut v: i128 = if digits.is_empty() { 0 } else { digits.parse().map_err(|_| bad())? };
        v = v.checked_mul(1i128 << (10 * bin)).ok_or_else(range)?;
        // value × 1000 = v × 10^(exp10 + 3 − frac digits)
        let p = exp10 + 3 - frac.len() as i32;
        if p >= 0 {
            for _ in 0..p {
                v = v.checked_mul(10).ok_or_else(range)?;
            }
        } else {
            let mut d: i128 = 1;
            for _ in 0..(-p).min(40) {
                d = d.saturating_mul(10);
            }
            // Round up (towards +∞, as Kubernetes' MilliValue does for positive values).
            v = if neg { v / d } else { (v + d - 1) / d };
        }
        let v = if neg { -v } else { v };
        if v.abs() > 9_000_000_000_000_000_000 {
            return Err(range());
        }
        Ok(Milli(v as i64))
    }
}

impl<'de> Deserialize<'de> for Milli {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Q {
            N(f64),
            S(String),
        }
        match Q::deserialize(d)? {
            Q::N(n) => Milli::parse(&n.to_string()),
            Q::S(s) => Milli::parse(&s),
        }
        .map_err(serde::de::Error::custom)
    }
}

// ---------- the HPA object, as `kubectl get hpa -o json` prints it ----------

/// Fields the explanation does not use but a manifest carries (`apiVersion`, `kind`,
/// `metadata`, `status`, `spec.scaleTargetRef`) are read and checked, never used; any other
/// field is an error naming it, so nothing is silently ignored.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Hpa {
    #[serde(default)]
    pub api_version: Option<ApiVersion>,
    #[serde(default)]
    pub kind: Option<Kind>,
    /// Names and labels: not used.
    #[serde(default)]
    pub metadata: Option<serde_json::Value>,
    /// The controller's last status: the case gives the current replicas itself.
    #[serde(default)]
    pub status: Option<serde_json::Value>,
    pub spec: HpaSpec,
}

/// Only `autoscaling/v2` manifests are explained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum ApiVersion {
    #[serde(rename = "autoscaling/v2")]
    AutoscalingV2,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Kind {
    HorizontalPodAutoscaler,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HpaSpec {
    /// The workload scaled: not used (the case lists its pods).
    #[serde(default)]
    pub scale_target_ref: Option<serde_json::Value>,
    #[serde(default)]
    pub min_replicas: Option<i32>,
    pub max_replicas: i32,
    /// Empty: one CPU Resource metric at 80 % (the API default).
    #[serde(default)]
    pub metrics: Vec<MetricSpec>,
    #[serde(default)]
    pub behavior: Option<Behavior>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", deny_unknown_fields)]
pub enum MetricSpec {
    Resource {
        resource: ResourceSource,
    },
    ContainerResource {
        #[serde(rename = "containerResource")]
        container_resource: ContainerResourceSource,
    },
    Pods {
        pods: MetricSource,
    },
    Object {
        object: MetricSource,
    },
    External {
        external: MetricSource,
    },
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceSource {
    pub name: String,
    pub target: Target,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContainerResourceSource {
    pub name: String,
    pub container: String,
    pub target: Target,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MetricSource {
    pub metric: MetricId,
    pub target: Target,
    /// Object metrics: the object described (not used: the case gives the value by metric
    /// name).
    #[serde(default)]
    pub described_object: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricId {
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Target {
    #[serde(rename = "type")]
    pub kind: TargetType,
    #[serde(default)]
    pub average_utilization: Option<i32>,
    #[serde(default)]
    pub average_value: Option<Milli>,
    #[serde(default)]
    pub value: Option<Milli>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum TargetType {
    Utilization,
    AverageValue,
    Value,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Behavior {
    #[serde(default)]
    pub scale_up: Option<Rules>,
    #[serde(default)]
    pub scale_down: Option<Rules>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Rules {
    #[serde(default)]
    pub stabilization_window_seconds: Option<i32>,
    /// Kubernetes 1.33+ (`HPAConfigurableTolerance`): this direction's tolerance, a quantity
    /// (`"0.05"`, `"50m"`). Absent: the controller's `--horizontal-pod-autoscaler-tolerance`.
    #[serde(default)]
    pub tolerance: Option<Milli>,
    #[serde(default)]
    pub select_policy: Option<SelectPolicy>,
    #[serde(default)]
    pub policies: Option<Vec<Policy>>,
}

pub use crate::scenario::model::{PolicyType, SelectPolicy};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Policy {
    #[serde(rename = "type")]
    pub kind: PolicyType,
    pub value: i32,
    pub period_seconds: i32,
}

// ---------- the world the controller sees ----------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum Phase {
    Pending,
    Running,
    Succeeded,
    Failed,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct Usage {
    #[serde(default)]
    pub request: Option<Milli>,
    #[serde(default)]
    pub usage: Option<Milli>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Container {
    pub name: String,
    #[serde(default)]
    pub cpu: Usage,
    #[serde(default)]
    pub memory: Usage,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pod {
    pub name: String,
    pub phase: Phase,
    /// `None`: no Ready condition.
    #[serde(default)]
    pub ready: Option<bool>,
    /// Seconds since the Ready condition last changed; `None`: long ago.
    #[serde(default)]
    pub ready_changed_seconds_ago: Option<f64>,
    /// Seconds since the pod started; `None`: no start time.
    #[serde(default)]
    pub started_seconds_ago: Option<f64>,
    #[serde(default)]
    pub deleting: bool,
    #[serde(default)]
    pub cpu: Usage,
    #[serde(default)]
    pub memory: Usage,
    #[serde(default)]
    pub containers: Vec<Container>,
    /// Pods metrics by name.
    #[serde(default)]
    pub metrics: BTreeMap<String, Milli>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Recommendation {
    pub replicas: i32,
    pub seconds_ago: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScaleEvent {
    pub replica_change: i32,
    pub seconds_ago: f64,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct History {
    #[serde(default)]
    pub recommendations: Vec<Recommendation>,
    #[serde(default)]
    pub scale_up_events: Vec<ScaleEvent>,
    #[serde(default)]
    pub scale_down_events: Vec<ScaleEvent>,
}

/// A `headroom hpa explain` case.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Case {
    pub hpa: Hpa,
    pub current_replicas: i32,
    #[serde(default)]
    pub status_replicas: Option<i32>,
    #[serde(default)]
    pub pods: Vec<Pod>,
    #[serde(default)]
    pub object_metrics: BTreeMap<String, Milli>,
    #[serde(default)]
    pub external_metrics: BTreeMap<String, Vec<Milli>>,
    /// Absent: the controller just started watching this HPA (it seeds its recommendations
    /// with the current replicas). Present: exactly the stored log.
    #[serde(default)]
    pub history: Option<History>,
    #[serde(default)]
    pub tolerance: Option<f64>,
    #[serde(default)]
    pub cpu_initialization_period_seconds: Option<f64>,
    #[serde(default)]
    pub initial_readiness_delay_seconds: Option<f64>,
    #[serde(default)]
    pub downscale_stabilization_seconds: Option<f64>,
    #[serde(default)]
    pub metric_window_seconds: Option<f64>,
}

/// Parse a case, with the JSON path of any error (`pods[2].cpu.usage: …`).
/// Why a Kubernetes quantity could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuantityError {
    #[error("not a Kubernetes quantity: {0:?}")]
    Malformed(String),
    #[error("quantity out of range: {0:?}")]
    OutOfRange(String),
}

/// Why an `hpa explain` case could not be read: where (line and column, or the field path) and
/// what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseError {
    #[error("{line}:{col}: {message}")]
    Syntax { line: usize, col: usize, message: String },
    #[error("{path}: {message}")]
    Field { path: String, message: String },
}

pub fn parse_case(text: &str) -> Result<Case, CaseError> {
    let de = &mut serde_json::Deserializer::from_str(text);
    let case: Case = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." {
            CaseError::Syntax { line: inner.line(), col: inner.column(), message: inner.to_string() }
        } else {
            CaseError::Field { path, message: inner.to_string() }
        }
    })?;
    check_case(&case)?;
    Ok(case)
}

/// The API server's validation of the spec (`ValidateHorizontalPodAutoscalerSpec`: minReplicas
/// ≥ 1 — scale to zero is a feature gate this model does not implement — and maxReplicas ≥
/// minReplicas) and of the counts the case gives (never negative), each naming its rule.
fn check_case(c: &Case) -> Result<(), CaseError> {
    let field = |path: &str, message: String| Err(CaseError::Field { path: path.into(), message });
    let spec = &c.hpa.spec;
    let min = spec.min_replicas.unwrap_or(1);
    if min < 1 {
        return field(
            "hpa.spec.minReplicas",
            format!("must be at least 1 (scale to zero is not modelled), found {min}"),
        );
    }
    if spec.max_replicas < min {
        return field(
            "hpa.spec.maxReplicas",
            format!("must be at least minReplicas ({min}), found {}", spec.max_replicas),
        );
    }
    if c.current_replicas < 0 {
        return field("currentReplicas", format!("must be 0 or more, found {}", c.current_replicas));
    }
    if let Some(s) = c.status_replicas.filter(|s| *s < 0) {
        return field("statusReplicas", format!("must be 0 or more, found {s}"));
    }
    if let Some(t) = c.tolerance.filter(|t| !(t.is_finite() && (0.0..=1.0).contains(t))) {
        return field("tolerance", format!("must be between 0 and 1, found {t}"));
    }
    Ok(())
}

// ---------- the explanation ----------

/// How one pod was counted for one metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PodNote {
    pub pod: String,
    /// "ignored", "unready" or "missing".
    pub group: &'static str,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricResult {
    pub metric: String,
    /// `None`: the metric is invalid this cycle (see `error`).
    pub proposal: Option<i32>,
    pub ratio: Option<f64>,
    /// The current value as the HPA reports it (utilisation %, or the average / value).
    pub current: Option<String>,
    pub pods: Vec<PodNote>,
    pub note: String,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    pub desired_replicas: i32,
    pub current_replicas: i32,
    pub metrics: Vec<MetricResult>,
    /// Max over the metrics before stabilisation and limits.
    pub metric_desired: Option<i32>,
    /// Each rule that shaped the result, in order.
    pub steps: Vec<String>,
    /// The rule that set the final number (upstream condition reasons where they exist).
    pub limited_by: String,
}

struct Settings {
    /// (scale down, scale up): `Tolerances` upstream.
    tolerance: (f64, f64),
    cpu_init: f64,
    readiness_delay: f64,
    downscale_window: f64,
    window: f64,
}

/// `Tolerances.isWithin`: inclusive on both sides, each side its own tolerance.
fn within(t: (f64, f64), ratio: f64) -> bool {
    (1.0 - t.0) <= ratio && ratio <= 1.0 + t.1
}

/// The tolerances as a note shows them: "0.1", or "0.05 down / 0.1 up".
fn tolerance_text(t: (f64, f64)) -> String {
    if t.0 == t.1 { format!("{}", t.0) } else { format!("{} down / {} up", t.0, t.1) }
}

/// Pod groups for one metric (`groupPods`).
fn group(
    pods: &[Pod],
    has_metric: &dyn Fn(&Pod) -> bool,
    cpu: bool,
    st: &Settings,
    notes: &mut Vec<PodNote>,
) -> (usize, Vec<usize>, Vec<usize>) {
    let (mut ready, mut unready, mut missing) = (0, Vec::new(), Vec::new());
    for (i, p) in pods.iter().enumerate() {
        let note = |group, reason: &str| PodNote { pod: p.name.clone(), group, reason: reason.into() };
        if p.deleting || p.phase == Phase::Failed {
            notes.push(note("ignored", if p.deleting { "being deleted" } else { "phase Failed" }));
            continue;
        }
        if p.phase == Phase::Pending {
            notes.push(note("unready", "phase Pending"));
            unready.push(i);
            continue;
        }
        if !has_metric(p) {
            notes.push(note("missing", "no metric sample"));
            missing.push(i);
            continue;
        }
        if cpu {
            let (Some(r), Some(started)) = (p.ready, p.started_seconds_ago) else {
                notes.push(note("unready", "no Ready condition or no start time"));
                unready.push(i);
                continue;
            };
            let changed = p.ready_changed_seconds_ago.unwrap_or(f64::INFINITY);
            let unready_now = if started < st.cpu_init {
                !r || changed < st.window
            } else {
                !r && changed > started - st.readiness_delay
            };
            if unready_now {
                let why = if started < st.cpu_init {
                    if !r {
                        "not ready, within the CPU initialisation period"
                    } else {
                        "ready for less than a metric window, within the CPU initialisation period"
                    }
                } else {
                    "not ready and never ready since start"
                };
                notes.push(note("unready", why));
                unready.push(i);
                continue;
            }
        }
        ready += 1;
    }
    (ready, unready, missing)
}

fn ceil_i32(x: f64) -> i32 {
    x.ceil() as i32
}

/// Resource or ContainerResource: per-pod usage and request (milli).
fn resource_values(p: &Pod, name: &str, container: Option<&str>) -> (Option<i64>, Option<i64>) {
    let pick = |u: &Usage| (u.usage.map(|m| m.0), u.request.map(|m| m.0));
    let cpu = name == "cpu";
    match container {
        Some(cn) => p
            .containers
            .iter()
            .find(|c| c.name == cn)
            .map_or((None, None), |c| pick(if cpu { &c.cpu } else { &c.memory })),
        None => pick(if cpu { &p.cpu } else { &p.memory }),
    }
}

/// A pod's (usage, request) for one metric, milli-units.
type PodValue = dyn Fn(&Pod) -> (Option<i64>, Option<i64>);

fn plain(values: &[(usize, i64)], target: i64) -> (f64, i64) {
    let sum: i64 = values.iter().map(|(_, v)| v).sum();
    let avg = sum / values.len().max(1) as i64;
    (avg as f64 / target as f64, avg)
}

/// `GetResourceReplicas` (utilisation) and `calcPlainMetricReplicas` (average values).
fn pods_metric(case: &Case, st: &Settings, metric: &str, value: &PodValue, target: Target, cpu: bool) -> MetricResult {
    let current = case.current_replicas;
    let mut r = MetricResult {
        metric: metric.into(),
        proposal: None,
        ratio: None,
        current: None,
        pods: Vec::new(),
        note: String::new(),
        error: None,
    };
    let has = |p: &Pod| value(p).0.is_some();
    let (ready, unready, missing) = group(&case.pods, &has, cpu, st, &mut r.pods);
    let usable: Vec<usize> = (0..case.pods.len())
        .filter(|i| {
            has(&case.pods[*i])
                && !unready.contains(i)
                && !case.pods[*i].deleting
                && case.pods[*i].phase != Phase::Failed
        })
        .collect();
    if usable.is_empty() {
        r.error = Some("did not receive metrics for targeted pods (pods might be unready)".into());
        return r;
    }
    let utilization = target.kind == TargetType::Utilization;
    // The usage ratio of a set of (pod, usage) samples.
    let ratio_of = |samples: &[(usize, i64)]| -> Result<(f64, String), String> {
        if utilization {
            let t = target.average_utilization.unwrap_or(80);
            let mut used = 0i64;
            let mut req = 0i64;
            for (i, u) in samples {
                let rq = value(&case.pods[*i])
                    .1
                    .ok_or_else(|| format!("missing request for {metric} on pod {}", case.pods[*i].name))?;
                used += u;
                req += rq;
            }
            if req == 0 {
                return Err(format!("no {metric} requests"));
            }
            let pct = (used * 100 / req) as i32; // truncated to a whole percent
            Ok((f64::from(pct) / f64::from(t), format!("{pct}% (target {t}%)")))
        } else {
            let t = target.average_value.map_or(1, |m| m.0).max(1);
            let (ratio, avg) = plain(samples, t);
            Ok((ratio, format!("{avg}m average (target {t}m)")))
        }
    };
    let samples: Vec<(usize, i64)> = usable.iter().map(|&i| (i, value(&case.pods[i]).0.unwrap_or(0))).collect();
    let (ratio, shown) = match ratio_of(&samples) {
        Ok(x) => x,
        Err(e) => {
            r.error = Some(e);
            return r;
        }
    };
    r.ratio = Some(ratio);
    r.current = Some(shown);
    let tol = st.tolerance;
    let scale_up_with_unready = !unready.is_empty() && ratio > 1.0;
    if !scale_up_with_unready && missing.is_empty() {
        if within(tol, ratio) {
            r.proposal = Some(current);
            r.note = format!("ratio {ratio:.3} within tolerance {}: stay at {current}", tolerance_text(tol));
        } else {
            let p = ceil_i32(ratio * ready as f64);
            r.proposal = Some(p);
            r.note = format!("ceil({ratio:.3} × {ready} ready pods) = {p}");
        }
        return r;
    }
    // Rebalance: missing pods at the target (down) or 0 (up); unready pods at 0 (up only).
    let mut s2 = samples.clone();
    if !missing.is_empty() {
        if ratio < 1.0 {
            for &i in &missing {
                let fill = if utilization {
                    let rq = value(&case.pods[i]).1.unwrap_or(0);
                    rq * i64::from(target.average_utilization.unwrap_or(80).max(100)) / 100
                } else {
                    target.average_value.map_or(0, |m| m.0)
                };
                s2.push((i, fill));
            }
        } else if ratio > 1.0 {
            s2.extend(missing.iter().map(|&i| (i, 0)));
        }
    }
    if scale_up_with_unready {
        s2.extend(unready.iter().map(|&i| (i, 0)));
    }
    let new_ratio = match ratio_of(&s2) {
        Ok(x) => x.0,
        Err(e) => {
            r.error = Some(e);
            return r;
        }
    };
    if within(tol, new_ratio) || (ratio < 1.0 && new_ratio > 1.0) || (ratio > 1.0 && new_ratio < 1.0) {
        r.proposal = Some(current);
        r.note = format!(
            "after filling in {} missing / {} unready pods the ratio is {new_ratio:.3}: within tolerance or direction flipped, stay at {current}",
            missing.len(),
            if scale_up_with_unready { unready.len() } else { 0 }
        );
        return r;
    }
    let p = ceil_i32(new_ratio * s2.len() as f64);
    if (new_ratio < 1.0 && p > current) || (new_ratio > 1.0 && p < current) {
        r.proposal = Some(current);
        r.note = format!("ceil({new_ratio:.3} × {}) = {p} would move against the ratio: stay at {current}", s2.len());
        return r;
    }
    r.proposal = Some(p);
    r.note = format!("rebalanced ratio {new_ratio:.3} × {} pods → {p}", s2.len());
    r
}

fn value_metric(case: &Case, st: &Settings, name: &str, total: i64, target: &Target) -> MetricResult {
    let current = case.current_replicas;
    let mut r = MetricResult {
        metric: name.into(),
        proposal: None,
        ratio: None,
        current: None,
        pods: Vec::new(),
        note: String::new(),
        error: None,
    };
    match target.kind {
        TargetType::Value => {
            let t = target.value.map_or(1, |m| m.0).max(1);
            let ratio = total as f64 / t as f64;
            let ready = case.pods.iter().filter(|p| p.phase == Phase::Running && p.ready == Some(true)).count();
            r.ratio = Some(ratio);
            r.current = Some(format!("{total}m (target {t}m)"));
            if within(st.tolerance, ratio) {
                r.proposal = Some(current);
                r.note = format!("ratio {ratio:.3} within tolerance: stay at {current}");
            } else {
                let p = ceil_i32(ratio * ready as f64);
                r.proposal = Some(p);
                r.note = format!("ceil({ratio:.3} × {ready} running and ready pods) = {p}");
            }
        }
        TargetType::AverageValue => {
            let t = target.average_value.map_or(1, |m| m.0).max(1);
            let status = case.status_replicas.unwrap_or(current).max(1);
            let ratio = total as f64 / (t as f64 * f64::from(status));
            r.ratio = Some(ratio);
            r.current = Some(format!("{}m per pod (target {t}m)", (total as f64 / f64::from(status)).ceil() as i64));
            if within(st.tolerance, ratio) {
                r.proposal = Some(current);
                r.note = format!("ratio {ratio:.3} within tolerance: stay at {current}");
            } else {
                let p = ceil_i32(total as f64 / t as f64);
                r.proposal = Some(p);
                r.note = format!("ceil({total}m / {t}m) = {p}");
            }
        }
        TargetType::Utilization => r.error = Some("Utilization targets are for Resource metrics only".into()),
    }
    r
}

fn scale_rules(b: Option<&Behavior>, up: bool, default_down_window: f64) -> (f64, SelectPolicy, Vec<Policy>) {
    let rules = b.and_then(|b| if up { b.scale_up.as_ref() } else { b.scale_down.as_ref() });
    let window = rules
        .and_then(|r| r.stabilization_window_seconds)
        .map_or(if up { 0.0 } else { default_down_window }, f64::from);
    let select = rules.and_then(|r| r.select_policy).unwrap_or(SelectPolicy::Max);
    let policies = rules.and_then(|r| r.policies.clone()).unwrap_or_else(|| {
        default_policies(up)
            .iter()
            .map(|&(kind, value, period)| Policy { kind, value: value as i32, period_seconds: period as i32 })
            .collect()
    });
    (window, select, policies)
}

/// The upstream default policies (reference §1.8), as (type, value, period seconds): scale-up
/// the larger of 4 pods or 100 % per 15 s; scale-down 100 % per 15 s.
pub fn default_policies(up: bool) -> &'static [(PolicyType, u32, u32)] {
    if up { &[(PolicyType::Pods, 4, 15), (PolicyType::Percent, 100, 15)] } else { &[(PolicyType::Percent, 100, 15)] }
}

/// The replicas the behavior policies allow in one direction (`calculateScaleUpLimitWith
/// ScalingRules` / `calculateScaleDownLimitWithBehaviors`), and each policy's proposal. Each
/// policy counts from the replicas at the start of its period: scale events younger than the
/// period are undone. Percent rounds up when scaling up and truncates when scaling down.
fn policy_limit(
    current: i32,
    policies: &[Policy],
    select: SelectPolicy,
    history: &History,
    up: bool,
) -> (i32, Vec<i32>) {
    let change_in = |events: &[ScaleEvent], period: i32| -> i32 {
        events.iter().filter(|e| e.seconds_ago < f64::from(period)).map(|e| e.replica_change).sum()
    };
    let proposals: Vec<i32> = policies
        .iter()
        .map(|p| {
            let start = current - change_in(&history.scale_up_events, p.period_seconds)
                + change_in(&history.scale_down_events, p.period_seconds);
            let pct = f64::from(p.value) / 100.0;
            match (p.kind, up) {
                (PolicyType::Pods, true) => start + p.value,
                (PolicyType::Pods, false) => start - p.value,
                (PolicyType::Percent, true) => (f64::from(start) * (1.0 + pct)).ceil() as i32,
                (PolicyType::Percent, false) => (f64::from(start) * (1.0 - pct)) as i32,
            }
        })
        .collect();
    // selectPolicy Max means "allow the largest change": the highest proposal up, the lowest down.
    let (most, least) = (proposals.iter().copied().max(), proposals.iter().copied().min());
    let limit = match (select, up) {
        (SelectPolicy::Disabled, _) => current,
        (SelectPolicy::Max, true) | (SelectPolicy::Min, false) => most.unwrap_or(current),
        (SelectPolicy::Min, true) | (SelectPolicy::Max, false) => least.unwrap_or(current),
    };
    (if up { limit.max(current) } else { limit.min(current) }, proposals)
}

/// One reconcile of `case`, explained.
pub fn explain(case: &Case) -> Explanation {
    let st = Settings {
        tolerance: {
            // Per direction when the behavior sets it (Kubernetes 1.33+), else the controller's.
            let global = case.tolerance.unwrap_or(0.1);
            let b = case.hpa.spec.behavior.as_ref();
            let of = |r: Option<&Rules>| r.and_then(|r| r.tolerance).map_or(global, |m| m.0 as f64 / 1000.0);
            (of(b.and_then(|b| b.scale_down.as_ref())), of(b.and_then(|b| b.scale_up.as_ref())))
        },
        cpu_init: case.cpu_initialization_period_seconds.unwrap_or(300.0),
        readiness_delay: case.initial_readiness_delay_seconds.unwrap_or(30.0),
        downscale_window: case.downscale_stabilization_seconds.unwrap_or(300.0),
        window: case.metric_window_seconds.unwrap_or(30.0),
    };
    let spec = &case.hpa.spec;
    let current = case.current_replicas;
    let min = spec.min_replicas.unwrap_or(1);
    let max = spec.max_replicas;
    let mut steps = Vec::new();
    let done = |desired: i32,
                limited_by: &str,
                metrics: Vec<MetricResult>,
                md: Option<i32>,
                mut steps: Vec<String>,
                why: String| {
        steps.push(why);
        Explanation {
            desired_replicas: desired,
            current_replicas: current,
            metrics,
            metric_desired: md,
            steps,
            limited_by: limited_by.into(),
        }
    };
    if current == 0 && min != 0 {
        return done(
            current,
            "ScalingDisabled",
            vec![],
            None,
            steps,
            "scale target has 0 replicas and minReplicas ≠ 0: scaling is disabled".into(),
        );
    }
    if current > max {
        return done(
            max,
            "TooManyReplicas",
            vec![],
            None,
            steps,
            format!("current {current} > maxReplicas {max}: set to {max} (no metrics computed)"),
        );
    }
    if current < min {
        return done(
            min,
            "TooFewReplicas",
            vec![],
            None,
            steps,
            format!("current {current} < minReplicas {min}: set to {min} (no metrics computed)"),
        );
    }
    let default_cpu = [MetricSpec::Resource {
        resource: ResourceSource {
            name: "cpu".into(),
            target: Target {
                kind: TargetType::Utilization,
                average_utilization: Some(80),
                average_value: None,
                value: None,
            },
        },
    }];
    let specs: &[MetricSpec] = if spec.metrics.is_empty() { &default_cpu } else { &spec.metrics };
    let results: Vec<MetricResult> = specs.iter().map(|m| metric_result(case, &st, m)).collect();
    // Max over metrics, with the invalid-metric scale-down veto.
    let invalid = results.iter().filter(|r| r.proposal.is_none()).count();
    let best = results.iter().filter_map(|r| r.proposal).max();
    if invalid == results.len() || (invalid > 0 && best.unwrap_or(0) < current) {
        let why = if invalid == results.len() {
            "every metric is invalid: no scaling this cycle".to_string()
        } else {
            format!("{invalid} metric(s) invalid and the others propose {}: a scale-down is vetoed", best.unwrap_or(0))
        };
        return done(current, "FailedGetMetrics", results, best, steps, why);
    }
    let desired = best.unwrap_or(current).max(0);
    steps.push(format!("max over metrics: {desired}"));

    let history = case.history.clone().unwrap_or_else(|| {
        steps.push(format!("no history: the controller seeds its recommendations with the current {current}"));
        History { recommendations: vec![Recommendation { replicas: current, seconds_ago: 0.0 }], ..Default::default() }
    });
    let bounds = Bounds { current, min, max };
    let (final_desired, limited_by) = match &spec.behavior {
        None => legacy_rules(&st, &history, desired, bounds, &mut steps),
        Some(b) => behavior_rules(b, &st, &history, desired, bounds, &mut steps),
    };
    let why = format!("desired {final_desired} ({limited_by})");
    done(final_desired, limited_by, results, Some(desired), steps, why)
}

/// The replica counts a decision is bounded by.
#[derive(Debug, Clone, Copy)]
struct Bounds {
    current: i32,
    min: i32,
    max: i32,
}

/// One metric's proposal (replica calculator) for the case.
fn metric_result(case: &Case, st: &Settings, m: &MetricSpec) -> MetricResult {
    match m {
        MetricSpec::Resource { resource } => {
            let name = resource.name.clone();
            let n2 = name.clone();
            pods_metric(
                case,
                st,
                &format!("resource {name}"),
                &move |p| resource_values(p, &n2, None),
                resource.target.clone(),
                name == "cpu",
            )
        }
        MetricSpec::ContainerResource { container_resource: c } => {
            let (n2, c2) = (c.name.clone(), c.container.clone());
            pods_metric(
                case,
                st,
                &format!("container resource {} of {}", c.name, c.container),
                &move |p| resource_values(p, &n2, Some(&c2)),
                c.target.clone(),
                c.name == "cpu",
            )
        }
        MetricSpec::Pods { pods } => {
            let n = pods.metric.name.clone();
            let mut t = pods.target.clone();
            t.kind = TargetType::AverageValue;
            pods_metric(
                case,
                st,
                &format!("pods metric {n}"),
                &move |p| (p.metrics.get(&n).map(|m| m.0), None),
                t,
                false,
            )
        }
        MetricSpec::Object { object } => match case.object_metrics.get(&object.metric.name) {
            Some(v) => value_metric(case, st, &format!("object metric {}", object.metric.name), v.0, &object.target),
            None => MetricResult {
                metric: format!("object metric {}", object.metric.name),
                proposal: None,
                ratio: None,
                current: None,
                pods: vec![],
                note: String::new(),
                error: Some("no value for this object metric".into()),
            },
        },
        MetricSpec::External { external } => match case.external_metrics.get(&external.metric.name) {
            Some(vs) if !vs.is_empty() => {
                let total = vs.iter().map(|m| m.0).sum();
                value_metric(
                    case,
                    st,
                    &format!("external metric {} (sum of {} series)", external.metric.name, vs.len()),
                    total,
                    &external.target,
                )
            }
            _ => MetricResult {
                metric: format!("external metric {}", external.metric.name),
                proposal: None,
                ratio: None,
                current: None,
                pods: vec![],
                note: String::new(),
                error: Some("no series for this external metric".into()),
            },
        },
    }
}

/// The legacy rules (no `behavior`): 5-minute downscale stabilisation, scale-up cap
/// max(2 × current, 4).
fn legacy_rules(
    st: &Settings,
    history: &History,
    desired: i32,
    b: Bounds,
    steps: &mut Vec<String>,
) -> (i32, &'static str) {
    let Bounds { current, min, max } = b;
    // Legacy: 5-minute downscale stabilisation, scale-up cap max(2 × current, 4).
    let stabilized = history
        .recommendations
        .iter()
        .filter(|r| r.seconds_ago <= st.downscale_window)
        .map(|r| r.replicas)
        .fold(desired, i32::max);
    if stabilized != desired {
        steps.push(format!(
            "downscale stabilisation ({} s): highest recent recommendation {stabilized}",
            st.downscale_window
        ));
    }
    let limit = ((2.0 * f64::from(current)).max(4.0)) as i32;
    let max_allowed = max.min(limit);
    if stabilized < min {
        (min, "TooFewReplicas")
    } else if stabilized > max_allowed {
        steps.push(format!("scale-up limit max(2 × {current}, 4) = {limit}; maxReplicas {max}"));
        (max_allowed, if limit < max { "ScaleUpLimit" } else { "TooManyReplicas" })
    } else {
        (stabilized, if stabilized != desired { "ScaleDownStabilized" } else { "DesiredWithinRange" })
    }
}

/// The `behavior` rules: stabilisation windows per direction, then the selected policy's limit.
fn behavior_rules(
    b: &Behavior,
    st: &Settings,
    history: &History,
    desired: i32,
    bounds: Bounds,
    steps: &mut Vec<String>,
) -> (i32, &'static str) {
    let Bounds { current, min, max } = bounds;
    let (up_w, up_sel, up_pol) = scale_rules(Some(b), true, st.downscale_window);
    let (down_w, down_sel, down_pol) = scale_rules(Some(b), false, st.downscale_window);
    let up_rec =
        history.recommendations.iter().filter(|r| r.seconds_ago < up_w).map(|r| r.replicas).fold(desired, i32::min);
    let down_rec =
        history.recommendations.iter().filter(|r| r.seconds_ago < down_w).map(|r| r.replicas).fold(desired, i32::max);
    let mut rec = current;
    if rec < up_rec {
        rec = up_rec;
    }
    if rec > down_rec {
        rec = down_rec;
    }
    let mut reason = "DesiredWithinRange";
    if rec != desired {
        steps.push(format!("stabilisation windows (up {up_w} s, down {down_w} s): {rec}"));
        reason = if rec > desired { "ScaleDownStabilized" } else { "ScaleUpStabilized" };
    }
    if rec > current {
        let (limit, proposals) = policy_limit(current, &up_pol, up_sel, history, true);
        let max_allowed = max.min(limit);
        if rec > max_allowed {
            steps.push(format!("scale-up policies ({up_sel:?} of {proposals:?}) allow {limit}; maxReplicas {max}"));
            (max_allowed, if limit < max { "ScaleUpLimit" } else { "TooManyReplicas" })
        } else {
            (rec, reason)
        }
    } else if rec < current {
        let (limit, proposals) = policy_limit(current, &down_pol, down_sel, history, false);
        let min_allowed = min.max(limit);
        if rec < min_allowed {
            steps.push(format!("scale-down policies ({down_sel:?} of {proposals:?}) allow {limit}; minReplicas {min}"));
            (min_allowed, if limit > min { "ScaleDownLimit" } else { "TooFewReplicas" })
        } else {
            (rec, reason)
        }
    } else {
        (rec, reason)
    }
}

/// The explanation as text.
pub fn explain_text(e: &Explanation) -> String {
    let mut out = format!(
        "desiredReplicas: {} (current {}; limited by {})\n",
        e.desired_replicas, e.current_replicas, e.limited_by
    );
    for m in &e.metrics {
        out += &format!(
            "\n{}: proposal {}, ratio {}, current {}\n",
            m.metric,
            m.proposal.map_or("invalid".into(), |p| p.to_string()),
            m.ratio.map_or("-".into(), |r| format!("{r:.3}")),
            m.current.as_deref().unwrap_or("-")
        );
        if !m.note.is_empty() {
            out += &format!("  {}\n", m.note);
        }
        if let Some(err) = &m.error {
            out += &format!("  error: {err}\n");
        }
        for p in &m.pods {
            out += &format!("  pod {} {}: {}\n", p.pod, p.group, p.reason);
        }
    }
    out += "\n";
    for s in &e.steps {
        out += &format!("- {s}\n");
    }
    out
}
