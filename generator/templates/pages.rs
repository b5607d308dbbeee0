//! Paging: a list operation read as a stream of pages, or of the items on them, as its
//! `x-speakeasy-pagination` extension describes (Speakeasy's `offsetLimit`, `cursor` and `url`
//! types). The same for every spec; the generator copies it into each crate that pages.
#![allow(dead_code)]

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::hash::Hash;

use bytes::Bytes;
use futures_util::{Stream, StreamExt, stream};

use crate::runtime::{Error, Response};

/// How an operation counts its pages, and where the one being read is.
#[derive(Debug, Clone)]
pub(crate) enum Counting {
    /// An `offset` input: the number of items before the page.
    Offset(i64),
    /// A `page` input: the page's number.
    Page(i64),
    /// A `cursor` input, set to the cursor the page before gave.
    Cursor,
    /// The URL the page before gave (`nextUrl`); here, the URL of the page being read.
    Url(String),
}

/// Where paging starts, read from the request as the caller built it.
pub(crate) struct Start<C> {
    pub(crate) counting: Counting,
    /// The page size the request asks for (a `limit` input), when it sets one.
    pub(crate) limit: Option<i64>,
    /// The cursor the first page is asked with, when the caller sets one.
    pub(crate) cursor: Option<C>,
}

/// What the request for a page changes of the request as the caller built it.
pub(crate) enum At<C> {
    First,
    Offset(i64),
    Page(i64),
    Cursor(C),
    Url(String),
}

/// A request builder of an operation that pages: how it starts, sends a page, and reads
/// one. The reading functions return `None` where the body has no such value.
pub(crate) trait Paged: Clone + Send + Sized {
    type Body: Send;
    type Item: Send;
    type Cursor: Clone + Eq + Hash + Send;
    type Error: fmt::Debug + Send;
    /// Whether the operation says where a page's items are (`outputs.results`).
    const RESULTS: bool;

    fn start(&self) -> Result<Start<Self::Cursor>, Error<Self::Error>>;

    fn fetch(self, at: At<Self::Cursor>) -> impl Future<Output = Result<Response<Self::Body>, Error<Self::Error>>> + Send;

    /// The number of items on the page.
    fn count(_body: &Self::Body) -> Option<usize> {
        None
    }

    fn items(_body: Self::Body) -> Option<Vec<Self::Item>> {
        None
    }

    /// The cursor of the next page, as the cursor input takes it.
    fn cursor(_body: &Self::Body) -> Option<Self::Cursor> {
        None
    }

    /// The URL of the next page, as the page gives it.
    fn next_url(_body: &Self::Body) -> Option<String> {
        None
    }

    /// How many pages there are.
    fn num_pages(_body: &Self::Body) -> Option<i64> {
        None
    }
}

/// The pages of `request`, one response each, fetched one at a time as the stream is read.
///
/// After each page the next one is asked for, unless: the page has no items, or fewer than
/// the limit the request sets; the page's number passes `numPages`; there is no next cursor or
/// URL (absent, `null` or empty), or it is one already used; or the page is byte for byte the
/// page before (the server did not move on). A page that fails is the stream's last item.
pub(crate) fn pages<'a, P: Paged + 'a>(request: P) -> impl Stream<Item = Result<Response<P::Body>, Error<P::Error>>> + Send + 'a {
    let pager = match request.start() {
        Ok(start) => Pager::new(request, start),
        Err(err) => {
            let mut pager = Pager::new(request, Start { counting: Counting::Cursor, limit: None, cursor: None });
            pager.next = Next::Fail(err);
            pager
        }
    };
    stream::unfold(pager, Pager::step)
}

/// The items of every page of `request`, in order; a page that fails is the last item.
pub(crate) fn items<'a, P: Paged + 'a>(request: P) -> impl Stream<Item = Result<P::Item, Error<P::Error>>> + Send + 'a {
    let pages = Box::pin(pages(request));
    stream::unfold((pages, Vec::new().into_iter()), |(mut pages, mut items)| async move {
        loop {
            if let Some(item) = items.next() {
                return Some((Ok(item), (pages, items)));
            }
            match pages.next().await? {
                Ok(page) => items = P::items(page.into_body()).unwrap_or_default().into_iter(),
                Err(err) => return Some((Err(err), (pages, items))),
            }
        }
    })
}

/// A page number, offset or size the caller wrote as text (a string input).
pub(crate) fn whole<E: fmt::Debug>(name: &str, text: &str) -> Result<i64, Error<E>> {
    text.trim().parse().map_err(|_| Error::InvalidRequest(format!("`{name}` is {text:?}, not a whole number, so the pages after it cannot be counted")))
}

enum Next<C, E: fmt::Debug> {
    Fetch(At<C>),
    Fail(Error<E>),
    Done,
}

struct Pager<P: Paged> {
    request: P,
    next: Next<P::Cursor, P::Error>,
    counting: Counting,
    limit: Option<i64>,
    cursors: HashSet<P::Cursor>,
    urls: HashSet<String>,
    last: Option<Bytes>,
}

impl<P: Paged> Pager<P> {
    fn new(request: P, start: Start<P::Cursor>) -> Self {
        let mut urls = HashSet::new();
        if let Counting::Url(url) = &start.counting {
            urls.insert(url.clone());
        }
        Pager {
            request,
            next: Next::Fetch(At::First),
            counting: start.counting,
            limit: start.limit,
            cursors: start.cursor.into_iter().collect(),
            urls,
            last: None,
        }
    }

    async fn step(mut self) -> Option<(Result<Response<P::Body>, Error<P::Error>>, Self)> {
        let at = match std::mem::replace(&mut self.next, Next::Done) {
            Next::Done => return None,
            Next::Fail(err) => return Some((Err(err), self)),
            Next::Fetch(at) => at,
        };
        let response = match self.request.clone().fetch(at).await {
            Ok(response) => response,
            Err(err) => return Some((Err(err), self)),
        };
        // The same page again: the server ignores the paging input, and would send it forever.
        let raw = response.raw_body();
        if !raw.is_empty() && self.last.as_ref() == Some(raw) {
            return None;
        }
        self.last = Some(raw.clone());
        self.next = self.after(response.body());
        Some((Ok(response), self))
    }

    /// What follows a page.
    fn after(&mut self, body: &P::Body) -> Next<P::Cursor, P::Error> {
        let count = P::RESULTS.then(|| P::count(body).unwrap_or(0));
        let short = match (count, self.limit) {
            (Some(count), Some(limit)) => i64::try_from(count).unwrap_or(i64::MAX) < limit,
            _ => false,
        };
        if count == Some(0) || short {
            return Next::Done;
        }
        match &mut self.counting {
            Counting::Offset(offset) => match count {
                Some(count) => {
                    *offset = offset.saturating_add(i64::try_from(count).unwrap_or(i64::MAX));
                    Next::Fetch(At::Offset(*offset))
                }
                None => Next::Done,
            },
            Counting::Page(page) => {
                *page = page.saturating_add(1);
                match P::num_pages(body) {
                    Some(pages) if *page > pages => Next::Done,
                    // Without a count of items or of pages, nothing says when to stop.
                    None if count.is_none() => Next::Done,
                    _ => Next::Fetch(At::Page(*page)),
                }
            }
            Counting::Cursor => match P::cursor(body) {
                Some(cursor) if self.cursors.insert(cursor.clone()) => Next::Fetch(At::Cursor(cursor)),
                _ => Next::Done,
            },
            Counting::Url(current) => match P::next_url(body).map(|next| follow(current, &next)) {
                None => Next::Done,
                Some(Err(err)) => Next::Fail(err),
                Some(Ok(url)) if self.urls.insert(url.clone()) => {
                    current.clone_from(&url);
                    Next::Fetch(At::Url(url))
                }
                Some(Ok(_)) => Next::Done,
            },
        }
    }
}

/// The next page's URL, resolved against the URL of the page that gave it (RFC 3986, section
/// 5.2). A URL on another origin (scheme, host and port) is refused: the request would take
/// the credentials there.
fn follow<E: fmt::Debug>(current: &str, next: &str) -> Result<String, Error<E>> {
    let base = reqwest::Url::parse(current).map_err(|err| Error::InvalidRequest(format!("the page's URL `{current}` is not a URL: {err}")))?;
    let url = base.join(next).map_err(|err| Error::InvalidRequest(format!("the next page's URL `{next}` is not a URL: {err}")))?;
    if url.origin() != base.origin() {
        return Err(Error::InvalidRequest(format!(
            "the next page's URL `{url}` is on another origin than the page before (`{}`); it is not followed, so the credentials stay with the API",
            base.origin().ascii_serialization()
        )));
    }
    Ok(url.into())
}
