//! The regression gate: per plugin × field rules from a small TOML file,
//! checked against the current report and, optionally, a baseline report.
//!
//! ```toml
//! [default]                 # applies to every plugin and field
//! min_f1 = 0.0              # absolute floor for span+value F1
//! max_drop = 0.0            # largest allowed F1 drop against the baseline
//! only_if_significant = false  # fail a drop only if the paired test says p < alpha
//! alpha = 0.05
//! fail_on_plugin_error = true  # a plugin failing on any article is an error
//!
//! [field.date]              # per field
//! min_f1 = 0.5
//!
//! [plugin.grammar]          # per plugin, and per plugin × field
//! min_f1 = 0.9
//! [plugin.grammar.field.official]
//! min_f1 = 0.95
//! ```
//! The most specific setting wins, key by key. Unknown keys are errors.

use crate::report::build::field_series;
use crate::report::{PluginReport, Report};
use crate::score::uncertainty;
use extractor_api::Field;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub min_f1: Option<f64>,
    pub max_drop: Option<f64>,
    pub only_if_significant: Option<bool>,
    pub alpha: Option<f64>,
    pub fail_on_plugin_error: Option<bool>,
}

impl Rule {
    fn or(&self, base: &Rule) -> Rule {
        Rule {
            min_f1: self.min_f1.or(base.min_f1),
            max_drop: self.max_drop.or(base.max_drop),
            only_if_significant: self.only_if_significant.or(base.only_if_significant),
            alpha: self.alpha.or(base.alpha),
            fail_on_plugin_error: self.fail_on_plugin_error.or(base.fail_on_plugin_error),
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PluginRules {
    #[serde(flatten)]
    pub rule: Rule,
    #[serde(default)]
    pub field: BTreeMap<Field, Rule>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GateConfig {
    #[serde(default)]
    pub default: Rule,
    #[serde(default)]
    pub field: BTreeMap<Field, Rule>,
    #[serde(default)]
    pub plugin: BTreeMap<String, PluginRules>,
}

impl GateConfig {
    pub fn parse(src: &str, origin: &str) -> Result<GateConfig, crate::Error> {
        toml::from_str(src).map_err(|e| {
            let pos = e
                .span()
                .map(|s| {
                    let (l, c) = crate::gold::line_col(src, s.start);
                    format!(":{l}:{c}")
                })
                .unwrap_or_default();
            crate::Error::BadInput(format!("{origin}{pos}: {}", e.message()))
        })
    }

    /// The effective rule for a plugin × field.
    pub fn rule(&self, plugin: &str, field: Field) -> Rule {
        let mut r = self.default.clone();
        if let Some(f) = self.field.get(&field) {
            r = f.or(&r);
        }
        if let Some(p) = self.plugin.get(plugin) {
            r = p.rule.or(&r);
            if let Some(pf) = p.field.get(&field) {
                r = pf.or(&r);
            }
        }
        r
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    Pass,
    /// A quality rule failed (JUnit `<failure>`).
    Fail,
    /// The plugin failed to load or failed on articles (JUnit `<error>`).
    Error,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GateCheck {
    pub plugin: String,
    pub field: Field,
    pub status: CheckStatus,
    pub f1: Option<f64>,
    pub baseline_f1: Option<f64>,
    pub p_value: Option<f64>,
    pub messages: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GateOutcome {
    pub passed: bool,
    pub baseline: Option<String>,
    pub checks: Vec<GateCheck>,
}

fn fmt(x: Option<f64>) -> String {
    x.map_or("—".into(), |v| format!("{v:.4}"))
}

/// Checks one plugin × field.
fn check(
    p: &PluginReport,
    field: Field,
    base: Option<Option<&PluginReport>>,
    rule: &Rule,
    report: &Report,
) -> GateCheck {
    let mut messages = Vec::new();
    let mut status = CheckStatus::Pass;
    if let Some(e) = &p.load_error {
        return GateCheck {
            plugin: p.name.clone(),
            field,
            status: CheckStatus::Error,
            f1: None,
            baseline_f1: None,
            p_value: None,
            messages: vec![format!("plugin failed to load: {e}")],
        };
    }
    let failed: Vec<String> = p
        .failed_articles()
        .map(|a| format!("{} ({})", a.id, a.error.as_ref().map_or("", |e| e.kind.as_str())))
        .collect();
    if !failed.is_empty() && rule.fail_on_plugin_error.unwrap_or(true) {
        status = CheckStatus::Error;
        messages.push(format!(
            "plugin failed on {} article(s): {}",
            failed.len(),
            failed.join(", ")
        ));
    }
    let f1 = p.fields.get(&field).and_then(|s| s.headline.f1);
    if let Some(min) = rule.min_f1 {
        if f1.unwrap_or(0.0) < min {
            if status == CheckStatus::Pass {
                status = CheckStatus::Fail;
            }
            messages.push(format!("F1 {} is below the floor {min:.4}", fmt(f1)));
        }
    }
    let mut baseline_f1 = None;
    let mut p_value = None;
    match base {
        None => {}
        Some(None) => messages.push("not in the baseline: no drop check".into()),
        Some(Some(b)) => {
            baseline_f1 = b.fields.get(&field).and_then(|s| s.headline.f1);
            if let (Some(max_drop), Some(bf1)) = (rule.max_drop, baseline_f1) {
                let drop = bf1 - f1.unwrap_or(0.0);
                if drop > max_drop + 1e-12 {
                    let mut fails = true;
                    if rule.only_if_significant.unwrap_or(false) {
                        // Pair articles by id; both runs must cover them.
                        let ids: Vec<&str> = p.articles.iter().map(|a| a.id.as_str()).collect();
                        let bmap: BTreeMap<&str, &crate::report::ArticleReport> =
                            b.articles.iter().map(|a| (a.id.as_str(), a)).collect();
                        let (mut sa, mut sb) = (Vec::new(), Vec::new());
                        for (i, id) in ids.iter().enumerate() {
                            if let Some(ba) = bmap.get(id) {
                                sa.push(field_series(&p.articles[i..=i], Some(field))[0]);
                                sb.push(field_series(std::slice::from_ref(*ba), Some(field))[0]);
                            }
                        }
                        let t =
                            uncertainty::paired(&sa, &sb, |s| s.value.headline().f1, &report.meta.scoring.resampling);
                        p_value = Some(t.p_value);
                        let alpha = rule.alpha.unwrap_or(0.05);
                        if t.p_value >= alpha {
                            fails = false;
                            messages.push(format!(
                                "F1 dropped {drop:.4} (allowed {max_drop:.4}) but not significantly (p = {:.4} >= {alpha})",
                                t.p_value
                            ));
                        }
                    }
                    if fails {
                        if status == CheckStatus::Pass {
                            status = CheckStatus::Fail;
                        }
                        messages.push(format!(
                            "F1 dropped {drop:.4} from the baseline's {bf1:.4} (allowed {max_drop:.4})"
                        ));
                    }
                }
            }
        }
    }
    GateCheck {
        plugin: p.name.clone(),
        field,
        status,
        f1,
        baseline_f1,
        p_value,
        messages,
    }
}

/// Runs every rule over every plugin × field of `report`.
pub fn evaluate(report: &Report, config: &GateConfig, baseline: Option<(&str, &Report)>) -> GateOutcome {
    let mut checks = Vec::new();
    for p in &report.plugins {
        let base = baseline.map(|(_, b)| b.plugins.iter().find(|bp| bp.name == p.name));
        for field in Field::ALL {
            checks.push(check(p, field, base, &config.rule(&p.name, field), report));
        }
    }
    GateOutcome {
        passed: checks.iter().all(|c| c.status == CheckStatus::Pass),
        baseline: baseline.map(|(path, _)| path.to_string()),
        checks,
    }
}
