//! Field types for reading other tools' documents as they are written.
//!
//! Real files vary: a key is missing, null, or of another type than the
//! format says. The importers read a document through `#[derive(Deserialize)]`
//! structs whose fields use these types, so that a field of the wrong type
//! reads as absent (as the format's own tools treat it) instead of refusing
//! the whole file; only text that is not JSON or YAML at all is an error.
//!
//! - [`Field<T>`]: missing, null, a `T`, or something else.
//! - [`Node<T>`]: an object read into `T`; anything else reads as
//!   `T::default()`.
//! - [`Obj<T>`]: an object read into `T`, and nothing else (a list is not
//!   read positionally into a struct).
//! - [`Entries<T>`]: a map in document order (Threagile names assets by
//!   their keys, and the order of the lines about them follows the file).
//! - [`Scalar`]: a string, a boolean or a number, read as text.

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};

/// A field as the document holds it.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Field<T> {
    /// The key is absent.
    #[default]
    Missing,
    /// The key is there with a null value.
    Null,
    /// The key holds a `T`.
    Value(T),
    /// The key holds something that is not a `T`.
    Wrong,
}

/// What a field's value is, tried in this order.
#[derive(Deserialize)]
#[serde(untagged)]
enum Raw<T> {
    Value(T),
    Null(()),
    Wrong(IgnoredAny),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Raw::<T>::deserialize(d)? {
            Raw::Value(v) => Field::Value(v),
            Raw::Null(()) => Field::Null,
            Raw::Wrong(_) => Field::Wrong,
        })
    }
}

impl<T> Field<T> {
    /// The value, when it is a `T`.
    pub fn get(&self) -> Option<&T> {
        match self {
            Field::Value(v) => Some(v),
            _ => None,
        }
    }

    /// The value, when it is a `T`.
    pub fn into_option(self) -> Option<T> {
        match self {
            Field::Value(v) => Some(v),
            _ => None,
        }
    }

    /// Whether the key is there at all (null included).
    pub fn present(&self) -> bool {
        !matches!(self, Field::Missing)
    }
}

impl Field<String> {
    /// The text, or `""` when it is not a string.
    pub fn str(&self) -> &str {
        self.get().map_or("", String::as_str)
    }

    /// The text, when it is a string.
    pub fn string(&self) -> Option<String> {
        self.get().cloned()
    }

    /// The text, when it is a string that is not empty.
    pub fn non_empty(&self) -> Option<String> {
        self.get().filter(|s| !s.is_empty()).cloned()
    }
}

impl Field<bool> {
    /// Whether it is `true` (anything else is `false`).
    pub fn yes(&self) -> bool {
        self.get().copied().unwrap_or(false)
    }
}

impl<T> Field<Vec<T>> {
    /// The items, none when it is not a list.
    pub fn items(&self) -> &[T] {
        self.get().map_or(&[], Vec::as_slice)
    }
}

impl Field<Vec<Field<String>>> {
    /// The strings of a list, skipping items that are not strings.
    pub fn strings(&self) -> impl Iterator<Item = &str> {
        self.items()
            .iter()
            .filter_map(|x| x.get().map(String::as_str))
    }
}

impl<T> Field<Entries<T>> {
    /// The entries, none when it is not a map.
    pub fn entries(&self) -> &[(String, T)] {
        self.get().map_or(&[], |e| e.0.as_slice())
    }
}

/// An object read into `T`; anything else (or nothing) is `T::default()`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Node<T>(pub T);

impl<'de, T: Deserialize<'de> + Default> Deserialize<'de> for Node<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Node(
            Field::<Obj<T>>::deserialize(d)?
                .into_option()
                .map_or_else(T::default, |o| o.0),
        ))
    }
}

impl<T> Deref for Node<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// An object read into `T`: a list or a scalar is refused.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Obj<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Obj<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Obj<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Obj<T>, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(TextKeys(map))).map(Obj)
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}

impl<T> Deref for Obj<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// An object's keys as text: a key that is not a string (YAML allows
/// `1:`) reads as a name no field has, never as a field's index.
struct TextKeys<A>(A);

impl<'de, A: MapAccess<'de>> MapAccess<'de> for TextKeys<A> {
    type Error = A::Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let Some(key) = self.0.next_key::<Field<String>>()? else {
            return Ok(None);
        };
        let key = key.into_option().unwrap_or_else(|| "\u{0}".into());
        seed.deserialize(de::value::StringDeserializer::<A::Error>::new(key))
            .map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, A::Error> {
        self.0.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

/// A map in document order; a key that is not a string reads as `""`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entries<T>(pub Vec<(String, T)>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Entries<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Entries<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries<T>, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key::<Field<String>>()? {
                    out.push((k.str().to_string(), map.next_value::<T>()?));
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}

/// A string, a boolean or a number, as text (YAML writes `id: 42` as
/// readily as `id: "42"`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    /// A string.
    Text(String),
    /// A boolean.
    Flag(bool),
    /// A number, written as YAML writes it.
    Number(serde_norway::Number),
}

impl Field<Scalar> {
    /// The scalar as text; `""` for anything else.
    pub fn text(&self) -> String {
        match self.get() {
            Some(Scalar::Text(s)) => s.clone(),
            Some(Scalar::Flag(b)) => b.to_string(),
            Some(Scalar::Number(n)) => n.to_string(),
            None => String::new(),
        }
    }
}

/// A value of one of our own enums (`BoundaryKind`, `Classification`...)
/// by its name, as our model files write it.
pub fn named<T: de::DeserializeOwned>(name: &str) -> Option<T> {
    use de::IntoDeserializer;
    T::deserialize(IntoDeserializer::<'_, de::value::Error>::into_deserializer(
        name,
    ))
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, Deserialize)]
    #[serde(default)]
    struct Item {
        id: Field<String>,
        on: Field<bool>,
        tags: Field<Vec<Field<String>>>,
        inner: Node<Inner>,
    }

    #[derive(Debug, Default, Deserialize)]
    #[serde(default)]
    struct Inner {
        n: Field<f64>,
    }

    #[test]
    fn wrong_types_read_as_absent_and_nulls_are_told_apart() {
        let items: Vec<Node<Item>> = serde_json::from_str(
            r#"[{"id": 5, "on": "yes", "tags": ["a", 1, "b"], "inner": [1]},
                {"id": null, "on": true, "inner": {"n": 2}}, ["id"], 3]"#,
        )
        .unwrap_or_default();
        assert_eq!(items.len(), 4);
        assert_eq!(items[0].id, Field::Wrong);
        assert!(!items[0].on.yes());
        assert_eq!(items[0].tags.strings().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(items[0].inner.n, Field::Missing);
        assert_eq!(items[1].id, Field::Null);
        assert!(items[1].on.yes());
        assert_eq!(items[1].inner.n.get(), Some(&2.0));
        // A list is not read positionally into a struct.
        assert_eq!(items[2].id, Field::Missing);
        assert!(!items[3].id.present());
    }

    #[test]
    fn entries_keep_document_order_and_scalars_read_as_text() {
        let e: Field<Entries<Field<Scalar>>> =
            serde_norway::from_str("b: 1.5\na: true\n3: x\nc: [1]\n").unwrap_or_default();
        let got: Vec<(String, String)> = e
            .entries()
            .iter()
            .map(|(k, v)| (k.clone(), v.text()))
            .collect();
        let want = [("b", "1.5"), ("a", "true"), ("", "x"), ("c", "")];
        assert_eq!(
            got,
            want.map(|(k, v)| (k.to_string(), v.to_string())).to_vec()
        );
    }
}
