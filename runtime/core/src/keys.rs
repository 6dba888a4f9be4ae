//! Every naming rule of handler keys, module names and CloudFormation logical ids, in one
//! place (as prost-build keeps its identifier rules in `ident.rs`).
//!
//! A handler key is `<prefix><key form of the detail-type>`. It becomes a CloudFormation
//! logical id and a Lambda routing key, so it holds only ASCII letters and digits and starts
//! with a letter. Names are never mangled: a name that cannot follow the rules is an error
//! saying which character or length is wrong.

use crate::text::capped;

/// The longest handler key.
pub const MAX_KEY_LENGTH: usize = 128;

/// The longest key prefix.
pub const MAX_PREFIX_LENGTH: usize = 64;

/// The longest module name.
pub const MAX_MODULE_LENGTH: usize = 64;

/// The longest CloudFormation logical id (CloudFormation's own limit).
pub const MAX_LOGICAL_ID_LENGTH: usize = 255;

/// The characters that separate the words of a detail-type (`Scheduled Event`,
/// `EC2 Instance State-change Notification`) or of a module name (`trade-inventory`).
const SEPARATORS: [char; 5] = [' ', '-', '_', '.', '/'];

/// The form a detail-type takes inside a handler key.
///
/// The key form is the PascalCase of the detail-type's words: words of ASCII letters and
/// digits, separated by spaces, `-`, `_`, `.` or `/`, each with its first letter upper-cased
/// and the rest kept, joined. So a contract event's detail-type (`OrganisationCreated`) is its
/// own key form, and AWS service events get one: `aws.events` "Scheduled Event" is
/// `ScheduledEvent`, `aws.s3` "Object Created" is `ObjectCreated`. The manifest keeps the exact
/// detail-type beside the key, so the key maps back to it exactly; two detail-types with one
/// key form under one prefix are rejected as a collision, never merged.
///
/// ```
/// assert_eq!(event_runtime::key_form("Scheduled Event").unwrap(), "ScheduledEvent");
/// assert_eq!(event_runtime::key_form("EC2 Instance State-change Notification").unwrap(),
///            "EC2InstanceStateChangeNotification");
/// assert_eq!(event_runtime::key_form("OrganisationCreated").unwrap(), "OrganisationCreated");
/// assert!(event_runtime::key_form("Stock ïn").is_err());
/// assert!(event_runtime::key_form(" - ").is_err());
/// ```
pub fn key_form(detail_type: &str) -> Result<String, String> {
    if detail_type.is_empty() {
        return Err("the detail-type is empty".to_owned());
    }
    if let Some(bad) = detail_type.chars().find(|c| !c.is_ascii_alphanumeric() && !SEPARATORS.contains(c)) {
        return Err(format!(
            "detail-type `{}` has {bad:?}: a key form is made of ASCII letters and digits, with words \
             separated by space, `-`, `_`, `.` or `/`",
            capped(detail_type)
        ));
    }
    let form: String =
        detail_type.split(SEPARATORS).filter(|word| !word.is_empty()).map(upper_first).collect();
    if form.is_empty() {
        // Else its key would be the bare prefix, taking no event's name.
        return Err(format!(
            "detail-type `{}` has only separators: a key form needs a word of ASCII letters or digits",
            capped(detail_type)
        ));
    }
    Ok(form)
}

/// Checks the shape of a whole key: non-empty, ASCII letters and digits, a letter first, at
/// most [`MAX_KEY_LENGTH`] characters.
pub(crate) fn check_key_shape(key: &str) -> Result<(), String> {
    if key.len() > MAX_KEY_LENGTH {
        return Err(format!(
            "a key has at most {MAX_KEY_LENGTH} characters, this one {}",
            key.chars().count()
        ));
    }
    if !key.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err("a key must start with an ASCII letter".to_owned());
    }
    if let Some(bad) = key.chars().find(|c| !c.is_ascii_alphanumeric()) {
        return Err(format!("a key may hold only ASCII letters and digits, not {bad:?}"));
    }
    Ok(())
}

/// Checks a key prefix: ASCII letters and digits, at most [`MAX_PREFIX_LENGTH`] characters.
pub(crate) fn check_prefix(prefix: &str) -> Result<(), String> {
    if prefix.len() > MAX_PREFIX_LENGTH {
        return Err(format!(
            "a prefix has at most {MAX_PREFIX_LENGTH} characters, `{}` has {}",
            capped(prefix),
            prefix.chars().count()
        ));
    }
    Ok(())
}

/// Checks a module name (`inventory`, `trade-inventory`, `trade_inventory`): words of ASCII
/// letters and digits separated by single `-` or `_`, a letter first, at most
/// [`MAX_MODULE_LENGTH`] characters. It becomes the PascalCase start of logical ids.
pub(crate) fn check_module(module: &str) -> Result<(), String> {
    if module.len() > MAX_MODULE_LENGTH {
        return Err(format!(
            "a module name has at most {MAX_MODULE_LENGTH} characters, this one {}",
            module.chars().count()
        ));
    }
    if !module.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err("a module name must start with an ASCII letter".to_owned());
    }
    if let Some(bad) = module.chars().find(|c| !c.is_ascii_alphanumeric() && *c != '-' && *c != '_') {
        return Err(format!(
            "a module name may hold only ASCII letters, digits, `-` and `_`, not {bad:?} (rename it; it is \
             never rewritten silently)"
        ));
    }
    if module.split(['-', '_']).any(str::is_empty) {
        return Err("a module name's words are separated by single `-` or `_`".to_owned());
    }
    Ok(())
}

/// The PascalCase of a checked module name: `trade-inventory` and `trade_inventory` become
/// `TradeInventory`.
pub(crate) fn module_pascal_case(module: &str) -> String {
    module.split(['-', '_']).map(upper_first).collect()
}

/// Checks a CloudFormation logical id: ASCII letters and digits only, 1 to
/// [`MAX_LOGICAL_ID_LENGTH`] characters.
pub(crate) fn check_logical_id(id: &str) -> Result<(), String> {
    if id.is_empty() || id.len() > MAX_LOGICAL_ID_LENGTH {
        return Err(format!(
            "a CloudFormation logical id has 1 to {MAX_LOGICAL_ID_LENGTH} characters, this one {}",
            id.len()
        ));
    }
    if let Some(bad) = id.chars().find(|c| !c.is_ascii_alphanumeric()) {
        return Err(format!("a CloudFormation logical id is alphanumeric, not {bad:?}"));
    }
    Ok(())
}

fn upper_first(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|first| first.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_detail_types_take_the_pascal_case_of_their_words() {
        assert_eq!(key_form("Scheduled Event").unwrap(), "ScheduledEvent");
        assert_eq!(key_form("Object Created").unwrap(), "ObjectCreated");
        assert_eq!(key_form("AWS API Call via CloudTrail").unwrap(), "AWSAPICallViaCloudTrail");
    }

    #[test]
    fn names_that_cannot_follow_the_rules_are_errors_not_rewrites() {
        assert!(key_form("").unwrap_err().contains("empty"));
        assert!(key_form("Stock ïn").unwrap_err().contains("'ï'"));
        assert!(check_module("trade-ïnventory!").unwrap_err().contains("'ï'"));
        assert!(check_module("trade--inventory").is_err());
        assert!(check_module(&"m".repeat(65)).unwrap_err().contains("at most 64"));
        assert!(check_key_shape(&"K".repeat(100_019)).unwrap_err().contains("at most 128"));
        assert!(check_logical_id(&"L".repeat(256)).is_err());
        assert!(check_logical_id("Trade-Inventory").is_err());
    }

    #[test]
    fn module_names_become_pascal_case() {
        assert_eq!(module_pascal_case("trade-inventory"), "TradeInventory");
        assert_eq!(module_pascal_case("trade_inventory"), "TradeInventory");
        assert_eq!(module_pascal_case("inventory"), "Inventory");
    }
}
