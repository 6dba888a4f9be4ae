//! The consumer declarations under `schemas/consumers/` are checked against the schemas the
//! generator publishes: an unknown event or field fails generation, naming the file.

// Links every contract crate, so the registry sees every event.
use contracts_all as _;
use xtask::consumers::{self, Consumers};
use xtask::outputs::{self, Options};
use xtask::{events, workspace};

#[test]
fn the_workspaces_declarations_name_real_events_and_fields() {
    let consumers = Consumers::load(&workspace::root()).unwrap_or_else(|e| panic!("{e:?}"));
    let names: Vec<&str> = consumers.list.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["scheduler", "trade-notifier", "trading-allocations"]);
    let options = Options { consumers, ..Options::default() };
    let events = events::all(&workspace::root()).unwrap().0;
    outputs::generate_with(&events, &options).unwrap_or_else(|error| panic!("{error}"));
}

#[test]
fn a_declaration_naming_an_unknown_event_or_field_fails_generation_naming_the_file_and_pointer() {
    let file = "schemas/consumers/billing-lambda.toml";
    let text = "name = \"billing-lambda\"\nteam = \"billing\"\nrepository = \"https://example.com/billing\"\n\n\
                [[handles]]\nsource = \"trading\"\ndetail-type = \"TradeCreated\"\nreads = [\"/trade/pricePerTonne\", \"/trade/notes\"]\n\n\
                [[handles]]\nsource = \"trading\"\ndetail-type = \"TradeSettled\"\n";
    let consumers = Consumers { list: vec![consumers::parse(file, text).unwrap()] };
    let events = events::all(&workspace::root()).unwrap().0;
    let error = outputs::generate_with(&events, &Options { consumers, ..Options::default() }).unwrap_err();
    let text = error.to_string();
    assert_eq!(error.failures.len(), 2, "{text}");
    assert!(text.contains("nothing was written"), "{text}");
    assert!(text.contains(&format!("{file}: trading.TradeCreated reads `/trade/notes`")), "{text}");
    assert!(
        text.contains(&format!("{file}: handles[1] names source `trading`, detail-type `TradeSettled`")),
        "{text}"
    );
    assert!(text.contains("`TradeCancelled`, `TradeCreated`, `TradeInventoryAllocated`"), "{text}");
}
