//! What the generator promises for any input, checked on each fuzzed spec; shared by the
//! proptest harness (`tests/tests/fuzz.rs`) and the cargo-fuzz targets (`fuzz/fuzz_targets/`).
//!
//! - No panic, and no internal error ([`sdkgen::Severity::Bug`]): a panic caught inside the
//!   generator, or emitted code that does not parse, fails the check like a crash would.
//! - A failure carries an error.
//! - A generated crate is whole, in ways the generator does not check itself: every file it
//!   prints (header and `prettyplease` included) parses; every `mod` has its file and every file
//!   a `mod`; every `crate::...` path names an item that is there; no module defines a type
//!   name twice, no struct a field twice, no enum a variant twice, no type a method twice;
//!   `Cargo.toml` is TOML naming the crate.
//! - The same input gives the same bytes a second time.
//! - The diagnostics render.

use std::collections::{BTreeMap, BTreeSet};

use syn::visit::Visit;

/// The crate name the fuzzed crates get.
pub const CRATE_NAME: &str = "fuzzed";

/// Generates from `text` and checks what the generator promises (see the module comment);
/// panics on a broken promise. Returns the files when a crate was generated.
pub fn check_files(name: &str, text: &str) -> Option<Vec<sdkgen::GeneratedFile>> {
    let options = sdkgen::Options {
        crate_name: CRATE_NAME.to_owned(),
        command: "fuzz".to_owned(),
        standalone: true,
    };
    match sdkgen::generate_from_str(name, text, &options) {
        Ok(generated) => {
            let report = generated.report(false);
            assert!(
                generated
                    .warnings
                    .iter()
                    .all(|d| d.severity == sdkgen::Severity::Warning),
                "a generated crate with an error:\n{report}\n--- spec ---\n{text}"
            );
            if let Err(problem) = crate_is_whole(&generated.files) {
                panic!("{problem}\n--- spec ---\n{text}");
            }
            let again = sdkgen::generate_from_str(name, text, &options)
                .map(|g| g.files)
                .unwrap_or_default();
            assert!(
                again == generated.files,
                "the same spec gave other bytes the second time\n--- spec ---\n{text}"
            );
            Some(generated.files)
        }
        Err(failure) => {
            let report = failure.report(false);
            assert!(
                !failure.is_internal_error(),
                "an internal error (a bug in the generator):\n{report}\n--- spec ---\n{text}"
            );
            assert!(
                failure
                    .diagnostics
                    .iter()
                    .any(|d| d.severity == sdkgen::Severity::Error),
                "a failure without an error:\n{report}"
            );
            None
        }
    }
}

/// [`check_files`], saying only whether a crate was generated.
pub fn check(name: &str, text: &str) -> bool {
    check_files(name, text).is_some()
}

/// The items a module defines, by namespace, and the modules it re-exports whole.
#[derive(Default)]
struct Module {
    /// Types, traits and modules (the type namespace), and names brought in by `use`.
    types: BTreeSet<String>,
    /// Functions, constants and statics.
    values: BTreeSet<String>,
    /// Child modules declared here, by name.
    children: BTreeSet<String>,
    /// `pub use m::*`: every item of `m` is reachable here too.
    globs: Vec<String>,
}

/// Where a generated crate is not whole (see the module comment), or `Ok`.
pub fn crate_is_whole(files: &[sdkgen::GeneratedFile]) -> Result<(), String> {
    let mut parsed = BTreeMap::new();
    for file in files {
        if file.path == "Cargo.toml" {
            manifest_names_the_crate(&file.contents)?;
        }
        if let Some(module) = file
            .path
            .strip_prefix("src/")
            .and_then(|p| p.strip_suffix(".rs"))
        {
            let syntax = syn::parse_file(&file.contents)
                .map_err(|err| format!("{} does not parse as printed: {err}", file.path))?;
            let name = if module == "lib" { "crate" } else { module };
            parsed.insert(name.to_owned(), syntax);
        }
    }
    if !parsed.contains_key("crate") {
        return Err("no src/lib.rs".to_owned());
    }
    let mut modules = BTreeMap::new();
    for (name, syntax) in &parsed {
        modules.insert(name.clone(), module_of(name, syntax)?);
    }
    // Each `mod m;` has its file (`src/m.rs`, or `src/parent/m.rs` in module `parent`), and
    // each file its `mod`.
    let declared: BTreeSet<String> = modules
        .iter()
        .flat_map(|(name, module)| module.children.iter().map(move |c| child(name, c)))
        .collect();
    let files: BTreeSet<String> = parsed.keys().filter(|n| *n != "crate").cloned().collect();
    if declared != files {
        return Err(format!(
            "the modules declared ({declared:?}) are not the files written ({files:?})"
        ));
    }
    for (name, syntax) in &parsed {
        let mut paths = CratePaths::default();
        paths.visit_file(syntax);
        for path in paths.found {
            resolves(&modules, &path)
                .map_err(|why| format!("src/{name}.rs: `{}`: {why}", path.join("::")))?;
        }
    }
    Ok(())
}

fn manifest_names_the_crate(text: &str) -> Result<(), String> {
    let manifest: toml::Table =
        toml::from_str(text).map_err(|err| format!("Cargo.toml is not TOML: {err}"))?;
    let name = manifest
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str());
    if name != Some(CRATE_NAME) {
        return Err(format!("Cargo.toml names the package {name:?}"));
    }
    Ok(())
}

/// The items of one module, with the duplicates rustc would refuse.
fn module_of(name: &str, file: &syn::File) -> Result<Module, String> {
    let mut module = Module::default();
    let mut methods: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let add = |set: &mut BTreeSet<String>, ident: &syn::Ident| {
        let ident = ident.to_string();
        let ident = ident.strip_prefix("r#").unwrap_or(&ident).to_owned();
        if set.insert(ident.clone()) {
            Ok(())
        } else {
            Err(format!("src/{name}.rs defines `{ident}` twice"))
        }
    };
    for item in &file.items {
        match item {
            syn::Item::Struct(s) => {
                add(&mut module.types, &s.ident)?;
                distinct(
                    &format!("struct {}", s.ident),
                    s.fields.iter().filter_map(|f| f.ident.as_ref()),
                )?;
            }
            syn::Item::Enum(e) => {
                add(&mut module.types, &e.ident)?;
                distinct(
                    &format!("enum {}", e.ident),
                    e.variants.iter().map(|v| &v.ident),
                )?;
            }
            syn::Item::Type(t) => add(&mut module.types, &t.ident)?,
            syn::Item::Trait(t) => add(&mut module.types, &t.ident)?,
            syn::Item::Union(u) => add(&mut module.types, &u.ident)?,
            syn::Item::Mod(m) => {
                add(&mut module.types, &m.ident)?;
                if m.content.is_none() {
                    module.children.insert(m.ident.to_string());
                }
            }
            syn::Item::Fn(f) => add(&mut module.values, &f.sig.ident)?,
            syn::Item::Const(c) => add(&mut module.values, &c.ident)?,
            syn::Item::Static(s) => add(&mut module.values, &s.ident)?,
            syn::Item::Macro(m) => {
                if let Some(ident) = &m.ident {
                    module.values.insert(ident.to_string());
                }
            }
            syn::Item::Use(u) => uses(&u.tree, &mut Vec::new(), &mut module),
            syn::Item::Impl(i) if i.trait_.is_none() => {
                if let syn::Type::Path(p) = &*i.self_ty {
                    let ty = p
                        .path
                        .segments
                        .last()
                        .map(|s| s.ident.to_string())
                        .unwrap_or_default();
                    let set = methods.entry(ty.clone()).or_default();
                    for item in &i.items {
                        let ident = match item {
                            syn::ImplItem::Fn(f) => &f.sig.ident,
                            syn::ImplItem::Const(c) => &c.ident,
                            _ => continue,
                        };
                        if !set.insert(ident.to_string()) {
                            return Err(format!("src/{name}.rs: `{ty}` has `{ident}` twice"));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(module)
}

fn distinct<'a>(what: &str, idents: impl Iterator<Item = &'a syn::Ident>) -> Result<(), String> {
    let mut seen = BTreeSet::new();
    for ident in idents {
        if !seen.insert(ident.to_string()) {
            return Err(format!("{what} has `{ident}` twice"));
        }
    }
    Ok(())
}

/// The names a `use` brings into a module (`pub use m::*` as a glob).
fn uses(tree: &syn::UseTree, prefix: &mut Vec<String>, module: &mut Module) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            uses(&p.tree, prefix, module);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            module.types.insert(n.ident.to_string());
            module.values.insert(n.ident.to_string());
        }
        syn::UseTree::Rename(r) => {
            module.types.insert(r.rename.to_string());
            module.values.insert(r.rename.to_string());
        }
        syn::UseTree::Glob(_) => {
            if let Some(last) = prefix.last() {
                module.globs.push(last.clone());
            }
        }
        syn::UseTree::Group(g) => {
            for tree in &g.items {
                uses(tree, prefix, module);
            }
        }
    }
}

/// Every path that starts with `crate`, as its segments after it.
#[derive(Default)]
struct CratePaths {
    found: Vec<Vec<String>>,
}

impl<'ast> Visit<'ast> for CratePaths {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if segments.first().is_some_and(|s| s == "crate") && segments.len() > 1 {
            self.found.push(segments[1..].to_vec());
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        let mut prefix = Vec::new();
        use_paths(&item.tree, &mut prefix, &mut self.found);
    }
}

/// The paths a `use crate::...` names.
fn use_paths(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            use_paths(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            if prefix.first().is_some_and(|s| s == "crate") && n.ident != "self" {
                let mut path = prefix[1..].to_vec();
                path.push(n.ident.to_string());
                out.push(path);
            }
        }
        syn::UseTree::Rename(r) => {
            if prefix.first().is_some_and(|s| s == "crate") {
                let mut path = prefix[1..].to_vec();
                path.push(r.ident.to_string());
                out.push(path);
            }
        }
        syn::UseTree::Glob(_) => {}
        syn::UseTree::Group(g) => {
            for tree in &g.items {
                use_paths(tree, prefix, out);
            }
        }
    }
}

/// Whether `crate::<path>` names something: modules are followed, and the path stops being
/// checked at the first item that is not a module (a type's associated items are its own).
/// The key of module `name`'s child `child`: its file's path under `src/`, without `.rs`.
fn child(name: &str, child: &str) -> String {
    if name == "crate" {
        child.to_owned()
    } else {
        format!("{name}/{child}")
    }
}

fn resolves(modules: &BTreeMap<String, Module>, path: &[String]) -> Result<(), String> {
    let mut current = "crate".to_owned();
    for segment in path {
        let segment = segment.strip_prefix("r#").unwrap_or(segment);
        let module = &modules[&current];
        if module.children.contains(segment) {
            current = child(&current, segment);
            continue;
        }
        let here = |m: &Module| m.types.contains(segment) || m.values.contains(segment);
        let through_glob = module.globs.iter().filter_map(|g| modules.get(g)).any(here);
        return if here(module) || through_glob {
            Ok(())
        } else {
            Err(format!("no `{segment}` in `{current}`"))
        };
    }
    Ok(())
}
