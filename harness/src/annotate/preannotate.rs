//! Pre-annotation: a plugin's mentions proposed for an article that has
//! none yet, each marked with the plugin's name and version and
//! `reviewed: false` until a person accepts or corrects it.

use super::doc::DocMention;
use crate::mention::{Origin, Span};
use crate::plugin::{self, Backend, Isolation, Limits, PluginSpec};
use extractor_api::Field;
use std::sync::Mutex;

pub struct Preannotator {
    spec: PluginSpec,
    /// Started once; dropped after a failed call so the next one restarts it.
    backend: Mutex<Option<Box<dyn Backend>>>,
    /// Name and version, from the plugin itself.
    pub name: String,
    pub version: String,
}

/// The id prefix of a field's mentions in the gold ("d1", "o2", …).
pub fn prefix(f: Field) -> char {
    f.as_str().chars().next().expect("field names are not empty")
}

impl Preannotator {
    /// Loads the plugin now, so a bad one is reported at start-up.
    pub fn open(spec: PluginSpec) -> Result<Preannotator, crate::Error> {
        let backend = plugin::open(&spec, Isolation::Worker, Limits::default())?;
        let (name, version) = (backend.info().name.clone(), backend.info().version.clone());
        Ok(Preannotator {
            spec,
            backend: Mutex::new(Some(backend)),
            name,
            version,
        })
    }

    /// The plugin's mentions for `text`, leaving out those inside `ignore`.
    pub fn run(&self, id: &str, text: &str, ignore: &[Span]) -> Result<Vec<DocMention>, String> {
        let mut slot = self.backend.lock().unwrap_or_else(|p| p.into_inner());
        if slot.is_none() {
            *slot = Some(plugin::open(&self.spec, Isolation::Worker, Limits::default()).map_err(|e| e.to_string())?);
        }
        let backend = slot.as_mut().expect("opened above");
        let bytes = match backend.call(id, text) {
            Ok(b) => b,
            Err(e) => {
                *slot = None;
                return Err(format!("{}: {e}", self.name));
            }
        };
        let parsed = plugin::parse_response(&bytes, text, false).map_err(|e| format!("{}: {e}", self.name))?;
        let mut counters = [0usize; 4];
        let mut found: Vec<_> = parsed
            .mentions
            .into_iter()
            .filter_map(|m| Some((m.span?, m.text?, m.value)))
            .filter(|(span, _, _)| !ignore.iter().any(|ig| ig.overlap(span) > 0))
            .collect();
        found.sort_by_key(|(span, _, _)| *span);
        Ok(found
            .into_iter()
            .map(|(span, text, value)| {
                let field = value.field();
                let n = &mut counters[Field::ALL.iter().position(|f| *f == field).expect("a field")];
                *n += 1;
                DocMention {
                    id: format!("{}{n}", prefix(field)),
                    field,
                    start: span.start,
                    end: span.end,
                    text,
                    value: serde_json::to_value(&value).expect("values serialize"),
                    pre: Some(Origin {
                        plugin: self.name.clone(),
                        version: self.version.clone(),
                        reviewed: false,
                    }),
                }
            })
            .collect())
    }
}
