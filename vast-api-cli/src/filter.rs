//! The filter expression on the command line: the grammar in `--help`, and the library's
//! parser (`vast_api::filter`, the one the CLI and programs share) with the CLI's hint.

use vast_api::filter::{Filter, FilterError, FilterField, vendor};

/// The grammar, for a filtering command's `--help`.
pub const HELP: &str = "\
Filter expression (QUERY): space-separated conditions FIELD OP VALUE, all of which must hold.
  OP: <  <=  =  ==  !=  >=  >  (no spaces needed: gpu_ram>=24), or in, notin, eq, neq, gt, gte,
      lt, lte (with spaces: gpu_name in [RTX_4090,A100])
  VALUE: a number, true, false, null, a word (_ stands for a space: RTX_4090 is \"RTX 4090\"),
      a quoted string taken as written (\"RTX 4090\", '535.54'), or for in/notin a list
      [a,b,c] (or a,b,c)
  FIELD=any (or * or ?) drops a condition the command sets by default (listed below), whether
      the body comes from flags or --json-body.
  Units: a field the API measures (its unit is listed below) takes a number with a unit, 24GB,
      512MB, 1GB/s, 7d, 12h, 30m, converted to the API's (GB = 1000 MB, as the API counts).
      A bare number is in the API's unit, except where vastai reads it in another, as listed
      with the field (gpu_ram>=24 is 24 GB, sent as 24000 MB). A value that is not a number
      for a numeric field is refused.
  vastai's field names work too (dph for dph_total), and driver_version>=535.86.05 is sent
      as vastai sends it (535086005).
Quote the whole expression for the shell, as > and < redirect otherwise:
  vast search offers 'gpu_ram>=24 num_gpus=1 gpu_name in [RTX_4090,A100]'
  vast search offers 'reliability>0.99 dph_total<0.5 geolocation notin [CN,RU] verified=true'
  vast search offers 'rentable=any' --json-body filters.json";

/// The fields of a filtering command, for its `--help`: each with its unit where the API measures
/// it, then the vendor CLI's names for some, then the conditions applied by default.
pub fn fields_help(fields: &[FilterField]) -> String {
    let listed: Vec<String> = fields
        .iter()
        .map(|f| match f.unit_note() {
            Some(note) => format!("{} ({note})", f.name),
            None => f.name.to_string(),
        })
        .collect();
    let mut help = format!("Fields: {}", listed.join(", "));
    let known = |name: &str| fields.iter().any(|f| f.name == name);
    let aliases: Vec<String> = vendor::ALIASES
        .iter()
        .filter(|(alias, target)| !known(alias) && known(target))
        .map(|(alias, target)| format!("{alias} ({target})"))
        .collect();
    if !aliases.is_empty() {
        help.push_str(&format!("\n\nvastai's names: {}", aliases.join(", ")));
    }
    let defaults: Vec<String> = fields
        .iter()
        .filter_map(|f| Some((f.name, f.default?)))
        .map(|(name, default)| match serde_json::from_str(default) {
            Ok(serde_json::Value::Object(ops)) if ops.len() == 1 && ops.contains_key("eq") => {
                format!("{name}={}", ops["eq"])
            }
            _ => format!("{name} {default}"),
        })
        .collect();
    if !defaults.is_empty() {
        help.push_str(&format!(
            "\n\nBy default (the spec's defaults; FIELD=any drops one): {}",
            defaults.join(" ")
        ));
    }
    help
}

/// The QUERY argument of a filtering command, parsed; an unknown field points at `--help`,
/// which lists the command's fields.
pub fn parse(query: &str, fields: &[FilterField]) -> Result<Filter, String> {
    Filter::parse(query, fields).map_err(|e| match e {
        FilterError::UnknownField { .. } => format!("{e} (--help lists the fields)"),
        FilterError::Invalid(_) => e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_field_points_at_help() {
        let fields = &[FilterField {
            name: "gpu_ram",
            typed: &[],
            kind: None,
            description: "",
            default: None,
        }];
        assert_eq!(
            parse("gpu_rm>=24", fields).unwrap_err(),
            "unknown field `gpu_rm` in the filter; did you mean `gpu_ram`? (--help lists the fields)"
        );
        assert_eq!(
            parse("gpu_ram>=", fields).unwrap_err(),
            "`gpu_ram>=` in the filter has no value"
        );
    }
}
