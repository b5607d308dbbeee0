//! A deterministic builder of synthetic OpenAPI 3.0 documents with any number of
//! operations, shaped like real ones: shared schemas under `components/schemas` referred to
//! by `$ref`, inline request and response schemas, path, query and header parameters, a
//! single-value `Version` header enum, and one error schema shared by all operations.
//!
//! Operations come in pairs on one path: `GET /v1/resources{p}/{itemId}` (`get-resource-{p}`)
//! and `POST` on the same path (`create-resource-{p}`). Every operation has one success
//! response and one error response, so progenitor can read the document too.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

/// A synthetic document with `operations` operations (rounded up to an even number) and
/// one shared schema for every four operations.
pub fn synthetic(operations: usize) -> Value {
    let pairs = operations.div_ceil(2).max(1);
    let shared = (operations / 4).max(1);
    let mut paths = Map::new();
    for p in 0..pairs {
        paths.insert(format!("/v1/resources{p}/{{itemId}}"), path_item(p, shared));
    }
    let mut schemas = Map::new();
    schemas.insert(
        "ErrorDto".to_owned(),
        json!({
            "type": "object",
            "required": ["statusCode", "message"],
            "properties": {
                "statusCode": { "type": "integer", "example": 400 },
                "message": { "type": "string", "example": "Bad Request" },
                "details": { "type": "array", "items": { "type": "string" } }
            }
        }),
    );
    for k in 0..shared {
        schemas.insert(format!("Shared{k}"), shared_schema(k));
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": format!("Synthetic API with {operations} operations"),
            "description": "Made by the benchmark's spec builder.",
            "version": "1.0.0"
        },
        "servers": [{ "url": "https://api.example.com" }],
        "security": [{ "bearer": [] }],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer" }
            }
        }
    })
}

fn shared_schema(k: usize) -> Value {
    let mut properties = json!({
        "id": { "type": "string", "description": "Identifier." },
        "name": { "type": "string" },
        "count": { "type": "integer", "format": "int64" },
        "score": { "type": "number" },
        "active": { "type": "boolean" },
        "labels": { "type": "array", "items": { "type": "string" } },
        "kind": { "type": "string", "enum": ["alpha", "beta", "gamma"] }
    });
    // A tree of references (depth log2 of the count): a chain as deep as the spec is long
    // would pass rustc's recursion limit in any generated crate.
    if k > 0 {
        properties["parent"] =
            json!({ "$ref": format!("#/components/schemas/Shared{}", (k - 1) / 2) });
    }
    json!({
        "type": "object",
        "description": format!("Shared schema number {k}."),
        "required": ["id", "name"],
        "properties": properties
    })
}

fn path_item(p: usize, shared: usize) -> Value {
    let shared_ref = json!({ "$ref": format!("#/components/schemas/Shared{}", p % shared) });
    let error = json!({
        "description": "Bad Request",
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ErrorDto" } } }
    });
    let item_id = json!({
        "name": "itemId", "in": "path", "required": true, "description": "The item.",
        "schema": { "type": "string" }
    });
    let version = json!({
        "name": "Version", "in": "header", "required": true, "description": "API Version",
        "schema": { "type": "string", "enum": ["2021-07-28"] }
    });
    json!({
        "get": {
            "operationId": format!("get-resource-{p}"),
            "summary": format!("Get resource {p}"),
            "tags": [format!("Group {}", p % 10)],
            "parameters": [
                item_id,
                version,
                { "name": "limit", "in": "query", "schema": { "type": "integer" } },
                { "name": "cursor", "in": "query", "schema": { "type": "string" } }
            ],
            "responses": {
                "200": {
                    "description": "The resource.",
                    "content": { "application/json": { "schema": {
                        "type": "object",
                        "required": ["item"],
                        "properties": {
                            "item": shared_ref,
                            "total": { "type": "integer" },
                            "tags": { "type": "array", "items": { "type": "string" } },
                            "meta": {
                                "type": "object",
                                "properties": {
                                    "createdAt": { "type": "string", "format": "date-time" },
                                    "status": { "type": "string", "enum": ["active", "archived"] }
                                }
                            }
                        }
                    } } }
                },
                "400": error
            }
        },
        "post": {
            "operationId": format!("create-resource-{p}"),
            "summary": format!("Create resource {p}"),
            "tags": [format!("Group {}", p % 10)],
            "parameters": [item_id, version],
            "requestBody": {
                "required": true,
                "content": { "application/json": { "schema": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {
                        "name": { "type": "string" },
                        "note": { "type": "string" },
                        "template": shared_ref
                    }
                } } }
            },
            "responses": {
                "201": {
                    "description": "Created.",
                    "content": { "application/json": { "schema": shared_ref } }
                },
                "400": error
            }
        }
    })
}

/// Writes the synthetic document with `operations` operations as JSON under `dir`
/// (`synthetic-{operations}.json`) and returns its path; rewritten only when it changed.
pub fn write_synthetic(dir: &Path, operations: usize) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("synthetic-{operations}.json"));
    let text =
        serde_json::to_string_pretty(&synthetic(operations)).map_err(std::io::Error::other)?;
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
        std::fs::write(&path, text)?;
    }
    Ok(path)
}
