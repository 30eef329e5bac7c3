//! Units in filter values: the unit a field's description gives the API's values in (`GPU RAM in
//! MB`), the units a person may write after a number (`24GB`, `7d`), and the conversion between
//! them. Sizes are decimal, as the API's own example has it (24 GB is `{"gte": 24000}` MB, and
//! the vendor's CLI multiplies by 1000).

/// What a unit measures: only units of the same dimension convert into each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    /// Bytes: KB, MB, GB, TB.
    Size,
    /// Bytes per second: KB/s, MB/s, GB/s.
    Rate,
    /// Time: seconds, minutes, hours, days, weeks.
    Time,
}

/// A unit, named as the API's descriptions name it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Unit {
    /// `MB`, `GB/s`, `seconds`.
    pub name: &'static str,
    /// What it measures.
    pub dimension: Dimension,
    /// Its size in its dimension's smallest unit here (KB, KB/s, seconds).
    scale: f64,
}

const fn unit(name: &'static str, dimension: Dimension, scale: f64) -> Unit {
    Unit {
        name,
        dimension,
        scale,
    }
}

/// Every unit, by the name the API's descriptions use.
const UNITS: &[Unit] = &[
    unit("KB", Dimension::Size, 1.0),
    unit("MB", Dimension::Size, 1e3),
    unit("GB", Dimension::Size, 1e6),
    unit("TB", Dimension::Size, 1e9),
    unit("KB/s", Dimension::Rate, 1.0),
    unit("MB/s", Dimension::Rate, 1e3),
    unit("GB/s", Dimension::Rate, 1e6),
    unit("seconds", Dimension::Time, 1.0),
    unit("minutes", Dimension::Time, 60.0),
    unit("hours", Dimension::Time, 3600.0),
    unit("days", Dimension::Time, 86400.0),
    unit("weeks", Dimension::Time, 604_800.0),
];

/// How a unit may be written after a number, lower case (the comparison ignores case), and
/// the unit it is.
const SUFFIXES: &[(&str, &str)] = &[
    ("kb", "KB"),
    ("mb", "MB"),
    ("gb", "GB"),
    ("tb", "TB"),
    ("kb/s", "KB/s"),
    ("mb/s", "MB/s"),
    ("gb/s", "GB/s"),
    ("s", "seconds"),
    ("sec", "seconds"),
    ("m", "minutes"),
    ("min", "minutes"),
    ("h", "hours"),
    ("hr", "hours"),
    ("d", "days"),
    ("w", "weeks"),
];

/// The unit called `name` (`MB`, `days`).
pub fn named(name: &str) -> Option<Unit> {
    UNITS.iter().copied().find(|u| u.name == name)
}

/// The unit a description gives values in: a word that is a unit's name as written there (`in
/// MB`, `(MB/s)`, `in seconds`, `Number of days`). A time in the singular names a point, not
/// a length (`End day for the report`), so it does not count; nor does a price: `$/GB` and
/// `$/GB/month` are not a unit's name, and a word after `per` (`DLPerf per dollar per hour`) is
/// not the value's unit.
pub fn described(description: &str) -> Option<Unit> {
    let words: Vec<&str> = description
        .split(|c: char| c.is_whitespace() || "(),;:".contains(c))
        .filter(|w| !w.is_empty())
        .map(|word| word.trim_end_matches(['.', '!', '?']))
        .collect();
    words.iter().enumerate().find_map(|(i, word)| {
        let after_per = i > 0 && words[i - 1].eq_ignore_ascii_case("per");
        named(word).filter(|_| !after_per)
    })
}

/// A number and the unit written after it (`24GB` → 24 and GB); a bare number has none.
/// `None` when the word is no number, or what follows it is no unit.
pub fn measured(word: &str) -> Option<(f64, Option<Unit>)> {
    let end = word
        .find(|c: char| !(c.is_ascii_digit() || ".-+eE".contains(c)))
        .unwrap_or(word.len());
    let (number, suffix) = word.split_at(end);
    let value = number.parse::<f64>().ok().filter(|v| v.is_finite())?;
    if suffix.is_empty() {
        return Some((value, None));
    }
    let suffix = suffix.to_ascii_lowercase();
    let by_suffix = SUFFIXES
        .iter()
        .find(|(written, _)| *written == suffix)
        .and_then(|(_, name)| named(name));
    // A unit's name in full, in any case, singular or plural (`3days`, `1hour`).
    let by_name = || {
        UNITS.iter().copied().find(|u| {
            u.dimension == Dimension::Time
                && (u.name == suffix || u.name.strip_suffix('s') == Some(suffix.as_str()))
        })
    };
    Some((value, Some(by_suffix.or_else(by_name)?)))
}

/// `value` in `from`, in `to`; `None` when they measure different things.
pub fn convert(value: f64, from: Unit, to: Unit) -> Option<f64> {
    (from.dimension == to.dimension).then(|| value * from.scale / to.scale)
}

/// A few units of `dimension` as a person writes them, for messages (`24GB, 512MB`).
pub fn examples(dimension: Dimension) -> &'static str {
    match dimension {
        Dimension::Size => "24GB or 512MB",
        Dimension::Rate => "100MB/s or 1GB/s",
        Dimension::Time => "7d, 12h or 30m",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_name_the_unit_and_prices_do_not() {
        let name = |d: &str| described(d).map(|u| u.name);
        assert_eq!(name("GPU RAM in MB. Example: {\"gte\": 24000}"), Some("MB"));
        assert_eq!(name("Download bandwidth (MB/s)"), Some("MB/s"));
        assert_eq!(name("NVLink bandwidth in GB/s. Use when"), Some("GB/s"));
        assert_eq!(name("duration in seconds (the offer"), Some("seconds"));
        assert_eq!(name("Disk storage space in GB"), Some("GB"));
        assert_eq!(name("Number of days to look back"), Some("days"));
        assert_eq!(name("End day for the earnings report."), None);
        assert_eq!(name("Download bandwidth cost ($/GB)"), None);
        assert_eq!(name("Storage cost in $/GB/month"), None);
        assert_eq!(name("Total $/hour rental cost"), None);
        assert_eq!(name("Default is 8GB."), None);
        assert_eq!(name("DLPerf per dollar per hour"), None);
        assert_eq!(name("CPU clock speed in GHz"), None);
    }

    #[test]
    fn numbers_take_a_unit_in_any_case() {
        let read = |w: &str| measured(w).map(|(v, u)| (v, u.map(|u| u.name)));
        assert_eq!(read("24"), Some((24.0, None)));
        assert_eq!(read("24GB"), Some((24.0, Some("GB"))));
        assert_eq!(read("1.5gb"), Some((1.5, Some("GB"))));
        assert_eq!(read("512MB"), Some((512.0, Some("MB"))));
        assert_eq!(read("100mb/s"), Some((100.0, Some("MB/s"))));
        assert_eq!(read("7d"), Some((7.0, Some("days"))));
        assert_eq!(read("12h"), Some((12.0, Some("hours"))));
        assert_eq!(read("30m"), Some((30.0, Some("minutes"))));
        assert_eq!(read("3days"), Some((3.0, Some("days"))));
        assert_eq!(read("1Hour"), Some((1.0, Some("hours"))));
        assert_eq!(read("-1e3"), Some((-1000.0, None)));
        assert_eq!(read("24GHz"), None);
        assert_eq!(read("GB"), None);
        assert_eq!(read("inf"), None);
        assert_eq!(read("1e999"), None);
    }

    #[test]
    fn conversions_stay_within_a_dimension() {
        let (gb, mb, days, s) = (
            named("GB").unwrap(),
            named("MB").unwrap(),
            named("days").unwrap(),
            named("seconds").unwrap(),
        );
        assert_eq!(convert(24.0, gb, mb), Some(24000.0));
        assert_eq!(convert(512.0, mb, gb), Some(0.512));
        assert_eq!(convert(7.0, days, s), Some(604_800.0));
        assert_eq!(convert(1.0, gb, s), None);
    }
}
