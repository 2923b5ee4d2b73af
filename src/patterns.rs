//! Path patterns as site owners write them: `/conditions/**`, `/doctors/*`, `/booking`.
//!
//! `*` matches within one path segment, `**` matches across segments, everything else
//! is literal. The same pattern is compiled to a Rust regex (ingest) and can be handed
//! to ClickHouse's `match()` (queries), so both sides agree on what a pattern means.

/// Errors in a pattern.
#[derive(Debug, thiserror::Error)]
pub enum PatternError {
    /// The pattern cannot be used.
    #[error("invalid path pattern {pattern:?}: {reason}")]
    Invalid {
        pattern: String,
        reason: &'static str,
    },
}

/// Translates one pattern to an anchored regular expression (RE2 and `regex` syntax).
pub fn to_regex(pattern: &str) -> Result<String, PatternError> {
    let invalid = |reason| PatternError::Invalid {
        pattern: pattern.to_owned(),
        reason,
    };
    if !pattern.starts_with('/') {
        return Err(invalid("must start with /"));
    }
    if pattern.len() > 500 {
        return Err(invalid("longer than 500 characters"));
    }
    let mut out = String::from("^");
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '*' {
            if chars.peek() == Some(&'*') {
                chars.next();
                // `/a/**` also matches `/a` itself.
                if out.ends_with('/') && chars.peek().is_none() {
                    out.pop();
                    out.push_str("(/.*)?");
                } else {
                    out.push_str(".*");
                }
            } else {
                out.push_str("[^/]*");
            }
        } else {
            out.push_str(&regex::escape(c.encode_utf8(&mut [0; 4])));
        }
    }
    out.push('$');
    Ok(out)
}

/// A set of patterns compiled into one regex.
#[derive(Debug, Clone)]
pub struct PathSet {
    regex: Option<regex::Regex>,
}

impl PathSet {
    /// Compiles patterns; an empty list matches nothing.
    pub fn new(patterns: &[String]) -> Result<Self, PatternError> {
        if patterns.is_empty() {
            return Ok(Self { regex: None });
        }
        let parts = patterns
            .iter()
            .map(|p| to_regex(p).map(|r| format!("(?:{r})")))
            .collect::<Result<Vec<_>, _>>()?;
        let regex = regex::Regex::new(&parts.join("|")).map_err(|_| PatternError::Invalid {
            pattern: patterns.join(", "),
            reason: "too complex",
        })?;
        Ok(Self { regex: Some(regex) })
    }

    /// Whether `path` matches any pattern.
    pub fn matches(&self, path: &str) -> bool {
        self.regex.as_ref().is_some_and(|r| r.is_match(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(p: &[&str]) -> PathSet {
        PathSet::new(&p.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn single_and_double_stars() {
        let s = set(&["/doctors/*"]);
        assert!(s.matches("/doctors/dr-martin"));
        assert!(!s.matches("/doctors/dr-martin/agenda"));
        assert!(!s.matches("/doctors"));
        let s = set(&["/conditions/**"]);
        assert!(s.matches("/conditions"));
        assert!(s.matches("/conditions/migraine/traitement"));
        assert!(!s.matches("/conditionsx"));
    }

    #[test]
    fn literals_are_escaped() {
        let s = set(&["/a.b/(x)+"]);
        assert!(s.matches("/a.b/(x)+"));
        assert!(!s.matches("/aXb/(x)+"));
        assert!(PathSet::new(&["no-slash".into()]).is_err());
        assert!(!set(&[]).matches("/"));
    }
}
