//! Reading the normalised document as openapiv3's OpenAPI 3.0 types, with the location of what
//! cannot be read.
//!
//! openapiv3 reads paths and references through untagged enums, so a failure deep inside an
//! operation surfaces as "paths: …". When that happens each piece is read on its own, finest
//! first, to name the response, parameter or schema at fault.

use openapiv3::{OpenAPI, Operation, Parameter, ReferenceOr, RequestBody, Response, Schema};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::generate::openapi::{Location, METHODS};

pub fn to_openapi(doc: Value) -> Result<OpenAPI, String> {
    let whole = match serde_path_to_error::deserialize::<_, OpenAPI>(&doc) {
        Ok(api) => return Ok(api),
        Err(e) => format!("{}: cannot be read as OpenAPI 3.0: {}", e.path(), e.inner()),
    };
    Err(locate(&doc).unwrap_or(whole))
}

fn read<T: DeserializeOwned>(value: &Value, at: &Location) -> Result<(), String> {
    serde_path_to_error::deserialize::<_, T>(value)
        .map(|_| ())
        .map_err(|e| {
            let inner = e.path().to_string();
            let at = if inner == "." {
                at.to_string()
            } else {
                format!("{at}.{inner}")
            };
            format!("{at}: cannot be read as OpenAPI 3.0: {}", e.inner())
        })
}

fn entries<'a>(value: &'a Value, key: &str) -> impl Iterator<Item = (&'a String, &'a Value)> {
    value
        .get(key)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
}

/// The first parameter of a path item or operation that cannot be read.
fn parameters(holder: &Value, at: &Location) -> Option<String> {
    let list = holder.get("parameters").and_then(Value::as_array)?;
    list.iter().enumerate().find_map(|(i, p)| {
        read::<ReferenceOr<Parameter>>(p, &at.key("parameters").key(i.to_string())).err()
    })
}

fn locate(doc: &Value) -> Option<String> {
    let root = Location::root();
    for (path, item) in entries(doc, "paths") {
        let at = root.key("paths").key(path.as_str());
        if let Some(e) = parameters(item, &at) {
            return Some(e);
        }
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let at = at.key(method);
            for (status, response) in entries(op, "responses") {
                if let Err(e) = read::<ReferenceOr<Response>>(
                    response,
                    &at.key("responses").key(status.as_str()),
                ) {
                    return Some(e);
                }
            }
            if let Some(e) = parameters(op, &at) {
                return Some(e);
            }
            if let Some(body) = op.get("requestBody")
                && let Err(e) = read::<ReferenceOr<RequestBody>>(body, &at.key("requestBody"))
            {
                return Some(e);
            }
            if let Err(e) = read::<Operation>(op, &at) {
                return Some(e);
            }
        }
    }
    let components = root.key("components");
    let component = doc.get("components")?;
    for (name, schema) in entries(component, "schemas") {
        if let Err(e) =
            read::<ReferenceOr<Schema>>(schema, &components.key("schemas").key(name.as_str()))
        {
            return Some(e);
        }
    }
    for (name, response) in entries(component, "responses") {
        if let Err(e) =
            read::<ReferenceOr<Response>>(response, &components.key("responses").key(name.as_str()))
        {
            return Some(e);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(paths: Value) -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths})
    }

    #[test]
    fn names_the_response_that_cannot_be_read() {
        let err = to_openapi(doc(
            json!({"/a": {"get": {"responses": {"200": {"description": 5}}}}}),
        ))
        .err()
        .unwrap();
        assert_eq!(
            err,
            "paths./a.get.responses.200: cannot be read as OpenAPI 3.0: \
             invalid type: integer `5`, expected a string"
        );
    }

    #[test]
    fn names_the_parameter_that_cannot_be_read() {
        let err = to_openapi(doc(json!({"/a": {"get": {
            "parameters": [{"name": "q", "in": "cookie-jar", "schema": {"type": "string"}}],
            "responses": {}
        }}})))
        .err()
        .unwrap();
        assert!(
            err.starts_with("paths./a.get.parameters.0: cannot be read as OpenAPI 3.0"),
            "{err}"
        );
    }

    #[test]
    fn reads_a_valid_document() {
        assert!(
            to_openapi(doc(
                json!({"/a": {"get": {"responses": {"200": {"description": "ok"}}}}})
            ))
            .is_ok()
        );
    }
}
