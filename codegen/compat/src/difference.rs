//! What a comparison finds: [`Difference`]s, judged per [`Direction`], checked in a [`Mode`]
//! under a [`Policy`](crate::Policy).

use serde::{Deserialize, Serialize};

use crate::{Direction, Kind, Mode};

/// One difference between an old and a new schema, with its verdict per direction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Difference {
    /// What changed.
    pub kind: Kind,
    /// JSON Pointer into the schema where it changed (`/properties/note`,
    /// `/definitions/Money/properties/amount`). Points into the new schema, except for the
    /// last segment of something removed, which names what the old schema had there. A
    /// change inside a shared definition is reported once, at the definition.
    pub path: String,
    /// JSON Pointer into the event (the instance) where the affected value sits, through the
    /// first use of a shared definition: `/trade/pricePerTonne`, `/allocations/*` (`*` is
    /// any array item or map value).
    pub instance_path: String,
    /// What the old schema said, as short text; `None` when it said nothing.
    pub old: Option<String>,
    /// What the new schema says, as short text; `None` when it says nothing.
    pub new: Option<String>,
    /// Whether consumers built from the old schema reject events from the new producer.
    pub breaks_forward: bool,
    /// Whether consumers built from the new schema reject old events.
    pub breaks_backward: bool,
    /// Why, naming the consumers that break and what they do (or why nothing breaks).
    pub reason: String,
    /// Labels of the earlier versions this difference was found against; filled by
    /// [`crate::compare_transitive`], empty from [`crate::compare`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
    /// Set by the caller when a reviewed acknowledgement accepts this difference (the
    /// acknowledgement's reason); acknowledged differences no longer fail a check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledged: Option<String>,
    /// Set by the caller from its consumer declarations: the declared consumers this
    /// difference touches; `None` when no declarations were consulted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consumers: Option<Vec<ConsumerHit>>,
    /// Set by the caller under a consumer policy: no declared consumer reads what changed, so
    /// the difference no longer fails a check (it is still shown).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unread: bool,
}

/// A declared consumer a difference touches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsumerHit {
    /// The consumer's name (`billing-lambda`).
    pub name: String,
    /// The team that owns it.
    pub team: String,
    /// The fields it reads that the difference reaches; empty when it reads the whole event
    /// or the difference is to the event as a whole.
    pub reads: Vec<String>,
}

impl Difference {
    /// A whole schema removed: an event deleted, or its detail-type renamed. The caller
    /// knows which schemas disappeared; `path` is usually `""` (the root).
    pub fn schema_removed(title: &str) -> Difference {
        Difference {
            kind: Kind::SchemaRemoved,
            path: String::new(),
            instance_path: String::new(),
            old: Some(title.to_owned()),
            new: None,
            breaks_forward: true,
            breaks_backward: true,
            reason: format!(
                "the schema `{title}` no longer exists: consumers built from it stop receiving events \
                 (a rename is a new event to them), and new consumers have no type for the old events \
                 still in archives and replays"
            ),
            versions: Vec::new(),
            acknowledged: None,
            consumers: None,
            unread: false,
        }
    }

    /// What changed, as every report shows it: `string | null (optional) → (absent)`.
    pub fn change(&self) -> String {
        let side = |v: &Option<String>| v.clone().unwrap_or_else(|| "(absent)".to_owned());
        format!("{} → {}", side(&self.old), side(&self.new))
    }

    /// Whether this difference breaks consumers in `direction`.
    pub fn breaks_in(&self, direction: Direction) -> bool {
        match direction {
            Direction::Forward => self.breaks_forward,
            Direction::Backward => self.breaks_backward,
        }
    }

    /// Whether this difference breaks consumers in any direction `mode` checks, ignoring
    /// acknowledgements.
    pub fn breaks(&self, mode: Mode) -> bool {
        mode.directions().iter().any(|&direction| self.breaks_in(direction))
    }

    /// Whether this difference fails a check in `mode`: it breaks, is not acknowledged, and
    /// is not [`Difference::unread`].
    pub fn fails(&self, mode: Mode) -> bool {
        self.breaks(mode) && self.acknowledged.is_none() && !self.unread
    }

    /// Who it breaks, for a report: `breaks 2 consumers: billing-lambda reads /note;
    /// inventory-sync handles the event`, `breaks no declared consumer`, or, when
    /// [`Difference::unread`], that no declared consumer reads it; `None` when no
    /// declarations were consulted or nothing breaks in `mode`.
    pub fn consumer_verdict(&self, mode: Mode) -> Option<String> {
        let hits = self.consumers.as_ref()?;
        if !self.breaks(mode) {
            return None;
        }
        if self.unread || hits.is_empty() {
            let what = if self.instance_path.is_empty() { "/" } else { self.instance_path.as_str() };
            let safe = if self.unread { "safe for the declared consumers: " } else { "" };
            return Some(format!("{safe}breaks no declared consumer (none reads {what})"));
        }
        let each: Vec<String> = hits
            .iter()
            .map(|hit| match hit.reads.as_slice() {
                [] => format!("{} ({}) handles the event", hit.name, hit.team),
                reads => format!("{} ({}) reads {}", hit.name, hit.team, reads.join(", ")),
            })
            .collect();
        let s = if hits.len() == 1 { "" } else { "s" };
        Some(format!("breaks {} consumer{s}: {}", hits.len(), each.join("; ")))
    }

    /// The directions of `mode` in which this difference breaks consumers.
    pub fn broken_directions(&self, mode: Mode) -> Vec<Direction> {
        mode.directions().iter().copied().filter(|&direction| self.breaks_in(direction)).collect()
    }
}
