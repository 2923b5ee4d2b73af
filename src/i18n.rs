//! The dashboard's words on the command line: the translation files of
//! `dashboards/src/i18n/` embedded at compile time, and the same number, percentage and
//! duration formats as the dashboard's `fmt`, so a table printed by `parcours query`
//! says `Médiane entre étapes  7 min 20 s` exactly where the dashboard does.
//!
//! The language comes from `PARCOURS_LANG` (`fr` or `en`), else from the usual locale
//! variables (`LC_ALL`, `LC_MESSAGES`, `LANG`); anything but French reads English.
//!
//! Deliberately not here: plural rules beyond French and English, dates (tables print
//! ISO days, which sort and paste well).

use std::sync::OnceLock;

use serde_json::Value;

/// A language the dashboard and the command line speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// French.
    Fr,
    /// English.
    En,
}

impl Lang {
    /// The language asked by the environment.
    pub fn from_env() -> Self {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let asked = var("PARCOURS_LANG")
            .or_else(|| var("LC_ALL"))
            .or_else(|| var("LC_MESSAGES"))
            .or_else(|| var("LANG"))
            .unwrap_or_default();
        if asked.to_ascii_lowercase().starts_with("fr") {
            Lang::Fr
        } else {
            Lang::En
        }
    }
}

fn catalog(lang: Lang) -> &'static Value {
    static FR: OnceLock<Value> = OnceLock::new();
    static EN: OnceLock<Value> = OnceLock::new();
    // The files are the dashboard's own; a test in this module parses both.
    let (cell, text) = match lang {
        Lang::Fr => (&FR, include_str!("../dashboards/src/i18n/fr.json")),
        Lang::En => (&EN, include_str!("../dashboards/src/i18n/en.json")),
    };
    cell.get_or_init(|| serde_json::from_str(text).unwrap_or(Value::Null))
}

/// Words and formats of one language.
#[derive(Debug, Clone, Copy)]
pub struct Words {
    lang: Lang,
}

impl Words {
    /// Words of a language.
    pub fn new(lang: Lang) -> Self {
        Self { lang }
    }

    /// Words of the environment's language.
    pub fn from_env() -> Self {
        Self::new(Lang::from_env())
    }

    /// The string at a dotted key, if the catalog has one.
    pub fn get(&self, key: &str) -> Option<&'static str> {
        key.split('.')
            .try_fold(catalog(self.lang), |v, part| v.get(part))
            .and_then(Value::as_str)
    }

    /// The string at `key` with `{name}` placeholders filled; the key itself if missing.
    pub fn t(&self, key: &str, params: &[(&str, String)]) -> String {
        let mut s = self.get(key).unwrap_or(key).to_owned();
        for (name, value) in params {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }

    /// `key.one` or `key.other` by `count`, filled with `{count}`.
    pub fn plural(&self, key: &str, count: u64) -> String {
        // French and English both say "one" for 1; French also for 0.
        let one = count == 1 || (count == 0 && self.lang == Lang::Fr);
        let form = if one { "one" } else { "other" };
        self.t(
            &format!("{key}.{form}"),
            &[("count", self.number(count as f64))],
        )
    }

    /// A number as the dashboard writes it: grouped thousands, at most one decimal.
    pub fn number(&self, n: f64) -> String {
        let (group, decimal) = match self.lang {
            // What browsers' Intl writes for fr-FR: a narrow no-break space.
            Lang::Fr => ('\u{202f}', ','),
            Lang::En => (',', '.'),
        };
        let rounded = (n * 10.0).round() / 10.0;
        let neg = rounded < 0.0;
        let abs = rounded.abs();
        let int = abs.trunc() as u64;
        let tenth = ((abs - abs.trunc()) * 10.0).round() as u64;
        let digits = int.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(group);
            }
            out.push(c);
        }
        if tenth > 0 {
            out.push(decimal);
            out.push(char::from(b'0' + tenth as u8));
        }
        if neg {
            format!("-{out}")
        } else {
            out
        }
    }

    /// A percentage as the API gives it (`65.5` is 65.5 %).
    pub fn percent(&self, p: f64) -> String {
        match self.lang {
            Lang::Fr => format!("{}\u{202f}%", self.number(p)),
            Lang::En => format!("{}%", self.number(p)),
        }
    }

    /// Seconds as `7 min 20 s`, `1 h 05 min`, `45 s` (the dashboard's `fmt.duration`).
    pub fn duration(&self, seconds: f64) -> String {
        let s = seconds.round().max(0.0) as u64;
        let (h, m, r) = (s / 3600, (s % 3600) / 60, s % 60);
        let u = |k: &str| self.t(&format!("units.{k}"), &[]);
        if h >= 24 && h % 24 == 0 {
            return format!("{} {}", h / 24, u("d"));
        }
        if h >= 24 {
            return format!("{} {} {} {}", h / 24, u("d"), h % 24, u("h"));
        }
        if h > 0 {
            return format!("{h} {} {m:02} {}", u("h"), u("min"));
        }
        if m > 0 && r == 0 {
            return format!("{m} {}", u("min"));
        }
        if m > 0 {
            return format!("{m} {} {r} {}", u("min"), u("s"));
        }
        format!("{r} {}", u("s"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogs_parse_and_agree_on_a_few_keys() {
        for lang in [Lang::Fr, Lang::En] {
            assert!(catalog(lang).is_object(), "{lang:?}");
            let w = Words::new(lang);
            for key in ["metric.visitors", "value.other", "units.min"] {
                assert!(w.get(key).is_some(), "{lang:?} {key}");
            }
        }
        assert_eq!(Words::new(Lang::Fr).t("value.other", &[]), "(autres)");
    }

    #[test]
    fn numbers_percentages_and_durations_read_as_in_the_dashboard() {
        let (fr, en) = (Words::new(Lang::Fr), Words::new(Lang::En));
        assert_eq!(en.number(37145.0), "37,145");
        assert_eq!(fr.number(37145.0), "37\u{202f}145");
        assert_eq!(en.number(9.34), "9.3");
        assert_eq!(fr.number(1234567.0), "1\u{202f}234\u{202f}567");
        assert_eq!(fr.percent(9.3), "9,3\u{202f}%");
        assert_eq!(en.percent(100.0), "100%");
        assert_eq!(en.duration(440.0), "7 min 20 s");
        assert_eq!(fr.duration(300.0), "5 min");
        assert_eq!(fr.duration(45.4), "45 s");
        assert_eq!(en.duration(3_900.0), "1 h 05 min");
        assert_eq!(fr.duration(90_000.0), "1 j 1 h");
        assert_eq!(en.duration(86_400.0), "1 d");
        assert_eq!(fr.plural("note.suppressed", 2), "2 groupes regroupés.");
    }
}
