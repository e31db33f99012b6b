//! Request-level load on one service: the M/M/c queue analytically (Erlang C), and a
//! discrete-event simulation of a peak hour with `c` first-come-first-served servers (replicas ×
//! concurrent requests per pod), Poisson (optionally bursty) arrivals and exponential,
//! lognormal or deterministic service times.
//!
//! Formulas: Erlang B by the recurrence `B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1))`, Erlang C
//! from it, `C = c·B / (c − a·(1 − B))` (Kleinrock, *Queueing Systems* vol. 1, §3.5); the
//! M/M/c waiting time is 0 with probability `1 − C` and exponential with rate `cμ − λ`
//! otherwise, so the response time `T = W + S` has
//! `P(T > t) = (1 − C)·e^{−μt} + C·(θ·e^{−μt} − μ·e^{−θt}) / (θ − μ)` with `θ = cμ − λ`
//! (`C·e^{−μt}(1 + μt)` added instead when `θ = μ`).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rand::SeedableRng;
use rand::distr::Distribution;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

/// Erlang B: the blocking probability of `c` servers offered `a` Erlangs.
pub fn erlang_b(c: u32, a: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (f64::from(k) + a * b);
    }
    b
}

/// Erlang C: the probability that an arrival waits, for `c` servers offered `a` Erlangs
/// (`a = λ/μ`). None when the queue is unstable (`a ≥ c`).
pub fn erlang_c(c: u32, a: f64) -> Option<f64> {
    if c == 0 || !a.is_finite() || a < 0.0 || a >= f64::from(c) {
        return None;
    }
    let b = erlang_b(c, a);
    Some(f64::from(c) * b / (f64::from(c) - a * (1.0 - b)))
}

/// An M/M/c queue: arrival rate `lambda` and service rate `mu` per second, `c` servers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Mmc {
    pub lambda: f64,
    pub mu: f64,
    pub c: u32,
}

impl Mmc {
    /// Offered load in Erlangs.
    pub fn offered(&self) -> f64 {
        self.lambda / self.mu
    }
    pub fn utilisation(&self) -> f64 {
        self.offered() / f64::from(self.c)
    }
    /// Probability of waiting; None if unstable.
    pub fn p_wait(&self) -> Option<f64> {
        erlang_c(self.c, self.offered())
    }
    /// Mean wait in queue, seconds.
    pub fn mean_wait(&self) -> Option<f64> {
        Some(self.p_wait()? / (f64::from(self.c) * self.mu - self.lambda))
    }
    /// Mean response time (wait + service), seconds.
    pub fn mean_response(&self) -> Option<f64> {
        Some(self.mean_wait()? + 1.0 / self.mu)
    }
    /// Mean number waiting (Little's law on the wait).
    pub fn mean_queue(&self) -> Option<f64> {
        Some(self.lambda * self.mean_wait()?)
    }
    /// `P(T > t)` for the response time.
    pub fn response_exceeds(&self, t: f64) -> Option<f64> {
        Some(self.exceeds_with(self.p_wait()?, t))
    }

    /// `P(T > t)` given the waiting probability `cw`.
    fn exceeds_with(&self, cw: f64, t: f64) -> f64 {
        let mu = self.mu;
        let theta = f64::from(self.c) * mu - self.lambda;
        let es = (-mu * t).exp();
        let tail = if (theta - mu).abs() < 1e-9 * mu {
            es * (1.0 + mu * t)
        } else {
            (theta * es - mu * (-theta * t).exp()) / (theta - mu)
        };
        (1.0 - cw) * es + cw * tail
    }
    /// The `q` quantile of the response time, seconds (bisection on [`Mmc::response_exceeds`]).
    pub fn response_quantile(&self, q: f64) -> Option<f64> {
        let cw = self.p_wait()?;
        let target = 1.0 - q;
        let mut hi = 1.0 / self.mu;
        while self.exceeds_with(cw, hi) > target {
            hi *= 2.0;
            if hi > 1e9 {
                return None;
            }
        }
        // P(T > t) ≤ e^{-μt}·(…) falls at least as fast as the service time's tail: the
        // quantile is at least the service's own, −ln(1 − q)/μ.
        let lo = (-(1.0 - q).ln() / self.mu).min(hi);
        // 40 halvings of a bracket within a factor 2: relative precision ~1e-12.
        Some(bisect(lo, hi, 40, |t| self.exceeds_with(cw, t) > target))
    }
}

/// The point where `above` turns false in `[lo, hi]` (true at `lo`, false at `hi`), after `n`
/// halvings: the upper end of the last bracket.
fn bisect(mut lo: f64, mut hi: f64, n: u32, above: impl Fn(f64) -> bool) -> f64 {
    for _ in 0..n {
        let mid = 0.5 * (lo + hi);
        if above(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi
}

pub use crate::scenario::model::{Burst, ServiceTime};

/// The squared coefficient of variation of a service-time distribution.
pub fn scv(s: ServiceTime) -> f64 {
    match s {
        ServiceTime::Exponential => 1.0,
        ServiceTime::LogNormal(cv) => cv * cv,
        ServiceTime::Deterministic => 0.0,
    }
}

/// An M/G/c queue: Poisson arrivals `lambda` per second, `c` servers, service times of mean
/// `mean_s` seconds distributed as `service`. Exponential service is M/M/c, exact (Erlang C);
/// any other distribution uses the Allen–Cunneen approximation (Allen, *Probability,
/// Statistics and Queueing Theory*, 2nd ed., 1990, §6; also Gross & Harris): the probability of
/// waiting is Erlang C's, and the waits scale by `(Ca² + Cs²) / 2` with `Ca² = 1` — the
/// conditional wait is taken as exponential with mean `k / (cμ − λ)`, and the response time is
/// that wait plus the service time drawn from its own distribution.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Mgc {
    pub lambda: f64,
    pub mean_s: f64,
    pub c: u32,
    pub service: ServiceTime,
}

impl Mgc {
    fn mmc(&self) -> Mmc {
        Mmc { lambda: self.lambda, mu: 1.0 / self.mean_s, c: self.c }
    }

    /// Which model the figures come from, as every latency figure says it.
    pub fn model(&self) -> String {
        match self.service {
            ServiceTime::Exponential => "M/M/c (Erlang C)".into(),
            ServiceTime::LogNormal(cv) => format!("M/G/c (Allen–Cunneen; lognormal service, CV {cv})"),
            ServiceTime::Deterministic => "M/D/c (Allen–Cunneen)".into(),
        }
    }

    /// Busy share of the servers; None when the queue is unstable (offered load ≥ servers).
    pub fn utilisation(&self) -> Option<f64> {
        self.p_wait().map(|_| self.mmc().utilisation())
    }
    /// Probability of waiting (Erlang C); None if unstable.
    pub fn p_wait(&self) -> Option<f64> {
        self.mmc().p_wait()
    }
    /// `(1 + Cs²) / 2`: how much longer the waits are than M/M/c's.
    fn k(&self) -> f64 {
        (1.0 + scv(self.service)) / 2.0
    }
    /// Mean wait in queue, seconds.
    pub fn mean_wait(&self) -> Option<f64> {
        Some(self.mmc().mean_wait()? * self.k())
    }
    /// Mean response time (wait + service), seconds.
    pub fn mean_response(&self) -> Option<f64> {
        Some(self.mean_wait()? + self.mean_s)
    }
    /// Mean number waiting (Little's law).
    pub fn mean_queue(&self) -> Option<f64> {
        Some(self.lambda * self.mean_wait()?)
    }

    /// `P(T > t)` for the response time; None if unstable.
    pub fn response_exceeds(&self, t: f64) -> Option<f64> {
        let cw = self.p_wait()?;
        Some(self.exceeds_with(cw, t))
    }

    /// `P(T > t) = P(S > t) + C·E[e^{−r(t−S)}; S ≤ t]` with `r = (cμ − λ)/k` (the wait, when
    /// there is one, exponential with rate `r`, independent of the request's own service).
    fn exceeds_with(&self, cw: f64, t: f64) -> f64 {
        if t <= 0.0 {
            return 1.0;
        }
        let r = (f64::from(self.c) / self.mean_s - self.lambda) / self.k();
        match self.service {
            ServiceTime::Exponential => self.mmc().exceeds_with(cw, t),
            ServiceTime::Deterministic => {
                if t < self.mean_s {
                    1.0
                } else {
                    cw * (-r * (t - self.mean_s)).exp()
                }
            }
            ServiceTime::LogNormal(cv) => {
                use statrs::distribution::ContinuousCDF;
                let s2 = (1.0 + cv * cv).ln();
                let Ok(d) = statrs::distribution::LogNormal::new(self.mean_s.ln() - s2 / 2.0, s2.sqrt()) else {
                    return f64::NAN;
                };
                // E[e^{−r(t−S)}; S ≤ t] = F(t) − r ∫₀ᵗ F(s) e^{−r(t−s)} ds (by parts); Simpson.
                const N: usize = 256;
                let h = t / N as f64;
                let g = |s: f64| d.cdf(s) * (-r * (t - s)).exp();
                let mut sum = g(0.0) + g(t);
                for i in 1..N {
                    sum += g(i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
                }
                let integral = sum * h / 3.0;
                let f = d.cdf(t);
                ((1.0 - f) + cw * (f - r * integral)).clamp(0.0, 1.0)
            }
        }
    }

    /// The `q` quantile of the response time, seconds; None if unstable.
    pub fn response_quantile(&self, q: f64) -> Option<f64> {
        if self.service == ServiceTime::Exponential {
            return self.mmc().response_quantile(q);
        }
        let cw = self.p_wait()?;
        let target = 1.0 - q;
        let mut hi = self.mean_s.max(1e-9);
        while self.exceeds_with(cw, hi) > target {
            hi *= 2.0;
            if hi > 1e9 {
                return None;
            }
        }
        Some(bisect(0.0, hi, 50, |t| self.exceeds_with(cw, t) > target))
    }
}

/// One run of the discrete-event simulation.
#[derive(Debug, Clone, PartialEq)]
pub struct DesInput {
    /// Mean arrival rate, requests per second.
    pub lambda: f64,
    /// Mean service time, seconds.
    pub mean_service_s: f64,
    pub service: ServiceTime,
    pub servers: u32,
    /// Simulated time, seconds (after the warm-up).
    pub duration_s: f64,
    /// Time simulated first and not measured, seconds.
    pub warmup_s: f64,
    pub burst: Option<Burst>,
    pub seed: u64,
}

/// What the simulation measured (requests arriving after the warm-up).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DesResult {
    pub requests: u64,
    pub mean_response_ms: f64,
    /// Half-width of the 95 % confidence interval of the mean response (20 batch means).
    pub mean_response_ci95_ms: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub mean_wait_ms: f64,
    /// Busy share of the servers, at most 1.
    pub utilisation: f64,
    /// Time-average number of requests waiting.
    pub mean_queue: f64,
    /// The offered load is at least the servers (`λ·E[S] ≥ c`): the queue grows without bound,
    /// and the figures above depend on how long it ran.
    pub unstable: bool,
}

/// Run the simulation. `None` for inputs it cannot run (no servers, non-positive rates).
pub fn simulate(input: &DesInput) -> Option<DesResult> {
    let DesInput { lambda, mean_service_s, service, servers, duration_s, warmup_s, burst, seed } = *input;
    let positive = |x: f64| x.is_finite() && x > 0.0;
    if servers == 0 || !positive(lambda) || !positive(mean_service_s) || !positive(duration_s) || warmup_s < 0.0 {
        return None;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let exp1 = statrs::distribution::Exp::new(1.0).ok()?;
    let lognormal = match service {
        ServiceTime::LogNormal(cv) => {
            let s2 = (1.0 + cv * cv).ln();
            Some(statrs::distribution::LogNormal::new(mean_service_s.ln() - s2 / 2.0, s2.sqrt()).ok()?)
        }
        _ => None,
    };
    // Arrival-rate states: (rate, mean sojourn) — one state without bursts.
    let states = match burst {
        Some(b) if b.factor * b.share < 1.0 => {
            let low = lambda * (1.0 - b.share * b.factor) / (1.0 - b.share);
            [(lambda * b.factor, b.mean_seconds), (low, b.mean_seconds * (1.0 - b.share) / b.share)]
        }
        _ => [(lambda, f64::INFINITY), (lambda, f64::INFINITY)],
    };
    let end = warmup_s + duration_s;
    let mut free: BinaryHeap<Reverse<u64>> = (0..servers).map(|_| Reverse(0f64.to_bits())).collect();
    let mut hist = hdrhistogram::Histogram::<u64>::new(3).ok()?;
    const BATCHES: usize = 20;
    let mut batch_sum = [0.0f64; BATCHES];
    let mut batch_n = [0u64; BATCHES];
    let batch_scale = BATCHES as f64 / duration_s;
    let (mut n, mut sum_resp, mut sum_wait, mut busy) = (0u64, 0.0, 0.0, 0.0);
    let mut t = 0.0;
    let mut state = 0;
    let mut state_end = if states[0].1.is_finite() { states[0].1 * exp1.sample(&mut rng) } else { f64::INFINITY };
    loop {
        // Next arrival (memoryless: a state change restarts the draw).
        let mut dt = exp1.sample(&mut rng) / states[state].0;
        while t + dt > state_end {
            t = state_end;
            state ^= 1;
            state_end = t + states[state].1 * exp1.sample(&mut rng);
            dt = exp1.sample(&mut rng) / states[state].0;
        }
        t += dt;
        if t >= end {
            break;
        }
        let s = match service {
            ServiceTime::Exponential => mean_service_s * exp1.sample(&mut rng),
            ServiceTime::LogNormal(_) => lognormal.as_ref().map_or(mean_service_s, |d| d.sample(&mut rng)),
            ServiceTime::Deterministic => mean_service_s,
        };
        // The earliest-free server takes it (FCFS); replacing the heap's top sifts once.
        let mut top = free.peek_mut()?;
        let start = t.max(f64::from_bits(top.0));
        let done = start + s;
        *top = Reverse(done.to_bits());
        drop(top);
        if t >= warmup_s {
            let wait = start - t;
            let resp = wait + s;
            n += 1;
            sum_resp += resp;
            sum_wait += wait;
            busy += s;
            let _ = hist.record(((resp * 1e6 + 0.5) as u64).max(1));
            let b = (((t - warmup_s) * batch_scale) as usize).min(BATCHES - 1);
            batch_sum[b] += resp;
            batch_n[b] += 1;
        }
    }
    if n == 0 {
        return None;
    }
    let means: Vec<f64> = batch_sum.iter().zip(&batch_n).filter(|(_, k)| **k > 0).map(|(s, &k)| s / k as f64).collect();
    let m = means.iter().sum::<f64>() / means.len() as f64;
    let var = means.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (means.len().max(2) - 1) as f64;
    // Student t, 19 degrees of freedom, 97.5 %: 2.093.
    let ci = 2.093 * (var / means.len() as f64).sqrt();
    let q = |p: f64| hist.value_at_quantile(p) as f64 / 1000.0;
    Some(DesResult {
        requests: n,
        mean_response_ms: sum_resp / n as f64 * 1000.0,
        mean_response_ci95_ms: ci * 1000.0,
        p50_ms: q(0.5),
        p95_ms: q(0.95),
        p99_ms: q(0.99),
        mean_wait_ms: sum_wait / n as f64 * 1000.0,
        utilisation: (busy / (f64::from(servers) * duration_s)).min(1.0),
        mean_queue: sum_wait / duration_s,
        unstable: lambda * mean_service_s >= f64::from(servers),
    })
}

/// The fewest replicas whose response-time `percentile` ([`Mgc`]: M/M/c for exponential
/// service, Allen–Cunneen otherwise) at `lambda` plus `offset_s` (the part of the response that
/// is not CPU: database, network) stays within `slo_s`. `mu` = 1 / CPU time per request;
/// `per_pod` concurrent requests per replica. None if no count up to `limit` meets it.
#[allow(clippy::too_many_arguments)]
pub fn replicas_for_slo(
    lambda: f64,
    mu: f64,
    service: ServiceTime,
    per_pod: u32,
    percentile: f64,
    slo_s: f64,
    offset_s: f64,
    limit: u32,
) -> Option<u32> {
    // Met when P(T > slo − offset) ≤ 1 − percentile: one Erlang C per count, no quantile search.
    let budget = slo_s - offset_s;
    if budget <= 0.0 {
        return None;
    }
    let per_pod = per_pod.max(1);
    let meets = |r: u32| {
        let q = Mgc { lambda, mean_s: 1.0 / mu, c: r.saturating_mul(per_pod), service };
        q.response_exceeds(budget).is_some_and(|p| p <= 1.0 - percentile)
    };
    // Response time only falls as servers are added: double from the first stable count, then
    // bisect.
    let stable = ((lambda / mu / f64::from(per_pod)).floor() as u32).saturating_add(1).max(1);
    let limit = limit.max(1);
    let mut hi = stable.min(limit);
    while !meets(hi) {
        if hi >= limit {
            return None;
        }
        hi = hi.saturating_mul(2).min(limit);
    }
    let mut lo = stable.min(hi);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if meets(mid) { hi = mid } else { lo = mid + 1 }
    }
    Some(lo)
}
