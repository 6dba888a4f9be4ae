//! Fake-data factories for trading events, and each event's
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
use rand::RngExt;

use crate::events::{TradeCancelled, TradeCreated, TradeInventoryAllocated};
use crate::models::{Allocation, CancellationReason, DeliveryTerms, DeliveryWindow, Trade};

/// A trade delivered to the buyer's site, with a broker and quality specs.
pub fn trade(rng: &mut FakeRng) -> Trade {
    let commodity = fakes::pick(rng, &Commodity::ALL);
    let from = fakes::date(rng);
    Trade {
        id: fakes::uuid(rng),
        contract_number: format!("TR-2026-{:06}", rng.random_range(1..1_000_000)),
        buyer_id: fakes::uuid(rng),
        seller_id: fakes::uuid(rng),
        commodity,
        grade: fakes::pick(rng, &["APW1", "H2", "ASW1", "F1", "CAN1"]).to_owned(),
        season: "2026/27".to_owned(),
        quantity_kg: rng.random_range(20..2_000u64) * 1_000,
        price_per_tonne: fakes::money(rng, 250, 900),
        delivery: DeliveryTerms::Delivered { site_id: fakes::uuid(rng), address: fakes::address(rng) },
        delivery_window: DeliveryWindow { from, to: from + Duration::days(rng.random_range(7..60)) },
        specs: specs(rng),
        broker_id: Some(fakes::uuid(rng)),
    }
}

/// Receival limits for a grain: moisture, protein, screenings and test weight.
pub fn specs(rng: &mut FakeRng) -> BTreeMap<String, rust_decimal::Decimal> {
    BTreeMap::from([
        ("moistureMaxPercent".to_owned(), fakes::decimal(rng, 11, 14)),
        ("proteinMinPercent".to_owned(), fakes::decimal(rng, 9, 13)),
        ("screeningsMaxPercent".to_owned(), fakes::decimal(rng, 2, 10)),
        ("testWeightMinKgPerHl".to_owned(), fakes::decimal(rng, 62, 76)),
    ])
}

/// A trade was agreed.
pub fn trade_created(rng: &mut FakeRng) -> TradeCreated {
    TradeCreated { metadata: ContextFactory.fake(rng).metadata(), trade: trade(rng) }
}

/// Two or three lots were allocated to a trade, leaving some of it unfilled.
pub fn trade_inventory_allocated(rng: &mut FakeRng) -> TradeInventoryAllocated {
    let metadata = ContextFactory.fake(rng).metadata();
    let count = rng.random_range(2..=3);
    TradeInventoryAllocated {
        metadata,
        trade_id: fakes::uuid(rng),
        allocations: (0..count)
            .map(|_| Allocation {
                inventory_id: fakes::uuid(rng),
                business_unit_id: fakes::uuid(rng),
                quantity_kg: rng.random_range(10..500u64) * 1_000,
                allocated_at: fakes::date_time(rng),
            })
            .collect(),
        unallocated_kg: rng.random_range(0..100u64) * 1_000,
    }
}

/// A trade was cancelled because the seller defaulted, with a fee.
pub fn trade_cancelled(rng: &mut FakeRng) -> TradeCancelled {
    TradeCancelled {
        metadata: ContextFactory.fake(rng).metadata(),
        trade_id: fakes::uuid(rng),
        reason: CancellationReason::SellerDefault,
        note: Some("Seller's crop was downgraded by frost; cannot supply the contracted grade.".to_owned()),
        cancellation_fee: Some(fakes::money(rng, 500, 5_000)),
        cancelled_at: fakes::date_time(rng),
    }
}

impl Sample for TradeCreated {
    fn sample() -> Self {
        trade_created(&mut rng_for_event::<Self>())
    }

    /// The other two ways grain changes hands: collected from the farm, and loaded onto a ship.
    fn more_samples() -> Vec<Self> {
        let mut rng = rng_for_event::<Self>();
        let _first = trade_created(&mut rng);
        let ex_farm = DeliveryTerms::ExFarm { farm_id: fakes::uuid(&mut rng) };
        let free_on_board = DeliveryTerms::FreeOnBoard {
            port: "Port Kembla".to_owned(),
            vessel_name: Some("MV Southern Cross".to_owned()),
        };
        [ex_farm, free_on_board]
            .into_iter()
            .map(|delivery| {
                let created = trade_created(&mut rng);
                TradeCreated { trade: Trade { delivery, ..created.trade }, ..created }
            })
            .collect()
    }
}

impl Sample for TradeInventoryAllocated {
    fn sample() -> Self {
        trade_inventory_allocated(&mut rng_for_event::<Self>())
    }
}

impl Sample for TradeCancelled {
    fn sample() -> Self {
        trade_cancelled(&mut rng_for_event::<Self>())
    }
}
