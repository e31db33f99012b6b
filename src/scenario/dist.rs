//! The distributions of uncertain inputs, ready to sample: built from the scenario's
//! parameters (statrs), so an invalid distribution cannot be constructed.

use rand::distr::Distribution;
use rand_chacha::ChaCha8Rng;

use crate::scenario::model::Dist;

/// Why a distribution's parameters cannot be sampled.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DistError {
    #[error("needs min < max and min ≤ mode ≤ max, found {min}, {mode}, {max}")]
    Unordered { min: f64, mode: f64, max: f64 },
    #[error("LogNormal needs mean > 0 and sd > 0, found {mean}, {sd}")]
    LogNormal { mean: f64, sd: f64 },
    /// statrs rejected the parameters.
    #[error("{0}")]
    Parameters(String),
}

/// A distribution ready to sample.
#[derive(Debug, Clone)]
pub enum Sampler {
    Normal(statrs::distribution::Normal),
    LogNormal(statrs::distribution::LogNormal),
    Triangular(statrs::distribution::Triangular),
    /// Beta on [0, 1], scaled to [min, max].
    Pert(statrs::distribution::Beta, f64, f64),
    Uniform(statrs::distribution::Uniform),
}

impl Sampler {
    /// The statrs distribution for `d`, or why its parameters are invalid.
    pub fn new(d: &Dist) -> Result<Sampler, DistError> {
        use statrs::distribution as sd;
        let ordered = |min: f64, mode: f64, max: f64| {
            if min.is_finite() && max.is_finite() && mode.is_finite() && min < max && min <= mode && mode <= max {
                Ok(())
            } else {
                Err(DistError::Unordered { min, mode, max })
            }
        };
        match *d {
            Dist::Normal { mean, sd } => sd::Normal::new(mean, sd)
                .map(Sampler::Normal)
                .map_err(|e| DistError::Parameters(format!("Normal({mean}, {sd}): {e}"))),
            Dist::LogNormal { mean, sd } => {
                if !(mean.is_finite() && mean > 0.0 && sd.is_finite() && sd > 0.0) {
                    return Err(DistError::LogNormal { mean, sd });
                }
                let s2 = (1.0 + (sd / mean).powi(2)).ln();
                sd::LogNormal::new(mean.ln() - s2 / 2.0, s2.sqrt())
                    .map(Sampler::LogNormal)
                    .map_err(|e| DistError::Parameters(format!("LogNormal({mean}, {sd}): {e}")))
            }
            Dist::Triangular { min, mode, max } => {
                ordered(min, mode, max)?;
                sd::Triangular::new(min, max, mode)
                    .map(Sampler::Triangular)
                    .map_err(|e| DistError::Parameters(e.to_string()))
            }
            Dist::Pert { min, mode, max } => {
                ordered(min, mode, max)?;
                let r = max - min;
                sd::Beta::new(1.0 + 4.0 * (mode - min) / r, 1.0 + 4.0 * (max - mode) / r)
                    .map(|b| Sampler::Pert(b, min, max))
                    .map_err(|e| DistError::Parameters(e.to_string()))
            }
            Dist::Uniform { min, max } => {
                ordered(min, min, max)?;
                sd::Uniform::new(min, max).map(Sampler::Uniform).map_err(|e| DistError::Parameters(e.to_string()))
            }
        }
    }

    /// The value a share `p` (0–1) of draws fall below (the inverse CDF).
    pub fn quantile(&self, p: f64) -> f64 {
        use statrs::distribution::ContinuousCDF;
        match self {
            Sampler::Normal(d) => d.inverse_cdf(p),
            Sampler::LogNormal(d) => d.inverse_cdf(p),
            Sampler::Triangular(d) => d.inverse_cdf(p),
            Sampler::Pert(d, min, max) => min + (max - min) * d.inverse_cdf(p),
            Sampler::Uniform(d) => d.inverse_cdf(p),
        }
    }

    pub fn sample(&self, rng: &mut ChaCha8Rng) -> f64 {
        match self {
            Sampler::Normal(d) => d.sample(rng),
            Sampler::LogNormal(d) => d.sample(rng),
            Sampler::Triangular(d) => d.sample(rng),
            Sampler::Pert(d, min, max) => min + (max - min) * d.sample(rng),
            Sampler::Uniform(d) => d.sample(rng),
        }
    }
}
