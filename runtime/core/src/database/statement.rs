//! [`Statement`]: SQL built at run time with `$N` placeholders, for both backends.
//!
//! sqlx's `QueryBuilder<Any>` writes `?` placeholders, which PostgreSQL rejects. The runtime
//! builds its variable-length statements (`IN (...)` lists, multi-row `VALUES`) here, with
//! `$N` for PostgreSQL and `?` for SQLite: SQLite understands `$N` too, but finds a named
//! parameter by a linear scan, which makes a 700-parameter insert quadratic.

use std::fmt::Write as _;

use sqlx::any::{Any, AnyArguments};
use sqlx::{Arguments, AssertSqlSafe, Encode, Type};

use super::Backend;

/// A statement under construction: its text and its bound values, in order.
pub(crate) struct Statement {
    text: String,
    arguments: AnyArguments,
    bound: usize,
    numbered: bool,
}

impl Statement {
    /// A statement for `backend` starting with `text`.
    pub(crate) fn new(backend: Backend, text: &str) -> Self {
        Self {
            text: text.to_owned(),
            arguments: AnyArguments::default(),
            bound: 0,
            numbered: backend == Backend::Postgres,
        }
    }

    /// Appends SQL text (never caller input: that is bound).
    pub(crate) fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends the next placeholder and binds `value` to it.
    pub(crate) fn bind<'t, T: Encode<'t, Any> + Type<Any>>(&mut self, value: T) -> &mut Self {
        self.bound += 1;
        if self.numbered {
            let _ = write!(self.text, "${}", self.bound);
        } else {
            self.text.push('?');
        }
        // Encoding into `Any`'s value buffer only copies the value; it cannot fail for the
        // integer and text values the runtime binds.
        let _ = self.arguments.add(value);
        self
    }

    /// Appends `(v1, v2, ...)`: each value bound.
    pub(crate) fn bind_list<'t, T: Encode<'t, Any> + Type<Any> + Copy + 't>(
        &mut self,
        values: &[T],
    ) -> &mut Self {
        self.push("(");
        for (index, value) in values.iter().enumerate() {
            if index > 0 {
                self.push(", ");
            }
            self.bind(*value);
        }
        self.push(")")
    }

    /// The query, ready to execute.
    pub(crate) fn build(self) -> sqlx::query::Query<'static, Any, AnyArguments> {
        sqlx::query_with(AssertSqlSafe(self.text), self.arguments)
    }

    /// The query returning one column per row.
    pub(crate) fn build_scalar<O>(self) -> sqlx::query::QueryScalar<'static, Any, O, AnyArguments>
    where
        (O,): for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        sqlx::query_scalar_with(AssertSqlSafe(self.text), self.arguments)
    }
}

/// Values per multi-row statement: a few thousand parameters stays far below both SQLite's
/// 32,766 and PostgreSQL's 65,535.
pub(crate) const ROWS_PER_STATEMENT: usize = 500;
