//! Compares two public APIs and says, per change, whether it breaks the crate's users.
//!
//! Levels follow oasdiff's: ERR breaks users (the major version goes up), WARN may break
//! some (a new variant in an enum the crate returns breaks an exhaustive `match`), INFO does
//! not. Whether a type is a request type (reached from a method's parameters) or a response
//! type (reached from what a method returns) decides the verdict of a field or variant:
//! - a field added to a request type breaks when it is required (not `Option`), not when it
//!   is optional; one added to a response type does not;
//! - a field or variant removed, a type removed, any type changed: breaks;
//! - a variant added: WARN in a response enum, INFO in a request-only one;
//! - a method (operation) added: INFO; removed: breaks; its parameters added, removed or
//!   retyped, or its return type changed: breaks (arguments are positional); a parameter
//!   only renamed: INFO.

use crate::extract::{Api, Method, TypeDef, mentioned, reachable};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Level {
    #[serde(rename = "INFO")]
    Info,
    #[serde(rename = "WARN")]
    Warn,
    #[serde(rename = "ERR")]
    Err,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Err => "ERR",
            Level::Warn => "WARN",
            Level::Info => "INFO",
        }
    }
}

/// The semver bump a set of changes calls for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    pub level: Level,
    pub breaking: bool,
    /// What kind of change, in oasdiff's style: `request-required-field-added`.
    pub id: &'static str,
    /// `GetPostsRequest.limit`, `Client::get_posts`.
    pub subject: String,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
    #[serde(skip)]
    bump: Bump,
}

/// Every change from `old` to `new`, most severe first, and the bump they call for.
pub fn diff(old: &Api, new: &Api) -> (Vec<Change>, Bump) {
    let roles = Roles::of(old).union(Roles::of(new));
    let mut out = Vec::new();
    methods(&mut out, old, new);
    types(&mut out, old, new, &roles);
    out.sort_by(|a, b| {
        b.level
            .cmp(&a.level)
            .then_with(|| a.subject.cmp(&b.subject))
    });
    let bump = out.iter().map(|c| c.bump).max().unwrap_or(Bump::None);
    (out, bump)
}

/// Which types requests use and which responses use.
#[derive(Default)]
struct Roles {
    request: BTreeSet<String>,
    response: BTreeSet<String>,
}

impl Roles {
    fn of(api: &Api) -> Roles {
        let params = api
            .methods
            .values()
            .flat_map(|m| m.params.iter().flat_map(|(_, ty)| mentioned(ty)));
        let outputs = api.methods.values().flat_map(|m| mentioned(&m.output));
        Roles {
            request: reachable(api, params.collect::<Vec<_>>()),
            response: reachable(api, outputs.collect::<Vec<_>>()),
        }
    }

    fn union(mut self, other: Roles) -> Roles {
        self.request.extend(other.request);
        self.response.extend(other.response);
        self
    }
}

fn change(
    level: Level,
    id: &'static str,
    subject: String,
    text: String,
    old: Option<String>,
    new: Option<String>,
) -> Change {
    let bump = match level {
        Level::Err => Bump::Major,
        Level::Warn => Bump::Minor,
        Level::Info if id.ends_with("-added") => Bump::Minor,
        Level::Info => Bump::Patch,
    };
    Change {
        level,
        breaking: level == Level::Err,
        id,
        subject,
        text,
        old,
        new,
        bump,
    }
}

fn what(subject: &str) -> &'static str {
    if subject.starts_with("Client::") {
        "operation"
    } else {
        "method"
    }
}

fn signature(method: &Method) -> String {
    let params: Vec<String> = method
        .params
        .iter()
        .map(|(name, ty)| format!("{name}: {ty}"))
        .collect();
    format!(
        "{}fn({}) -> {}",
        if method.is_async { "async " } else { "" },
        params.join(", "),
        method.output
    )
}

/// The type a method belongs to: `Client` for `Client::get_posts`.
fn owner(method: &str) -> &str {
    method.rsplit_once("::").map_or(method, |(owner, _)| owner)
}

fn methods(out: &mut Vec<Change>, old: &Api, new: &Api) {
    // The methods of a type added or removed go with it.
    for (name, method) in &new.methods {
        if !old.methods.contains_key(name) && old.types.contains_key(owner(name)) {
            let kind = what(name);
            let id = if kind == "operation" {
                "operation-added"
            } else {
                "method-added"
            };
            out.push(change(
                Level::Info,
                id,
                name.clone(),
                format!("{kind} added"),
                None,
                Some(signature(method)),
            ));
        }
    }
    for (name, before) in &old.methods {
        let kind = what(name);
        let Some(after) = new.methods.get(name) else {
            if !new.types.contains_key(owner(name)) {
                continue;
            }
            let id = if kind == "operation" {
                "operation-removed"
            } else {
                "method-removed"
            };
            out.push(change(
                Level::Err,
                id,
                name.clone(),
                format!("{kind} removed"),
                Some(signature(before)),
                None,
            ));
            continue;
        };
        if before == after {
            continue;
        }
        let old_types: Vec<&String> = before.params.iter().map(|(_, t)| t).collect();
        let new_types: Vec<&String> = after.params.iter().map(|(_, t)| t).collect();
        let only_renamed = old_types == new_types
            && before.output == after.output
            && before.is_async == after.is_async;
        if only_renamed {
            out.push(change(
                Level::Info,
                "parameter-renamed",
                name.clone(),
                format!("{kind}'s parameters renamed"),
                Some(signature(before)),
                Some(signature(after)),
            ));
            continue;
        }
        let old_params: BTreeMap<&String, &String> =
            before.params.iter().map(|(n, t)| (n, t)).collect();
        let new_params: BTreeMap<&String, &String> =
            after.params.iter().map(|(n, t)| (n, t)).collect();
        for (param, ty) in &new_params {
            if !old_params.contains_key(param) {
                let (id, text) = if ty.starts_with("Option<") {
                    (
                        "optional-parameter-added",
                        format!(
                            "optional parameter `{param}` added (callers must now pass `None`)"
                        ),
                    )
                } else {
                    (
                        "required-parameter-added",
                        format!("required parameter `{param}` added"),
                    )
                };
                out.push(change(
                    Level::Err,
                    id,
                    name.clone(),
                    text,
                    None,
                    Some(format!("{param}: {ty}")),
                ));
            }
        }
        for (param, ty) in &old_params {
            match new_params.get(param) {
                None => out.push(change(
                    Level::Err,
                    "parameter-removed",
                    name.clone(),
                    format!("parameter `{param}` removed"),
                    Some(format!("{param}: {ty}")),
                    None,
                )),
                Some(new_ty) if new_ty != ty => out.push(change(
                    Level::Err,
                    "parameter-type-changed",
                    name.clone(),
                    format!("parameter `{param}` changed type"),
                    Some((*ty).clone()),
                    Some((*new_ty).clone()),
                )),
                Some(_) => {}
            }
        }
        let same_names = before.params.iter().map(|(n, _)| n).collect::<Vec<_>>()
            == after.params.iter().map(|(n, _)| n).collect::<Vec<_>>();
        if !same_names
            && old_params.keys().collect::<BTreeSet<_>>()
                == new_params.keys().collect::<BTreeSet<_>>()
        {
            out.push(change(
                Level::Err,
                "parameters-reordered",
                name.clone(),
                "parameters reordered".to_owned(),
                Some(signature(before)),
                Some(signature(after)),
            ));
        }
        if before.output != after.output {
            out.push(change(
                Level::Err,
                "return-type-changed",
                name.clone(),
                "return type changed".to_owned(),
                Some(before.output.clone()),
                Some(after.output.clone()),
            ));
        }
        if before.is_async != after.is_async {
            out.push(change(
                Level::Err,
                "asyncness-changed",
                name.clone(),
                "async changed".to_owned(),
                Some(signature(before)),
                Some(signature(after)),
            ));
        }
    }
}

fn role(roles: &Roles, name: &str) -> &'static str {
    match (roles.request.contains(name), roles.response.contains(name)) {
        (true, true) => "request and response",
        (true, false) => "request",
        (false, true) => "response",
        (false, false) => "other",
    }
}

fn types(out: &mut Vec<Change>, old: &Api, new: &Api, roles: &Roles) {
    for (name, def) in &new.types {
        if !old.types.contains_key(name) {
            out.push(change(
                Level::Info,
                "type-added",
                name.clone(),
                format!("{} added", def.kind()),
                None,
                None,
            ));
        }
    }
    for (name, before) in &old.types {
        let Some(after) = new.types.get(name) else {
            out.push(change(
                Level::Err,
                "type-removed",
                name.clone(),
                format!("{} removed", before.kind()),
                None,
                None,
            ));
            continue;
        };
        let role = role(roles, name);
        match (before, after) {
            (TypeDef::Struct(old_fields), TypeDef::Struct(new_fields)) => {
                fields(out, name, role, old_fields, new_fields);
            }
            (TypeDef::Enum(old_variants), TypeDef::Enum(new_variants)) => {
                variants(out, name, role, old_variants, new_variants);
            }
            (TypeDef::Tuple(a), TypeDef::Tuple(b)) if a != b => {
                out.push(change(
                    Level::Err,
                    "type-changed",
                    name.clone(),
                    "type changed".to_owned(),
                    Some(a.join(", ")),
                    Some(b.join(", ")),
                ));
            }
            (TypeDef::Alias(a), TypeDef::Alias(b)) if a != b => {
                out.push(change(
                    Level::Err,
                    "type-changed",
                    name.clone(),
                    "alias changed".to_owned(),
                    Some(a.clone()),
                    Some(b.clone()),
                ));
            }
            (a, b) if a.kind() != b.kind() => {
                out.push(change(
                    Level::Err,
                    "type-kind-changed",
                    name.clone(),
                    format!("{} became a {}", a.kind(), b.kind()),
                    None,
                    None,
                ));
            }
            _ => {}
        }
    }
}

fn fields(
    out: &mut Vec<Change>,
    owner: &str,
    role: &str,
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
) {
    let in_request = role.contains("request");
    for (field, ty) in new {
        if old.contains_key(field) {
            continue;
        }
        let optional = ty.starts_with("Option<");
        let subject = format!("{owner}.{field}");
        let (level, id, text) = match (in_request, optional) {
            (true, false) => (
                Level::Err,
                "request-required-field-added",
                format!("required field added to a {role} type"),
            ),
            (true, true) => (
                Level::Info,
                "request-optional-field-added",
                format!(
                    "optional field added to a {role} type (a struct literal must now name it)"
                ),
            ),
            (false, _) => (
                Level::Info,
                "response-field-added",
                format!("field added to a {role} type"),
            ),
        };
        out.push(change(level, id, subject, text, None, Some(ty.clone())));
    }
    for (field, ty) in old {
        let subject = format!("{owner}.{field}");
        match new.get(field) {
            None => {
                let id = if in_request {
                    "request-field-removed"
                } else {
                    "response-field-removed"
                };
                out.push(change(
                    Level::Err,
                    id,
                    subject,
                    format!("field removed from a {role} type"),
                    Some(ty.clone()),
                    None,
                ));
            }
            Some(new_ty) if new_ty != ty => {
                let text = match (ty.starts_with("Option<"), new_ty.starts_with("Option<")) {
                    (true, false) => "field became required",
                    (false, true) => "field became optional",
                    _ => "field changed type",
                };
                out.push(change(
                    Level::Err,
                    "field-type-changed",
                    subject,
                    format!("{text} in a {role} type"),
                    Some(ty.clone()),
                    Some(new_ty.clone()),
                ));
            }
            Some(_) => {}
        }
    }
}

fn variants(
    out: &mut Vec<Change>,
    owner: &str,
    role: &str,
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
) {
    for (variant, payload) in new {
        if old.contains_key(variant) {
            continue;
        }
        let subject = format!("{owner}::{variant}");
        let (level, id, text) = if role.contains("response") {
            (
                Level::Warn,
                "response-variant-added",
                format!("variant added to a {role} enum (a `match` without `_` needs a new arm)"),
            )
        } else {
            (
                Level::Info,
                "request-variant-added",
                format!("variant added to a {role} enum"),
            )
        };
        out.push(change(
            level,
            id,
            subject,
            text,
            None,
            Some(payload.clone()).filter(|p| !p.is_empty()),
        ));
    }
    for (variant, payload) in old {
        let subject = format!("{owner}::{variant}");
        match new.get(variant) {
            None => out.push(change(
                Level::Err,
                "variant-removed",
                subject,
                format!("variant removed from a {role} enum"),
                Some(payload.clone()).filter(|p| !p.is_empty()),
                None,
            )),
            Some(new_payload) if new_payload != payload => out.push(change(
                Level::Err,
                "variant-changed",
                subject,
                "variant's payload changed".to_owned(),
                Some(payload.clone()),
                Some(new_payload.clone()),
            )),
            Some(_) => {}
        }
    }
}
