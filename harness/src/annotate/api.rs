//! The JSON endpoints the page calls (all under `/api/`, all needing the
//! token; `server` checks that before anything here runs):
//!
//! | method | path | does |
//! |---|---|---|
//! | GET | `session` | mode, gold directory, plugin, first article, overall agreement |
//! | GET | `articles` | the article list with status and counts |
//! | GET | `articles/ID` | text, labels, file hash, problems (+ the passes when adjudicating) |
//! | POST | `articles/ID` | save `{base_hash, done, doc}`: 409 if the file changed, 422 with problems if invalid |
//! | POST | `articles/ID/check` | `{doc}`: every problem, nothing written |
//! | POST | `articles/ID/validate` | `{mention}`: the problems of one mention |
//! | POST | `articles/ID/guess` | `{field, start, end}`: a normalized value for that span |
//! | POST | `articles/ID/preannotate` | the plugin's mentions for an article that has none |

use super::adjudicate::Adjudication;
use super::doc::{Doc, DocMention};
use super::preannotate::Preannotator;
use super::problems::{self, Problem};
use super::store::{Loaded, Store};
use super::{guess, ApiError, Options};
use crate::mention::{Span, TextIndex};
use extractor_api::Field;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value as Json};

pub struct Api {
    store: Store,
    plugin: Option<Preannotator>,
    adjudication: Option<Adjudication>,
    first: Option<String>,
}

/// A JSON answer and its HTTP status.
pub struct Reply {
    pub status: u16,
    pub body: Json,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SaveBody {
    base_hash: String,
    #[serde(default)]
    done: bool,
    doc: Doc,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckBody {
    doc: Doc,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ValidateBody {
    mention: DocMention,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GuessBody {
    field: Field,
    start: usize,
    end: usize,
}

/// How much text after a span the guess may look at (shared units, titles).
const GUESS_CONTEXT: usize = 200;

fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::BadRequest(format!("bad request body: {e}")))
}

/// `%XX` escapes decoded; anything malformed is kept as is (and then fails
/// the id check).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b[i],
            b.get(i + 1).copied().and_then(hex),
            b.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Api {
    pub fn new(opts: &Options) -> Result<Api, crate::Error> {
        let dir = crate::plan::cwd()?.join(&opts.gold);
        let adjudication = match &opts.adjudicate {
            Some((a, b)) => {
                let adjudication = Adjudication::load(a, b)?;
                std::fs::create_dir_all(&dir).map_err(crate::Error::io(&dir))?;
                Some(adjudication)
            }
            None => None,
        };
        if !dir.is_dir() {
            return Err(crate::Error::Missing {
                what: "gold directory",
                path: dir,
            });
        }
        let plugin = opts.plugin.clone().map(Preannotator::open).transpose()?;
        let api = Api {
            store: Store::new(dir),
            plugin,
            adjudication,
            first: opts.article.clone(),
        };
        if let Some(id) = &api.first {
            if !api.ids()?.contains(id) {
                return Err(crate::Error::Usage(format!(
                    "--article {id:?}: no such article in {} (add it with `harness gold add`)",
                    api.store.dir.display()
                )));
            }
        }
        Ok(api)
    }

    fn ids(&self) -> Result<Vec<String>, crate::Error> {
        match &self.adjudication {
            Some(adj) => Ok(adj.ids()),
            None => self.store.ids(),
        }
    }

    /// Answers one API request; `path` is what follows `/api/`.
    pub fn handle(&self, method: &str, path: &str, body: &[u8]) -> Reply {
        let parts: Vec<String> = path.split('/').map(percent_decode).collect();
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        let result = match (method, parts.as_slice()) {
            ("GET", ["session"]) => Ok(self.session()),
            ("GET", ["articles"]) => self.list(),
            ("GET", ["articles", id]) => self.load(id),
            ("POST", ["articles", id]) => parse(body).and_then(|b| self.save(id, b)),
            ("POST", ["articles", id, "check"]) => parse(body).and_then(|b: CheckBody| self.check(id, &b.doc)),
            ("POST", ["articles", id, "validate"]) => parse(body).and_then(|b| self.validate(id, b)),
            ("POST", ["articles", id, "guess"]) => parse(body).and_then(|b| self.guess(id, b)),
            ("POST", ["articles", id, "preannotate"]) => self.preannotate(id),
            (_, ["session" | "articles"] | ["articles", _] | ["articles", _, _]) => {
                return Reply {
                    status: 405,
                    body: json!({"error": format!("{method} is not allowed here")}),
                }
            }
            _ => Err(ApiError::NotFound(format!("no endpoint /api/{path}"))),
        };
        match result {
            Ok(body) => Reply { status: 200, body },
            Err(e) => failure(e),
        }
    }

    fn session(&self) -> Json {
        let plugin = self
            .plugin
            .as_ref()
            .map(|p| json!({"name": p.name, "version": p.version}));
        let mut s = json!({
            "mode": if self.adjudication.is_some() { "adjudicate" } else { "annotate" },
            "gold": self.store.dir.display().to_string(),
            "plugin": plugin,
            "article": self.first,
        });
        if let Some(adj) = &self.adjudication {
            s["a"] = json!(adj.a.dir.display().to_string());
            s["b"] = json!(adj.b.dir.display().to_string());
            s["agreement"] = json!(adj.agreement);
        }
        s
    }

    fn list(&self) -> Result<Json, ApiError> {
        let marks = self.store.marks()?;
        let mut out = Vec::new();
        for id in self.ids()? {
            let mut summary = if self.store.exists(&id)? {
                self.store.summary(&id, &marks)?
            } else {
                // Adjudication, not saved yet: the agreed labels so far.
                let adj = self
                    .adjudication
                    .as_ref()
                    .expect("listed ids exist unless adjudicating");
                let a = adj.pass_a(&id).expect("listed from pass A");
                let mut s = self.store.summary_of(a, &marks);
                s.status = super::status::Status::New;
                s
            };
            if let Some(adj) = &self.adjudication {
                summary.disagreements = adj.article(&id).map(|x| x.choices.len());
            }
            out.push(summary);
        }
        Ok(json!({ "articles": out }))
    }

    fn load(&self, id: &str) -> Result<Json, ApiError> {
        self.store.gold_path(id)?;
        let Some(adj) = &self.adjudication else {
            return Ok(json!(self.store.load(id)?));
        };
        let x = adj
            .article(id)
            .ok_or_else(|| ApiError::NotFound(format!("no article {id:?} in both passes")))?;
        let loaded = if self.store.exists(id)? {
            self.store.load(id)?
        } else {
            let problems = self.store.check(id, &x.agreed, adj.pass_a(id))?;
            Loaded {
                id: id.to_string(),
                text: adj.pass_a(id).map(|a| a.text.clone()).unwrap_or_default(),
                hash: String::new(),
                editable: true,
                doc: x.agreed.clone(),
                problems,
                marked_done: false,
            }
        };
        let saved = !loaded.hash.is_empty();
        let mut out = json!(loaded);
        out["adjudication"] = json!(x);
        if saved {
            // Already adjudicated: the merged file is the decision.
            out["adjudication"]["choices"] = json!([]);
        }
        Ok(out)
    }

    fn pass(&self, id: &str) -> Option<&crate::gold::GoldArticle> {
        self.adjudication.as_ref().and_then(|adj| adj.pass_a(id))
    }

    fn save(&self, id: &str, b: SaveBody) -> Result<Json, ApiError> {
        let fallback = self.pass(id).map(|a| a.text.as_str());
        Ok(json!(self.store.save(id, &b.base_hash, &b.doc, b.done, fallback)?))
    }

    fn check(&self, id: &str, doc: &Doc) -> Result<Json, ApiError> {
        Ok(json!({ "problems": self.store.check(id, doc, self.pass(id))? }))
    }

    /// The stored text of an article.
    fn text(&self, id: &str) -> Result<String, ApiError> {
        match self.pass(id) {
            Some(a) => Ok(a.text.clone()),
            None => self.store.text(id),
        }
    }

    fn validate(&self, id: &str, b: ValidateBody) -> Result<Json, ApiError> {
        let text = self.text(id)?;
        let found: Vec<Problem> = problems::check_mention(&text, &b.mention);
        Ok(json!({ "problems": found }))
    }

    fn guess(&self, id: &str, b: GuessBody) -> Result<Json, ApiError> {
        let text = self.text(id)?;
        let index = TextIndex::new(&text);
        let span = index
            .slice(b.start, b.end)
            .filter(|_| b.start < b.end)
            .ok_or_else(|| ApiError::BadRequest(format!("no span {}..{} in {id}", b.start, b.end)))?;
        let after = index
            .slice(b.end, (b.end + GUESS_CONTEXT).min(index.chars()))
            .unwrap_or("");
        Ok(json!({ "text": span, "value": guess::guess(b.field, span, after) }))
    }

    fn preannotate(&self, id: &str) -> Result<Json, ApiError> {
        let plugin = self
            .plugin
            .as_ref()
            .ok_or_else(|| ApiError::BadRequest("no plugin: start harness annotate with --plugin".into()))?;
        let loaded = self.store.load(id)?;
        if !loaded.doc.mentions.is_empty() {
            return Err(ApiError::BadRequest(format!(
                "{id} already has mentions; pre-annotation is for articles without any"
            )));
        }
        let ignore: Vec<Span> = loaded
            .doc
            .ignore
            .iter()
            .map(|i| Span {
                start: i.start,
                end: i.end,
            })
            .collect();
        let mentions = plugin.run(id, &loaded.text, &ignore).map_err(ApiError::Internal)?;
        Ok(json!({
            "plugin": {"name": plugin.name, "version": plugin.version},
            "mentions": mentions,
        }))
    }
}

fn failure(e: ApiError) -> Reply {
    let (status, body) = match e {
        ApiError::BadRequest(m) => (400, json!({ "error": m })),
        ApiError::NotFound(m) => (404, json!({ "error": m })),
        ApiError::Conflict { hash } => (
            409,
            json!({
                "error": "the gold file changed on disk since this page loaded it; nothing was written",
                "hash": hash,
            }),
        ),
        ApiError::Unprocessable(problems) => {
            let errors = problems
                .iter()
                .filter(|p| p.severity == problems::Severity::Error)
                .count();
            (
                422,
                json!({
                    "error": format!("{errors} problem(s) break the gold format; nothing was written"),
                    "problems": problems,
                }),
            )
        }
        ApiError::Internal(m) => (500, json!({ "error": m })),
    };
    Reply { status, body }
}
