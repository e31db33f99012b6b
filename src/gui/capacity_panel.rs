//! Capacity panel: replicas per service and nodes per site, month by month, for one variant.

use egui_plot::{Legend, Line, Plot, PlotPoints};

use super::Command;
use crate::report::Report;

pub fn ui(ui: &mut egui::Ui, r: &Report, variant: usize, commands: &mut Vec<Command>) {
    let Some(v) = r.variants.get(variant) else { return };
    super::variant_picker(ui, r, variant, commands);
    let sites: Vec<&str> = v.months.first().map_or(Vec::new(), |m| m.sites.iter().map(|s| &*s.site).collect());
    ui.heading("Nodes per site (peak sizing)");
    Plot::new("nodes")
        .legend(Legend::default())
        .height(220.0)
        .x_axis_label("month")
        .x_axis_formatter(super::month_axis(r.start))
        .y_axis_label("nodes")
        .show(ui, |p| {
            for site in &sites {
                let pts: PlotPoints = v
                    .months
                    .iter()
                    .map(|m| {
                        [
                            f64::from(m.index + 1),
                            f64::from(m.sites.iter().find(|s| &*s.site == *site).map_or(0, |s| s.nodes())),
                        ]
                    })
                    .collect();
                p.line(Line::new(format!("{site} nodes"), pts));
            }
        });
    ui.heading("Replicas per service (primary site)");
    Plot::new("replicas")
        .legend(Legend::default())
        .height(220.0)
        .x_axis_label("month")
        .x_axis_formatter(super::month_axis(r.start))
        .y_axis_label("replicas")
        .show(ui, |p| {
            let services: Vec<&str> = v
                .months
                .first()
                .and_then(|m| m.sites.first())
                .map_or(Vec::new(), |s| s.services.iter().map(|x| &*x.service).collect());
            for sv in services {
                let pts: PlotPoints = v
                    .months
                    .iter()
                    .map(|m| {
                        [
                            f64::from(m.index + 1),
                            f64::from(
                                m.sites
                                    .first()
                                    .and_then(|s| s.services.iter().find(|x| &*x.service == sv))
                                    .map_or(0, |x| x.replicas),
                            ),
                        ]
                    })
                    .collect();
                p.line(Line::new(sv.to_string(), pts));
            }
        });
    ui.weak("The day trace of load, replicas, nodes and pending pods comes with the autoscaling simulation.");
}
