//! The plugin API shared by the harness and every extractor.
//!
//! An extractor is a `cdylib` that exports one C symbol,
//! [`abi::ENTRY_SYMBOL`], returning a static [`abi::PluginDescriptor`]. This
//! crate provides the types, the constants and the [`export_plugin!`] macro
//! that writes all of that for you; it does no I/O.
//!
//! # A complete plugin
//!
//! `Cargo.toml`:
//! ```toml
//! [lib]
//! crate-type = ["cdylib", "rlib"]
//!
//! [dependencies]
//! extractor-api = { path = "../api" }
//! ```
//!
//! `src/lib.rs`:
//! ```
//! use extractor_api::{export_plugin, CharIndex, Document, Mention, Percentage, Value};
//!
//! /// Finds "<digits>%" and reports it as a percentage.
//! pub fn extract(doc: &Document) -> Vec<Mention> {
//!     let idx = CharIndex::new(doc.text);
//!     let bytes = doc.text.as_bytes();
//!     let mut out = Vec::new();
//!     for (pct, _) in doc.text.match_indices('%') {
//!         let start = bytes[..pct].iter().rposition(|b| !b.is_ascii_digit()).map_or(0, |i| i + 1);
//!         if start < pct {
//!             let value = doc.text[start..pct].parse().unwrap();
//!             out.push(idx.mention(start..pct + 1, Value::Percentage(Percentage { value })));
//!         }
//!     }
//!     out
//! }
//!
//! export_plugin! {
//!     name: "percent-only",
//!     version: "0.1.0",
//!     fields: [percentage],
//!     extract: extract,
//! }
//!
//! # fn main() {
//! let doc = Document { id: "a", text: "tăng 25% so với" };
//! let found = extract(&doc);
//! assert_eq!(found[0].text, "25%");
//! assert_eq!((found[0].start, found[0].end), (5, 8)); // code points, not bytes
//! # }
//! ```
//!
//! A panic inside `extract` is caught at the boundary and reported to the
//! harness as an error for that article; the run goes on.
//!
//! # Outputs without offsets
//!
//! A generator (a language model) that writes mention text but no offsets can
//! have them found with [`align()`]: NFC- and whitespace-tolerant, in order,
//! specified step by step in [`align`](mod@align) so other languages can port it.
//!
//! # stdout belongs to the harness
//!
//! A library runs inside `harness worker`, whose stdout carries the protocol
//! ([`protocol`]). The worker points file descriptor 1 at stderr while your
//! code runs, so a stray `println!` lands in the stderr tail of the report
//! instead of corrupting the exchange; still, log to stderr.

pub mod abi;
pub mod align;
#[doc(hidden)]
pub mod export;
mod mention;
mod offsets;
pub mod protocol;
pub mod timex;

pub use align::{align, AlignStats};
pub use export::Extractor;
pub use mention::{
    Document, ErrorPayload, Field, Figure, Mention, Official, Percentage, Response, UnknownField, Value,
};
pub use offsets::CharIndex;
pub use protocol::Request;

#[doc(hidden)]
pub use serde_json;
