//! Decorators of the real PutEvents call: counting calls, failing chosen entries once.

use std::collections::HashSet;
use std::sync::Mutex;

use event_runtime::BoxFuture;
use event_runtime_aws::aws_sdk_eventbridge::types::PutEventsRequestEntry;
use event_runtime_aws::{CallError, EntryOutcome, PutEventsApi, SdkPutEvents};

/// Passes every call on, recording how many entries each had.
pub struct Counting {
    pub inner: SdkPutEvents,
    pub calls: Mutex<Vec<usize>>,
}

impl PutEventsApi for Counting {
    fn put_events(
        &self,
        entries: Vec<PutEventsRequestEntry>,
    ) -> BoxFuture<'_, Result<Vec<EntryOutcome>, CallError>> {
        self.calls.lock().unwrap().push(entries.len());
        self.inner.put_events(entries)
    }
}

/// Fails, without sending them, the entries whose detail's `unallocatedKg` is in `fail_once`
/// the first time it sees them (as EventBridge does with `ThrottlingException`); sends the rest.
pub struct FailOnce {
    pub inner: SdkPutEvents,
    pub fail_once: Mutex<HashSet<u64>>,
    pub calls: Mutex<Vec<usize>>,
}

impl PutEventsApi for FailOnce {
    fn put_events(
        &self,
        entries: Vec<PutEventsRequestEntry>,
    ) -> BoxFuture<'_, Result<Vec<EntryOutcome>, CallError>> {
        Box::pin(async move {
            self.calls.lock().unwrap().push(entries.len());
            let failing: Vec<bool> = {
                let mut fail_once = self.fail_once.lock().unwrap();
                entries.iter().map(|entry| fail_once.remove(&unallocated_kg(entry))).collect()
            };
            let sent: Vec<PutEventsRequestEntry> =
                entries.iter().zip(&failing).filter(|(_, fail)| !**fail).map(|(e, _)| e.clone()).collect();
            let mut outcomes =
                if sent.is_empty() { Vec::new() } else { self.inner.put_events(sent).await? }.into_iter();
            Ok(failing
                .into_iter()
                .map(|fail| match fail {
                    true => EntryOutcome::Failed {
                        code: "ThrottlingException".to_owned(),
                        message: "Rate exceeded".to_owned(),
                    },
                    false => outcomes.next().unwrap(),
                })
                .collect())
        })
    }
}

fn unallocated_kg(entry: &PutEventsRequestEntry) -> u64 {
    let detail: serde_json::Value = serde_json::from_str(entry.detail().unwrap()).unwrap();
    detail["unallocatedKg"].as_u64().unwrap()
}
