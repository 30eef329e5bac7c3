//! The filter expression on the command line: the grammar in `--help`, and the library's
//! parser (`vast_api::filter`, the one the CLI and programs share) with the CLI's hint.

use vast_api::filter::{Filter, FilterError, FilterField};

/// The grammar, for a filtering command's `--help`.
pub const HELP: &str = "\
Filter expression (QUERY): space-separated conditions FIELD OP VALUE, all of which must hold.
  OP: <  <=  =  ==  !=  >=  >  (no spaces needed: gpu_ram>=24), or in, notin, eq, neq, gt, gte,
      lt, lte (with spaces: gpu_name in [RTX_4090,A100])
  VALUE: a number, true, false, null, a word (_ stands for a space: RTX_4090 is \"RTX 4090\"),
      a quoted string taken as written (\"RTX 4090\", '535.54'), or for in/notin a list
      [a,b,c] (or a,b,c)
  FIELD=any (or * or ?) drops a condition the command sets by default.
  Values go to the server as written, in the units the API documents for the field.
Quote the whole expression for the shell, as > and < redirect otherwise:
  vast search offers 'gpu_ram>=24 num_gpus=1 gpu_name in [RTX_4090,A100]'
  vast search offers 'reliability>0.99 dph_total<0.5 geolocation notin [CN,RU] verified=true'
  vast search offers 'rentable=any' --json-body filters.json";

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
