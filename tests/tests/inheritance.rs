//! Decoding and encoding of generated types with real values, in the `client_behaviour` crate
//! (generated from `fixtures/client-behaviour.yaml`): inheritance by discriminator, and
//! recursion through containers.
//!
//! Inheritance by discriminator (OpenAPI 3.0.3, "Discriminator Object"): a parent schema with
//! a `discriminator` that children extend with `allOf` decodes as the child its tag names (a
//! `mapping` key, or else the child's schema name), wherever the parent is referenced; a tag
//! that names no child gives the parent's own shape; encoding keeps the tag.

use client_behaviour::{
    Cat, Circle, Dog, Pet, PetBase, Puppy, Shape, ShapeBase, Shelter, Stray, Tree,
};
use serde_json::json;

fn pet(value: serde_json::Value) -> Pet {
    serde_json::from_value(value).unwrap()
}

#[test]
fn the_tag_selects_the_child() {
    // `dog` is a mapping key; `Cat` and `Puppy` are schema names (the implicit mapping).
    assert_eq!(
        pet(json!({"petType": "dog", "name": "Rex"})),
        Pet::Dog(Box::new(Dog {
            pet_type: "dog".into(),
            name: "Rex".into(),
            friend: None,
        }))
    );
    assert_eq!(
        pet(json!({"petType": "Cat", "name": "Tom", "lives": 9})),
        Pet::Cat(Cat {
            pet_type: "Cat".into(),
            name: "Tom".into(),
            lives: 9,
        })
    );
    // A grandchild (`Puppy` extends `Dog`) is selected by its name too, keeping every field.
    assert_eq!(
        pet(json!({"petType": "Puppy", "name": "Bit", "ageInWeeks": 8})),
        Pet::Puppy(Box::new(Puppy {
            pet_type: "Puppy".into(),
            name: "Bit".into(),
            friend: None,
            age_in_weeks: Some(8),
        }))
    );
}

#[test]
fn a_child_that_adds_nothing_is_still_the_child() {
    // `Stray` is only `allOf: [Pet]`: its tag selects it, not the parent again (which would
    // select it again, forever).
    assert_eq!(
        pet(json!({"petType": "Stray", "name": "Tab"})),
        Pet::Stray(Stray {
            pet_type: "Stray".into(),
            name: "Tab".into(),
        })
    );
}

#[test]
fn a_tag_that_names_no_child_gives_the_parent_shape() {
    assert_eq!(
        pet(json!({"petType": "Hamster", "name": "Ham", "wheel": true})),
        Pet::Pet(PetBase {
            pet_type: "Hamster".into(),
            name: "Ham".into(),
        })
    );
    // `Dog` is only selected by its mapping key, so its schema name is not a tag of it.
    assert!(matches!(
        pet(json!({"petType": "Dog", "name": "Rex"})),
        Pet::Pet(_)
    ));
}

#[test]
fn a_child_that_does_not_decode_is_an_error_not_a_fallback() {
    let err = serde_json::from_value::<Pet>(json!({"petType": "Cat", "name": "Tom"}));
    assert!(err.unwrap_err().to_string().contains("lives"));
}

#[test]
fn the_parent_decodes_by_tag_wherever_it_is_referenced() {
    let shelter: Shelter = serde_json::from_value(json!({
        "pets": [
            {"petType": "Cat", "name": "Tom", "lives": 9},
            {"petType": "dog", "name": "Rex", "friend": {"petType": "Cat", "name": "Kit", "lives": 3}}
        ],
        "featured": {"petType": "Puppy", "name": "Bit"},
        "shapes": [{"kind": "Circle", "radius": 1.5}, {"area": 2.0}]
    }))
    .unwrap();
    assert!(matches!(&shelter.pets[0], Pet::Cat(cat) if cat.lives == 9));
    let Pet::Dog(dog) = &shelter.pets[1] else {
        panic!("{:?}", shelter.pets[1]);
    };
    assert!(matches!(dog.friend.as_deref(), Some(Pet::Cat(cat)) if cat.name == "Kit"));
    assert!(matches!(shelter.featured.as_ref(), Some(Pet::Puppy(_))));
    assert_eq!(
        shelter.shapes.unwrap(),
        [
            Shape::Circle(Circle {
                kind: Some("Circle".into()),
                radius: 1.5,
            }),
            Shape::Shape(ShapeBase { kind: None }),
        ]
    );
}

#[test]
fn encoding_round_trips_and_keeps_the_tag() {
    for value in [
        json!({"petType": "dog", "name": "Rex", "friend": {"petType": "Cat", "name": "Kit", "lives": 3}}),
        json!({"petType": "Puppy", "name": "Bit", "ageInWeeks": 8}),
        json!({"petType": "Hamster", "name": "Ham"}),
    ] {
        assert_eq!(serde_json::to_value(pet(value.clone())).unwrap(), value);
    }
    // The tag of `Shape` is optional; a child built without it gets it back on the wire, so
    // the server (and this client) decode it as the same child.
    let circle = Shape::Circle(Circle {
        kind: None,
        radius: 2.0,
    });
    let sent = serde_json::to_value(&circle).unwrap();
    assert_eq!(sent, json!({"kind": "Circle", "radius": 2.0}));
    assert!(matches!(
        serde_json::from_value::<Shape>(sent).unwrap(),
        Shape::Circle(c) if c.radius == 2.0
    ));
}

/// A schema that holds itself only through `additionalProperties` is a newtype around the
/// map, serialized as the map itself.
#[test]
fn recursion_through_a_map_decodes_and_encodes_as_the_map() {
    let value = json!({"a": {"b": {}, "c": {"d": {}}}});
    let tree: Tree = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(tree.0["a"].0["c"].0["d"], Tree(Default::default()));
    assert_eq!(serde_json::to_value(&tree).unwrap(), value);
    assert!(serde_json::from_value::<Tree>(json!({"a": 1})).is_err());
}

/// A failure inside a list is named `[i]`, as `Error::Decode`'s path names list items, also
/// inside a value buffered for a discriminated union: serde decodes a struct from a JSON array
/// by position, so a `Pet` given `[5, "Rex"]` (no tag: the parent shape) fails at item 0.
#[test]
fn a_failure_at_a_list_item_of_a_buffered_value_is_named_by_its_index() {
    let err = serde_json::from_value::<Pet>(json!([5, "Rex"])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "[0]: invalid type: integer `5`, expected a string"
    );
}
