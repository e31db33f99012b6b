//! The integration tests, one binary (one link, one run): a module per area, shared helpers in
//! `common`, data-driven suites over `tests/bad/`, `tests/hpa/` and `models/`.

mod architecture;
mod autoscale;
mod bad_input;
mod cli;
mod common;
mod evaluator;
mod export;
mod finance;
mod gui;
mod hpa;
mod models;
mod montecarlo;
mod prices;
mod queueing;
mod review;
mod seed;
mod sweep;
mod topology;
