//! Tokens that can move to another thread.
//!
//! proc_macro2's tokens cannot (groups share reference-counted streams), so lists of them are
//! detached into plain data, which the other thread attaches again as the same tokens: the
//! same delimiters, identifiers (raw ones too), punctuation with its spacing, and literals
//! read back from their exact text. Spans are all `call_site`, as typify's are.
//!
//! Detaching consumes the tokens: a group's stream, once the group is gone, is walked without
//! copying it. Every identifier's and literal's text goes into one string, and the trees into
//! one list, so a list of items costs a few allocations, not one per token.

use std::fmt::Write as _;
use std::ops::Range;
use std::str::FromStr;

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

/// Lists of token trees (items), as plain data.
#[derive(Default)]
pub struct Detached {
    /// The text of every identifier and literal.
    text: String,
    /// Every tree, depth first.
    tokens: Vec<Token>,
    /// Where each list's trees are in `tokens`.
    lists: Vec<Range<usize>>,
}

enum Token {
    /// A group whose trees are the tokens up to `end` (exclusive).
    Group(Delimiter, usize),
    Ident(Range<usize>),
    Punct(char, Spacing),
    Literal(Range<usize>),
}

impl Detached {
    /// Adds a list of trees.
    pub fn push(&mut self, trees: Vec<TokenTree>) {
        let start = self.tokens.len();
        self.add(trees);
        self.lists.push(start..self.tokens.len());
    }

    fn add(&mut self, trees: impl IntoIterator<Item = TokenTree>) {
        for tree in trees {
            match tree {
                TokenTree::Group(group) => {
                    let at = self.tokens.len();
                    self.tokens.push(Token::Group(group.delimiter(), 0));
                    let stream = group.stream();
                    // The stream is now the only one: walking it moves its trees.
                    drop(group);
                    self.add(stream);
                    let end = self.tokens.len();
                    self.tokens[at] = match &self.tokens[at] {
                        Token::Group(delimiter, _) => Token::Group(*delimiter, end),
                        _ => unreachable!("a group was pushed here"),
                    };
                }
                TokenTree::Ident(ident) => {
                    let start = self.text.len();
                    let _ = write!(self.text, "{ident}");
                    self.tokens.push(Token::Ident(start..self.text.len()));
                }
                TokenTree::Punct(punct) => self.tokens.push(Token::Punct(punct.as_char(), punct.spacing())),
                TokenTree::Literal(literal) => {
                    let start = self.text.len();
                    let _ = write!(self.text, "{literal}");
                    self.tokens.push(Token::Literal(start..self.text.len()));
                }
            }
        }
    }

    /// The lists of tokens, in the order they were pushed.
    pub fn attach(&self) -> impl Iterator<Item = TokenStream> + '_ {
        self.lists.iter().map(|list| self.stream(list.clone()))
    }

    fn stream(&self, range: Range<usize>) -> TokenStream {
        let span = Span::call_site();
        let mut trees = Vec::new();
        let mut at = range.start;
        while at < range.end {
            let tree: TokenTree = match &self.tokens[at] {
                Token::Group(delimiter, end) => {
                    let group = Group::new(*delimiter, self.stream(at + 1..*end));
                    at = *end;
                    trees.push(group.into());
                    continue;
                }
                Token::Ident(text) => {
                    let text = &self.text[text.clone()];
                    match text.strip_prefix("r#") {
                        Some(raw) => Ident::new_raw(raw, span).into(),
                        None => Ident::new(text, span).into(),
                    }
                }
                Token::Punct(ch, spacing) => Punct::new(*ch, *spacing).into(),
                // The text is a literal's own: it reads back as that literal.
                Token::Literal(text) => match Literal::from_str(&self.text[text.clone()]) {
                    Ok(literal) => literal.into(),
                    Err(_) => unreachable!("a literal's text reads back as a literal"),
                },
            };
            trees.push(tree);
            at += 1;
        }
        trees.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    #[test]
    fn tokens_attach_as_they_were_detached() {
        let lists = [
            quote! {
                #[doc = r" A raw doc"]
                #[doc = "an \"escaped\"\n doc"]
                pub struct r#type<'a> { pub x: [u8; 3usize], pub y: Option<&'a str>, z: (i64, f64) }
            },
            quote! { const N: i64 = -1i64 + 2.5e3 as i64 + 'c' as i64 + b'b' as i64; },
            quote! { impl A for B { fn f(&self) -> Self { Self::X => a >>= b::<C>() } } },
            quote! {},
        ];
        let attached: Vec<String> = std::thread::scope(|scope| {
            let mut detached = Detached::default();
            for list in &lists {
                detached.push(list.clone().into_iter().collect());
            }
            scope.spawn(move || detached.attach().map(|s| s.to_string()).collect()).join().unwrap()
        });
        let expected: Vec<String> = lists.iter().map(ToString::to_string).collect();
        assert_eq!(attached, expected);
    }
}
