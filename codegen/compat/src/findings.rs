//! Where the comparison records what it finds: the [`Place`] of a difference and the
//! [`Findings`] list, which judges a difference by its kind's rule unless the caller has
//! worked the verdict out.

use serde_json::Value;

use crate::{Difference, Direction, Kind, Policy};

/// Where a comparison is.
#[derive(Debug, Clone)]
pub(crate) struct Place {
    /// JSON Pointer of the schema (new side).
    pub path: String,
    /// JSON Pointer of the value in an event.
    pub instance: String,
}

impl Place {
    /// The same place, at another schema pointer.
    pub fn at(&self, path: String) -> Place {
        Place { path, instance: self.instance.clone() }
    }

    /// The event field for messages: `` `/trade/id` ``, or `the event` at the root. Costs
    /// nothing until written, so callers may take it before knowing they need it.
    pub fn field(&self) -> Field<'_> {
        Field(&self.instance)
    }
}

/// An event field as messages name it (see [`Place::field`]).
pub(crate) struct Field<'p>(&'p str);

impl std::fmt::Display for Field<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.is_empty() { f.write_str("the event") } else { write!(f, "`{}`", self.0) }
    }
}

/// The differences found so far, and the policy they are judged under.
pub(crate) struct Findings {
    pub policy: Policy,
    pub out: Vec<Difference>,
}

impl Findings {
    pub fn new(policy: Policy) -> Findings {
        Findings { policy, out: Vec::new() }
    }

    /// Records a difference judged by its kind's usual rule under the policy.
    pub fn report(
        &mut self,
        kind: Kind,
        at: &Place,
        old: Option<String>,
        new: Option<String>,
        reason: String,
    ) {
        let judge = |direction| kind.rule(direction).breaks(self.policy).unwrap_or(true);
        let (forward, backward) = (judge(Direction::Forward), judge(Direction::Backward));
        self.report_judged(kind, at, old, new, reason, forward, backward);
    }

    /// Records a difference with a verdict worked out by the caller.
    #[allow(clippy::too_many_arguments)]
    pub fn report_judged(
        &mut self,
        kind: Kind,
        at: &Place,
        old: Option<String>,
        new: Option<String>,
        reason: String,
        breaks_forward: bool,
        breaks_backward: bool,
    ) {
        self.out.push(Difference {
            kind,
            path: at.path.clone(),
            instance_path: at.instance.clone(),
            old,
            new,
            breaks_forward,
            breaks_backward,
            reason,
            versions: Vec::new(),
            acknowledged: None,
            consumers: None,
            unread: false,
        });
    }
}

/// The reason of the first breaking difference, for explaining a verdict built from a probe.
pub(crate) fn first_reason(found: &[Difference]) -> Option<&str> {
    found.iter().find(|d| d.breaks_forward || d.breaks_backward).map(|d| d.reason.as_str())
}

/// JSON text cut to about `limit` characters.
pub(crate) fn short_json(value: &Value, limit: usize) -> String {
    let text = value.to_string();
    if text.chars().count() <= limit {
        text
    } else {
        let cut: String = text.chars().take(limit).collect();
        format!("{cut}…")
    }
}
