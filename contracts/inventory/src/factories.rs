//! Fake-data factories for inventory events, and each event's
//! [`Sample`], shared by the generator and tests. Compiled only with the `samples` feature, so
//! production builds link no fake-data code.
//!
//! Each factory fills every field (every `Option` is `Some`, every list and map non-empty):
//! the generator's coverage check requires it of samples.

use std::collections::BTreeMap;

use chrono::Duration;
use contracts_common::ContextFactory;
use contracts_common::Sample;
use contracts_common::fakes::{self, FakeRng, rng_for_event};
use contracts_common::values::Commodity;
use fake::Fake;
use fake::faker::company::en::CompanyName;
use rand::RngExt;

use crate::events::{InventoryCreated, InventoryTransferred, StockAdjusted};
use crate::models::{AdjustmentReason, Freight, InventoryLot, Storage};

/// A lot received into a silo, with its quality measurements.
pub fn inventory_lot(rng: &mut FakeRng) -> InventoryLot {
    let harvested_on = fakes::date(rng);
    InventoryLot {
        id: fakes::uuid(rng),
        business_unit_id: fakes::uuid(rng),
        commodity: fakes::pick(rng, &Commodity::ALL),
        grade: fakes::pick(rng, &["APW1", "H1", "BAR1", "CAN1"]).to_owned(),
        season: "2026/27".to_owned(),
        quantity_kg: rng.random_range(50..5_000u64) * 1_000,
        measurements: BTreeMap::from([
            ("moisturePercent".to_owned(), fakes::decimal(rng, 9, 13)),
            ("proteinPercent".to_owned(), fakes::decimal(rng, 8, 14)),
            ("screeningsPercent".to_owned(), fakes::decimal(rng, 1, 8)),
        ]),
        storage: Storage::Silo { silo_number: rng.random_range(1..40) },
        harvested_on,
        received_at: harvested_on.and_hms_opt(15, 30, 0).unwrap().and_utc() + Duration::days(2),
    }
}

/// A lot was received into storage.
pub fn inventory_created(rng: &mut FakeRng) -> InventoryCreated {
    InventoryCreated { metadata: ContextFactory.fake(rng).metadata(), inventory: inventory_lot(rng) }
}

/// A stocktake found less grain than recorded.
pub fn stock_adjusted(rng: &mut FakeRng) -> StockAdjusted {
    let before = rng.random_range(100..5_000u64) * 1_000;
    StockAdjusted {
        metadata: ContextFactory.fake(rng).metadata(),
        inventory_id: fakes::uuid(rng),
        reason: AdjustmentReason::StocktakeCorrection,
        quantity_before_kg: before,
        quantity_after_kg: before - rng.random_range(1..50u64) * 100,
        note: Some("Annual stocktake: silo survey below book quantity.".to_owned()),
        adjusted_at: fakes::date_time(rng),
    }
}

/// A truckload moved between two sites of one organisation.
pub fn inventory_transferred(rng: &mut FakeRng) -> InventoryTransferred {
    InventoryTransferred {
        metadata: ContextFactory.fake(rng).metadata(),
        inventory_id: fakes::uuid(rng),
        from_business_unit_id: fakes::uuid(rng),
        to_business_unit_id: fakes::uuid(rng),
        quantity_kg: rng.random_range(20..45u64) * 1_000,
        freight: Freight {
            carrier: format!("{} Haulage", CompanyName().fake_with_rng::<String, _>(rng)),
            vehicle_registration: Some(format!("XQ{:02}AB", rng.random_range(10..99))),
            cost: fakes::money(rng, 300, 3_000),
        },
        dispatched_on: fakes::date(rng),
    }
}

impl Sample for InventoryCreated {
    fn sample() -> Self {
        inventory_created(&mut rng_for_event::<Self>())
    }

    /// A lot in each other kind of storage.
    fn more_samples() -> Vec<Self> {
        let mut rng = rng_for_event::<Self>();
        let _first = inventory_created(&mut rng);
        let bunker = Storage::Bunker { bunker_name: format!("B{}", rng.random_range(1..9)), covered: true };
        let bags = Storage::SiloBags { bag_count: rng.random_range(4..40) };
        [bunker, bags]
            .into_iter()
            .map(|storage| {
                let created = inventory_created(&mut rng);
                InventoryCreated { inventory: InventoryLot { storage, ..created.inventory }, ..created }
            })
            .collect()
    }
}

impl Sample for StockAdjusted {
    fn sample() -> Self {
        stock_adjusted(&mut rng_for_event::<Self>())
    }
}

impl Sample for InventoryTransferred {
    fn sample() -> Self {
        inventory_transferred(&mut rng_for_event::<Self>())
    }
}
