//! Deterministic fake data for samples and tests.
//!
//! Every event gets its own named RNG, seeded from a stable hash of `source/detail-type`, so
//! one event's sample never changes because another event's factory drew more numbers, and
//! the same sample comes out on every run and machine (`fake` and `rand` are pinned exactly
//! in the workspace manifest).

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use fake::Fake;
use fake::faker::address::en::{CityName, StateAbbr, StreetName, ZipCode};
use rand::{RngExt, SeedableRng};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::Event;
use crate::values::{Address, Currency, Money};

/// The RNG every factory takes. ChaCha8 is portable: its stream is fixed by its seed.
pub type FakeRng = rand::rngs::ChaCha8Rng;

/// The RNG for one event, seeded from `source/detail_type`.
pub fn rng_for(source: &str, detail_type: &str) -> FakeRng {
    FakeRng::seed_from_u64(stable_hash(&format!("{source}/{detail_type}")))
}

/// The RNG for event `E`: what its `Sample::sample()` should build from.
pub fn rng_for_event<E: Event>() -> FakeRng {
    rng_for(E::SOURCE, E::DETAIL_TYPE)
}

/// 64-bit FNV-1a: tiny, fixed forever, unlike `std`'s hasher, whose output may change
/// between Rust releases.
pub fn stable_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A random (v4) UUID drawn from `rng`.
pub fn uuid(rng: &mut FakeRng) -> Uuid {
    fake::uuid::UUIDv4.fake_with_rng(rng)
}

/// A UTC instant in 2026, whole seconds (as JSON and the database round-trip them).
pub fn date_time(rng: &mut FakeRng) -> DateTime<Utc> {
    let start = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    start + Duration::seconds(rng.random_range(0..365 * 24 * 3600))
}

/// A calendar date in 2026.
pub fn date(rng: &mut FakeRng) -> NaiveDate {
    date_time(rng).date_naive()
}

/// A decimal with two places between `min` and `max` (whole units, inclusive).
pub fn decimal(rng: &mut FakeRng, min: i64, max: i64) -> Decimal {
    Decimal::new(rng.random_range(min * 100..=max * 100), 2)
}

/// An amount of Australian dollars between `min` and `max`.
pub fn money(rng: &mut FakeRng, min: i64, max: i64) -> Money {
    Money { amount: decimal(rng, min, max), currency: Currency::Aud }
}

/// A street address with every line filled in.
pub fn address(rng: &mut FakeRng) -> Address {
    Address {
        line1: format!("{} {}", rng.random_range(1..999), StreetName().fake_with_rng::<String, _>(rng)),
        line2: Some(format!("Unit {}", rng.random_range(1..40))),
        locality: CityName().fake_with_rng(rng),
        state: StateAbbr().fake_with_rng(rng),
        postcode: ZipCode().fake_with_rng(rng),
        country: "AU".to_owned(),
    }
}

/// Picks one of `items`.
pub fn pick<T: Clone>(rng: &mut FakeRng, items: &[T]) -> T {
    items[rng.random_range(0..items.len())].clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_hash_is_fnv1a() {
        // Published FNV-1a 64 test vectors: the seed of every sample depends on them.
        assert_eq!(stable_hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(stable_hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(stable_hash("foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn same_name_gives_same_stream_and_names_differ() {
        let draw = |rng: &mut FakeRng| (uuid(rng), date_time(rng), address(rng));
        assert_eq!(
            draw(&mut rng_for("trading", "TradeCreated")),
            draw(&mut rng_for("trading", "TradeCreated"))
        );
        assert_ne!(
            draw(&mut rng_for("trading", "TradeCreated")),
            draw(&mut rng_for("trading", "TradeCancelled"))
        );
    }
}
