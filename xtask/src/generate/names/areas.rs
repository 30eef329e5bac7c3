//! Each operation's area: the cargo feature of `vast-api` that compiles it, so that a program
//! compiles only the parts of the API it calls (as async-stripe's and k8s-openapi's features do).
//!
//! An area starts as the operation's first tag in kebab case (`Network Volumes` →
//! `network-volumes`). The vendor renames tags (Autoscaler became Serverless), and a renamed
//! feature breaks every `Cargo.toml` that names it, so an area is recorded in `names.toml` like
//! the method and the command, and the recorded one wins over the spec's tag from then on.

use heck::ToKebabCase;

use crate::generate::openapi::Location;

/// The area of an operation without a tag, or whose tag gives no usable feature name.
pub const FALLBACK: &str = "other";

/// Feature names vast-api has besides the areas: an area of one of these names would be both.
const RESERVED: [(&str, &str); 2] = [
    ("default", "cargo's own set of default features"),
    ("tracing", "vast-api's `tracing` feature"),
];

/// Whether `name` can be an area: lower-case ASCII words joined by `-`, starting with a letter
/// (a feature name every cargo accepts, and a word a person types), and not a reserved feature.
pub fn valid(name: &str) -> Result<(), String> {
    if let Some((_, holder)) = RESERVED.iter().find(|(reserved, _)| *reserved == name) {
        return Err(format!("`{name}` is {holder}"));
    }
    let words_ok = name.split('-').all(|w| {
        !w.is_empty()
            && w.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    });
    if name.starts_with(|c: char| c.is_ascii_lowercase()) && words_ok {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not lower-case ASCII words joined by `-`, starting with a letter"
        ))
    }
}

/// The area a tag gives: its kebab case, or why it gives none.
pub fn from_tag(tag: &str) -> Result<String, String> {
    if tag.chars().any(|c| c.is_alphanumeric() && !c.is_ascii()) {
        return Err("it has letters outside ASCII".into());
    }
    let name = tag.to_kebab_case();
    valid(&name).map(|()| name)
}

/// The area of the operation at `at`: the one recorded for it, else its first tag's, else
/// [`FALLBACK`]. A recorded area the tag would now name otherwise, and a tag that gives no area,
/// are noted.
pub fn assign(
    at: &Location,
    tag: Option<&str>,
    recorded: Option<&str>,
    notes: &mut Vec<String>,
) -> String {
    let suggested = tag.map(from_tag);
    match (recorded, suggested) {
        (Some(recorded), Some(Ok(suggested))) if recorded != suggested => {
            notes.push(format!(
                "{at}: area `{recorded}` as recorded in {}; the spec's tag `{}` would make it `{suggested}`",
                super::FILE,
                tag.unwrap_or_default()
            ));
            recorded.to_string()
        }
        (Some(recorded), _) => recorded.to_string(),
        (None, Some(Ok(suggested))) => suggested,
        (None, Some(Err(why))) => {
            notes.push(format!(
                "{at}: the tag `{}` gives no area name ({why}): in area `{FALLBACK}`",
                tag.unwrap_or_default()
            ));
            FALLBACK.to_string()
        }
        (None, None) => FALLBACK.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> Location {
        Location::root().key("paths").key("/a").key("get")
    }

    #[test]
    fn a_tag_is_kebab_cased() {
        assert_eq!(from_tag("Serverless").unwrap(), "serverless");
        assert_eq!(from_tag("Network Volumes").unwrap(), "network-volumes");
        assert_eq!(from_tag("API Keys").unwrap(), "api-keys");
        assert_eq!(from_tag("team_roles").unwrap(), "team-roles");
        assert_eq!(from_tag("HTTPRoutes v2").unwrap(), "http-routes-v2");
    }

    #[test]
    fn a_tag_that_gives_no_feature_name_falls_back_with_a_note() {
        for (tag, why) in [
            ("Über", "it has letters outside ASCII"),
            ("2024 Beta", "`2024-beta` is not lower-case ASCII words"),
            ("Tracing", "`tracing` is vast-api's `tracing` feature"),
            (
                "Default",
                "`default` is cargo's own set of default features",
            ),
            ("  ", "`` is not lower-case ASCII words"),
        ] {
            let mut notes = Vec::new();
            assert_eq!(
                assign(&at(), Some(tag), None, &mut notes),
                FALLBACK,
                "{tag}"
            );
            assert!(
                notes[0].starts_with(&format!(
                    "paths./a.get: the tag `{tag}` gives no area name ({why}"
                )),
                "{notes:?}"
            );
            assert!(notes[0].ends_with("in area `other`"), "{notes:?}");
        }
    }

    #[test]
    fn an_operation_without_a_tag_is_in_the_fallback_area_quietly() {
        let mut notes = Vec::new();
        assert_eq!(assign(&at(), None, None, &mut notes), "other");
        assert!(notes.is_empty());
    }

    #[test]
    fn a_recorded_area_stays_when_the_tag_is_renamed() {
        let mut notes = Vec::new();
        assert_eq!(
            assign(&at(), Some("Autoscaler"), Some("serverless"), &mut notes),
            "serverless"
        );
        assert_eq!(
            notes,
            [
                "paths./a.get: area `serverless` as recorded in names.toml; the spec's tag `Autoscaler` would make it `autoscaler`"
            ]
        );
        // Recorded and suggested agree, or the tag is gone or unusable: nothing to say.
        for tag in [Some("Serverless"), None, Some("Über")] {
            let mut notes = Vec::new();
            assert_eq!(
                assign(&at(), tag, Some("serverless"), &mut notes),
                "serverless"
            );
            assert!(notes.is_empty(), "{notes:?}");
        }
    }
}
