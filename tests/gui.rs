//! The desktop app driven through its accessibility tree (egui_kittest), asserting on state.
#![cfg(feature = "gui")]

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use headroom::gui::HeadroomApp;
use headroom::{Catalog, load_scenario, plan, render::usd0};

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
}

/// A desktop without a dialog service: rfd returns nothing at once.
struct NoDialogs;
impl headroom::gui::Dialogs for NoDialogs {
    fn save_path(&self, _: &str, _: &str) -> Option<std::path::PathBuf> {
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
    let expected = headroom::export::export(&h.state().report, headroom::export::ExportFormat::Html).unwrap();
    assert_eq!(html.as_bytes(), expected.as_slice());
    assert!(h.state().pending_export.is_none());
    h.get_by_label(&format!("Exported html to {}", out.display()));
}
