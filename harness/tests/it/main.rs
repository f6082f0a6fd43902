//! One integration-test binary, organised by topic (ripgrep's layout):
//! fewer link steps, one place to look.

mod abi;
mod annotate;
mod annotate_browser;
mod architecture;
mod everyday;
mod faults;
mod fuzz;
mod gold_check;
mod html;
mod interop;
mod llm;
mod properties;
mod reference;
mod reliability;
mod reports;
mod scale;
mod scoring;
mod support;
mod web;
