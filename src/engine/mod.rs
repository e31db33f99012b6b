//! The engine: users → requests → replicas → nodes → managed services → monthly dollars.
//!
//! [`demand`] projects users; [`sizing`] sizes each site role per month (with [`k8s`] packing
//! and allocatable, [`autoscale`] simulated days under [`hpa`] and the cluster autoscaler,
//! [`queueing`] latency); [`program`] compiles a scenario into price slots and variant shapes;
//! [`eval`] is the one evaluator that prices every line into a ledger; [`plan`] drives it into a
//! [`report::Report`] (recording sink) or a Monte Carlo path's totals (summing sink);
//! [`topology`] derives availability, RTO and RPO; [`recommend`] reads commitments off a plan;
//! [`diff`] attributes the change between two scenarios to each changed input.
//!
//! Depends on `catalog`, `scenario` and `money`; never on `uncertainty`, `output`, `cli` or `gui`.

pub mod autoscale;
pub mod demand;
pub mod diff;
pub mod eval;
pub mod hpa;
pub mod k8s;
pub mod plan;
pub mod program;
pub mod queueing;
pub mod recommend;
pub mod report;
pub mod sizing;
pub mod topology;
