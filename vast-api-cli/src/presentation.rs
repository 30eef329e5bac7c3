//! How a list reads on a terminal: which columns lead, and values in a person's units. The
//! spec lists a response's fields in its own order (an offer leads with `ask_contract_id`,
//! `bundle_id`, `bw_nvlink`), or not at all, so the everyday lists have a reviewed table, keyed
//! by the operations' stable names (`names.toml`), of the columns people choose by, first, as
//! `vastai` shows them; other lists follow [`rank`]. Pipes get every column in the spec's order
//! with values as sent, so scripts are not affected.

/// How a column's value is shown on a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// As sent.
    AsIs,
    /// Megabytes, as the API counts them, shown in GB: `24.0 GB`.
    Gigabytes,
    /// Dollars per hour: `$0.4500/h`.
    PerHour,
    /// A fraction shown as a percentage: `99.5%`.
    Percent,
    /// Seconds since 1970 (UTC), shown as a date and time: `2026-12-06 06:33`.
    Date,
}

use Shown::{AsIs, Date, Gigabytes, PerHour, Percent};

/// The columns that lead each everyday list on a terminal, with how each is shown.
const LEADS: &[(&str, &[(&str, Shown)])] = &[
    (
        "search_offers",
        &[
            ("id", AsIs),
            ("gpu_name", AsIs),
            ("num_gpus", AsIs),
            ("gpu_ram", Gigabytes),
            ("dph_total", PerHour),
            ("reliability", Percent),
            ("geolocation", AsIs),
            ("cuda_max_good", AsIs),
            ("cpu_cores_effective", AsIs),
            ("cpu_ram", Gigabytes),
            ("disk_space", AsIs),
            ("inet_down", AsIs),
            ("inet_up", AsIs),
            ("verification", AsIs),
            ("machine_id", AsIs),
        ],
    ),
    (
        "show_instances",
        &[
            ("id", AsIs),
            ("actual_status", AsIs),
            ("gpu_name", AsIs),
            ("num_gpus", AsIs),
            ("dph_total", PerHour),
            ("label", AsIs),
            ("ssh_host", AsIs),
            ("ssh_port", AsIs),
            ("image_uuid", AsIs),
            ("machine_id", AsIs),
            ("cpu_ram", Gigabytes),
            ("disk_space", AsIs),
            ("start_date", Date),
        ],
    ),
    (
        "get_machines",
        &[
            ("id", AsIs),
            ("hostname", AsIs),
            ("num_gpus", AsIs),
            ("gpu_name", AsIs),
            ("listed_gpu_cost", PerHour),
            ("reliability2", Percent),
            ("verification", AsIs),
            ("public_ipaddr", AsIs),
            ("geolocation", AsIs),
        ],
    ),
    (
        "show_invoices",
        &[
            ("start", Date),
            ("end", Date),
            ("type", AsIs),
            ("description", AsIs),
            ("amount", AsIs),
        ],
    ),
    (
        "search_templates",
        &[("id", AsIs), ("name", AsIs), ("image", AsIs), ("tag", AsIs)],
    ),
    (
        "get_ssh_keys_user",
        &[("id", AsIs), ("created_at", AsIs), ("key", AsIs)],
    ),
];

/// The lead columns of `operation`'s list, if the table names it.
pub fn leads(operation: &str) -> &'static [(&'static str, Shown)] {
    LEADS
        .iter()
        .find(|(name, _)| *name == operation)
        .map_or(&[], |(_, leads)| leads)
}

/// Where a column goes among those the table does not lead with: identity first, then names,
/// then the rest, and long text, tokens and URLs last.
fn rank(column: &str) -> u8 {
    let long = [
        "url",
        "token",
        "hash",
        "description",
        "readme",
        "onstart",
        "args",
        "env",
    ];
    if column == "id" {
        0
    } else if ["name", "label", "title"].contains(&column) {
        1
    } else if column == "key" || long.iter().any(|word| column.contains(word)) {
        3
    } else {
        2
    }
}

/// The order of `columns` on a terminal: the lead columns present, in the table's order, then
/// the others by [`rank`], each group in the order it had.
pub fn ordered(columns: &[String], leads: &[(&str, Shown)]) -> Vec<usize> {
    let lead_at = |c: &str| leads.iter().position(|(name, _)| *name == c);
    let mut order: Vec<usize> = (0..columns.len()).collect();
    order.sort_by_key(|i| match lead_at(&columns[*i]) {
        Some(at) => (0, at),
        None => (1, usize::from(rank(&columns[*i]))),
    });
    order
}

/// How `column` is shown.
pub fn shown(column: &str, leads: &[(&str, Shown)]) -> Shown {
    leads
        .iter()
        .find(|(name, _)| *name == column)
        .map_or(AsIs, |(_, shown)| *shown)
}

/// A number as `shown` says; `None` where it does not apply (not a number, or shown as is).
pub fn number_text(value: f64, shown: Shown) -> Option<String> {
    match shown {
        AsIs => None,
        Gigabytes => Some(format!("{:.1} GB", value / 1000.0)),
        PerHour => Some(format!("${value:.4}/h")),
        Percent => Some(format!("{:.1}%", value * 100.0)),
        Date => date(value),
    }
}

/// Seconds since 1970 as a UTC date and time (`2026-12-06 06:33`), for the years 1970 to 9999.
fn date(seconds: f64) -> Option<String> {
    if !(0.0..253_402_300_800.0).contains(&seconds) {
        return None;
    }
    // Whole seconds (in range, checked above): the fraction is below what the column shows.
    let seconds = seconds as u64;
    let (days, minutes) = (seconds / 86_400, seconds % 86_400 / 60);
    // Howard Hinnant's civil_from_days, for days since 1970-01-01.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    Some(format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}",
        minutes / 60,
        minutes % 60
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offers_lead_with_what_people_choose_by() {
        let columns: Vec<String> = [
            "ask_contract_id",
            "bundle_id",
            "dph_total",
            "gpu_name",
            "id",
        ]
        .map(String::from)
        .to_vec();
        let order = ordered(&columns, leads("search_offers"));
        let names: Vec<&str> = order.iter().map(|i| columns[*i].as_str()).collect();
        assert_eq!(
            names,
            [
                "id",
                "gpu_name",
                "dph_total",
                "ask_contract_id",
                "bundle_id"
            ]
        );
    }

    #[test]
    fn other_lists_put_identity_and_names_first_and_long_text_last() {
        let columns: Vec<String> = ["image_url", "owner", "name", "token", "id", "size"]
            .map(String::from)
            .to_vec();
        let order = ordered(&columns, leads("show_widgets"));
        let names: Vec<&str> = order.iter().map(|i| columns[*i].as_str()).collect();
        assert_eq!(names, ["id", "name", "owner", "size", "image_url", "token"]);
        let keys: Vec<String> = ["id", "user_id", "rights", "team_id", "team_name"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            ordered(&keys, &[]),
            [0, 1, 2, 3, 4],
            "show api-keys keeps its order"
        );
    }

    #[test]
    fn values_are_in_a_person_s_units() {
        assert_eq!(number_text(24576.0, Gigabytes).as_deref(), Some("24.6 GB"));
        assert_eq!(number_text(0.45, PerHour).as_deref(), Some("$0.4500/h"));
        assert_eq!(number_text(0.995, Percent).as_deref(), Some("99.5%"));
        assert_eq!(
            number_text(1_796_538_780.5, Date).as_deref(),
            Some("2026-12-06 06:33")
        );
        assert_eq!(number_text(0.0, Date).as_deref(), Some("1970-01-01 00:00"));
        assert_eq!(
            number_text(951_782_400.0, Date).as_deref(),
            Some("2000-02-29 00:00")
        );
        assert_eq!(number_text(-1.0, Date), None);
        assert_eq!(number_text(5.0, AsIs), None);
    }
}
