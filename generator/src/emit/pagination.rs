//! `src/requests/pagination.rs`: for each operation that pages, its request builder's
//! `pages` and `items` streams, and the `Paged` implementation they run on (`src/pages.rs`):
//! where paging starts, what each page's request changes, and what a page says about the next.
//!
//! A child module of `requests`, so it sets the builders' private fields.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::requests::{success_type, url_tokens};
use super::{ident, type_tokens};
use crate::ir::{Api, BodyPath, Operation, PageInput, PageStyle, Pagination, PathStep, Scalar};

pub fn pagination(api: &Api) -> TokenStream {
    let impls = api
        .operations
        .iter()
        .filter_map(|op| op.pagination.as_ref().map(|p| paged(op, p)));
    quote! {
        //! Paging: the `pages` and `items` streams of the operations whose lists come a page at
        //! a time.

        #(#impls)*
    }
}

fn paged(op: &Operation, p: &Pagination) -> TokenStream {
    let name = ident(&op.request_name);
    let error = ident(&op.error_name);
    let body = success_type(op);
    let item = match &p.results {
        Some((_, item)) => type_tokens(item),
        None => quote!(()),
    };
    let cursor = match &p.style {
        PageStyle::Cursor { input, .. } => scalar_type(input.kind),
        _ => quote!(()),
    };
    let has_results = p.results.is_some();
    let start = start(op, p);
    let fetch = fetch(&p.style);
    let count = p.results.as_ref().map(|(path, _)| {
        let chain = borrowed(path);
        quote! {
            fn count(v: &Self::Body) -> ::std::option::Option<usize> {
                #chain
                ::std::option::Option::Some(v.len())
            }
        }
    });
    let items = p.results.as_ref().map(|(path, _)| {
        let chain = owned(path);
        quote! {
            fn items(v: Self::Body) -> ::std::option::Option<::std::vec::Vec<Self::Item>> {
                #chain
                ::std::option::Option::Some(v)
            }
        }
    });
    let next = match &p.style {
        PageStyle::Cursor {
            input,
            next,
            output,
        } => {
            let chain = borrowed(next);
            let value = match (output, input.kind) {
                (Scalar::Integer, Scalar::Integer) => quote!(::std::option::Option::Some(*v)),
                (Scalar::Integer, _) => quote!(::std::option::Option::Some(v.to_string())),
                _ => non_empty(),
            };
            quote! {
                fn cursor(v: &Self::Body) -> ::std::option::Option<Self::Cursor> {
                    #chain
                    #value
                }
            }
        }
        PageStyle::Url { next } => {
            let chain = borrowed(next);
            let value = non_empty();
            quote! {
                fn next_url(v: &Self::Body) -> ::std::option::Option<::std::string::String> {
                    #chain
                    #value
                }
            }
        }
        PageStyle::Page {
            num_pages: Some((path, kind)),
            ..
        } => {
            let chain = borrowed(path);
            let value = match kind {
                Scalar::Integer => quote!(*v),
                _ => quote!(*v as i64),
            };
            quote! {
                fn num_pages(v: &Self::Body) -> ::std::option::Option<i64> {
                    #chain
                    ::std::option::Option::Some(#value)
                }
            }
        }
        _ => quote!(),
    };
    let (pages_doc, items_doc) = docs(op, p);
    let items_method = has_results.then(|| {
        quote! {
            #(#[doc = #items_doc])*
            pub fn items(self) -> impl ::futures_util::Stream<Item = ::std::result::Result<#item, crate::Error<crate::#error>>> + ::std::marker::Send + 'a {
                crate::pages::items(self)
            }
        }
    });
    quote! {
        impl crate::pages::Paged for super::#name<'_> {
            type Body = #body;
            type Item = #item;
            type Cursor = #cursor;
            type Error = crate::#error;
            const RESULTS: bool = #has_results;

            #start
            #fetch
            #count
            #items
            #next
        }

        impl<'a> super::#name<'a> {
            #(#[doc = #pages_doc])*
            pub fn pages(self) -> impl ::futures_util::Stream<Item = ::std::result::Result<crate::Response<#body>, crate::Error<crate::#error>>> + ::std::marker::Send + 'a {
                crate::pages::pages(self)
            }

            #items_method
        }
    }
}

/// `start`: where the first page is, the page size and cursor the caller set.
fn start(op: &Operation, p: &Pagination) -> TokenStream {
    let error = ident(&op.error_name);
    let (url, counting) = match &p.style {
        PageStyle::Offset { input } => {
            let value = number(input).or(input.default.unwrap_or(0));
            (None, quote!(crate::pages::Counting::Offset(#value)))
        }
        PageStyle::Page { input, .. } => {
            let value = number(input).or(input.default.unwrap_or(1));
            (None, quote!(crate::pages::Counting::Page(#value)))
        }
        PageStyle::Cursor { .. } => (None, quote!(crate::pages::Counting::Cursor)),
        PageStyle::Url { .. } => (
            Some(url_tokens(op, &error, false)),
            quote!(crate::pages::Counting::Url(url)),
        ),
    };
    let limit = match &p.limit {
        Some(input) => number(input).option(),
        None => quote!(::std::option::Option::None),
    };
    let cursor = match &p.style {
        PageStyle::Cursor { input, .. } => {
            let place = place(input);
            match (input.kind, input.options) {
                (Scalar::Integer, 0) => quote!(::std::option::Option::Some(#place)),
                (Scalar::Integer, 1) => quote!(#place),
                (Scalar::Integer, _) => quote!(#place.flatten()),
                (_, 0) => quote!(::std::option::Option::Some(#place.clone())),
                (_, 1) => quote!(#place.clone()),
                (_, _) => quote!(#place.clone().flatten()),
            }
        }
        _ => quote!(::std::option::Option::None),
    };
    quote! {
        fn start(&self) -> ::std::result::Result<crate::pages::Start<Self::Cursor>, crate::Error<Self::Error>> {
            #url
            ::std::result::Result::Ok(crate::pages::Start {
                counting: #counting,
                limit: #limit,
                cursor: #cursor,
            })
        }
    }
}

/// `fetch`: the caller's request with the page's input set, sent.
fn fetch(style: &PageStyle) -> TokenStream {
    let set = match style {
        PageStyle::Offset { input } | PageStyle::Page { input, .. } => {
            let variant = match style {
                PageStyle::Offset { .. } => quote!(Offset),
                _ => quote!(Page),
            };
            let value = match input.kind {
                Scalar::Integer => quote!(value),
                Scalar::Number => quote!(value as f64),
                Scalar::String => quote!(value.to_string()),
            };
            let assign = assign(input, value);
            quote!(if let crate::pages::At::#variant(value) = at { #assign })
        }
        PageStyle::Cursor { input, .. } => {
            let assign = assign(input, quote!(value));
            quote!(if let crate::pages::At::Cursor(value) = at { #assign })
        }
        PageStyle::Url { .. } => quote! {
            if let crate::pages::At::Url(url) = at {
                self.options.url = ::std::option::Option::Some(url);
            }
        },
    };
    quote! {
        fn fetch(mut self, at: crate::pages::At<Self::Cursor>) -> impl ::std::future::Future<Output = ::std::result::Result<crate::Response<Self::Body>, crate::Error<Self::Error>>> + ::std::marker::Send {
            #set
            self.send()
        }
    }
}

/// Where an input's value is held: a field of the builder, or of its body.
fn place(input: &PageInput) -> TokenStream {
    let field = ident(&input.field);
    if input.in_body {
        quote!(self.body.#field)
    } else {
        quote!(self.#field)
    }
}

/// Sets an input to `value`, inside the `Option`s its field has.
fn assign(input: &PageInput, value: TokenStream) -> TokenStream {
    let place = place(input);
    match input.options {
        0 => quote!(#place = #value;),
        1 => quote!(#place = ::std::option::Option::Some(#value);),
        _ => quote!(#place = ::std::option::Option::Some(::std::option::Option::Some(#value));),
    }
}

/// An input's value as the caller set it, as an `i64` (text parsed, with `?`).
enum Number {
    /// A required input's value.
    Set(TokenStream),
    /// An `Option<i64>`.
    Maybe(TokenStream),
}

impl Number {
    /// The value, or `first` when the caller set none.
    fn or(self, first: i64) -> TokenStream {
        let first = Literal::i64_unsuffixed(first);
        match self {
            Number::Set(value) => value,
            Number::Maybe(value) => quote!(#value.unwrap_or(#first)),
        }
    }

    fn option(self) -> TokenStream {
        match self {
            Number::Set(value) => quote!(::std::option::Option::Some(#value)),
            Number::Maybe(value) => value,
        }
    }
}

fn number(input: &PageInput) -> Number {
    let place = place(input);
    let wire = &input.wire;
    let whole = quote!(crate::pages::whole::<Self::Error>);
    match (input.kind, input.options) {
        (Scalar::Integer, 0) => Number::Set(quote!(#place)),
        (Scalar::Integer, 1) => Number::Maybe(quote!(#place)),
        (Scalar::Integer, _) => Number::Maybe(quote!(#place.flatten())),
        (Scalar::Number, 0) => Number::Set(quote!(#place as i64)),
        (Scalar::Number, 1) => Number::Maybe(quote!(#place.map(|v| v as i64))),
        (Scalar::Number, _) => Number::Maybe(quote!(#place.flatten().map(|v| v as i64))),
        (Scalar::String, 0) => Number::Set(quote!(#whole(#wire, &#place)?)),
        (Scalar::String, 1) => Number::Maybe(quote! {
            #place.as_deref().map(|v| #whole(#wire, v)).transpose()?
        }),
        (Scalar::String, _) => Number::Maybe(quote! {
            #place.as_ref().and_then(|v| v.as_deref()).map(|v| #whole(#wire, v)).transpose()?
        }),
    }
}

/// `Some(v.clone())` unless the text is empty: an empty cursor or URL means no next page.
fn non_empty() -> TokenStream {
    quote! {
        if v.is_empty() {
            ::std::option::Option::None
        } else {
            ::std::option::Option::Some(v.clone())
        }
    }
}

/// Statements that rebind `v` (a reference to the body) to a reference to the value at
/// `path`, returning `None` from the function where the body has no such value.
fn borrowed(path: &BodyPath) -> TokenStream {
    let steps = path.steps.iter().map(|step| match step {
        PathStep::Field { name, options } => {
            let name = ident(name);
            match options {
                0 => quote!(let v = &v.#name;),
                1 => quote!(let v = v.#name.as_ref()?;),
                _ => quote!(let v = v.#name.as_ref()?.as_ref()?;),
            }
        }
        PathStep::Nullable => quote!(let v = v.as_ref()?;),
        PathStep::Index(i) if *i >= 0 => {
            let i = Literal::usize_unsuffixed(usize::try_from(*i).unwrap_or(usize::MAX));
            quote!(let v = v.get(#i)?;)
        }
        PathStep::Index(-1) => quote!(let v = v.last()?;),
        PathStep::Index(i) => {
            let back =
                Literal::usize_unsuffixed(usize::try_from(i.unsigned_abs()).unwrap_or(usize::MAX));
            quote!(let v = v.get(v.len().checked_sub(#back)?)?;)
        }
    });
    quote!(#(#steps)*)
}

/// Statements that rebind `v` (the body, owned) to the value at `path`, moved out.
fn owned(path: &BodyPath) -> TokenStream {
    let steps = path.steps.iter().map(|step| match step {
        PathStep::Field { name, options } => {
            let name = ident(name);
            match options {
                0 => quote!(let v = v.#name;),
                1 => quote!(let v = v.#name?;),
                _ => quote!(let v = v.#name??;),
            }
        }
        PathStep::Nullable => quote!(let v = v?;),
        PathStep::Index(0) => quote!(let v = v.into_iter().next()?;),
        PathStep::Index(i) if *i > 0 => {
            let i = Literal::usize_unsuffixed(usize::try_from(*i).unwrap_or(usize::MAX));
            quote!(let v = v.into_iter().nth(#i)?;)
        }
        PathStep::Index(-1) => quote!(let v = v.into_iter().next_back()?;),
        PathStep::Index(i) => {
            let back =
                Literal::usize_unsuffixed(usize::try_from(i.unsigned_abs()).unwrap_or(usize::MAX));
            quote! {
                let at = v.len().checked_sub(#back)?;
                let v = v.into_iter().nth(at)?;
            }
        }
    });
    quote!(#(#steps)*)
}

fn scalar_type(kind: Scalar) -> TokenStream {
    match kind {
        Scalar::Integer => quote!(i64),
        Scalar::Number => quote!(f64),
        Scalar::String => quote!(::std::string::String),
    }
}

/// The doc lines of `pages` and `items`: how this operation pages, and when paging ends.
fn docs(op: &Operation, p: &Pagination) -> (Vec<String>, Vec<String>) {
    let code = |text: &str| format!("`{}`", text.replace('`', "'"));
    let method = op.method_name.trim_start_matches("r#");
    let input_name = |input: &PageInput| {
        let place = if input.in_body {
            "body property"
        } else {
            "parameter"
        };
        format!("the {place} {}", code(&input.wire))
    };
    let mut ends = Vec::new();
    if let Some((path, _)) = &p.results {
        ends.push(format!("with no items at {};", code(&path.text)));
        if let Some(limit) = &p.limit {
            ends.push(format!(
                "with fewer items than {} asks for (when it is set);",
                input_name(limit)
            ));
        }
    }
    let (how, kind) = match &p.style {
        PageStyle::Offset { input } => (
            format!(
                "Each page's request sets {} to the number of items before the page: the value set here ({} when it is not set) plus the items received.",
                input_name(input),
                input.default.unwrap_or(0)
            ),
            "offsetLimit",
        ),
        PageStyle::Page { input, num_pages } => {
            if let Some((path, _)) = num_pages {
                ends.push(format!("whose number is the one at {};", code(&path.text)));
            }
            (
                format!(
                    "Each page's request sets {} to the page's number: one more than the page before, from the value set here ({} when it is not set).",
                    input_name(input),
                    input.default.unwrap_or(1)
                ),
                "offsetLimit",
            )
        }
        PageStyle::Cursor { input, next, .. } => {
            ends.push(format!(
                "with no cursor at {} (absent, `null` or empty), or one used already;",
                code(&next.text)
            ));
            (
                format!(
                    "Each page's request sets {} to the cursor the page before gave.",
                    input_name(input)
                ),
                "cursor",
            )
        }
        PageStyle::Url { next } => {
            ends.push(format!(
                "with no URL at {} (absent, `null` or empty), or one fetched already;",
                code(&next.text)
            ));
            (
                "Each page after the first is fetched from the URL the page before gave, resolved against that page's URL: the path and query are the server's. A URL on another origin is an error, so the credentials stay with the API.".to_owned(),
                "url",
            )
        }
    };
    ends.push(
        "and before a page that is byte for byte the one before (the server ignored the paging input), which is not given again.".to_owned(),
    );
    let mut pages = vec![
        format!(
            " Every page of `{method}`, one response each, as [`send`](Self::send) returns it. A page is fetched when the stream is read past the one before."
        ),
        String::new(),
        format!(" {how} Every other value is sent as set here."),
        String::new(),
        " Paging ends after a page:".to_owned(),
    ];
    pages.extend(ends.iter().map(|end| format!(" - {end}")));
    pages.extend([
        String::new(),
        " A page that fails is the stream's last item.".to_owned(),
        String::new(),
        format!(" From the operation's `x-speakeasy-pagination` extension (`type: {kind}`)."),
    ]);
    let items = match &p.results {
        Some((path, _)) => vec![
            format!(
                " Every item of every page of `{method}`, in order: the array at {} of each page that [`pages`](Self::pages) gives.",
                code(&path.text)
            ),
            String::new(),
            " Pages are fetched as the stream is read, so taking `n` items (`StreamExt::take`) asks for no page past the one that holds the `n`th. A page that fails is the stream's last item.".to_owned(),
        ],
        None => Vec::new(),
    };
    (pages, items)
}
