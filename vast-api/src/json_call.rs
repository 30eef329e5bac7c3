//! An operation called from a description of its request instead of its typed builder: how
//! `vast` calls every operation (its command table describes them), so that its binary holds no
//! code per operation, and how a program can call an operation by its spec.
//!
//! The call goes the way a typed one does (the hooks: retries, the size limits, the capture, a
//! held request) and fails with the same [`Error`]. Its body is JSON as given; its success body
//! is checked against the response's schema, when one is given, and a body off the schema is
//! [`ErrorKind::InvalidBody`](crate::ErrorKind::InvalidBody), as with a typed call.

use progenitor_client::{ClientHooks, Error as Failed, OperationInfo, ResponseValue, encode_path};
use serde::de::Error as _;
use serde_json::Value;

use crate::{Client, Error};

/// One operation's request, described.
#[derive(Debug, Clone)]
pub struct JsonCall<'a> {
    /// The operation's id: the hooks and the `tracing` span name it.
    pub operation_id: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path as the spec writes it, `{name}` for each path parameter:
    /// `/api/v0/instances/{id}/`.
    pub path: &'static str,
    /// Each path parameter's value, as text: it is percent-encoded into the path.
    pub path_params: Vec<(&'a str, String)>,
    /// The query parameters, in order, as text.
    pub query: Vec<(&'a str, String)>,
    /// The JSON body, sent as written.
    pub body: Option<Value>,
    /// The server the spec names for the operation, when not the document's: used unless the
    /// client's base URL is one's own ([`Client::operation_server`]).
    pub server: Option<&'static str>,
    /// What the spec says the answers are.
    pub responses: Responses<'a>,
}

/// The answers the spec documents for an operation.
#[derive(Debug, Clone, Copy, Default)]
pub struct Responses<'a> {
    /// Each documented status: a success (2xx) is the call's answer, any other its documented
    /// error ([`ErrorKind::Api`](crate::ErrorKind::Api)); a status not listed is
    /// [`ErrorKind::Status`](crate::ErrorKind::Status).
    pub documented: &'a [Documented<'a>],
}

/// One documented response.
#[derive(Debug, Clone, Copy)]
pub struct Documented<'a> {
    /// The status; `2` to `5` for a range the spec gives as `2XX` to `5XX`; `0` for the spec's
    /// `default` (any status not listed). An exact status is looked for first, then a range.
    pub status: u16,
    /// Whether it has a JSON body; without one it has no content the call reads.
    pub json: bool,
    /// The JSON body's schema (OpenAPI 3.0, `$ref`s inlined), for a success: a body off it is
    /// [`ErrorKind::InvalidBody`](crate::ErrorKind::InvalidBody). `None` takes any JSON.
    pub schema: Option<&'a Value>,
}

impl Client {
    /// Sends `call`: the success body as JSON ([`Value::Null`] for a success without content),
    /// or the error, whose documented body is JSON too.
    pub async fn send_json(
        &self,
        call: JsonCall<'_>,
    ) -> Result<ResponseValue<Value>, Error<Value>> {
        crate::call::run(self, call.method, call.path, send(self, call)).await
    }
}

/// The request made, sent through the hooks, and its answer read as the spec says.
async fn send(client: &Client, call: JsonCall<'_>) -> Result<ResponseValue<Value>, Failed<Value>> {
    let info = OperationInfo {
        operation_id: call.operation_id,
    };
    let method = reqwest::Method::from_bytes(call.method.as_bytes())
        .map_err(|_| Failed::InvalidRequest(format!("`{}` is not an HTTP method", call.method)))?;
    let path = path(&call).map_err(Failed::InvalidRequest)?;
    let mut request = request(client, &call, method, &path)?;
    client.pre(&mut request, &info).await?;
    let result = client.exec(request, &info).await;
    client.post(&result, &info).await?;
    let response = result?;
    let status = response.status().as_u16();
    let documented = call.responses.documented;
    let found = documented
        .iter()
        .find(|d| d.status == status)
        .or_else(|| documented.iter().find(|d| d.status == status / 100))
        .or_else(|| documented.iter().find(|d| d.status == 0));
    let Some(answer) = found else {
        return Err(Failed::UnexpectedResponse(response));
    };
    let success = response.status().is_success();
    let value = match answer.json {
        true => checked(client, response, answer.schema.filter(|_| success)).await?,
        false => ResponseValue::new(Value::Null, response.status(), response.headers().clone()),
    };
    match success {
        true => Ok(value),
        false => Err(Failed::ErrorResponse(value)),
    }
}

/// The path with each parameter's value in, percent-encoded. Every parameter the path names
/// needs a value, and `.` or `..` would not stay one segment (a URL resolves them: `/team/roles/..`
/// is `/team/`), so neither is taken.
fn path(call: &JsonCall<'_>) -> Result<String, String> {
    let mut path = call.path.to_string();
    for (name, value) in &call.path_params {
        if value == "." || value == ".." {
            return Err(format!(
                "`{value}` is not a value for the path parameter `{name}`"
            ));
        }
        path = path.replace(&format!("{{{name}}}"), &encode_path(value));
    }
    let unfilled = call.path.split('{').skip(1).find_map(|rest| {
        let name = rest.split('}').next()?;
        path.contains(&format!("{{{name}}}")).then_some(name)
    });
    match unfilled {
        Some(name) => Err(format!("no value for the path parameter `{name}`")),
        None => Ok(path),
    }
}

/// The request `call` describes, on the client's base URL or the operation's own server.
fn request(
    client: &Client,
    call: &JsonCall<'_>,
    method: reqwest::Method,
    path: &str,
) -> reqwest::Result<reqwest::Request> {
    let base = match call.server {
        Some(server) => client.operation_server(server),
        None => &client.baseurl,
    };
    let mut builder = client
        .client
        .request(method, format!("{base}{path}"))
        .header(reqwest::header::ACCEPT, "application/json");
    if !call.query.is_empty() {
        builder = builder.query(&call.query);
    }
    if let Some(body) = &call.body {
        builder = builder.json(body);
    }
    builder.build()
}

/// A success body: JSON of the schema's shape, or [`ErrorKind::InvalidBody`](crate::ErrorKind::InvalidBody).
async fn checked(
    client: &Client,
    response: reqwest::Response,
    schema: Option<&Value>,
) -> Result<ResponseValue<Value>, Failed<Value>> {
    let (status, headers) = (response.status(), response.headers().clone());
    let body = response.bytes().await.map_err(Failed::ResponseBodyError)?;
    let value: Value = serde_json::from_slice(&body)
        .map_err(|e| Failed::InvalidResponsePayload(body.clone(), e))?;
    if let Some(schema) = schema
        && crate::shape::mismatch(&value, schema).is_some()
    {
        let why = mismatch_without_key(client, &body, schema);
        return Err(Failed::InvalidResponsePayload(
            body,
            serde_json::Error::custom(why),
        ));
    }
    Ok(ResponseValue::new(value, status, headers))
}

/// The mismatch's sentence, found again in the body with the key's every spelling replaced: the
/// sentence quotes a value cut to a few dozen characters, and a cut key is no longer found by
/// what redacts the whole key later.
fn mismatch_without_key(client: &Client, body: &[u8], schema: &Value) -> String {
    let redacted = match crate::error::secret(client) {
        Some(secret) => crate::text::redact_spellings(body, secret, b"<redacted>"),
        None => std::borrow::Cow::Borrowed(body),
    };
    serde_json::from_slice::<Value>(&redacted)
        .ok()
        .and_then(|value| crate::shape::mismatch(&value, schema))
        .unwrap_or_else(|| "the body is not what the schema describes".into())
}
