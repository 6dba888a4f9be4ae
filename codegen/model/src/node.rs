//! A typed read-only view of one schema object: the keywords every engine reads, each read
//! one way (a `required` that is not a list of strings lists nothing, and so on).

use serde_json::{Map, Value};

use crate::{Key, Place};

/// One schema (`true`, `false` or an object), read keyword by keyword.
#[derive(Debug, Clone, Copy)]
pub struct Node<'a> {
    value: &'a Value,
}

impl<'a> Node<'a> {
    /// A view of `value`.
    pub fn new(value: &'a Value) -> Node<'a> {
        Node { value }
    }

    /// The schema object; `None` for the boolean schemas.
    pub fn object(&self) -> Option<&'a Map<String, Value>> {
        self.value.as_object()
    }

    /// The names `required` lists, in order.
    pub fn required(&self) -> Vec<&'a str> {
        self.list("required").iter().filter_map(Value::as_str).collect()
    }

    /// The declared properties, in the order the schema lists them.
    pub fn properties(&self) -> impl Iterator<Item = (&'a String, &'a Value)> + use<'a> {
        self.value.get("properties").and_then(Value::as_object).into_iter().flatten()
    }

    /// The `$ref` target, when it is a string.
    pub fn reference(&self) -> Option<&'a str> {
        self.value.get("$ref").and_then(Value::as_str)
    }

    /// The names `type` lists: one for `"type": "string"`, each for a list; none when absent.
    pub fn types(&self) -> Vec<&'a str> {
        match self.value.get("type") {
            Some(Value::String(name)) => vec![name.as_str()],
            Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }

    /// Whether `type` names `name` (alone or in a list).
    pub fn has_type(&self, name: &str) -> bool {
        self.types().contains(&name)
    }

    /// The `description`, when it is a string.
    pub fn description(&self) -> Option<&'a str> {
        self.value.get("description").and_then(Value::as_str)
    }

    /// The subschema a member `key` of an object value is checked against, with its place:
    /// the declared property, else an `additionalProperties` schema; `None` for neither.
    pub fn property<'k>(&self, key: &'k str) -> Option<(Place<'k>, &'a Value)> {
        let declared = self.value.get("properties").and_then(|properties| properties.get(key));
        match declared {
            Some(schema) => Some((Place { keyword: "properties", key: Some(Key::Name(key)) }, schema)),
            None => self
                .value
                .get("additionalProperties")
                .filter(|values| values.is_object())
                .map(|values| (Place { keyword: "additionalProperties", key: None }, values)),
        }
    }

    /// The subschema item `index` of an array value is checked against, with its place: the
    /// tuple's schema at that position, or the one `items` schema.
    pub fn item(&self, index: usize) -> Option<(Place<'static>, &'a Value)> {
        match self.value.get("items")? {
            Value::Array(positions) => positions
                .get(index)
                .map(|schema| (Place { keyword: "items", key: Some(Key::Index(index)) }, schema)),
            items => Some((Place { keyword: "items", key: None }, items)),
        }
    }

    /// A keyword's list (`allOf`, `anyOf`, `oneOf`, `enum`, `required`, ...); empty when the
    /// keyword is absent or not a list.
    pub fn list(&self, keyword: &str) -> &'a [Value] {
        self.value.get(keyword).and_then(Value::as_array).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keywords_read_the_same_whatever_their_spelling() {
        let schema = json!({"type": ["string", "null"], "required": ["a", 1, "b"], "$ref": "#/x",
                            "properties": {"z": {}, "a": {}}, "allOf": {"not": "a list"}});
        let node = Node::new(&schema);
        assert_eq!(node.types(), ["string", "null"]);
        assert!(node.has_type("null"));
        assert_eq!(node.required(), ["a", "b"]);
        assert_eq!(node.reference(), Some("#/x"));
        assert_eq!(node.properties().map(|(name, _)| name.as_str()).collect::<Vec<_>>(), ["z", "a"]);
        assert!(node.list("allOf").is_empty());
        assert_eq!(Node::new(&json!(true)).types(), Vec::<&str>::new());
    }

    #[test]
    fn members_and_items_find_the_subschema_they_are_checked_against() {
        let object =
            json!({"properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "integer"}});
        let node = Node::new(&object);
        assert_eq!(node.property("a").map(|(place, _)| place.pointer_from("")), Some("/properties/a".into()));
        assert_eq!(node.property("b").unwrap().1, &json!({"type": "integer"}));
        assert!(Node::new(&json!({"additionalProperties": true})).property("b").is_none());
        let tuple = json!({"items": [{"type": "string"}]});
        assert_eq!(
            Node::new(&tuple).item(0).map(|(place, _)| place.pointer_from("/x")),
            Some("/x/items/0".into())
        );
        assert!(Node::new(&tuple).item(1).is_none());
        let list = json!({"items": {"type": "string"}});
        assert_eq!(Node::new(&list).item(7).map(|(place, _)| place.pointer_from("")), Some("/items".into()));
    }
}
