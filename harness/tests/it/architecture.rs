//! ARCHITECTURE.md's promises about module dependencies, checked from the
//! `crate::` paths in the source: no cycle between top-level modules, the
//! bottom layer imports nothing above it, the scorer never sees a plugin or
//! a report, and renderers read only the report model.

use super::support::workspace;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level module → the top-level modules its non-test code names.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    fn walk(dir: &Path, src: &Path, out: &mut BTreeMap<String, BTreeSet<String>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                walk(&path, src, out);
                continue;
            }
            if path.extension().is_none_or(|x| x != "rs") {
                continue;
            }
            let rel = path.strip_prefix(src).unwrap();
            let top = rel.components().next().unwrap().as_os_str().to_string_lossy();
            let top = top.trim_end_matches(".rs").to_string();
            if top == "main" || top == "lib" {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // Unit tests may reach anywhere.
            let code = text.split("#[cfg(test)]").next().unwrap();
            let deps = out.entry(top.clone()).or_default();
            for (i, _) in code.match_indices("crate::") {
                let rest = &code[i + "crate::".len()..];
                if let Some(group) = rest.strip_prefix('{') {
                    let inner = &group[..group.find('}').unwrap_or(group.len())];
                    for item in inner.split(',') {
                        let name: String = item
                            .trim()
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        deps.insert(name);
                    }
                } else {
                    deps.insert(rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect());
                }
            }
            deps.remove(&top);
        }
    }
    let src = workspace().join("harness/src");
    let mut out = BTreeMap::new();
    walk(&src, &src, &mut out);
    let modules: BTreeSet<String> = out.keys().cloned().collect();
    for deps in out.values_mut() {
        deps.retain(|d| modules.contains(d));
    }
    out
}

/// A module reachable from itself, if any.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|n| n == node) {
            return Some(path[i..].to_vec());
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in &graph[node] {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

#[test]
fn top_level_modules_form_no_cycle() {
    let g = imports();
    assert!(g.len() > 20, "the modules were found: {:?}", g.keys());
    assert_eq!(cycle(&g), None, "data flows one way");
    // The check itself finds a cycle when there is one.
    let mut broken = g.clone();
    broken.get_mut("mention").unwrap().insert("report".into());
    assert!(cycle(&broken).is_some());
}

#[test]
fn layers_import_only_downwards() {
    let g = imports();
    let bottom = [
        "diag", "digest", "error", "exit", "files", "mention", "naming", "out", "outcome",
    ];
    for m in bottom {
        let above: Vec<_> = g[m].iter().filter(|d| !bottom.contains(&d.as_str())).collect();
        assert!(above.is_empty(), "{m} is a bottom module but imports {above:?}");
    }
    // The scorer never sees a plugin, a run or a report.
    for forbidden in ["plugin", "run", "report", "gold", "cache", "predictions"] {
        assert!(!g["score"].contains(forbidden), "score imports {forbidden}");
    }
    // Report models know nothing of how runs are made or gates decided.
    for forbidden in ["run", "plugin", "gate", "compare", "cache", "output", "commands"] {
        assert!(!g["report"].contains(forbidden), "report imports {forbidden}");
    }
}

#[test]
fn renderers_read_only_the_model() {
    let dir = workspace().join("harness/src/report/render");
    let allowed = ["report", "score", "mention", "outcome", "naming", "agree"];
    let mut files = vec![];
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                files.push(p);
            }
        }
    }
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap();
        for (i, _) in code.match_indices("crate::") {
            let name: String = code[i + 7..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            assert!(
                allowed.contains(&name.as_str()),
                "{} imports crate::{name}",
                f.display()
            );
        }
        // Nothing that decides or does I/O.
        for call in [
            "std::fs::",
            "uncertainty::",
            "score_article",
            "gate::evaluate",
            "compare::compare",
        ] {
            assert!(!code.contains(call), "{} calls {call}", f.display());
        }
    }
}
