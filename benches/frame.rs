//! Drawing one frame of the app (layout and tessellation inputs, no GPU), and one what-if edit
//! (validate + replan + draw). Goal (issue #5): the overview with the seed within 16 ms.

use criterion::{Criterion, criterion_group, criterion_main};
use egui_kittest::Harness;
use headroom::gui::{Command, HeadroomApp, Tab};

fn harness(tab: Tab) -> Harness<'static, HeadroomApp> {
    let mut app = HeadroomApp::seed();
    app.tab = tab;
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut HeadroomApp| app.ui(ui), app);
    h.run();
    h
}

fn frame(c: &mut Criterion) {
    let mut h = harness(Tab::Overview);
    c.bench_function("gui_frame_overview", |b| b.iter(|| h.step()));
    let mut h = harness(Tab::Cost);
    c.bench_function("gui_frame_cost", |b| b.iter(|| h.step()));
    let mut h = harness(Tab::Overview);
    let mut g = 0.20;
    c.bench_function("gui_what_if_edit_and_frame", |b| {
        b.iter(|| {
            g = if g > 0.5 { 0.2 } else { g + 0.01 };
            h.state_mut().apply(Command::SetGrowth(g));
            h.step();
        })
    });
}

criterion_group!(benches, frame);
criterion_main!(benches);
