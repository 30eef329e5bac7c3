//! Numeric flags whose description names a unit (`Disk size in GB`) take a value with a unit
//! (`--disk 512MB`, `--duration 7d`), converted to the API's, as filter expressions do
//! (`vast_api::filter::units`); a bare number is in the API's unit.

use std::any::TypeId;

use clap::{Arg, Command};
use vast_api::filter::units::{self, Unit};

/// A numeric argument with a unit, and the Rust type the generated command reads it as.
#[derive(Clone, Copy)]
pub struct Measured {
    unit: Unit,
    ty: TypeId,
}

impl Measured {
    /// The argument `id` of `command`, of type `ty`, when it is a number its help gives a unit.
    pub fn of(command: &Command, id: &str, ty: TypeId) -> Option<Measured> {
        let numeric = [
            TypeId::of::<f64>(),
            TypeId::of::<f32>(),
            TypeId::of::<i64>(),
        ];
        if !numeric.contains(&ty) {
            return None;
        }
        let arg = command.get_arguments().find(|a| a.get_id() == id)?;
        let help = arg.get_help()?.to_string();
        Some(Measured {
            unit: units::described(&help)?,
            ty,
        })
    }

    /// The argument taking a unit, with its help saying so.
    pub fn adapt(self, arg: Arg) -> Arg {
        let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
        let note = format!(
            "In {}: a bare number, or one with a unit ({}), converted",
            self.unit.name,
            units::examples(self.unit.dimension)
        );
        let arg = arg.help(format!("{}\n{note}", help.trim_end()));
        let unit = self.unit;
        if self.ty == TypeId::of::<f64>() {
            arg.value_parser(move |v: &str| in_unit(v, unit))
        } else if self.ty == TypeId::of::<f32>() {
            // The generated command reads an f32; the API's own values fit one.
            arg.value_parser(move |v: &str| in_unit(v, unit).map(|n| n as f32))
        } else {
            arg.value_parser(move |v: &str| whole(v, unit))
        }
    }
}

/// `value` in `unit`: a bare number is taken as it is.
fn in_unit(value: &str, unit: Unit) -> Result<f64, String> {
    let refused = || {
        format!(
            "write a number in {}, or one with a unit, as in {}",
            unit.name,
            units::examples(unit.dimension)
        )
    };
    let (number, written) = units::measured(value).ok_or_else(refused)?;
    units::convert(number, written.unwrap_or(unit), unit).ok_or_else(refused)
}

/// `value` in `unit`, which must come to a whole number.
fn whole(value: &str, unit: Unit) -> Result<i64, String> {
    let number = in_unit(value, unit)?;
    let rounded = number.round();
    if (number - rounded).abs() > 1e-9 * number.abs().max(1.0) || rounded.abs() >= 9e15 {
        return Err(format!("{value} is not a whole number of {}", unit.name));
    }
    // Whole and within i64's exact range, checked above.
    Ok(rounded as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_take_a_unit_and_bare_numbers_are_the_api_s() {
        let gb = units::named("GB").unwrap();
        let seconds = units::named("seconds").unwrap();
        assert_eq!(in_unit("32", gb), Ok(32.0));
        assert_eq!(in_unit("512MB", gb), Ok(0.512));
        assert_eq!(in_unit("1TB", gb), Ok(1000.0));
        assert_eq!(whole("7d", seconds), Ok(604_800));
        assert_eq!(whole("90", seconds), Ok(90));
        assert_eq!(
            in_unit("2h", gb),
            Err("write a number in GB, or one with a unit, as in 24GB or 512MB".into())
        );
        assert_eq!(
            whole("1.5s", seconds),
            Err("1.5s is not a whole number of seconds".into())
        );
    }
}
