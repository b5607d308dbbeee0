//! `README.md`: the generated crate's guide for its users, which is also its crate docs
//! (`src/lib.rs` includes it, so its Rust examples are doctests and keep compiling). It says
//! how to add the crate, authenticate with each scheme the spec has, call an operation, match
//! its errors, set retries, timeouts and the base URL, and use the test support; then lists
//! the operations. It is written for users of the crate: nothing about regenerating it.

use std::fmt::Write;

use super::auth::describe;
use super::client::call_example;
use crate::Options;
use crate::ir::{Api, Operation, SchemeKind, Type};

pub fn readme(api: &Api, options: &Options) -> String {
    let package = &options.crate_name;
    let krate = package.replace('-', "_");
    let mut out = String::new();
    let _ = writeln!(out, "# {package}\n");
    let _ = writeln!(
        out,
        "An async Rust client for {} {}, made from its OpenAPI description.",
        super::docs::inline(&api.title),
        super::docs::inline(&api.version)
    );
    if let Some(description) = &api.description {
        let _ = writeln!(out, "\n{}", prose(description));
    }
    let _ = writeln!(out, "\n## Add it\n");
    let _ = writeln!(
        out,
        "In your `Cargo.toml`, from a path or from the git repository that holds this crate:\n"
    );
    let _ = writeln!(out, "```toml\n[dependencies]");
    let _ = writeln!(out, "{package} = {{ path = \"../{package}\" }}");
    let _ = writeln!(
        out,
        "# {package} = {{ git = \"https://example.com/your/repository.git\", package = \"{package}\" }}"
    );
    let _ = writeln!(
        out,
        "tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n```"
    );
    let new_call = new_call(api, &krate);
    authentication(&mut out, api, &krate, &new_call);
    let example_op = api
        .operations
        .iter()
        .find(|op| op.body.as_ref().is_none_or(|b| !b.required))
        .or(api.operations.first());
    if let Some(op) = example_op {
        calling(&mut out, api, op, &krate, &new_call);
        errors(&mut out, op, &krate);
    }
    settings(&mut out, api, example_op, &krate, &new_call);
    if let Some(op) = example_op {
        test_support(&mut out, op, package, &krate);
    }
    operations(&mut out, api);
    out
}

/// `Client::new(...)` as an example writes it.
fn new_call(api: &Api, krate: &str) -> String {
    let mut args = Vec::new();
    if api.server.as_ref().is_none_or(|s| !s.absolute) {
        args.push("\"https://api.example.com\"");
    }
    if api.token_argument {
        args.push("\"<token>\"");
    }
    format!("{krate}::Client::new({})", args.join(", "))
}

fn authentication(out: &mut String, api: &Api, krate: &str, new_call: &str) {
    if api.security_schemes.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n## Authenticate\n");
    let _ = writeln!(
        out,
        "The client sends each credential where an operation's `security` asks for it: the first of its alternatives the client has every credential for, or none. Credentials never show in `Debug` output, errors or `tracing` events.\n"
    );
    for scheme in &api.security_schemes {
        let how = match &scheme.setter {
            Some(setter) => format!("`.{setter}(...)`"),
            None => "the token given to `Client::new`".to_owned(),
        };
        let _ = writeln!(out, "- `{}`, {}: {how}", scheme.key, describe(scheme));
    }
    let setters: Vec<String> = api
        .security_schemes
        .iter()
        .filter_map(|s| {
            let setter = s.setter.as_deref()?;
            Some(match &s.kind {
                SchemeKind::Basic => format!("    .{setter}(\"<username>\", \"<password>\")"),
                SchemeKind::ApiKey { .. } => format!("    .{setter}(\"<key>\")"),
                SchemeKind::Bearer(_) => format!("    .{setter}(\"<token>\")"),
            })
        })
        .collect();
    let _ = writeln!(out, "\n```rust,no_run");
    if setters.is_empty() {
        let _ = writeln!(out, "let client = {new_call};");
    } else {
        let _ = writeln!(out, "let client = {new_call}\n{};", setters.join("\n"));
    }
    let _ = writeln!(out, "```");
    if !api
        .security_schemes
        .iter()
        .any(|s| matches!(s.kind, SchemeKind::Bearer(_)))
    {
        return;
    }
    let base_url = api
        .server
        .as_ref()
        .is_none_or(|s| !s.absolute)
        .then_some("\"https://api.example.com\", ");
    let constructor = if api.token_argument {
        format!(
            "Client::with_token_source({}Tokens::new(initial))",
            base_url.unwrap_or_default()
        )
    } else {
        format!(
            "Client::new({}).with_token_source(Tokens::new(initial))",
            base_url.unwrap_or_default().trim_end_matches(", ")
        )
    };
    let _ = writeln!(
        out,
        "\nTokens that expire (OAuth 2.0 access tokens) come from a `TokenSource` of yours. The client asks it for the token before each call; after a `401 Unauthorized` it asks it to refresh, once, and sends the call again. Refreshes run one at a time: many calls that fail together refresh once.\n"
    );
    let _ = writeln!(
        out,
        r#"```rust,no_run
use std::sync::Mutex;

use {krate}::{{Client, TokenError, TokenSource}};

struct Tokens {{
    current: Mutex<String>,
}}

impl Tokens {{
    fn new(initial: String) -> Self {{
        Tokens {{ current: Mutex::new(initial) }}
    }}
}}

impl TokenSource for Tokens {{
    async fn token(&self) -> Result<String, TokenError> {{
        Ok(self.current.lock().unwrap().clone())
    }}

    async fn refresh(&self) -> Result<String, TokenError> {{
        let fresh = exchange_refresh_token().await.map_err(TokenError::new)?;
        *self.current.lock().unwrap() = fresh.clone();
        Ok(fresh)
    }}
}}

/// Your call to the API's token endpoint.
async fn exchange_refresh_token() -> Result<String, std::io::Error> {{
    Ok("<new access token>".to_owned())
}}

let initial = String::from("<access token>");
let client = {constructor};
```"#
    );
}

fn calling(out: &mut String, api: &Api, op: &Operation, krate: &str, new_call: &str) {
    let _ = writeln!(out, "\n## Call an operation\n");
    let _ = writeln!(
        out,
        "Each operation is a method of `Client` that takes its required values (path parameters first, then other required parameters and the body) and returns a request builder: set the optional values by name, then `.send().await` it (or `.await` the builder). Arguments take `impl Into` of their types. The result is a `Response` (status, headers and the typed body, which it derefs to) or an `Error`.\n"
    );
    let (params, call) = call_example(op, krate);
    let _ = writeln!(out, "```rust,no_run");
    let _ = writeln!(
        out,
        "async fn example({}) -> Result<(), {krate}::Error<{krate}::{}>> {{",
        params.join(", "),
        op.error_name
    );
    let _ = writeln!(out, "    let client = {new_call};");
    let _ = writeln!(out, "    let response = {call};");
    let _ = writeln!(
        out,
        "    println!(\"{{}} {{:?}}\", response.status(), response.body());"
    );
    let _ = writeln!(out, "    Ok(())\n}}\n```");
    if let Some(example) = body_example(api, krate) {
        let _ = writeln!(
            out,
            "\nA type you send has `new`, taking the properties a request requires, and a setter for each other one (or `Default` when none is required):\n"
        );
        let _ = writeln!(out, "```rust,no_run\n{example}\n```");
    }
}

/// `let body = Type::new(...).setter(...);` for the first type users build whose required
/// properties all have literals.
fn body_example(api: &Api, krate: &str) -> Option<String> {
    api.builders.iter().find_map(|builder| {
        let def = api.types.iter().find(|t| t.name == builder.type_name)?;
        let fields: Vec<&crate::ir::Field> = match &def.kind {
            crate::ir::TypeKind::Struct(fields) => fields.iter().collect(),
            crate::ir::TypeKind::Multipart(parts) => parts.iter().map(|(f, _)| f).collect(),
            _ => return None,
        };
        let literal = |f: &crate::ir::Field| literal(&f.ty, &f.wire);
        let args: Option<Vec<String>> = builder
            .required
            .iter()
            .map(|i| fields.get(*i).and_then(|f| literal(f)))
            .collect();
        let args = args?;
        let setter = builder.setters.iter().find_map(|(i, setter)| {
            let field = fields.get(*i)?;
            let value = literal(field)?;
            Some(format!(".{setter}({value})"))
        });
        if args.is_empty() {
            let setter = setter?;
            return Some(format!(
                "let value = {krate}::{}::default(){setter};",
                def.name
            ));
        }
        Some(format!(
            "let value = {krate}::{}::new({}){};",
            def.name,
            args.join(", "),
            setter.unwrap_or_default()
        ))
    })
}

/// A literal of a plain type, for examples.
fn literal(ty: &Type, wire: &str) -> Option<String> {
    let literal = match ty {
        Type::String => format!("\"<{wire}>\""),
        Type::Integer => "1".to_owned(),
        Type::Number => "1.0".to_owned(),
        Type::Bool => "true".to_owned(),
        Type::Vec(item) if **item == Type::String => format!("vec![\"<{wire}>\".to_owned()]"),
        _ => return None,
    };
    Some(literal)
}

fn errors(out: &mut String, op: &Operation, krate: &str) {
    let _ = writeln!(out, "\n## Errors\n");
    let _ = writeln!(
        out,
        "`Error::Api` holds a status the operation documents, its body decoded into the operation's own enum (`{}` here, a variant per status); `Error::UnexpectedStatus` a status it does not document (the raw body kept); `Error::Decode` a body that does not match its type (with the path to the value that failed); `Error::Transport` a failure before a response arrived; `Error::InvalidRequest` arguments that cannot make a request (nothing was sent); `Error::TokenSource` a token source that gave no token.\n",
        op.error_name
    );
    let (params, call) = call_example(op, krate);
    let call = call.trim_end_matches('?');
    let mut arms = String::new();
    match op.errors.as_slice() {
        [] => {
            let _ = writeln!(
                arms,
                "        Err(Error::Api(response)) => eprintln!(\"{{}}\", response.status()),"
            );
        }
        [_] => {
            let _ = writeln!(
                arms,
                "        Err(Error::Api(response)) => eprintln!(\"{{}}: {{:?}}\", response.status(), response.body()),"
            );
        }
        [first, ..] => {
            let pattern = match first.body {
                crate::ir::ResponseBody::Empty => format!("{}::{}", op.error_name, first.variant),
                _ => format!("{}::{}(body)", op.error_name, first.variant),
            };
            let shown = match first.body {
                crate::ir::ResponseBody::Empty => "eprintln!(\"{}\", response.status())",
                _ => "eprintln!(\"{}: {body:?}\", response.status())",
            };
            let _ = writeln!(
                arms,
                "        Err(Error::Api(response)) => match response.body() {{\n            {pattern} => {shown},\n            other => eprintln!(\"{{}}: {{other:?}}\", response.status()),\n        }},"
            );
        }
    }
    let _ = writeln!(out, "```rust,no_run");
    let _ = writeln!(out, "use {krate}::{{Error, {}}};\n", op.error_name);
    let mut params = params;
    params.insert(0, format!("client: &{krate}::Client"));
    let _ = writeln!(out, "async fn example({}) {{", params.join(", "));
    let _ = writeln!(out, "    match {call} {{");
    let _ = writeln!(
        out,
        "        Ok(response) => println!(\"{{:?}}\", response.body()),"
    );
    out.push_str(&arms);
    let _ = writeln!(
        out,
        "        Err(Error::UnexpectedStatus(response)) => eprintln!(\"undocumented: {{}}\", response.status()),"
    );
    let _ = writeln!(out, "        Err(other) => eprintln!(\"{{other}}\"),");
    let _ = writeln!(out, "    }}\n}}\n```");
}

fn settings(out: &mut String, api: &Api, op: Option<&Operation>, krate: &str, new_call: &str) {
    let _ = writeln!(out, "\n## Retries, timeouts and the base URL\n");
    let base_url = match &api.server {
        Some(server) if server.absolute => format!(
            "Requests go to the server the API description names, `{}`, unless `with_base_url` says otherwise.",
            server.url
        ),
        _ => "The base URL is the first argument of `Client::new`; `with_base_url` changes it."
            .to_owned(),
    };
    let _ = writeln!(
        out,
        "{base_url} Each attempt may take 30 s by default; connecting, 10 s. Retries are off by default: `RetryPolicy::standard()` retries `429` and connection failures always, `5xx` for idempotent methods only, with exponential backoff and full jitter or the server's `Retry-After`.\n"
    );
    let _ = writeln!(out, "```rust,no_run\nuse std::time::Duration;\n");
    let _ = writeln!(out, "let client = {new_call}");
    let _ = writeln!(out, "    .with_base_url(\"http://127.0.0.1:4010\")");
    let _ = writeln!(out, "    .with_timeout(Some(Duration::from_secs(10)))");
    let _ = writeln!(out, "    .with_connect_timeout(Duration::from_secs(5))");
    let _ = writeln!(out, "    .with_retry({krate}::RetryPolicy::standard());");
    let _ = writeln!(out, "```");
    let Some(op) = op else {
        return;
    };
    let _ = writeln!(
        out,
        "\nEach request can change them for itself: a timeout, a retry policy, extra headers (a value holding CR or LF fails the call before anything is sent){}.\n",
        if api
            .security_schemes
            .iter()
            .any(|s| matches!(s.kind, SchemeKind::Bearer(_)))
        {
            ", and the bearer token"
        } else {
            ""
        }
    );
    let (params, call) = call_example(op, krate);
    let call = call
        .replacen("client.", "client\n        .", 1)
        .replace(
            ".send().await?",
            "\n        .timeout(Duration::from_secs(60))\n        .retry(RetryPolicy::none())\n        .header(\"X-Request-Id\", \"42\")\n        .send()\n        .await?",
        );
    let mut params = params;
    params.insert(0, format!("client: &{krate}::Client"));
    let _ = writeln!(
        out,
        "```rust,no_run\nuse std::time::Duration;\n\nuse {krate}::RetryPolicy;\n"
    );
    let _ = writeln!(
        out,
        "async fn example({}) -> Result<(), {krate}::Error<{krate}::{}>> {{",
        params.join(", "),
        op.error_name
    );
    let _ = writeln!(out, "    let response = {call};");
    let _ = writeln!(out, "    println!(\"{{}}\", response.status());");
    let _ = writeln!(out, "    Ok(())\n}}\n```");
}

fn test_support(out: &mut String, op: &Operation, package: &str, krate: &str) {
    let _ = writeln!(out, "\n## Test your code without a network\n");
    let _ = writeln!(
        out,
        "The `mock` feature adds `{krate}::mock::MockServer`, a local server (wiremock) with a method per operation, named as on `Client`: answer it with `.responds(value)`, its success body, or `.fails(error)`, one of its documented errors, and `server.client()` is a `Client` pointed at it. `.and(matcher)` narrows an answer to matching requests, `.times(n)` answers n requests, `.expect(n)` checks the count when the server is dropped, and `server.received_requests()` shows what your code sent.\n"
    );
    let _ = writeln!(
        out,
        "```toml\n[dev-dependencies]\n{package} = {{ path = \"../{package}\", features = [\"mock\"] }}\n```\n"
    );
    let value = match op.success.first().map(|r| &r.body) {
        None | Some(crate::ir::ResponseBody::Empty) if op.success_name.is_none() => "()",
        _ => "value",
    };
    let (params, call) = call_example(op, krate);
    let hidden: Vec<String> = params
        .iter()
        .filter_map(|p| p.split_once(": "))
        .map(|(name, ty)| format!("let {name}: {ty} = todo!();"))
        .collect();
    let _ = writeln!(out, "```rust,ignore");
    let _ = writeln!(out, "#[tokio::test]");
    let _ = writeln!(out, "async fn answers_with_a_typed_value() {{");
    let _ = writeln!(
        out,
        "    let server = {krate}::mock::MockServer::start().await;"
    );
    if value == "value" {
        let _ = writeln!(
            out,
            "    let value = /* the success body your code should see */;"
        );
    }
    let answer = if value == "value" {
        "value.clone()"
    } else {
        value
    };
    let _ = writeln!(
        out,
        "    server.{}().responds({answer}).await;",
        op.method_name
    );
    let _ = writeln!(out, "    let client = server.client();");
    for line in hidden {
        let _ = writeln!(out, "    {line}");
    }
    let _ = writeln!(
        out,
        "    let response = {};",
        call.trim_end_matches('?').to_owned() + ".unwrap()"
    );
    let _ = writeln!(out, "    assert_eq!(response.body(), &{value});");
    let _ = writeln!(out, "}}\n```");
}

fn operations(out: &mut String, api: &Api) {
    if api.operations.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n## Operations\n");
    let _ = writeln!(out, "| `Client` method | request | summary |");
    let _ = writeln!(out, "| --- | --- | --- |");
    for op in &api.operations {
        let summary = op
            .doc
            .text
            .as_deref()
            .and_then(|t| t.lines().map(str::trim).find(|l| !l.is_empty()))
            .unwrap_or_default()
            .replace('|', "\\|");
        let _ = writeln!(
            out,
            "| `{}` | `{} {}` | {} |",
            op.method_name.trim_start_matches("r#"),
            op.http_method,
            op.path_template,
            prose(&summary)
        );
    }
}

/// The spec's prose as Markdown that rustdoc reads without warnings: bare URLs in `<...>`,
/// code fences without a language as `text`.
fn prose(text: &str) -> String {
    let lines = super::docs::sanitize(text);
    let mut fenced = false;
    let mut out = Vec::new();
    for line in &lines {
        if line.starts_with("```") {
            fenced = !fenced;
            out.push(line.clone());
            continue;
        }
        if fenced {
            out.push(line.clone());
            continue;
        }
        let words: Vec<String> = line.split(' ').map(bracket_url).collect();
        out.push(words.join(" "));
    }
    out.join("\n")
}

/// A word with a bare URL in it, the URL put in `<...>` (rustdoc's `bare_urls`); URLs in
/// code, in `<...>` or in a Markdown link stay as they are.
fn bracket_url(word: &str) -> String {
    let Some(start) = word.find("https://").or_else(|| word.find("http://")) else {
        return word.to_owned();
    };
    let (before, url) = word.split_at(start);
    if before.contains('`') || before.ends_with('<') || before.ends_with("](") {
        return word.to_owned();
    }
    let end = url
        .find([')', ',', ';', '>', '"', '\''])
        .unwrap_or(url.len());
    let (url, rest) = url.split_at(end);
    let (url, dot) = match url.strip_suffix('.') {
        Some(url) => (url, "."),
        None => (url, ""),
    };
    format!("{before}<{url}>{dot}{rest}")
}

#[cfg(test)]
mod tests {
    use super::{bracket_url, prose};

    #[test]
    fn bare_urls_are_bracketed_and_links_kept() {
        assert_eq!(bracket_url("https://a.test/x"), "<https://a.test/x>");
        assert_eq!(bracket_url("(https://a.test/x)."), "(<https://a.test/x>).");
        assert_eq!(bracket_url("https://a.test/x."), "<https://a.test/x>.");
        assert_eq!(bracket_url("<https://a.test/x>"), "<https://a.test/x>");
        assert_eq!(
            bracket_url("[a](https://a.test/x)"),
            "[a](https://a.test/x)"
        );
        assert_eq!(bracket_url("`https://a.test/x`"), "`https://a.test/x`");
        assert_eq!(
            prose("See https://a.test.\n```\nhttps://b.test\n```"),
            "See <https://a.test>.\n```text\nhttps://b.test\n```"
        );
    }
}
