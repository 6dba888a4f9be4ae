//! An item's text, formatted as prettyplease formats typify's tokens.
//!
//! prettyplease keeps a construct on one line when it fits its margin, and breaks it at its
//! generic arguments, attribute options or match arm bodies otherwise. [`Text`] writes the
//! one-line forms and the broken forms inferred types need all the time (serde attributes,
//! generic field types, impl headers, conversion `fn`s; match arms in `print.rs`); any other
//! line too long to be sure of sends the item through syn and prettyplease themselves
//! ([`Text::finish`]), so the result is always what they write.

use super::shape::Ty;

/// The longest line prettyplease keeps whole (its margin, 89 columns).
pub const MARGIN: usize = 89;

/// An item's text, and whether some line of it needs prettyplease's own judgement.
#[derive(Default)]
pub struct Text {
    out: String,
    unsure: bool,
}

impl Text {
    /// `text` as it is (fixed lines that never break).
    pub fn push(&mut self, text: &str) {
        self.out.push_str(text);
    }

    /// `indent` spaces.
    pub fn indent(&mut self, indent: usize) {
        const SPACES: &str = "                                ";
        self.out.push_str(&SPACES[..indent.min(SPACES.len())]);
    }

    /// A line that never breaks (no break point in it, or one known to fit).
    pub fn line(&mut self, indent: usize, text: &str) {
        self.indent(indent);
        self.out.push_str(text);
        self.out.push('\n');
    }

    /// A line with break points: when too long, the item is formatted by prettyplease.
    pub fn breakable(&mut self, indent: usize, text: &str) {
        self.unsure |= indent + text.len() > MARGIN;
        self.line(indent, text);
    }

    /// `impl {target} for {name} {`, broken before `for` when too long, as prettyplease does.
    pub fn impl_header(&mut self, target: &str, name: &str) {
        let one_line = format!("impl {target} for {name} {{");
        if one_line.len() <= MARGIN {
            self.line(0, &one_line);
            return;
        }
        let (head, tail) = (format!("impl {target}"), format!("for {name} {{"));
        self.breakable(0, &head);
        self.breakable(0, &tail);
    }

    /// `{head}{ty}{tail}` at `indent`; when too long, broken inside `ty`'s type arguments:
    /// each on a line of its own, four columns in, with a comma.
    pub fn typed(&mut self, indent: usize, head: &[&str], ty: &Ty, tail: &str) {
        let start = self.out.len();
        self.indent(indent);
        head.iter().for_each(|piece| self.out.push_str(piece));
        ty.write(&mut self.out);
        self.out.push_str(tail);
        // A type without arguments has no break point: the line stays whole, however long.
        let broken = (self.out.len() - start > MARGIN).then(|| ty.generic()).flatten();
        let Some((open, arguments)) = broken else {
            self.out.push('\n');
            return;
        };
        self.out.truncate(start);
        self.line(indent, &format!("{}{open}", head.concat()));
        for mut argument in arguments {
            argument.push(',');
            self.breakable(indent + 4, &argument);
        }
        self.line(indent, &format!(">{tail}"));
    }

    /// `fn from(value: {ty}) -> Self {` at the depth of an `impl`'s method, its parameter on a
    /// line of its own when too long.
    pub fn conversion_fn(&mut self, ty: &str) {
        let one_line = format!("fn from(value: {ty}) -> Self {{");
        if 4 + one_line.len() <= MARGIN {
            self.line(4, &one_line);
            return;
        }
        self.line(4, "fn from(");
        self.breakable(8, &format!("value: {ty},"));
        self.line(4, ") -> Self {");
    }

    /// The formatted text; `None` when prettyplease was needed and could not read it (a bug
    /// of this printer, left to the typify path).
    pub fn finish(self) -> Option<String> {
        if !self.unsure {
            // Items are held until the module is assembled: without their growth slack.
            let mut out = self.out;
            out.shrink_to_fit();
            return Some(out);
        }
        let file = syn::parse_file(&self.out).ok()?;
        Some(prettyplease::unparse(&file))
    }
}

/// `#[name(options)]` at `indent`, one option per line when it does not fit; nothing when
/// there are no options.
pub fn attribute(text: &mut Text, indent: usize, name: &str, options: &[&str]) {
    if options.is_empty() {
        return;
    }
    let length = name.len() + 5 + options.iter().map(|o| o.len() + 2).sum::<usize>() - 2;
    if indent + length <= MARGIN {
        text.indent(indent);
        for piece in ["#[", name, "("] {
            text.out.push_str(piece);
        }
        for (at, option) in options.iter().enumerate() {
            if at > 0 {
                text.out.push_str(", ");
            }
            text.out.push_str(option);
        }
        text.out.push_str(")]\n");
        return;
    }
    text.line(indent, &format!("#[{name}("));
    for (at, option) in options.iter().enumerate() {
        let comma = if at + 1 < options.len() { "," } else { "" };
        text.line(indent + 4, &format!("{option}{comma}"));
    }
    text.line(indent, ")]");
}

/// A Rust string literal of `value`, escaped as proc-macro2 escapes it (so as typify's
/// tokens print).
pub fn literal(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\0' if chars.as_str().starts_with(|next: char| ('0'..='7').contains(&next)) => {
                out.push_str("\\x00")
            }
            '\0' => out.push_str("\\0"),
            '\'' => out.push('\''),
            _ => out.extend(c.escape_debug()),
        }
    }
    out.push('"');
    out
}
