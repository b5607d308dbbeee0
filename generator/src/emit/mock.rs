//! `src/mock_operations.rs`: the test support's method per operation (the `mock` feature;
//! `templates/mock.rs` is the server). Each knows its operation's HTTP method, path template
//! and documented statuses, so a test answers with a typed value and nothing else.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{client, ident};
use crate::ir::{Api, MediaVariant, Operation, PathPart, Response, ResponseBody, Status};

pub fn mock_operations(api: &Api) -> TokenStream {
    let methods = api.operations.iter().map(method);
    let client = client::mock_client(api);
    quote! {
        //! How the mock server answers each operation (the `mock` feature).

        /// A client of the mock server at `uri`.
        pub(crate) fn mock_client(uri: &str) -> crate::Client {
            #client
        }

        impl crate::mock::MockServer {
            #(#methods)*
        }
    }
}

fn method(op: &Operation) -> TokenStream {
    let name = ident(&op.method_name);
    let error = ident(&op.error_name);
    let success = super::requests::success_type(op);
    let http_method = &op.http_method;
    let pieces = op.path.iter().map(|part| match part {
        PathPart::Literal(text) => quote!(crate::mock::Piece::Literal(#text)),
        PathPart::Param(_) => quote!(crate::mock::Piece::Param),
    });
    let success_reply = match &op.success_name {
        Some(name) => {
            let name = ident(name);
            let arms = op.success.iter().map(|r| arm(quote!(crate::#name), r));
            quote!(|value| match value { #(#arms)* })
        }
        None => match op.success.first() {
            Some(response) if response.body == ResponseBody::Empty => {
                let status = status(response);
                quote!(|()| crate::mock::Reply::empty(#status))
            }
            Some(response) => {
                let reply = reply(response, quote!(value));
                quote!(|value| #reply)
            }
            None => quote!(|()| crate::mock::Reply::empty(200)),
        },
    };
    let error_arms = op.errors.iter().map(|r| arm(quote!(crate::#error), r));
    let doc = format!(
        " Sets up how the server answers `{}` (`{} {}`): `.responds(value)` with its success body, or `.fails(error)` with a documented error.",
        op.id, op.http_method, op.path_template
    );
    quote! {
        #[doc = #doc]
        pub fn #name(&self) -> crate::mock::OperationMock<'_, #success, crate::#error> {
            crate::mock::OperationMock::new(
                self,
                #http_method,
                &[#(#pieces),*],
                #success_reply,
                |error| match error { #(#error_arms)* },
            )
        }
    }
}

/// The status a documented response is sent with: a range's first code, and 500 for
/// `default` (a `default` that is the success was made `2XX` by the lowering).
fn status(response: &Response) -> Literal {
    let code = match response.status {
        Status::Code(code) => code,
        Status::Range(digit) => digit * 100,
        Status::Default => 500,
    };
    Literal::u16_unsuffixed(code)
}

/// A match arm of a success or error enum's variant.
fn arm(enum_path: TokenStream, response: &Response) -> TokenStream {
    let variant = ident(&response.variant);
    match &response.body {
        ResponseBody::Empty => {
            let status = status(response);
            quote!(#enum_path::#variant => crate::mock::Reply::empty(#status),)
        }
        _ => {
            let reply = reply(response, quote!(value));
            quote!(#enum_path::#variant(value) => #reply,)
        }
    }
}

/// The reply for `value`, a body of `response`.
fn reply(response: &Response, value: TokenStream) -> TokenStream {
    let status = status(response);
    match &response.body {
        ResponseBody::ByContentType { name, variants } => {
            let name = ident(name);
            let arms = variants
                .iter()
                .enumerate()
                .map(|(i, v): (usize, &MediaVariant)| {
                    let variant = ident(&v.name);
                    let reply = body_reply(
                        &v.body,
                        &status,
                        &sent_media_type(variants, i),
                        quote!(value),
                    );
                    quote!(crate::#name::#variant(value) => #reply,)
                });
            quote!(match #value { #(#arms)* })
        }
        body => body_reply(body, &status, "", value),
    }
}

fn body_reply(
    body: &ResponseBody,
    status: &Literal,
    media_type: &str,
    value: TokenStream,
) -> TokenStream {
    // The documented media type, or the usual one of the body's kind when none is named.
    let or_default = |usual: &'static str| {
        if media_type.is_empty() {
            usual
        } else {
            media_type
        }
    };
    match body {
        ResponseBody::Json(_) => {
            let media_type = or_default("application/json");
            quote!(crate::mock::Reply::json(#status, #media_type, &#value))
        }
        ResponseBody::Text => {
            let media_type = or_default("text/plain");
            quote!(crate::mock::Reply::text(#status, #media_type, #value))
        }
        ResponseBody::Bytes => {
            let media_type = or_default("application/octet-stream");
            quote!(crate::mock::Reply::bytes(#status, #media_type, #value))
        }
        // Handled by the callers: no value to write.
        _ => quote!(crate::mock::Reply::empty(#status)),
    }
}

/// The `Content-Type` that makes the client read a reply as `variants[i]`: the variant's own
/// media type, or for a range (`*/*`, `application/*`) a type in it that no variant before it
/// matches, since the client takes the first variant whose media type or range matches
/// (`runtime::media_index`, most specific first).
fn sent_media_type(variants: &[MediaVariant], i: usize) -> String {
    let own = variants.get(i).map_or("", |v| v.media_type.as_str());
    let Some((kind, "*")) = own.split_once('/') else {
        return own.to_owned();
    };
    let usual = if kind == "*" {
        "application/octet-stream".to_owned()
    } else {
        format!("{kind}/json")
    };
    // Each variant before this one rules out one type or one top-level type, so these many
    // candidates always leave one.
    let kinds: &[&str] = if kind == "*" {
        &[
            "application",
            "text",
            "image",
            "audio",
            "video",
            "font",
            "model",
        ]
    } else {
        &[kind]
    };
    let numbered = kinds
        .iter()
        .flat_map(|kind| (1..=variants.len()).map(move |n| format!("{kind}/x-variant-{n}")));
    let matches = |range: &str, concrete: &str| match range.split_once('/') {
        Some(("*", "*")) => true,
        Some((range, "*")) => concrete.split_once('/').is_some_and(|(k, _)| k == range),
        _ => range == concrete,
    };
    std::iter::once(usual.clone())
        .chain(numbered)
        .find(|candidate| {
            !variants
                .iter()
                .take(i)
                .any(|v| matches(&v.media_type, candidate))
        })
        .unwrap_or(usual)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variants(media_types: &[&str]) -> Vec<MediaVariant> {
        media_types
            .iter()
            .map(|m| MediaVariant {
                name: (*m).to_owned(),
                media_type: (*m).to_owned(),
                body: ResponseBody::Json(crate::ir::Type::Json),
            })
            .collect()
    }

    #[test]
    fn a_range_is_answered_with_a_type_no_more_specific_variant_takes() {
        let all = variants(&[
            "application/json",
            "application/problem+json",
            "application/*",
            "*/*",
        ]);
        let sent: Vec<String> = (0..all.len()).map(|i| sent_media_type(&all, i)).collect();
        assert_eq!(
            sent,
            [
                "application/json",
                "application/problem+json",
                "application/x-variant-1",
                "text/x-variant-1",
            ]
        );
        let ranges = variants(&["application/*", "*/*"]);
        assert_eq!(sent_media_type(&ranges, 0), "application/json");
        assert_eq!(sent_media_type(&ranges, 1), "text/x-variant-1");
        let ranges = variants(&["text/*", "*/*"]);
        assert_eq!(sent_media_type(&ranges, 1), "application/octet-stream");
    }
}
