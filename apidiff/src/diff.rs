//! Compares two public APIs and says, per change, whether it breaks the crate's users.
//!
//! Levels follow oasdiff's: ERR breaks users (the major version goes up), WARN may break
//! some, INFO does not. The rules:
//! - Operations (the `Client` methods that return a request builder): added INFO, removed
//!   ERR. Their required values are the method's arguments, which are positional: one added,
//!   removed, retyped or moved breaks; one only renamed does not (INFO). Their optional values
//!   are the builder's setters: one added is INFO, one removed or retyped breaks. A value
//!   moving from one kind to the other breaks. `impl Into<T>` is compared as `T`.
//! - What `send` returns: its success type or its error type changed breaks. The builder's
//!   other methods (per-request options, ...) and its traits: added INFO, removed or changed
//!   ERR; a change all builders share is reported once, for `requests::*`.
//! - A type is a request type when an operation's arguments or setters reach it, a response
//!   type when what `send` returns reaches it (through `Result`, `Response`, `Error` and the
//!   success and error enums), both when both. One that none reaches is public all the same
//!   (users may build it and read it) and is judged as both.
//! - A field added to a request type breaks when it is required (not `Option`), not when it
//!   is optional; one added to a response-only type does not. A field removed or retyped
//!   breaks.
//! - A variant added: WARN in a response enum (a `match` without `_` needs a new arm), INFO
//!   in a request-only enum or a `#[non_exhaustive]` one. Removed or its payload changed: ERR.
//! - A type added: INFO; removed, or of another kind or aliased type: ERR. A trait it no
//!   longer implements (derived or not): ERR; a new one: INFO.
//! - Other public methods (`Client::new`, ...): added INFO, removed or their signature
//!   changed ERR, their parameters only renamed INFO.

use crate::extract::{Api, Method, Operation, Shape, TypeDef, mentioned, reachable};
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
    /// `NewPet.owner`, `PetKind::Bird`, `Client::list_pets`.
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
    operations(&mut out, old, new);
    methods(&mut out, old, new);
    types(&mut out, old, new, &roles);
    let derived: Vec<bool> = out.iter().map(|c| follows_from_another(c, &out)).collect();
    let mut derived = derived.into_iter();
    out.retain(|_| !derived.next().unwrap_or(false));
    out.sort_by(|a, b| {
        b.level
            .cmp(&a.level)
            .then_with(|| a.subject.cmp(&b.subject))
    });
    let bump = out.iter().map(|c| c.bump).max().unwrap_or(Bump::None);
    (out, bump)
}

/// A method change that another change already says, so it is not reported twice: a method
/// named like an operation on another type (the test support's `MockServer::list_pets`)
/// follows the operation (`Client::list_pets`), and a type's `new` and setters (`NewPet::size`,
/// `NewPet::with_clone`) follow its fields (`NewPet.size`).
fn follows_from_another(change: &Change, all: &[Change]) -> bool {
    if !change.id.starts_with("method-") {
        return false;
    }
    let Some((owner, method)) = change.subject.rsplit_once("::") else {
        return false;
    };
    let operation = format!("Client::{method}");
    let field = format!("{owner}.");
    all.iter().any(|other| {
        !other.id.starts_with("method-")
            && (other.subject == operation
                || other.subject.starts_with(&field)
                    && (method == "new"
                        || other.subject[field.len()..] == *method
                        || method.strip_prefix("with_") == Some(&other.subject[field.len()..])))
    })
}

/// Which types requests use and which responses use.
#[derive(Default)]
struct Roles {
    request: BTreeSet<String>,
    response: BTreeSet<String>,
}

impl Roles {
    fn of(api: &Api) -> Roles {
        let values = api.operations.values().flat_map(|op| {
            op.required
                .iter()
                .map(|(_, ty)| ty)
                .chain(op.optional.values())
                .flat_map(|ty| mentioned(ty))
        });
        let outputs = api
            .operations
            .values()
            .filter_map(|op| op.methods.get("send"))
            .flat_map(|send| mentioned(&send.output));
        Roles {
            request: reachable(api, values.collect::<Vec<_>>()),
            response: reachable(api, outputs.collect::<Vec<_>>()),
        }
    }

    fn union(mut self, other: Roles) -> Roles {
        self.request.extend(other.request);
        self.response.extend(other.response);
        self
    }

    fn of_type(&self, name: &str) -> Role {
        match (self.request.contains(name), self.response.contains(name)) {
            (true, true) => Role::Both,
            (true, false) => Role::Request,
            (false, true) => Role::Response,
            (false, false) => Role::Unused,
        }
    }
}

/// How operations use a type.
#[derive(Clone, Copy, PartialEq)]
enum Role {
    Request,
    Response,
    Both,
    /// No operation reaches it: judged as both, since users may build and read it.
    Unused,
}

impl Role {
    fn request(self) -> bool {
        self != Role::Response
    }

    fn response(self) -> bool {
        self != Role::Request
    }

    fn word(self) -> &'static str {
        match self {
            Role::Request => "request",
            Role::Response => "response",
            Role::Both => "request and response",
            Role::Unused => "public",
        }
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

fn signature(name: &str, method: &Method) -> String {
    let mut params: Vec<String> = method.receiver.iter().cloned().collect();
    params.extend(
        method
            .params
            .iter()
            .map(|(name, ty)| format!("{name}: {ty}")),
    );
    format!(
        "{}fn {name}({}) -> {}",
        if method.is_async { "async " } else { "" },
        params.join(", "),
        method.output
    )
}

/// How users call an operation: `list_pets(id: String) [.limit(i64)] .send() -> ...`.
fn call(name: &str, op: &Operation) -> String {
    let required: Vec<String> = op
        .required
        .iter()
        .map(|(name, ty)| format!("{name}: {ty}"))
        .collect();
    let mut out = format!("{name}({})", required.join(", "));
    for (setter, ty) in &op.optional {
        out.push_str(&format!(" [.{setter}({ty})]"));
    }
    if let Some(send) = op.methods.get("send") {
        out.push_str(&format!(" .send() -> {}", send.output));
    }
    out
}

fn operations(out: &mut Vec<Change>, old: &Api, new: &Api) {
    for (name, op) in &new.operations {
        if !old.operations.contains_key(name) {
            out.push(change(
                Level::Info,
                "operation-added",
                format!("Client::{name}"),
                "operation added".to_owned(),
                None,
                Some(call(name, op)),
            ));
        }
    }
    // Changes to the builders' own methods and traits, which may be the same for all.
    let mut builders = Vec::new();
    let mut common = 0;
    for (name, before) in &old.operations {
        let subject = format!("Client::{name}");
        let Some(after) = new.operations.get(name) else {
            out.push(change(
                Level::Err,
                "operation-removed",
                subject,
                "operation removed".to_owned(),
                Some(call(name, before)),
                None,
            ));
            continue;
        };
        common += 1;
        required(out, &subject, before, after);
        optional(out, &subject, before, after);
        outcome(out, &subject, before, after);
        if before.builder != after.builder {
            out.push(change(
                Level::Err,
                "request-builder-renamed",
                subject.clone(),
                "request builder type renamed".to_owned(),
                Some(before.builder.clone()),
                Some(after.builder.clone()),
            ));
        }
        builder(&mut builders, &subject, before, after);
    }
    // A change every builder shares (a per-request option added by the generator) is one.
    let mut groups: Vec<Vec<Change>> = Vec::new();
    for change in builders {
        let same = |c: &Change| {
            (c.id, &c.text, &c.old, &c.new) == (change.id, &change.text, &change.old, &change.new)
        };
        match groups.iter_mut().find(|g| g.first().is_some_and(same)) {
            Some(group) => group.push(change),
            None => groups.push(vec![change]),
        }
    }
    for mut group in groups {
        let shared = common > 1 && group.len() == common;
        match group.first_mut() {
            Some(first) if shared => {
                first.subject = "requests::*".to_owned();
                first.text.push_str(" (every request builder)");
                group.truncate(1);
                out.append(&mut group);
            }
            _ => out.append(&mut group),
        }
    }
}

/// The `Client` method's arguments: positional.
fn required(out: &mut Vec<Change>, subject: &str, before: &Operation, after: &Operation) {
    let types = |op: &Operation| {
        op.required
            .iter()
            .map(|(_, t)| t.clone())
            .collect::<Vec<_>>()
    };
    if types(before) == types(after) {
        for ((old, ty), (new, _)) in before.required.iter().zip(&after.required) {
            if old != new {
                out.push(change(
                    Level::Info,
                    "parameter-renamed",
                    subject.to_owned(),
                    format!(
                        "required parameter `{old}` renamed `{new}` (arguments are positional: \
                         callers need no change)"
                    ),
                    Some(format!("{old}: {ty}")),
                    Some(format!("{new}: {ty}")),
                ));
            }
        }
        return;
    }
    let old_params: BTreeMap<&String, &String> =
        before.required.iter().map(|(n, t)| (n, t)).collect();
    let new_params: BTreeMap<&String, &String> =
        after.required.iter().map(|(n, t)| (n, t)).collect();
    for (param, ty) in &after.required {
        if old_params.contains_key(param) {
            continue;
        }
        let (id, text, was) = match before.optional.get(param) {
            Some(was) => (
                "parameter-became-required",
                format!(
                    "optional parameter `{param}` became required (an argument now, no longer a setter)"
                ),
                Some(format!("{param}: {was}")),
            ),
            None => (
                "required-parameter-added",
                format!("required parameter `{param}` added"),
                None,
            ),
        };
        out.push(change(
            Level::Err,
            id,
            subject.to_owned(),
            text,
            was,
            Some(format!("{param}: {ty}")),
        ));
    }
    for (param, ty) in &before.required {
        match new_params.get(param) {
            None => {
                let (id, text, now) = match after.optional.get(param) {
                    Some(now) => (
                        "parameter-became-optional",
                        format!(
                            "required parameter `{param}` became optional (a setter now, no longer an argument)"
                        ),
                        Some(format!("{param}: {now}")),
                    ),
                    None => (
                        "required-parameter-removed",
                        format!("required parameter `{param}` removed"),
                        None,
                    ),
                };
                out.push(change(
                    Level::Err,
                    id,
                    subject.to_owned(),
                    text,
                    Some(format!("{param}: {ty}")),
                    now,
                ));
            }
            Some(new_ty) if *new_ty != ty => out.push(change(
                Level::Err,
                "parameter-type-changed",
                subject.to_owned(),
                format!("required parameter `{param}` changed type"),
                Some(ty.clone()),
                Some((*new_ty).clone()),
            )),
            Some(_) => {}
        }
    }
    let order = |op: &Operation, other: &BTreeMap<&String, &String>| {
        op.required
            .iter()
            .filter(|(n, _)| other.contains_key(n))
            .map(|(n, t)| format!("{n}: {t}"))
            .collect::<Vec<_>>()
    };
    let (old_order, new_order) = (order(before, &new_params), order(after, &old_params));
    let names = |order: &[String]| {
        order
            .iter()
            .map(|p| p.split(':').next().map(str::to_owned))
            .collect::<Vec<_>>()
    };
    if names(&old_order) != names(&new_order) {
        out.push(change(
            Level::Err,
            "parameters-reordered",
            subject.to_owned(),
            "required parameters reordered".to_owned(),
            Some(old_order.join(", ")),
            Some(new_order.join(", ")),
        ));
    }
}

/// The builder's setters: named, so adding one breaks no caller.
fn optional(out: &mut Vec<Change>, subject: &str, before: &Operation, after: &Operation) {
    let required = |op: &Operation, name: &String| op.required.iter().any(|(n, _)| n == name);
    for (param, ty) in &after.optional {
        if !before.optional.contains_key(param) && !required(before, param) {
            out.push(change(
                Level::Info,
                "optional-parameter-added",
                subject.to_owned(),
                format!("optional parameter `{param}` added (a new setter)"),
                None,
                Some(format!("{param}: {ty}")),
            ));
        }
    }
    for (param, ty) in &before.optional {
        match after.optional.get(param) {
            None if !required(after, param) => out.push(change(
                Level::Err,
                "optional-parameter-removed",
                subject.to_owned(),
                format!("optional parameter `{param}` removed (its setter is gone)"),
                Some(format!("{param}: {ty}")),
                None,
            )),
            Some(new_ty) if new_ty != ty => out.push(change(
                Level::Err,
                "parameter-type-changed",
                subject.to_owned(),
                format!("optional parameter `{param}` changed type"),
                Some(ty.clone()),
                Some(new_ty.clone()),
            )),
            _ => {}
        }
    }
}

/// What `send` returns: the success type and the error type.
fn outcome(out: &mut Vec<Change>, subject: &str, before: &Operation, after: &Operation) {
    match (before.outcome(), after.outcome()) {
        (Some((old_ok, old_err)), Some((new_ok, new_err))) => {
            if old_ok != new_ok {
                out.push(change(
                    Level::Err,
                    "response-type-changed",
                    subject.to_owned(),
                    "success type changed".to_owned(),
                    Some(old_ok.to_owned()),
                    Some(new_ok.to_owned()),
                ));
            }
            if old_err != new_err {
                out.push(change(
                    Level::Err,
                    "error-type-changed",
                    subject.to_owned(),
                    "error type changed".to_owned(),
                    Some(old_err.to_owned()),
                    Some(new_err.to_owned()),
                ));
            }
        }
        _ => {
            let output = |op: &Operation| op.methods.get("send").map(|m| m.output.clone());
            if let (Some(old), Some(new)) = (output(before), output(after))
                && old != new
            {
                out.push(change(
                    Level::Err,
                    "return-type-changed",
                    subject.to_owned(),
                    "what `send` returns changed".to_owned(),
                    Some(old),
                    Some(new),
                ));
            }
        }
    }
}

/// The builder's methods other than setters, and its traits.
fn builder(out: &mut Vec<Change>, subject: &str, before: &Operation, after: &Operation) {
    for (name, method) in &after.methods {
        if !before.methods.contains_key(name) {
            out.push(change(
                Level::Info,
                "request-method-added",
                subject.to_owned(),
                format!("request builder method `{name}` added"),
                None,
                Some(signature(name, method)),
            ));
        }
    }
    for (name, old) in &before.methods {
        let Some(new) = after.methods.get(name) else {
            out.push(change(
                Level::Err,
                "request-method-removed",
                subject.to_owned(),
                format!("request builder method `{name}` removed"),
                Some(signature(name, old)),
                None,
            ));
            continue;
        };
        // What `send` returns is compared as the success and error types.
        let same_output = name == "send" || old.output == new.output;
        if (&old.receiver, old.is_async, &old.params) != (&new.receiver, new.is_async, &new.params)
            || !same_output
        {
            out.push(change(
                Level::Err,
                "request-method-changed",
                subject.to_owned(),
                format!("request builder method `{name}` changed"),
                Some(signature(name, old)),
                Some(signature(name, new)),
            ));
        }
    }
    traits(
        out,
        subject,
        "request builder",
        &before.traits,
        &after.traits,
    );
}

fn traits(
    out: &mut Vec<Change>,
    subject: &str,
    what: &str,
    before: &BTreeSet<String>,
    after: &BTreeSet<String>,
) {
    for name in after.difference(before) {
        out.push(change(
            Level::Info,
            "trait-added",
            subject.to_owned(),
            format!("{what} now implements `{name}`"),
            None,
            None,
        ));
    }
    for name in before.difference(after) {
        out.push(change(
            Level::Err,
            "trait-removed",
            subject.to_owned(),
            format!("{what} no longer implements `{name}`"),
            None,
            None,
        ));
    }
}

/// The public methods of public types, other than operations.
fn methods(out: &mut Vec<Change>, old: &Api, new: &Api) {
    let owner = |method: &str| {
        method
            .rsplit_once("::")
            .map_or(method, |(owner, _)| owner)
            .to_owned()
    };
    let short = |method: &str| {
        method
            .rsplit_once("::")
            .map_or(method, |(_, m)| m)
            .to_owned()
    };
    // The methods of a type added or removed go with it.
    for (name, method) in &new.methods {
        if !old.methods.contains_key(name) && old.types.contains_key(&owner(name)) {
            out.push(change(
                Level::Info,
                "method-added",
                name.clone(),
                "method added".to_owned(),
                None,
                Some(signature(&short(name), method)),
            ));
        }
    }
    for (name, before) in &old.methods {
        let Some(after) = new.methods.get(name) else {
            if new.types.contains_key(&owner(name)) {
                out.push(change(
                    Level::Err,
                    "method-removed",
                    name.clone(),
                    "method removed".to_owned(),
                    Some(signature(&short(name), before)),
                    None,
                ));
            }
            continue;
        };
        if before == after {
            continue;
        }
        let types = |m: &Method| m.params.iter().map(|(_, t)| t.clone()).collect::<Vec<_>>();
        let only_renamed = types(before) == types(after)
            && (&before.receiver, before.is_async, &before.output)
                == (&after.receiver, after.is_async, &after.output);
        let (level, id, text) = if only_renamed {
            (
                Level::Info,
                "method-parameters-renamed",
                "parameters renamed",
            )
        } else {
            (Level::Err, "method-signature-changed", "signature changed")
        };
        out.push(change(
            level,
            id,
            name.clone(),
            text.to_owned(),
            Some(signature(&short(name), before)),
            Some(signature(&short(name), after)),
        ));
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
        let role = roles.of_type(name);
        let type_change = |text: String, old: String, new: String| {
            change(
                Level::Err,
                "type-changed",
                name.clone(),
                text,
                Some(old),
                Some(new),
            )
        };
        match (&before.shape, &after.shape) {
            (Shape::Struct(old_fields), Shape::Struct(new_fields)) => {
                let has_new = new.methods.contains_key(&format!("{name}::new"));
                let owner = Owner {
                    name,
                    def: after,
                    role,
                    has_new,
                };
                fields(out, &owner, old_fields, new_fields);
            }
            (Shape::Enum(old_variants), Shape::Enum(new_variants)) => {
                variants(out, name, after, role, old_variants, new_variants);
            }
            (Shape::Tuple(a), Shape::Tuple(b)) if a != b => {
                out.push(type_change(
                    "fields changed".to_owned(),
                    a.join(", "),
                    b.join(", "),
                ));
            }
            (Shape::Alias(a), Shape::Alias(b)) if a != b => {
                out.push(type_change(
                    "alias changed".to_owned(),
                    a.clone(),
                    b.clone(),
                ));
            }
            _ if before.kind() != after.kind() => {
                out.push(change(
                    Level::Err,
                    "type-kind-changed",
                    name.clone(),
                    format!("{} became a {}", before.kind(), after.kind()),
                    None,
                    None,
                ));
            }
            _ => {}
        }
        match (before.non_exhaustive, after.non_exhaustive) {
            (false, true) => out.push(change(
                Level::Err,
                "type-became-non-exhaustive",
                name.clone(),
                "became `#[non_exhaustive]` (no struct literals, no exhaustive `match`)".to_owned(),
                None,
                None,
            )),
            (true, false) => out.push(change(
                Level::Info,
                "type-became-exhaustive",
                name.clone(),
                "no longer `#[non_exhaustive]`".to_owned(),
                None,
                None,
            )),
            _ => {}
        }
        traits(out, name, before.kind(), &before.traits, &after.traits);
    }
}

/// A struct whose fields changed, as it is now.
struct Owner<'a> {
    name: &'a str,
    def: &'a TypeDef,
    role: Role,
    /// It has a `new` constructor.
    has_new: bool,
}

impl Owner<'_> {
    /// What a field added asks of the code that builds the struct.
    fn construction(&self, field: &str, optional: bool) -> String {
        let Owner {
            name, def, has_new, ..
        } = self;
        let literal = !def.non_exhaustive;
        let mut notes = Vec::new();
        match (optional, has_new) {
            (true, true) => notes.push(format!("`{name}::new` is unchanged")),
            (false, true) => notes.push(format!("`{name}::new` must be given it")),
            _ => {}
        }
        match (optional, literal, def.traits.contains("Default")) {
            (_, false, _) => {}
            (true, true, true) => notes.push(format!(
                "struct literals must name it, as `{field}: None`, unless they end in \
                 `..Default::default()`"
            )),
            (true, true, false) => {
                notes.push(format!("struct literals must name it, as `{field}: None`"))
            }
            (false, true, _) => notes.push("struct literals must give it".to_owned()),
        }
        if notes.is_empty() {
            String::new()
        } else {
            format!(" ({})", notes.join("; "))
        }
    }
}

fn fields(
    out: &mut Vec<Change>,
    owner: &Owner,
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
) {
    let (role, word) = (owner.role, owner.role.word());
    for (field, ty) in new {
        if old.contains_key(field) {
            continue;
        }
        let optional = ty.starts_with("Option<");
        let subject = format!("{}.{field}", owner.name);
        let (level, id, text) = match (role.request(), optional) {
            (true, false) => (
                Level::Err,
                "request-required-field-added",
                format!(
                    "required field added to a {word} type{}",
                    owner.construction(field, false)
                ),
            ),
            (true, true) => (
                Level::Info,
                "request-optional-field-added",
                format!(
                    "optional field added to a {word} type{}",
                    owner.construction(field, true)
                ),
            ),
            (false, _) => (
                Level::Info,
                "response-field-added",
                format!("field added to a {word} type"),
            ),
        };
        out.push(change(level, id, subject, text, None, Some(ty.clone())));
    }
    for (field, ty) in old {
        let subject = format!("{}.{field}", owner.name);
        match new.get(field) {
            None => {
                let id = if role.response() {
                    "response-field-removed"
                } else {
                    "request-field-removed"
                };
                out.push(change(
                    Level::Err,
                    id,
                    subject,
                    format!("field removed from a {word} type"),
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
                    format!("{text} in a {word} type"),
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
    def: &TypeDef,
    role: Role,
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
) {
    let word = role.word();
    for (variant, payload) in new {
        if old.contains_key(variant) {
            continue;
        }
        let subject = format!("{owner}::{variant}");
        let (level, id, text) = match (role.response(), def.non_exhaustive) {
            (true, false) => (
                Level::Warn,
                "response-variant-added",
                format!("variant added to a {word} enum (a `match` without `_` needs a new arm)"),
            ),
            (true, true) => (
                Level::Info,
                "response-variant-added",
                format!("variant added to a `#[non_exhaustive]` {word} enum"),
            ),
            (false, _) => (
                Level::Info,
                "request-variant-added",
                format!("variant added to a {word} enum"),
            ),
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
                format!("variant removed from a {word} enum"),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A crate with operations `a` and `b` (builders `A`, `B`, each with the extra builder
    /// items `a_extra` / `b_extra`), whose `send` returns `Out`, and `types`.
    fn api(a_args: &str, a_extra: &str, b_extra: &str, types: &str) -> Api {
        let builder = |name: &str, extra: &str| {
            format!(
                "pub struct {name}<'a> {{ client: &'a crate::Client, limit: Option<i64> }}
                 impl<'a> {name}<'a> {{
                     pub fn limit(mut self, limit: impl Into<i64>) -> Self {{ self }}
                     pub fn timeout(mut self, timeout: Duration) -> Self {{ self }}
                     pub async fn send(self) -> Result<crate::Response<Out>, crate::Error<()>> {{ todo!() }}
                     {extra}
                 }}"
            )
        };
        let files = [
            (
                "src/lib.rs".to_owned(),
                "mod client; pub mod requests; pub mod types; pub use client::*;".to_owned(),
            ),
            (
                "src/client.rs".to_owned(),
                format!(
                    "pub struct Client;
                     impl Client {{
                         pub fn a(&self, {a_args}) -> crate::requests::A<'_> {{ todo!() }}
                         pub fn b(&self) -> crate::requests::B<'_> {{ todo!() }}
                     }}"
                ),
            ),
            (
                "src/requests.rs".to_owned(),
                builder("A", a_extra) + &builder("B", b_extra),
            ),
            ("src/types.rs".to_owned(), types.to_owned()),
        ];
        crate::extract::extract(&files).unwrap()
    }

    const TYPES: &str = "#[derive(Clone, PartialEq, Eq)] pub struct Out { pub id: i64 }
                         pub enum Kind { Cat }
                         #[non_exhaustive] pub enum Status { Done }
                         pub struct Unused { pub id: i64 }
                         pub struct Error; pub struct Response;";

    fn verdicts(changes: &[Change]) -> Vec<(Level, &str, &str)> {
        changes
            .iter()
            .map(|c| (c.level, c.id, c.subject.as_str()))
            .collect()
    }

    #[test]
    fn a_builder_method_every_builder_gains_is_one_change() {
        let old = api("x: impl Into<i64>", "", "", TYPES);
        let pages = "pub fn pages(self) -> Pages { todo!() }";
        let (changes, bump) = diff(&old, &api("x: impl Into<i64>", pages, pages, TYPES));
        assert_eq!(
            verdicts(&changes),
            [(Level::Info, "request-method-added", "requests::*")]
        );
        assert_eq!(bump, Bump::Minor);
        let (changes, _) = diff(&old, &api("x: impl Into<i64>", pages, "", TYPES));
        assert_eq!(
            verdicts(&changes),
            [(Level::Info, "request-method-added", "Client::a")]
        );
    }

    #[test]
    fn a_per_request_option_removed_breaks() {
        let old = api(
            "",
            "pub fn retry(mut self, policy: RetryPolicy) -> Self { self }",
            "",
            TYPES,
        );
        let (changes, bump) = diff(&old, &api("", "", "", TYPES));
        assert_eq!(
            verdicts(&changes),
            [(Level::Err, "request-method-removed", "Client::a")]
        );
        assert_eq!(bump, Bump::Major);
    }

    #[test]
    fn required_parameters_are_positional() {
        let old = api("x: impl Into<i64>, y: impl Into<String>", "", "", TYPES);
        let swapped = api("y: impl Into<String>, x: impl Into<i64>", "", "", TYPES);
        let (changes, _) = diff(&old, &swapped);
        assert_eq!(
            verdicts(&changes),
            [(Level::Err, "parameters-reordered", "Client::a")]
        );
        // `impl Into<T>` and `T` take the same values.
        let (changes, _) = diff(&old, &api("x: i64, y: String", "", "", TYPES));
        assert_eq!(verdicts(&changes), []);
    }

    #[test]
    fn a_type_from_send_is_a_response_type() {
        let old = api("", "", "", TYPES);
        let new = api(
            "",
            "",
            "",
            &TYPES.replace("pub id: i64 }", "pub id: i64, pub name: String }"),
        );
        let (changes, _) = diff(&old, &new);
        assert_eq!(
            verdicts(&changes),
            [
                (Level::Err, "request-required-field-added", "Unused.name"),
                (Level::Info, "response-field-added", "Out.name"),
            ]
        );
        // No operation reaches `Unused`: users may build it, so it is judged as a request type.
        assert_eq!(
            changes[0].text,
            "required field added to a public type (struct literals must give it)"
        );
    }

    #[test]
    fn traits_and_non_exhaustive_enums() {
        let old = api("", "", "", TYPES);
        let new = api(
            "",
            "",
            "",
            &TYPES
                .replace(
                    "#[derive(Clone, PartialEq, Eq)]",
                    "#[derive(Clone, PartialEq)]",
                )
                .replace("{ Done }", "{ Done, Failed }")
                .replace("{ Cat }", "{ Cat, Dog }"),
        );
        let (changes, bump) = diff(&old, &new);
        assert_eq!(
            verdicts(&changes),
            [
                (Level::Err, "trait-removed", "Out"),
                // Neither is reached by an operation: judged as both, a variant added warns
                // unless the enum is `#[non_exhaustive]`.
                (Level::Warn, "response-variant-added", "Kind::Dog"),
                (Level::Info, "response-variant-added", "Status::Failed"),
            ]
        );
        assert_eq!(bump, Bump::Major);
    }
}
