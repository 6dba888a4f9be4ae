//! Samples that together give every field a value and take every variant.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{FixedOffset, NaiveDate, TimeZone, Utc};
use contracts_common::{EventMetadata, Sample};
use rust_decimal::Decimal;
use serde_json::json;
use uuid::Uuid;

use crate::enums::{Destination, EnumsShown, Invoice, Level, Payment, Reading, Shape, Signal};
use crate::records::{Category, Edge, FieldsVaried, NamesAwkward, Node, TreeGrown};
use crate::shapes::{CasesDiffering, ExtrasKept, Grade, Lot, Page, PagesListed, Point, ReadingsTaken};

fn metadata(n: u128) -> EventMetadata {
    EventMetadata {
        correlation_id: Uuid::from_u128(0x1000 + n),
        user_id: Uuid::from_u128(0x2000 + n),
        organisation_id: Uuid::from_u128(0x3000 + n),
    }
}

impl Sample for EnumsShown {
    fn sample() -> Self {
        EnumsShown {
            metadata: metadata(1),
            shapes: vec![
                Shape::Point,
                Shape::Circle(1.5),
                Shape::Pair("sides".into(), 4),
                Shape::Rect { w: 2.0, h: 3.5 },
            ],
            payment: Payment::Card { last_four: "4242".into(), holder_name: Some("A. Grower".into()) },
            signals: vec![
                Signal::Ping,
                Signal::Text("hello".into()),
                Signal::Pos { x: -3, y: 7 },
                Signal::Bytes(1, 255),
            ],
            readings: vec![
                Reading::Number(21.5),
                Reading::Label("dry".into()),
                Reading::Point { lat: -33.9, lon: 151.2 },
                Reading::Series(vec![1, 2, 3]),
            ],
            level: Level::NeedsAttention,
            destination: Destination::Depot { depot_code: "NEWC".into() },
        }
    }

    /// One more per variant of the internally tagged enums the first sample does not take.
    fn more_samples() -> Vec<Self> {
        vec![
            EnumsShown {
                payment: Payment::Cash,
                level: Level::AllClear,
                destination: Destination::FarmGate { farm_name: "Hillview".into() },
                ..Self::sample()
            },
            EnumsShown {
                payment: Payment::BankTransfer(Invoice { invoice_number: "INV-7".into(), due_in_days: 30 }),
                ..Self::sample()
            },
        ]
    }
}

impl Sample for TreeGrown {
    fn sample() -> Self {
        let leaf = |name: &str, parent: Option<Category>| Category {
            name: name.into(),
            children: Vec::new(),
            parent: parent.map(Box::new),
        };
        let top = leaf("grains", None);
        TreeGrown {
            metadata: metadata(2),
            root: Category { children: vec![leaf("wheat", Some(top.clone())), leaf("barley", None)], ..top },
            graph: Node {
                label: "a".into(),
                edges: vec![
                    Edge { weight: 3, to: Some(Box::new(Node { label: "b".into(), edges: Vec::new() })) },
                    Edge { weight: 1, to: None },
                ],
            },
        }
    }
}

impl Sample for FieldsVaried {
    fn sample() -> Self {
        FieldsVaried {
            metadata: metadata(3),
            note: Some("checked twice".into()),
            nickname: Some("Old Mill".into()),
            tags: vec!["organic".into(), "export".into()],
            pair: ("bins".into(), 12),
            rgb: [255, 128, 0],
            readings_by_sensor: BTreeMap::from([
                ("north".into(), vec![Some(3), None, Some(5)]),
                ("south".into(), vec![]),
            ]),
            huge: u64::MAX,
            tiny: i64::MIN,
            ratio: 0.1,
            at: Utc.with_ymd_and_hms(2026, 2, 3, 4, 5, 6).unwrap(),
            on: NaiveDate::from_ymd_opt(2026, 2, 3).unwrap(),
            id: Uuid::from_u128(0xfeed),
            price: Decimal::new(123_456, 2),
        }
    }

    /// Everything optional left out or empty: `note` is written as `null`, `nickname` and
    /// `tags` are not written at all.
    fn more_samples() -> Vec<Self> {
        vec![FieldsVaried {
            note: None,
            nickname: None,
            tags: Vec::new(),
            readings_by_sensor: BTreeMap::new(),
            ..Self::sample()
        }]
    }
}

impl Sample for NamesAwkward {
    fn sample() -> Self {
        NamesAwkward {
            metadata: metadata(4),
            at_id: "urn:zoo:1".into(),
            request_id: "req-1".into(),
            first_place: "gold".into(),
            size: 42,
            proto: "not a prototype".into(),
            kind: "awkward".into(),
            class_name: "first".into(),
            function: "main".into(),
            remove: false,
            quoted: "closes */ and says \"hi\" in `code`".into(),
        }
    }
}

impl Sample for ExtrasKept {
    fn sample() -> Self {
        ExtrasKept {
            metadata: metadata(5),
            lot_code: "LOT-9".into(),
            extra: BTreeMap::from([
                ("x-tenant-tier".into(), json!("gold")),
                ("x-retries".into(), json!(2)),
                ("partnerData".into(), json!({"region": "NSW", "flags": [true, null]})),
            ]),
        }
    }
}

impl Sample for CasesDiffering {
    fn sample() -> Self {
        CasesDiffering {
            metadata: metadata(6),
            canonical_url: "https://example.com/lots/9".into(),
            url: "example.com/lots/9".into(),
            self_link: "/lots/9".into(),
            self_type: "Lot".into(),
        }
    }
}

impl Sample for PagesListed {
    fn sample() -> Self {
        PagesListed {
            metadata: metadata(7),
            lots: Page { items: vec![Lot { code: "LOT-1".into() }], next_cursor: Some("c2".into()) },
            grades: Page {
                items: vec![Grade { name: "APW".into(), min_protein: 105 }],
                next_cursor: Some("g2".into()),
            },
        }
    }
}

impl Sample for ReadingsTaken {
    fn sample() -> Self {
        let offset = FixedOffset::east_opt(10 * 3600).unwrap();
        ReadingsTaken {
            metadata: metadata(8),
            taken_at: offset.with_ymd_and_hms(2026, 2, 3, 4, 5, 6).unwrap(),
            paddocks: BTreeSet::from(["north".into(), "creek".into()]),
            at: Point(-33.9, 151.25),
        }
    }
}
