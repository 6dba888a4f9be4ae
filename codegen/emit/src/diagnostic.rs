//! The one error type of the code generators: what is wrong, where, and how to fix it.

use std::fmt;

/// A problem found while generating code, as a value: its subject (the module, type or
/// schema it concerns), what is wrong, and, when there is one, the fix.
///
/// Displayed as `subject: message; fix`, e.g. `trading: two different types are named
/// `Address`, in trading.A and trading.B; rename one`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// What the problem concerns, e.g. `trading.TradeCreated` or `trading: type `Trade``.
    pub subject: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when the generator can tell.
    pub fix: Option<String>,
}

impl Diagnostic {
    /// A diagnostic without a fix.
    pub fn new(subject: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { subject: subject.into(), message: message.into(), fix: None }
    }

    /// The same diagnostic, saying how to fix it.
    #[must_use]
    pub fn with_fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.subject, self.message)?;
        match &self.fix {
            Some(fix) => write!(f, "; {fix}"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for Diagnostic {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diagnostic_reads_subject_message_fix() {
        let plain = Diagnostic::new("trading", "typify failed");
        assert_eq!(plain.to_string(), "trading: typify failed");
        assert_eq!(plain.with_fix("rename one").to_string(), "trading: typify failed; rename one");
    }
}
