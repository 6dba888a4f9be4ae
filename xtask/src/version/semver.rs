//! `MAJOR.MINOR.PATCH` and the three bumps: all the semantic versioning the generated
//! packages need (they have no pre-releases or build metadata, so neither is accepted).

use std::fmt;
use std::str::FromStr;

/// A version of the generated packages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    /// Raised by a breaking change.
    pub major: u64,
    /// Raised by an added event or a compatible schema change.
    pub minor: u64,
    /// Raised by a change to descriptions or samples only.
    pub patch: u64,
}

impl Version {
    /// The version the packages start at, and the version of a workspace that has no version
    /// file yet.
    pub const FIRST: Version = Version { major: 0, minor: 1, patch: 0 };

    /// The version after `bump`. A major bump from `0.x` gives `1.0.0`: the gate's verdict is
    /// semver's, whatever Cargo's and npm's carets do with `0.x` (they treat a minor bump there as
    /// breaking too, so a `0.x` consumer never picks up a bump it did not ask for).
    pub fn bumped(self, bump: Bump) -> Version {
        let Version { major, minor, patch } = self;
        match bump {
            Bump::None => self,
            Bump::Patch => Version { major, minor, patch: patch + 1 },
            Bump::Minor => Version { major, minor: minor + 1, patch: 0 },
            Bump::Major => Version { major: major + 1, minor: 0, patch: 0 },
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// Text that is not `MAJOR.MINOR.PATCH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAVersion(pub String);

impl fmt::Display for NotAVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a version: write MAJOR.MINOR.PATCH, three numbers without leading zeros (the generated \
             packages use no pre-release or build suffixes)",
            self.0
        )
    }
}

impl std::error::Error for NotAVersion {}

impl FromStr for Version {
    type Err = NotAVersion;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let number = |part: &str| -> Option<u64> {
            let leading_zero = part.len() > 1 && part.starts_with('0');
            if part.is_empty() || leading_zero || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            part.parse().ok()
        };
        let parts: Vec<&str> = text.split('.').collect();
        match parts[..] {
            [major, minor, patch] => match (number(major), number(minor), number(patch)) {
                (Some(major), Some(minor), Some(patch)) => Ok(Version { major, minor, patch }),
                _ => Err(NotAVersion(text.to_owned())),
            },
            _ => Err(NotAVersion(text.to_owned())),
        }
    }
}

/// How far a set of changes moves the version, from nothing to a new major version; ordered,
/// so the largest change decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Bump {
    /// No event schema changed.
    #[default]
    None,
    /// Only descriptions, titles or samples (`examples`) changed: the types are the same.
    Patch,
    /// An event was added, or a schema changed in a way no consumer in the event's mode notices.
    Minor,
    /// A change breaks consumers in the event's mode (acknowledged or not), or an event is gone.
    Major,
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        text.parse().unwrap()
    }

    #[test]
    fn each_bump_raises_its_number_and_zeroes_the_smaller_ones() {
        assert_eq!(v("1.4.2").bumped(Bump::None), v("1.4.2"));
        assert_eq!(v("1.4.2").bumped(Bump::Patch), v("1.4.3"));
        assert_eq!(v("1.4.2").bumped(Bump::Minor), v("1.5.0"));
        assert_eq!(v("1.4.2").bumped(Bump::Major), v("2.0.0"));
        assert_eq!(v("0.1.0").bumped(Bump::Major), v("1.0.0"));
    }

    #[test]
    fn versions_compare_by_number_not_by_text() {
        assert!(v("0.10.0") > v("0.9.9"));
        assert!(v("1.0.0") > v("0.99.99"));
        assert_eq!(v("12.0.3").to_string(), "12.0.3");
    }

    #[test]
    fn anything_but_three_plain_numbers_is_refused_with_the_form_to_write() {
        for bad in ["1.0", "1.0.0.0", "1.0.0-beta.1", "v1.0.0", "01.0.0", "1..0", ""] {
            let error = bad.parse::<Version>().unwrap_err().to_string();
            assert!(error.contains("write MAJOR.MINOR.PATCH"), "{bad}: {error}");
        }
    }

    #[test]
    fn the_largest_change_decides() {
        assert_eq!([Bump::Patch, Bump::Major, Bump::Minor].into_iter().max(), Some(Bump::Major));
        assert_eq!(Vec::<Bump>::new().into_iter().max().unwrap_or_default(), Bump::None);
    }
}
