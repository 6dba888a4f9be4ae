//! The pull-request comment: a summary line, then one table per schema that changed (and
//! only those: unchanged schemas are counted, not listed).

use std::fmt::Write;

use super::{Report, Standing, change, directions, ordered, standing, versions};

/// Text safe inside a table cell: no pipes or line breaks.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

pub(super) fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Schema compatibility ({} mode, {} policy)\n", report.mode, report.policy);
    let mark = if report.passes() { "Passes" } else { "**Fails**" };
    let _ = writeln!(out, "{mark}: {}.", report.summary());
    // A pull-request comment lists what changed only: over a whole catalog the names of the
    // unchanged schemas would bury the few that matter, so they are counted, not named.
    let unchanged = report.subjects.iter().filter(|s| s.differences.is_empty()).count();
    if unchanged > 0 {
        let s = if unchanged == 1 { "" } else { "s" };
        let _ = writeln!(out, "\n{unchanged} unchanged schema{s} not shown.");
    }
    for subject in report.subjects.iter().filter(|s| !s.differences.is_empty()) {
        let _ = writeln!(out, "\n### {}\n", cell(&subject.name));
        let _ = writeln!(out, "| Verdict | Kind | Path | Old → new | Why |");
        let _ = writeln!(out, "|---|---|---|---|---|");
        for difference in ordered(subject, report.mode) {
            let verdict = match standing(difference, report.mode) {
                Standing::Fails(broken) => format!("**breaks {}**", directions(&broken)),
                Standing::Acknowledged(broken) => format!("acknowledged (breaks {})", directions(&broken)),
                Standing::Unread(broken) => {
                    format!("unread by declared consumers (breaks {})", directions(&broken))
                }
                Standing::Compatible => "compatible".to_owned(),
            };
            let mut why = difference.reason.clone();
            if let Some(consumers) = difference.consumer_verdict(report.mode) {
                why.push_str(&format!(". Consumers: {consumers}"));
            }
            if let Some(accepted) = &difference.acknowledged {
                why.push_str(&format!(". Accepted: {accepted}"));
            }
            if !difference.versions.is_empty() {
                why.push_str(&format!(". Against: {}", versions(&difference.versions)));
            }
            let path = if difference.path.is_empty() { "/" } else { difference.path.as_str() };
            let _ = writeln!(
                out,
                "| {verdict} | `{}` | `{}` | {} | {} |",
                difference.kind,
                cell(path),
                cell(&change(difference)),
                cell(&why)
            );
        }
    }
    if let (false, Some(fix)) = (report.passes(), &report.fix) {
        let _ = writeln!(out, "\n**Fix:** {fix}");
    }
    out
}
