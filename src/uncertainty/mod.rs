//! Uncertainty: the Monte Carlo over the scenario's uncertain inputs, run with the engine's
//! summing sink.

pub mod montecarlo;
pub mod review;
