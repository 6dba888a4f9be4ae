//! Fake-data factories for customers events, and each event's
//! [`Sample`], shared by the generator and tests. Compiled only with the `samples` feature, so
//! production builds link no fake-data code.
//!
//! Each factory fills every field (every `Option` is `Some`, every list non-empty): the
//! generator's coverage check requires it of samples.

use chrono::Duration;
use contracts_common::ContextFactory;
use contracts_common::Sample;
use contracts_common::fakes::{self, FakeRng, rng_for_event};
use fake::Fake;
use fake::faker::company::en::CompanyName;
use fake::faker::internet::en::SafeEmail;
use fake::faker::name::en::Name;
use rand::RngExt;

use crate::events::{BusinessUnitsCreated, OrganisationCreated, OrganisationUpdated, UserInvited};
use crate::models::{BusinessUnit, Organisation, OrganisationChanges, OrganisationKind, UserRole};

/// An organisation with every detail filled in.
pub fn organisation(rng: &mut FakeRng) -> Organisation {
    let legal_name: String = CompanyName().fake_with_rng(rng);
    Organisation {
        id: fakes::uuid(rng),
        trading_name: Some(format!("{} Grain", legal_name.split(' ').next().unwrap_or("Farm"))),
        legal_name: format!("{legal_name} Pty Ltd"),
        abn: (0..11).map(|_| char::from(b'0' + rng.random_range(0..10u8))).collect(),
        kind: fakes::pick(
            rng,
            &[OrganisationKind::Grower, OrganisationKind::Trader, OrganisationKind::Processor],
        ),
        registered_address: fakes::address(rng),
        created_at: fakes::date_time(rng),
    }
}

/// A business unit of some organisation.
pub fn business_unit(rng: &mut FakeRng) -> BusinessUnit {
    let site = fakes::pick(rng, &["Silo Complex", "Receival Site", "Farm Store", "Depot"]);
    let address = fakes::address(rng);
    BusinessUnit {
        id: fakes::uuid(rng),
        name: format!("{} {site}", address.locality),
        address,
        storage_capacity_kg: rng.random_range(500..50_000u64) * 1_000,
    }
}

/// An organisation joined the platform.
pub fn organisation_created(rng: &mut FakeRng) -> OrganisationCreated {
    let mut context = ContextFactory.fake(rng);
    let organisation = organisation(rng);
    context.organisation_id = organisation.id;
    OrganisationCreated { metadata: context.metadata(), organisation }
}

/// An organisation renamed itself and moved office.
pub fn organisation_updated(rng: &mut FakeRng) -> OrganisationUpdated {
    let context = ContextFactory.fake(rng);
    let renamed = organisation(rng);
    OrganisationUpdated {
        metadata: context.metadata(),
        changes: OrganisationChanges {
            legal_name: Some(renamed.legal_name),
            trading_name: renamed.trading_name,
            registered_address: Some(renamed.registered_address),
        },
        updated_at: fakes::date_time(rng),
    }
}

/// Two to four business units were added to an organisation.
pub fn business_units_created(rng: &mut FakeRng) -> BusinessUnitsCreated {
    let context = ContextFactory.fake(rng);
    let count = rng.random_range(2..=4);
    BusinessUnitsCreated {
        metadata: context.metadata(),
        business_units: (0..count).map(|_| business_unit(rng)).collect(),
    }
}

/// A user was invited for a week.
pub fn user_invited(rng: &mut FakeRng) -> UserInvited {
    let context = ContextFactory.fake(rng);
    let sent_at = fakes::date_time(rng);
    UserInvited {
        metadata: context.metadata(),
        invitation_id: fakes::uuid(rng),
        email: SafeEmail().fake_with_rng(rng),
        display_name: Name().fake_with_rng(rng),
        role: fakes::pick(rng, &[UserRole::Admin, UserRole::Trader, UserRole::SiteOperator]),
        expires_at: sent_at + Duration::days(7),
    }
}

impl Sample for OrganisationCreated {
    fn sample() -> Self {
        organisation_created(&mut rng_for_event::<Self>())
    }
}

impl Sample for OrganisationUpdated {
    fn sample() -> Self {
        organisation_updated(&mut rng_for_event::<Self>())
    }
}

impl Sample for BusinessUnitsCreated {
    fn sample() -> Self {
        business_units_created(&mut rng_for_event::<Self>())
    }
}

impl Sample for UserInvited {
    fn sample() -> Self {
        user_invited(&mut rng_for_event::<Self>())
    }
}
