//! One `PutEvents` entry: how an [`OutboundEvent`] becomes one, how big AWS says it is, and
//! the resource that carries the runtime's event id.

use aws_sdk_eventbridge::primitives::DateTime;
use aws_sdk_eventbridge::types::PutEventsRequestEntry;
use event_runtime::OutboundEvent;
use uuid::Uuid;

/// The prefix of the resource that carries an event's runtime id: `urn:event-id:<uuid>`.
///
/// `PutEvents` gives every event its own envelope `id`, so the id the runtime gave the event
/// (the outbox row's, the one a retry repeats) travels in `resources`, where every target and
/// rule sees it and the contract's `detail` stays exactly as its schema says.
pub const EVENT_ID_URN_PREFIX: &str = "urn:event-id:";

/// The resource naming the runtime id `id`: `urn:event-id:<id>`.
pub fn event_id_resource(id: Uuid) -> String {
    format!("{EVENT_ID_URN_PREFIX}{id}")
}

/// The runtime id carried in an envelope's `resources`: the id of its one well-formed
/// `urn:event-id:<uuid>` resource. `None` when there is none, or when well-formed ones name
/// different ids (which to trust cannot be told); a malformed one does not hide a
/// well-formed one.
pub fn event_id_from_resources<S: AsRef<str>>(resources: &[S]) -> Option<Uuid> {
    let mut ids = resources
        .iter()
        .filter_map(|resource| resource.as_ref().strip_prefix(EVENT_ID_URN_PREFIX))
        .filter_map(|id| Uuid::parse_str(id).ok());
    let first = ids.next()?;
    ids.all(|id| id == first).then_some(first)
}

/// The size of an entry by AWS's rule ("Calculating Amazon EventBridge PutEvents event entry
/// size"): 14 bytes for `Time` when present, plus the UTF-8 bytes of `Source`, `DetailType`,
/// `Detail` and each of `Resources`. The bus name does not count.
pub fn entry_size(entry: &PutEventsRequestEntry) -> usize {
    let time = if entry.time().is_some() { 14 } else { 0 };
    time + entry.source().map_or(0, str::len)
        + entry.detail_type().map_or(0, str::len)
        + entry.detail().map_or(0, str::len)
        + entry.resources().iter().map(String::len).sum::<usize>()
}

/// The entry for `event` on `bus`: its source, detail-type, detail JSON and time, and its
/// runtime id as a resource.
pub(crate) fn to_entry(event: &OutboundEvent, bus: &str) -> serde_json::Result<PutEventsRequestEntry> {
    let time = event.time();
    Ok(PutEventsRequestEntry::builder()
        .event_bus_name(bus)
        .source(event.source())
        .detail_type(event.detail_type())
        .detail(event.detail_json()?.into_owned())
        .time(DateTime::from_secs_and_nanos(time.timestamp(), time.timestamp_subsec_nanos()))
        .resources(event_id_resource(event.id()))
        .build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_counts_time_as_14_and_every_text_field_as_utf8_bytes() {
        let entry = PutEventsRequestEntry::builder()
            .event_bus_name("a-bus-name-that-does-not-count")
            .source("trading")
            .detail_type("TradeCreated")
            .detail(r#"{"name":"Žluťoučký"}"#)
            .time(DateTime::from_secs(0))
            .resources("urn:a")
            .resources("urn:bb")
            .build();
        let detail_bytes = r#"{"name":"Žluťoučký"}"#.len();
        assert_eq!(detail_bytes, 24, "multi-byte characters count as their UTF-8 bytes");
        assert_eq!(entry_size(&entry), 14 + 7 + 12 + detail_bytes + 5 + 6);
    }

    #[test]
    fn size_of_an_entry_without_time_or_resources() {
        let entry = PutEventsRequestEntry::builder().source("s").detail_type("d").detail("{}").build();
        assert_eq!(entry_size(&entry), 1 + 1 + 2);
    }

    #[test]
    fn the_event_id_round_trips_through_resources() {
        let id = Uuid::new_v4();
        let resources = vec!["arn:aws:s3:::bucket".to_owned(), event_id_resource(id)];
        assert_eq!(event_id_from_resources(&resources), Some(id));
        assert_eq!(event_id_from_resources(&["urn:event-id:not-a-uuid"]), None);
        assert_eq!(event_id_from_resources::<String>(&[]), None);
    }

    #[test]
    fn one_well_formed_id_resource_is_the_id_and_two_different_ones_are_none() {
        let (id, other) = (Uuid::new_v4(), Uuid::new_v4());
        let malformed_first = ["urn:event-id:not-a-uuid".to_owned(), event_id_resource(id)];
        assert_eq!(event_id_from_resources(&malformed_first), Some(id), "a malformed one hides nothing");
        assert_eq!(event_id_from_resources(&[event_id_resource(id), event_id_resource(id)]), Some(id));
        assert_eq!(event_id_from_resources(&[event_id_resource(id), event_id_resource(other)]), None);
    }

    #[test]
    fn an_outbound_event_becomes_an_entry_with_its_id_as_a_resource() {
        let id = Uuid::new_v4();
        let time = chrono::DateTime::from_timestamp(1_700_000_000, 123_000_000).unwrap();
        let event = OutboundEvent::from_json(id, "trading", "TradeCreated", time, r#"{"a":1}"#);
        let entry = to_entry(&event, "bus").unwrap();
        assert_eq!(entry.event_bus_name(), Some("bus"));
        assert_eq!(entry.source(), Some("trading"));
        assert_eq!(entry.detail_type(), Some("TradeCreated"));
        assert_eq!(entry.detail(), Some(r#"{"a":1}"#));
        assert_eq!(entry.resources(), [format!("urn:event-id:{id}")]);
        assert_eq!(entry.time().map(|t| (t.secs(), t.subsec_nanos())), Some((1_700_000_000, 123_000_000)));
    }
}
