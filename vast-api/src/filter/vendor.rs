//! What the vendor's CLI (`vastai` 1.9.1, `vastai/api/query.py`) reads differently from the
//! spec, so that an expression copied from its documentation means here what it means there.
//! The spec says none of this; it is a reviewed table. Each entry applies only where the
//! operation has the field it names.

/// The field names `vastai` takes for others (its `offers_alias`).
pub const ALIASES: &[(&str, &str)] = &[
    ("cuda_vers", "cuda_max_good"),
    ("display_active", "gpu_display_active"),
    ("dlperf_usd", "dlperf_per_dphtotal"),
    ("dph", "dph_total"),
    ("flops_usd", "flops_per_dphtotal"),
];

/// The fields where `vastai` reads a bare number in another unit than the API's, multiplying it
/// into the API's (its `offers_mult`): (field, the unit `vastai` reads, the API's unit, for a
/// spec whose description does not name it).
pub const BARE_UNITS: &[(&str, &str, &str)] = &[
    ("cpu_ram", "GB", "MB"),
    ("gpu_ram", "GB", "MB"),
    ("gpu_total_ram", "GB", "MB"),
    ("duration", "days", "seconds"),
];

/// The fields whose dotted versions `vastai` sends as one number (its `numeric_version`:
/// `535.86.05` is 535086005, each part padded to three digits).
pub const VERSION_NUMBERS: &[&str] = &["driver_version"];

/// The field `field` stands for among `names`: itself, or what `vastai` reads it as.
pub fn aliased(field: &str, names: impl Fn(&str) -> bool) -> &str {
    if names(field) {
        return field;
    }
    ALIASES
        .iter()
        .find(|(alias, target)| *alias == field && names(target))
        .map_or(field, |(_, target)| target)
}

/// `major.minor.patch` as `vastai` sends it: 535086005 for `535.86.05`. `None` for anything
/// else.
pub fn version_number(word: &str) -> Option<u64> {
    let parts: Vec<&str> = word.split('.').collect();
    let [major, minor, patch] = parts.as_slice() else {
        return None;
    };
    let mut number = 0;
    for part in [major, minor, patch] {
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        number = number * 1000 + part.parse::<u64>().ok()?;
    }
    Some(number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_numbers_as_vastai_sends_them() {
        assert_eq!(version_number("535.86.05"), Some(535_086_005));
        assert_eq!(version_number("550.54.14"), Some(550_054_014));
        assert_eq!(version_number("535.86"), None);
        assert_eq!(version_number("535.86.x"), None);
        assert_eq!(version_number("1.2.3456"), None);
    }

    #[test]
    fn an_alias_applies_only_where_its_field_exists_and_the_name_is_not_one() {
        let fields = ["dph_total", "cuda_vers"];
        let has = |n: &str| fields.contains(&n);
        assert_eq!(aliased("dph", has), "dph_total");
        assert_eq!(aliased("cuda_vers", has), "cuda_vers");
        assert_eq!(aliased("flops_usd", has), "flops_usd");
    }
}
