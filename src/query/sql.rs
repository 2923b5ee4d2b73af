//! SQL text with its values kept apart: every user-supplied value travels as a bind
//! (escaped by the `clickhouse` crate on the client, clickhouse-notes P11), never as text.

/// A value bound to one `?`.
#[derive(Debug, Clone, PartialEq)]
pub enum Bind {
    /// A string.
    Str(String),
    /// A list of strings (an `Array(String)` literal).
    Strs(Vec<String>),
    /// A number.
    U64(u64),
}

/// SQL under construction.
#[derive(Debug, Default, Clone)]
pub struct Sql {
    text: String,
    binds: Vec<Bind>,
}

impl Sql {
    /// Appends trusted text (constants of this crate, numbers).
    pub fn push(&mut self, text: &str) -> &mut Self {
        debug_assert!(!text.contains('?'), "placeholders go through bind: {text}");
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder bound to `value`.
    pub fn bind(&mut self, value: Bind) -> &mut Self {
        self.text.push('?');
        self.binds.push(value);
        self
    }

    /// Appends `site_id = ? AND toDate(timestamp) >= toDate(?) AND toDate(timestamp) <=
    /// toDate(?)`: a site's events of UTC days `first` to `last`, bounded on the key's
    /// date so 18.16 prunes (clickhouse-notes P1).
    pub fn site_days(&mut self, site_id: u32, first: String, last: String) -> &mut Self {
        self.push("site_id = ")
            .bind(Bind::U64(u64::from(site_id)))
            .push(" AND toDate(timestamp) >= toDate(")
            .bind(Bind::Str(first))
            .push(") AND toDate(timestamp) <= toDate(")
            .bind(Bind::Str(last))
            .push(")")
    }

    /// Appends another piece, with its binds.
    pub fn append(&mut self, other: Sql) -> &mut Self {
        self.text.push_str(&other.text);
        self.binds.extend(other.binds);
        self
    }

    /// The text, with `?` placeholders.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// An upper bound of the statement's length once its values are bound (escaping at
    /// most doubles a string).
    pub fn len_estimate(&self) -> usize {
        let binds: usize = self
            .binds
            .iter()
            .map(|b| match b {
                Bind::Str(s) => 2 * s.len() + 2,
                Bind::Strs(v) => v.iter().map(|s| 2 * s.len() + 3).sum::<usize>() + 2,
                Bind::U64(_) => 20,
            })
            .sum();
        self.text.len() + binds
    }

    /// A query on `client` with every value bound, under the running request's bounds
    /// (`bounds`).
    pub fn query(&self, client: &clickhouse::Client) -> clickhouse::query::Query {
        let mut q = client.query(&self.text);
        for b in &self.binds {
            q = match b {
                Bind::Str(s) => q.bind(s.as_str()),
                Bind::Strs(v) => q.bind(v),
                Bind::U64(n) => q.bind(*n),
            };
        }
        q = super::bounds::apply(q, self.len_estimate());
        // `RUST_LOG=parcours::query::sql=trace` shows what ClickHouse is asked, to time
        // it piece by piece.
        if tracing::enabled!(tracing::Level::TRACE) {
            tracing::trace!(sql = %q.sql_display(), "query");
        }
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_values_stay_values() {
        let mut s = Sql::default();
        s.push("SELECT has(")
            .bind(Bind::Strs(vec![
                "a'); DROP TABLE events; --".into(),
                "\\".into(),
            ]))
            .push(", x), ")
            .bind(Bind::Str("it's".into()));
        let shown = s
            .query(&clickhouse::Client::default())
            .sql_display()
            .to_string();
        assert_eq!(
            shown,
            r"SELECT has(['a\'); DROP TABLE events; --','\\'], x), 'it\'s'"
        );
    }
}
