//! The desktop app driven through its accessibility tree (egui_kittest), asserting on state.
#![cfg(feature = "gui")]

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use headroom::gui::HeadroomApp;
use headroom::output::render::usd0;
use headroom::{Catalog, load_scenario, plan};

fn harness() -> Harness<'static, HeadroomApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut HeadroomApp| app.ui(ui), HeadroomApp::seed());
    h.run();
    h
}

#[test]
fn opens_on_the_seed_with_its_figures() {
    let h = harness();
    let r = &h.state().report;
    // The month-1 total of the first variant, as the engine computed it, is on screen.
    h.get_by_label(&usd0(r.variants[0].months[0].total_usd));
    // Each variant appears in the table and in the chart legend.
    assert_eq!(h.query_all_by_label("aws-warm-standby").count(), 2);
    assert_eq!(h.query_all_by_label("hybrid-onprem-primary").count(), 2);
}

#[test]
fn growth_slider_replans_five_years() {
    let mut h = harness();
    let before = h.state().report.variants[0].months[59].total_usd;
    h.get_by_role_and_label(Role::Slider, "Annual growth").set_value_accesskit(40.0);
    h.run();
    let app = h.state();
    assert!((app.scenario.demand.annual_growth - 0.40).abs() < 1e-9);
    // The figure on screen is the engine's for the edited scenario.
    let mut s = load_scenario(headroom::SEED_SCENARIO, Catalog::builtin()).unwrap().into_inner();
    s.demand.annual_growth = 0.40;
    let expected = plan(&headroom::validate(s, Catalog::builtin()).unwrap(), Catalog::builtin());
    let after = app.report.variants[0].months[59].total_usd;
    assert_eq!(after, expected.variants[0].months[59].total_usd);
    assert!(after > before);
    h.get_by_label(&usd0(after));
}

#[test]
fn an_invalid_edit_keeps_the_previous_plan_and_says_why() {
    let mut h = harness();
    let before = h.state().report.clone();
    h.state_mut().apply(headroom::gui::Command::SetUsers(f64::NAN));
    h.run();
    assert_eq!(h.state().report, before);
    h.get_by_label("demand.concurrent_users: must be between 1 and 100000000, found NaN");
    // The banner can be dismissed; the plan stays.
    h.get_by_label("Dismiss").click();
    h.run();
    assert_eq!(h.state().error, None);
    assert!(h.query_by_label("demand.concurrent_users: must be between 1 and 100000000, found NaN").is_none());
    assert_eq!(h.state().report, before);
}

/// Warnings are grouped by kind, each group folded with its count; opening one lists them.
#[test]
fn warnings_are_grouped_by_kind() {
    // The catalog-only seed: its us-west-2 gaps and on-prem lines give unknown-price warnings.
    let app =
        HeadroomApp::new(headroom::gui::Start { path: None, text: crate::common::seed_text(), tab: None }).unwrap();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut HeadroomApp| app.ui(ui), app);
    h.run();
    let r = h.state().report.clone();
    assert!(!r.warnings.is_empty());
    let kind = r.warnings[0].kind;
    let n = r.warnings.iter().filter(|w| w.kind == kind).count();
    let first = r.warnings.iter().find(|w| w.kind == kind).unwrap();
    let line = format!("[{}] month {} ({}): {}", first.variant, first.first_month, first.month, first.message);
    assert!(h.query_by_label(&line).is_none(), "folded at first");
    h.get_by_label(&format!("{} ({n})", kind.label())).click();
    h.run();
    h.get_by_label(&line);
}

/// A desktop without a dialog service: rfd returns nothing at once.
struct NoDialogs;
impl headroom::gui::Dialogs for NoDialogs {
    fn save_path(&self, _: &str, _: &str) -> Option<std::path::PathBuf> {
        None
    }
    fn open_path(&self) -> Option<std::path::PathBuf> {
        None
    }
}

#[test]
fn export_menu_falls_back_to_a_path_field_and_writes_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("review.html");
    let mut h = harness();
    h.state_mut().dialogs = Box::new(NoDialogs);
    h.get_by_label("Export").click();
    h.run();
    h.get_by_label("Budget review HTML…").click();
    h.run();
    assert_eq!(h.state().pending_export.as_ref().map(|p| p.path.as_str()), Some("enterprise-hybrid-dr.html"));
    h.get_by_label("Export to path").focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Export to path").type_text(out.to_str().unwrap());
    h.run();
    h.get_by_label("Save").click();
    h.run();
    let html = std::fs::read_to_string(&out).unwrap();
    // The same bytes the CLI writes for this report.
    let expected =
        headroom::output::export::export(&h.state().report, headroom::output::export::ExportFormat::Html).unwrap();
    assert_eq!(html.as_bytes(), expected.as_slice());
    assert!(h.state().pending_export.is_none());
    h.get_by_label(&format!("Exported html to {}", out.display()));
}

fn year_five(h: &Harness<'static, HeadroomApp>) -> f64 {
    h.state().report.variants[0].months[59].total_usd
}

#[test]
fn undo_and_redo_restore_the_figures() {
    let mut h = harness();
    let before = year_five(&h);
    h.get_by_role_and_label(Role::Slider, "Annual growth").set_value_accesskit(40.0);
    h.run();
    let after = year_five(&h);
    assert!(after > before);
    assert!(h.state().dirty());
    // Ctrl+Z undoes, Ctrl+Shift+Z redoes.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(year_five(&h), before);
    h.get_by_label(&usd0(before));
    assert!(!h.state().dirty());
    h.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::Z);
    h.run();
    assert_eq!(year_five(&h), after);
}

#[test]
fn a_pinned_baseline_shows_the_delta() {
    let mut h = harness();
    h.get_by_label("Pin baseline").click();
    h.run();
    let before = h.state().report.variants[0].total_usd;
    h.get_by_role_and_label(Role::Slider, "Annual growth").set_value_accesskit(30.0);
    h.run();
    let d = headroom::engine::report::deltas(&h.state().report, h.state().baseline.as_ref().unwrap());
    let ws = &d[0];
    assert!((ws.total_usd - (h.state().report.variants[0].total_usd - before)).abs() < 1e-9);
    assert!(ws.total_usd > 0.0);
    h.get_by_label(&format!("+{} total, +{} in month 60", usd0(ws.total_usd), usd0(ws.last_month_usd)));
}

#[test]
fn an_invalid_file_says_why_and_keeps_the_scenario() {
    let mut h = harness();
    h.state_mut().dialogs = Box::new(NoDialogs);
    let before = h.state().report.clone();
    let bad = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/bad/syntax.ron");
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Open…").click();
    h.run();
    h.get_by_label("Scenario path").focus();
    h.get_by_label("Scenario path").type_text(bad);
    h.run();
    h.get_by_label("Open file").click();
    h.run();
    assert_eq!(h.state().report, before);
    h.get_by_label(&format!("{bad}:5:9: Expected comma"));
}

#[test]
fn save_writes_the_file_and_clears_the_marker() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.ron");
    let mut h = harness();
    h.state_mut().dialogs = Box::new(NoDialogs);
    h.get_by_role_and_label(Role::Slider, "Annual growth").set_value_accesskit(25.0);
    h.run();
    assert!(h.state().window_title().starts_with("● "));
    // Ctrl+S with no file yet asks where (no dialog here: the path field).
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run();
    h.get_by_label("Scenario path").focus();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Scenario path").type_text(path.to_str().unwrap());
    h.run();
    h.get_by_label("Save file").click();
    h.run();
    assert!(!h.state().dirty());
    assert_eq!(h.state().window_title(), "plan.ron — Headroom");
    // The saved file is a valid scenario with the edit in it.
    let text = std::fs::read_to_string(&path).unwrap();
    let s = load_scenario(&text, Catalog::builtin()).unwrap();
    assert!((s.demand.annual_growth - 0.25).abs() < 1e-12);
    // And it can be opened again: it becomes a recent file.
    h.state_mut().apply(headroom::gui::Command::OpenPath(path.clone()));
    h.run();
    assert_eq!(h.state().recent.first(), Some(&path));
}

#[test]
fn cost_tab_explains_a_figure() {
    let mut h = harness();
    h.get_by_label("Cost").click();
    h.run();
    // The primary's line comes first (the standby has one too).
    h.query_all_by_label("EC2 nodes m5.xlarge (general)").next().unwrap().click();
    h.run();
    // 3 nodes × 730 h at $0.192 from S1.
    h.get_by_label("2190.0000 instance-hour × $0.192 = $420.48");
    h.get_by_label("As of 2026-07-20, confidence A");
}

#[test]
fn compare_and_assumptions_tabs_show_engine_figures() {
    let mut h = harness();
    h.get_by_label("Compare").click();
    h.run();
    let c = &h.state().report.comparison;
    h.get_by_label("Targets: availability ≥ 99.90 %, RTO < 4 h, RPO < 15 min.");
    assert_eq!(c.cheapest_meeting_all.as_deref(), Some("aws-pilot-light"));
    h.get_by_label(&c.decision);
    // Every seed variant is complete; the status column says so.
    assert_eq!(h.query_all_by_label("complete").count(), 6);
    h.get_by_label("Assumptions").click();
    h.run();
    h.get_by_label("demand.annual_growth");
    // m5.xlarge is priced in both regions.
    assert_eq!(h.query_all_by_label("ec2.m5.xlarge").count(), 2);
    // Prices older than 18 months at the plan's start (2027-01): dated before 2025-07.
    let r = &h.state().report;
    let stale = r.prices.iter().filter(|p| p.usd.is_some() && p.as_of.as_str() < "2025-07").count();
    assert!(stale > 10, "{stale}");
    h.get_by_label(&format!(
        "{stale} of these prices are older than 18 months at the plan's start (2027-01): refresh them with `headroom prices import` (AWS Price List) or an override"
    ));
    // The catalogue's coverage, from the same figures as `headroom prices`.
    h.get_by_label("Price catalogue");
    let east = headroom::Catalog::builtin().coverage().into_iter().find(|c| c.region == "us-east-1").unwrap();
    assert!(h.query_all_by_label(&east.known.to_string()).count() >= 1);
}

#[test]
fn assumptions_editor_validates_inline_like_the_cli() {
    let mut h = harness();
    h.get_by_label("Assumptions").click();
    h.run();
    let before = h.state().report.clone();
    let field = || "demand.concurrent_users";
    // The value field is labelled by its path.
    let edit = |h: &mut Harness<'static, HeadroomApp>, text: &str| {
        let node = h.get_by_role_and_label(Role::TextInput, field());
        node.focus();
        h.run();
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        h.get_by_role_and_label(Role::TextInput, field()).type_text(text);
        h.run();
        h.key_press(egui::Key::Enter);
        h.run();
        h.run();
    };
    edit(&mut h, "-5");
    assert_eq!(h.state().report, before, "an invalid value never reaches the engine");
    h.get_by_label("demand.concurrent_users: must be between 1 and 100000000, found -5");
    edit(&mut h, "2000");
    assert_eq!(h.state().scenario.demand.concurrent_users, 2000.0);
    assert!(h.state().field_errors.is_empty());
    assert!(h.state().report.variants[0].total_usd > before.variants[0].total_usd);
    // One undo step per accepted edit.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(h.state().report, before);
}

#[test]
fn growth_and_capacity_tabs() {
    let mut h = harness();
    h.get_by_label("Growth").click();
    h.run();
    h.get_by_label("1000 users at the start, +20 %/yr compounding monthly; 0 events.");
    // The yearly table shows the engine's figures: month 61 does not exist, month 60 is the last.
    let d = &h.state().report.demand[59];
    h.get_by_label(&format!("{:.0}", d.users));
    h.get_by_label("Capacity").click();
    h.run();
    h.get_by_label("Nodes per site (peak sizing; AWS serving sites bill simulated node-hours)");
}

#[test]
fn closing_with_unsaved_changes_asks_first() {
    let mut h = harness();
    h.get_by_role_and_label(Role::Slider, "Annual growth").set_value_accesskit(30.0);
    h.run();
    h.state_mut().apply(headroom::gui::Command::RequestClose);
    h.run();
    assert!(h.state().close_prompt && !h.state().closing);
    h.get_by_label("Cancel").click();
    h.run();
    assert!(!h.state().close_prompt && !h.state().closing);
    h.state_mut().apply(headroom::gui::Command::RequestClose);
    h.run();
    h.get_by_label("Discard and close").click();
    h.run();
    assert!(h.state().closing);
}

#[test]
fn unsaved_work_is_autosaved_and_offered_back() {
    let dir = tempfile::tempdir().unwrap();
    let auto = dir.path().join("autosave.ron");
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut HeadroomApp| app.ui(ui), HeadroomApp::seed().with_autosave(auto.clone()));
    h.run();
    assert!(h.state().recovery.is_none());
    h.get_by_role_and_label(Role::Slider, "Annual growth").set_value_accesskit(35.0);
    h.run();
    // The first unsaved frame writes the autosave (then every 10 s).
    assert!(auto.exists());
    let edited = h.state().scenario.clone();
    // "Crash": a new app finds the autosave and offers it back.
    let mut h2 = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut HeadroomApp| app.ui(ui), HeadroomApp::seed().with_autosave(auto.clone()));
    h2.run();
    h2.get_by_label("Unsaved work from an earlier session was found.");
    h2.get_by_label("Restore it").click();
    h2.run();
    assert_eq!(h2.state().scenario, edited);
    assert!(h2.state().dirty());
    // Discarding removes it.
    let mut h3 = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut HeadroomApp| app.ui(ui), HeadroomApp::seed().with_autosave(auto.clone()));
    h3.run();
    h3.get_by_label("Discard it").click();
    h3.run();
    assert!(!auto.exists());
}

#[test]
fn slow_plans_run_off_the_ui_thread() {
    let mut h = harness();
    h.state_mut().worker.background = true;
    let before = h.state().report.clone();
    h.state_mut().apply(headroom::gui::Command::SetGrowth(0.45));
    // The frame right after the edit still shows the previous plan, with a spinner.
    assert!(h.state().worker.pending);
    assert_eq!(h.state().report, before);
    // Frames keep coming until the background plan lands; then it is the engine's figure.
    for _ in 0..500 {
        h.step();
        if !h.state().worker.pending {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    assert!(!h.state().worker.pending);
    let mut s = h.state().scenario.clone();
    s.demand.annual_growth = 0.45;
    let expected = plan(&headroom::validate(s, Catalog::builtin()).unwrap(), Catalog::builtin());
    assert_eq!(h.state().report, expected);
}

#[test]
fn commitment_coverage_slider_reserves_month_1_nodes() {
    let mut h = harness();
    let before = h.state().report.variants[0].months[0].category(headroom::scenario::model::Category::Compute);
    h.get_by_role_and_label(Role::Slider, "Reserved coverage of month-1 nodes").set_value_accesskit(100.0);
    h.run();
    let m1 = &h.state().report.variants[0].months[0];
    // All 3 primary nodes on 1-yr No Upfront RIs: EKS $73 + 3 × 730 h × $0.121 instead of $0.192.
    assert!((before - 493.48).abs() < 1e-6);
    let compute = m1.category(headroom::scenario::model::Category::Compute);
    assert!((compute - (73.0 + 3.0 * 730.0 * 0.121)).abs() < 1e-6, "{compute}");
    assert_eq!(headroom::gui::coverage_of(&h.state().scenario), 1.0);
    // Undo removes the reservations again.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(headroom::gui::coverage_of(&h.state().scenario), 0.0);
    let m1 = &h.state().report.variants[0].months[0];
    assert!((m1.category(headroom::scenario::model::Category::Compute) - before).abs() < 1e-9);
}

#[test]
fn cost_bars_list_their_line_items_on_hover() {
    let h = harness();
    let m1 = &h.state().report.variants[0].months[0];
    let label = headroom::gui::cost_bar_label(m1, headroom::scenario::model::Category::Compute);
    assert_eq!(label.lines().next(), Some("2027-01 Compute: $493.48"));
    assert_eq!(label.lines().nth(1), Some("  aws-primary: EC2 nodes m5.xlarge (general) $420.48"));
    assert_eq!(label.lines().nth(2), Some("  aws-primary: EKS control plane $73.00"));
}

#[test]
fn capacity_tab_shows_the_simulated_day_of_any_month() {
    let mut h = harness();
    h.get_by_label("Capacity").click();
    h.run();
    // Opens on the last month, the busiest: its day as the plan simulated it.
    let day = |h: &Harness<'static, HeadroomApp>, m: usize| {
        let r = &h.state().report;
        r.variants[0].months[m].sites[0].simulation.as_ref().unwrap().pools[0].clone()
    };
    let p = day(&h, 59);
    assert_eq!(h.state().day_month, 60);
    h.get_by_label(&format!(
        "pool general: {}–{} nodes, {:.1} node-h/day, {} scale-ups, {} nodes removed; static peak sizing would bill 120 node-h/day ({:+.0} %)",
        p.min_nodes_seen,
        p.peak_nodes,
        p.node_hours,
        p.scale_ups,
        p.nodes_removed,
        (p.node_hours / 120.0 - 1.0) * 100.0
    ));
    // Month 1: three nodes all day, as billed.
    h.get_by_role_and_label(Role::Slider, "Month of the day").set_value_accesskit(1.0);
    h.run();
    assert_eq!(h.state().day_month, 1);
    let t = h.state().day.as_ref().unwrap().trace.as_ref().unwrap();
    assert_eq!((t.month_index, t.result.trace.len()), (0, 5760));
    assert_eq!(t.result.pools[0], day(&h, 0), "the tab's day is the plan's day");
    h.get_by_label(
        "pool general: 3–3 nodes, 72.0 node-h/day, 0 scale-ups, 0 nodes removed; static peak sizing would bill 72 node-h/day (+0 %)",
    );
    // The month's latency objectives, as the plan checked them.
    let l = h.state().report.variants[0].months[0].sites[0].services[1].latency.clone().unwrap();
    h.get_by_label(&format!(
        "aws-primary / api: p95 ≤ 300 ms at the 2027-01 peak — {:.0} ms with the HPA's {} replicas (met), fewest meeting it: {} [M/M/c (Erlang C); 104 ms not CPU included]",
        l.at_replicas_ms.unwrap(),
        h.state().report.variants[0].months[0].sites[0].services[1].replicas,
        l.min_replicas.unwrap()
    ));
    // A variant without a simulated site says why.
    h.state_mut().apply(headroom::gui::Command::SelectVariant(1));
    h.run();
    h.get_by_label("variant \"hybrid-onprem-primary\" has no AWS site serving traffic: nothing is simulated");
}

#[test]
fn monte_carlo_runs_in_the_background_and_draws_its_bands() {
    let mut h = harness();
    h.get_by_label("Uncertainty").click();
    h.run();
    h.state_mut().apply(headroom::gui::Command::SetMonteCarloPaths(24));
    h.get_by_label("Run Monte Carlo").click();
    h.run();
    assert!(h.state().mc.running.is_some(), "runs off the UI thread");
    let t0 = std::time::Instant::now();
    while h.state().mc.running.is_some() && t0.elapsed().as_secs() < 120 {
        std::thread::sleep(std::time::Duration::from_millis(50));
        h.run();
    }
    let r = h.state().mc.result.clone().expect("a result");
    assert_eq!((r.paths, r.rejected), (24, 0));
    // The seed's budget line for FY2031, with the share of paths above it, as computed.
    let fy = r.variants[0].fiscal_years.iter().find(|f| f.label == "FY2031").unwrap();
    // (Another year may show the same share: at least this one.)
    assert!(h.query_all_by_label(&format!("{:.1} % of paths", fy.p_exceed.unwrap() * 100.0)).count() >= 1);
    h.get_by_label(&usd0(fy.cost.at(50.0).unwrap()));
    // What moves the cost: the seed's three demand and workload inputs (its on-prem cost
    // inputs do not move an AWS variant), each with its cost at P10 and P90, as the report has
    // them.
    h.get_by_label("What moves the 60-month cost");
    assert_eq!(r.variants[0].swings.len(), 3);
    for w in &r.variants[0].swings {
        h.get_by_label(&w.input);
        h.get_by_label(&usd0(w.high_usd.unwrap()));
    }
    // The budget review exported now carries this run.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("review.html");
    h.state_mut().apply(headroom::gui::Command::ExportTo(headroom::output::export::ExportFormat::Html, out.clone()));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("Monte Carlo: 24 paths (seed 20270101, one evaluator)"));
    // An edit makes it stale, and an export leaves it out.
    h.run(); // the status line appears and moves the panel down
    h.get_by_label("Keep up to date").click();
    h.run();
    assert!(!h.state().mc.follow);
    h.state_mut().apply(headroom::gui::Command::SetGrowth(0.3));
    h.run();
    assert!(h.state().mc.running.is_none(), "not following: no new run");
    h.state_mut().apply(headroom::gui::Command::ExportTo(headroom::output::export::ExportFormat::Html, out.clone()));
    assert!(!std::fs::read_to_string(&out).unwrap().contains("Monte Carlo:"));
    h.run();
    h.get_by_label("These results are for an earlier version of the scenario: run again to refresh them.");
}

#[test]
fn monte_carlo_keeps_up_with_edits() {
    let mut h = harness();
    h.get_by_label("Uncertainty").click();
    h.run();
    h.state_mut().apply(headroom::gui::Command::SetMonteCarloPaths(30));
    h.get_by_label("Run Monte Carlo").click();
    let wait = |h: &mut Harness<'static, HeadroomApp>| {
        let t0 = std::time::Instant::now();
        while h.state().mc.running.is_some() && t0.elapsed().as_secs() < 120 {
            std::thread::sleep(std::time::Duration::from_millis(50));
            h.run();
        }
    };
    h.run();
    wait(&mut h);
    let before = h.state().mc.result.clone().unwrap();
    // Growth 20 % → 35 %: a new run starts by itself and the bands follow.
    h.state_mut().apply(headroom::gui::Command::SetGrowth(0.35));
    h.run();
    assert!(h.state().mc.running.is_some(), "a new run follows the edit");
    wait(&mut h);
    let after = h.state().mc.result.clone().unwrap();
    assert!(!h.state().mc.stale);
    assert_eq!(h.state().mc.for_scenario.as_ref(), Some(&h.state().scenario));
    assert_eq!(h.state().scenario.demand.annual_growth, 0.35);
    // The seed draws growth itself (triangular 10–20–35 %), so the users' spread does not
    // move, but the cost's does: the written growth is the tornado's base.
    let h0 = before.variants[0].horizon_usd;
    let h1 = after.variants[0].horizon_usd;
    assert!(h1 > h0, "{h0} → {h1}");
    assert!(h.state().status.as_deref() != Some("Monte Carlo cancelled"));
}

/// Without on-prem cost inputs the two on-prem variants cannot be ranked: the Overview says so
/// beside their totals (a lower bound) and names the decision the engine made among the others;
/// the Compare tab lists them unranked with their status.
#[test]
fn unknown_costs_are_shown_as_lower_bounds_and_never_ranked() {
    let text = crate::common::seed_text();
    let app = HeadroomApp::new(headroom::gui::Start { path: None, text, tab: None }).unwrap();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut HeadroomApp| app.ui(ui), app);
    h.run();
    let r = h.state().report.clone();
    assert_eq!(r.comparison.complete_variants, 0, "us-west-2 gaps and on-prem lines are unpriced");
    h.get_by_label(&r.comparison.decision);
    assert!(r.comparison.decision.starts_with("No variant can be ranked"));
    let hybrid = r.variants.iter().find(|v| v.name == "hybrid-onprem-primary").unwrap();
    h.get_by_label(&format!("≥ {} ({})", usd0(hybrid.total_usd), hybrid.completeness.status()));
    h.get_by_label("Compare").click();
    h.run();
    assert!(h.query_all_by_label(&hybrid.completeness.status()).count() >= 1);
    assert!(h.query_all_by_label("complete").next().is_none());
}
