//! JSDoc for schemas: descriptions, formats, unique items and integer-range warnings.

use std::fmt::Write as _;

use serde_json::Value;

/// JavaScript numbers hold integers exactly only up to 2^53 - 1.
const UNSAFE_INTEGER_WARNING: &str =
    "May exceed Number.MAX_SAFE_INTEGER (2^53 - 1): JSON.parse rounds larger values.";

/// The JSDoc lines of a schema: its description, its format and integer-range warnings.
pub(super) fn documentation(schema: &Value) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    if let Some(description) = schema.get("description").and_then(Value::as_str) {
        lines.extend(description.lines().map(str::to_owned));
    }
    if let Some(format) = schema.get("format").and_then(Value::as_str) {
        lines.push(format!("@format {format}"));
        if matches!(format, "uint64" | "int64" | "uint" | "int") {
            lines.push(format!("@remarks {UNSAFE_INTEGER_WARNING}"));
        }
    }
    if schema.get("uniqueItems") == Some(&Value::Bool(true)) {
        // TypeScript has no set type JSON can fill; say what the schema guarantees.
        lines.push("@uniqueItems Each item appears once.".to_owned());
    }
    if !lines.iter().any(|line| line.starts_with("@remarks")) && super::integers::nested_wide_integers(schema)
    {
        lines.push(format!("@remarks {UNSAFE_INTEGER_WARNING}"));
    }
    lines
}

pub(super) fn jsdoc(lines: &[String], indent: &str) -> String {
    match lines {
        [] => String::new(),
        [line] => format!("{indent}/** {} */\n", escape_comment(line)),
        lines => {
            let mut text = format!("{indent}/**\n");
            for line in lines {
                let line = escape_comment(line);
                let _ = writeln!(text, "{indent} *{}{line}", if line.is_empty() { "" } else { " " });
            }
            let _ = writeln!(text, "{indent} */");
            text
        }
    }
}

fn escape_comment(line: &str) -> String {
    line.replace("*/", "*\\/").trim_end().to_owned()
}
