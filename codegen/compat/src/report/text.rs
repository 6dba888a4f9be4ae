//! The terminal report: per schema, each difference with its direction, kind, path,
//! old → new and why.

use std::fmt::Write;

use super::{Report, Standing, change, directions, ordered, standing, versions};

pub(super) fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "schema compatibility ({} mode, {} policy): {}",
        report.mode,
        report.policy,
        report.summary()
    );
    for subject in &report.subjects {
        let _ = writeln!(out);
        if subject.differences.is_empty() {
            let _ = writeln!(out, "{}: unchanged", subject.name);
            continue;
        }
        let verdict = if subject.fails(report.mode) { "INCOMPATIBLE" } else { "compatible" };
        let _ = writeln!(out, "{}: {verdict}", subject.name);
        for difference in ordered(subject, report.mode) {
            let head = match standing(difference, report.mode) {
                Standing::Fails(broken) => format!("BREAKS {}", directions(&broken)),
                Standing::Acknowledged(broken) => format!("acknowledged, breaks {}", directions(&broken)),
                Standing::Unread(broken) => {
                    format!("unread by declared consumers, breaks {}", directions(&broken))
                }
                Standing::Compatible => "compatible".to_owned(),
            };
            let path = if difference.path.is_empty() { "/ (the root)" } else { difference.path.as_str() };
            let _ = writeln!(out, "  {head}: {} at {path}", difference.kind);
            let _ = writeln!(out, "    {}", change(difference));
            let _ = writeln!(out, "    why: {}", difference.reason);
            if let Some(consumers) = difference.consumer_verdict(report.mode) {
                let _ = writeln!(out, "    consumers: {consumers}");
            }
            if let Some(accepted) = &difference.acknowledged {
                let _ = writeln!(out, "    accepted: {accepted}");
            }
            if !difference.versions.is_empty() {
                let _ = writeln!(out, "    against: {}", versions(&difference.versions));
            }
        }
    }
    if let (false, Some(fix)) = (report.passes(), &report.fix) {
        let _ = writeln!(out, "\nfix: {fix}");
    }
    out
}
