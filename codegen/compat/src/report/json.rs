//! The report for tools. Field names are stable:
//!
//! ```text
//! { "mode": "FULL", "policy": "strict", "passes": false,
//!   "subjects": [ { "name": "trading.TradeCancelled", "passes": false,
//!     "differences": [ { "kind": "ENUM_VALUE_ADDED", "path": "/definitions/Reason",
//!       "instance_path": "/reason", "old": null, "new": "\"x\"",
//!       "breaks_forward": true, "breaks_backward": false, "fails": true,
//!       "reason": "...", "versions": [], "acknowledged": null,
//!       "consumers": [ { "name": "billing-lambda", "team": "billing", "reads": ["/reason"] } ],
//!       "unread": false } ] } ] }
//! ```
//!
//! `fails` is whether the difference fails the check in the report's mode (breaks in a
//! checked direction, is not acknowledged, and is not `unread` under a consumer policy).
//! `consumers` is `null` when no consumer declarations were consulted.

use serde::Serialize;

use super::Report;
use crate::{ConsumerHit, Kind, Mode, Policy};

#[derive(Serialize)]
struct JsonReport<'r> {
    mode: Mode,
    policy: Policy,
    passes: bool,
    subjects: Vec<JsonSubject<'r>>,
}

#[derive(Serialize)]
struct JsonSubject<'r> {
    name: &'r str,
    passes: bool,
    differences: Vec<JsonDifference<'r>>,
}

#[derive(Serialize)]
struct JsonDifference<'r> {
    kind: Kind,
    path: &'r str,
    instance_path: &'r str,
    old: Option<&'r str>,
    new: Option<&'r str>,
    breaks_forward: bool,
    breaks_backward: bool,
    fails: bool,
    reason: &'r str,
    versions: &'r [String],
    acknowledged: Option<&'r str>,
    consumers: Option<&'r [ConsumerHit]>,
    unread: bool,
}

pub(super) fn render(report: &Report) -> String {
    let subjects = report
        .subjects
        .iter()
        .map(|subject| JsonSubject {
            name: &subject.name,
            passes: !subject.fails(report.mode),
            differences: subject
                .differences
                .iter()
                .map(|d| JsonDifference {
                    kind: d.kind,
                    path: &d.path,
                    instance_path: &d.instance_path,
                    old: d.old.as_deref(),
                    new: d.new.as_deref(),
                    breaks_forward: d.breaks_forward,
                    breaks_backward: d.breaks_backward,
                    fails: d.fails(report.mode),
                    reason: &d.reason,
                    versions: &d.versions,
                    acknowledged: d.acknowledged.as_deref(),
                    consumers: d.consumers.as_deref(),
                    unread: d.unread,
                })
                .collect(),
        })
        .collect();
    let json = JsonReport { mode: report.mode, policy: report.policy, passes: report.passes(), subjects };
    let mut text = serde_json::to_string_pretty(&json).expect("a report serialises: keys are strings");
    text.push('\n');
    text
}
