//! The regression gate: per plugin × field rules from a small TOML file,
//! checked against the current report and, optionally, a baseline report.
//! A pure function from report models to a [`GateOutcome`] (a model type),
//! so it works on saved reports as well as fresh ones.
//!
//! ```toml
//! [default]                 # applies to every plugin and field
//! min_f1 = 0.0              # absolute floor for span+value F1
//! max_drop = 0.0            # largest allowed F1 drop against the baseline
//! only_if_significant = false  # fail a drop only if the paired test says p < alpha
//! alpha = 0.05
//! fail_on_plugin_error = true  # a plugin failing on any article is an error
//! allow_missing = false     # a baseline plugin missing from the run is an error
//!
//! [field.date]              # per field
//! min_f1 = 0.5
//!
//! [plugin.grammar]          # per plugin, and per plugin × field
//! min_f1 = 0.9
//! [plugin.grammar.field.official]
//! min_f1 = 0.95
//! ```
//! The most specific setting wins, key by key. Unknown keys, values out of
//! range and plugins the run does not have are errors with file:line:col.

use crate::report::{CheckStatus, GateCheck, GateOutcome, PluginReport, Report};
use crate::score::uncertainty;
use extractor_api::Field;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub min_f1: Option<f64>,
    pub max_drop: Option<f64>,
    pub only_if_significant: Option<bool>,
    pub alpha: Option<f64>,
    pub fail_on_plugin_error: Option<bool>,
    pub allow_missing: Option<bool>,
}

impl Rule {
    fn or(&self, base: &Rule) -> Rule {
        Rule {
            min_f1: self.min_f1.or(base.min_f1),
            max_drop: self.max_drop.or(base.max_drop),
            only_if_significant: self.only_if_significant.or(base.only_if_significant),
            alpha: self.alpha.or(base.alpha),
            fail_on_plugin_error: self.fail_on_plugin_error.or(base.fail_on_plugin_error),
            allow_missing: self.allow_missing.or(base.allow_missing),
        }
    }

    /// The first value out of range, as (key, message).
    fn out_of_range(&self) -> Option<(&'static str, String)> {
        let unit = |key: &'static str, v: Option<f64>| {
            v.filter(|x| !(0.0..=1.0).contains(x))
                .map(|x| (key, format!("{key} = {x} is out of range (0 to 1)")))
        };
        unit("min_f1", self.min_f1)
            .or_else(|| unit("max_drop", self.max_drop))
            .or_else(|| {
                self.alpha.filter(|a| !(*a > 0.0 && *a < 1.0)).map(|a| {
                    (
                        "alpha",
                        format!("alpha = {a} is out of range (between 0 and 1, exclusive)"),
                    )
                })
            })
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
struct Rules {
    #[serde(default)]
    default: Rule,
    #[serde(default)]
    field: BTreeMap<Field, Rule>,
    #[serde(default)]
    plugin: BTreeMap<String, PluginRules>,
}

/// A parsed and range-checked gate configuration.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GateConfig {
    pub default: Rule,
    pub field: BTreeMap<Field, Rule>,
    pub plugin: BTreeMap<String, PluginRules>,
    /// Where it came from, for messages.
    origin: String,
    src: String,
}

impl GateConfig {
    /// Parses and checks a gate file's text (`origin` names it in messages).
    pub fn parse(src: &str, origin: &str) -> Result<GateConfig, crate::Error> {
        let rules: Rules = toml::from_str(src).map_err(|e| {
            let pos = e
                .span()
                .map(|s| {
                    let (l, c) = crate::diag::line_col(src, s.start);
                    format!(":{l}:{c}")
                })
                .unwrap_or_default();
            crate::Error::BadInput(format!("{origin}{pos}: {}", e.message()))
        })?;
        let cfg = GateConfig {
            default: rules.default,
            field: rules.field,
            plugin: rules.plugin,
            origin: origin.to_string(),
            src: src.to_string(),
        };
        cfg.check_ranges()?;
        Ok(cfg)
    }

    /// `file:line:col` of the first `key = ` after the table header `table`.
    fn position(&self, table: &str, key: &str) -> String {
        let start = self.src.find(&format!("[{table}]")).unwrap_or(0);
        let at = self.src[start..]
            .find(&format!("{key} "))
            .or_else(|| self.src[start..].find(&format!("{key}=")))
            .map_or(start, |i| start + i);
        let (l, c) = crate::diag::line_col(&self.src, at);
        format!("{}:{l}:{c}", self.origin)
    }

    fn check_ranges(&self) -> Result<(), crate::Error> {
        let mut tables: Vec<(String, &Rule)> = vec![("default".into(), &self.default)];
        tables.extend(self.field.iter().map(|(f, r)| (format!("field.{f}"), r)));
        for (name, p) in &self.plugin {
            tables.push((format!("plugin.{name}"), &p.rule));
            tables.extend(p.field.iter().map(|(f, r)| (format!("plugin.{name}.field.{f}"), r)));
        }
        for (table, rule) in tables {
            if let Some((key, msg)) = rule.out_of_range() {
                return Err(crate::Error::BadInput(format!(
                    "{}: [{table}] {msg}",
                    self.position(&table, key)
                )));
            }
        }
        Ok(())
    }

    /// Every `[plugin.NAME]` must name a plugin of the run (or of the
    /// baseline): a misspelt name would otherwise pass silently. A section
    /// that says `allow_missing = true` is exempt: it exists for a plugin
    /// that may be absent (an optional peer on a machine without it).
    pub fn check_plugins<'a>(&self, known: impl IntoIterator<Item = &'a str>) -> Result<(), crate::Error> {
        let known: Vec<&str> = known.into_iter().collect();
        for (name, p) in &self.plugin {
            if p.rule.allow_missing != Some(true) && !known.contains(&name.as_str()) {
                let at = self.src.find(&format!("[plugin.{name}")).unwrap_or(0);
                let (l, c) = crate::diag::line_col(&self.src, at);
                return Err(crate::Error::BadInput(format!(
                    "{}:{l}:{c}: [plugin.{name}] names no plugin of this run (plugins: {})",
                    self.origin,
                    known.join(", ")
                )));
            }
        }
        Ok(())
    }

    /// The effective rule for a plugin × field.
    pub fn rule(&self, plugin: &str, field: Option<Field>) -> Rule {
        let mut r = self.default.clone();
        if let Some(f) = field.and_then(|f| self.field.get(&f)) {
            r = f.or(&r);
        }
        if let Some(p) = self.plugin.get(plugin) {
            r = p.rule.or(&r);
            if let Some(pf) = field.and_then(|f| p.field.get(&f)) {
                r = pf.or(&r);
            }
        }
        r
    }
}

fn fmt(x: Option<f64>) -> String {
    x.map_or("—".into(), |v| format!("{v:.4}"))
}

fn check(field: Field, p: &PluginReport, base: Option<&PluginReport>, rule: &Rule, report: &Report) -> GateCheck {
    let mut c = GateCheck {
        plugin: p.name.clone(),
        field: Some(field),
        status: CheckStatus::Pass,
        f1: p.fields.get(&field).and_then(|s| s.headline.f1),
        baseline_f1: None,
        min_f1: rule.min_f1,
        max_drop: rule.max_drop,
        delta_ci: None,
        p_value: None,
        messages: Vec::new(),
    };
    if let Some(min) = rule.min_f1 {
        if c.f1.unwrap_or(0.0) < min {
            c.status = CheckStatus::Fail;
            c.messages.push(format!("F1 {} is below the floor {min:.4}", fmt(c.f1)));
        }
    }
    let Some(b) = base else { return c };
    c.baseline_f1 = b.fields.get(&field).and_then(|s| s.headline.f1);
    let (Some(max_drop), Some(bf1)) = (rule.max_drop, c.baseline_f1) else {
        return c;
    };
    let drop = bf1 - c.f1.unwrap_or(0.0);
    if drop <= max_drop + 1e-12 {
        return c;
    }
    let pairs = p.paired_with(b);
    let now: Vec<_> = pairs.iter().map(|(a, _)| p.article_counts(a, Some(field))).collect();
    let before: Vec<_> = pairs.iter().map(|(_, x)| b.article_counts(x, Some(field))).collect();
    let t = uncertainty::paired(
        &now,
        &before,
        |s| s.value.headline().f1,
        &report.meta.scoring.resampling,
    );
    c.delta_ci = t.delta_ci;
    c.p_value = Some(t.p_value);
    let alpha = rule.alpha.unwrap_or(0.05);
    if rule.only_if_significant.unwrap_or(false) && t.p_value >= alpha {
        c.messages.push(format!(
            "F1 dropped {drop:.4} (allowed {max_drop:.4}) but not significantly (p = {:.4} >= {alpha})",
            t.p_value
        ));
    } else {
        c.status = CheckStatus::Fail;
        c.messages.push(format!(
            "F1 dropped {drop:.4} from the baseline's {bf1:.4} (allowed {max_drop:.4}; paired p = {:.4})",
            t.p_value
        ));
    }
    c
}

/// The plugin-level check: loaded, and no failed article (unless allowed).
fn plugin_check(p: &PluginReport, rule: &Rule) -> Option<GateCheck> {
    let error = |message| GateCheck::plugin_level(&p.name, CheckStatus::Error, message);
    if let Some(e) = &p.load_error {
        return Some(error(format!("plugin failed to load: {e}")));
    }
    let failed: Vec<String> = p
        .failed_articles()
        .map(|a| {
            format!(
                "{} ({})",
                a.id,
                a.error.as_ref().map_or(String::new(), |e| e.kind.to_string())
            )
        })
        .collect();
    (!failed.is_empty() && rule.fail_on_plugin_error.unwrap_or(true)).then(|| {
        error(format!(
            "plugin failed on {} article(s): {}",
            failed.len(),
            failed.join(", ")
        ))
    })
}

/// Runs every rule over every plugin × claimed field of `report`.
pub fn evaluate(report: &Report, config: &GateConfig, baseline: Option<(&str, &Report)>) -> GateOutcome {
    let mut checks = Vec::new();
    for p in &report.plugins {
        checks.extend(plugin_check(p, &config.rule(&p.name, None)));
        if p.load_error.is_some() {
            continue;
        }
        let base = baseline.and_then(|(_, b)| b.plugin(&p.name));
        for field in p.claimed_fields() {
            checks.push(check(field, p, base, &config.rule(&p.name, Some(field)), report));
        }
    }
    if let Some((_, b)) = baseline {
        for missing in b.plugins.iter().filter(|bp| report.plugin(&bp.name).is_none()) {
            let allowed = config.rule(&missing.name, None).allow_missing.unwrap_or(false);
            checks.push(if allowed {
                GateCheck::plugin_level(
                    &missing.name,
                    CheckStatus::Pass,
                    "in the baseline but not in this run (allowed by allow_missing)".into(),
                )
            } else {
                GateCheck::plugin_level(
                    &missing.name,
                    CheckStatus::Error,
                    "in the baseline but missing from this run (set allow_missing = true to allow)".into(),
                )
            });
        }
    }
    GateOutcome {
        passed: checks.iter().all(|c| c.status == CheckStatus::Pass),
        baseline: baseline.map(|(path, _)| path.to_string()),
        checks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_out_of_range_are_errors_with_a_position() {
        for (src, want) in [
            ("[default]\nmin_f1 = 2\n", ":2:1: [default] min_f1 = 2 is out of range"),
            (
                "[plugin.x]\nalpha = -1\n",
                ":2:1: [plugin.x] alpha = -1 is out of range",
            ),
            (
                "[field.date]\nmax_drop = 1.5\n",
                ":2:1: [field.date] max_drop = 1.5 is out of range",
            ),
        ] {
            let e = GateConfig::parse(src, "gate.toml").unwrap_err().to_string();
            assert!(e.starts_with("gate.toml") && e.contains(want), "{e}");
        }
        assert!(GateConfig::parse("[default]\nmin_f1 = 1\nalpha = 0.05\n", "g").is_ok());
    }

    #[test]
    fn unknown_plugins_are_errors_with_a_position() {
        let cfg = GateConfig::parse(
            "[default]\nmax_drop = 0\n\n[plugin.gramar]\nmin_f1 = 0.9\n",
            "gate.toml",
        )
        .unwrap();
        let e = cfg.check_plugins(["grammar", "baseline"]).unwrap_err().to_string();
        assert!(e.starts_with("gate.toml:4:1: [plugin.gramar] names no plugin"), "{e}");
        assert!(cfg.check_plugins(["gramar"]).is_ok());
    }

    #[test]
    fn a_plugin_allowed_to_be_missing_may_be_absent_from_the_run() {
        let cfg = GateConfig::parse("[plugin.dateparser]\nallow_missing = true\n", "gate.toml").unwrap();
        assert!(cfg.check_plugins(["grammar"]).is_ok());
        let strict = GateConfig::parse("[plugin.dateparser]\nallow_missing = false\n", "gate.toml").unwrap();
        assert!(strict.check_plugins(["grammar"]).is_err());
    }
}
