//! `harness annotate` and `harness gold add`, through the real server on a
//! free port: security (token, Host, Origin, ids), and every endpoint.

use super::support::*;
use super::web::{request, Workbench};
use serde_json::{json, Value};
use std::path::Path;

/// An article with a CRLF line, an NFD word and a no-break space.
pub const TEXT: &str = "Ngày 4/6/2024, quý I/2024 tăng khoảng 7,1% và 54 doanh nghiệp.\r\nÔng Le\u{302} Va\u{306}n A - Chủ tịch UBND huyện.\u{a0}Ảnh: X";

/// Code point offsets of `needle` in `text`.
pub fn span(text: &str, needle: &str) -> (usize, usize) {
    let b = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the text"));
    let s = text[..b].chars().count();
    (s, s + needle.chars().count())
}

fn mention(id: &str, field: &str, needle: &str, value: Value) -> Value {
    let (s, e) = span(TEXT, needle);
    json!({"id": id, "field": field, "start": s, "end": e, "text": needle, "value": value})
}

/// A gold directory with article `a1` (no labels) added by `harness gold add`.
pub fn gold_with_article(name: &str) -> std::path::PathBuf {
    let dir = temp_dir(name);
    let src = dir.join("a1.txt");
    std::fs::write(&src, TEXT).unwrap();
    let gold = dir.join("gold");
    let out = harness(&["gold", "add", src.to_str().unwrap(), "--gold", gold.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    gold
}

pub fn gold_check(dir: &Path) {
    let out = harness(&["gold", "check", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn gold_add_copies_byte_for_byte_and_refuses_to_overwrite() {
    let gold = gold_with_article("annotate-add");
    assert_eq!(std::fs::read(gold.join("articles/a1.txt")).unwrap(), TEXT.as_bytes());
    let file = std::fs::read_to_string(gold.join("a1.json")).unwrap();
    assert!(
        file.contains("\"mentions\": []") && file.contains("\"source\": \"articles/a1.txt\""),
        "{file}"
    );
    gold_check(&gold);
    let src = gold.parent().unwrap().join("a1.txt");
    let add = |extra: &[&str]| {
        let mut args = vec!["gold", "add", src.to_str().unwrap(), "--gold", gold.to_str().unwrap()];
        args.extend(extra);
        harness(&args)
    };
    let again = add(&[]);
    assert_eq!(
        again.status.code(),
        Some(7),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let evil = add(&["--id", "../../escape"]);
    assert_eq!(evil.status.code(), Some(2));
    assert!(!gold.parent().unwrap().parent().unwrap().join("escape.json").exists());
    let other = add(&["--id", "a2"]);
    assert_eq!(other.status.code(), Some(0));
    gold_check(&gold);
}

#[test]
fn every_request_needs_the_token_and_this_host() {
    let gold = gold_with_article("annotate-token");
    let w = Workbench::start(&["--gold", gold.to_str().unwrap()]);
    assert!(w.url.starts_with("http://127.0.0.1:"), "{}", w.url);
    let host = w.host();
    let get = |path: &str, headers: &[(&str, &str)]| request(w.port, "GET", path, headers, None).0;
    // The page and the API without a token, with a wrong one, with the right one.
    assert_eq!(get("/", &[("Host", &host)]), 401);
    assert_eq!(get("/?token=wrong", &[("Host", &host)]), 401);
    assert_eq!(get(&format!("/?token={}", w.token), &[("Host", &host)]), 200);
    assert_eq!(get("/api/session", &[("Host", &host)]), 401);
    assert_eq!(get("/api/session", &[("Host", &host), ("X-Annotate-Token", "x")]), 401);
    assert_eq!(
        get("/api/articles/a1", &[("Host", &host), ("X-Annotate-Token", &w.token)]),
        200
    );
    let localhost = format!("localhost:{}", w.port);
    assert_eq!(
        get("/api/session", &[("Host", &localhost), ("X-Annotate-Token", &w.token)]),
        200
    );
    // A token in the query does not authorise a state change.
    let post = request(
        w.port,
        "POST",
        &format!("/api/articles/a1/check?token={}", w.token),
        &[("Host", &host)],
        Some(r#"{"doc": {"ignore": [], "mentions": []}}"#),
    );
    assert_eq!(post.0, 401);
    // DNS rebinding: a name that resolves here, but is not this server's.
    for bad_host in [
        "evil.example",
        "evil.example:80",
        &format!("evil.example:{}", w.port),
        "",
    ] {
        let headers: Vec<(&str, &str)> = if bad_host.is_empty() {
            vec![("X-Annotate-Token", &w.token)]
        } else {
            vec![("Host", bad_host), ("X-Annotate-Token", &w.token)]
        };
        assert_eq!(get("/api/session", &headers), 403, "Host {bad_host:?}");
    }
    // Foreign origins and cross-site fetches, even with the token.
    let body = r#"{"doc": {"ignore": [], "mentions": []}}"#;
    for (k, v) in [
        ("Origin", "http://evil.example"),
        ("Origin", "null"),
        ("Origin", &format!("http://localhost.evil.example:{}", w.port)),
        ("Sec-Fetch-Site", "cross-site"),
        ("Sec-Fetch-Site", "same-site"),
    ] {
        let r = request(
            w.port,
            "POST",
            "/api/articles/a1/check",
            &[("Host", &host), ("X-Annotate-Token", &w.token), (k, v)],
            Some(body),
        );
        assert_eq!(r.0, 403, "{k}: {v}");
    }
    let ok = request(
        w.port,
        "POST",
        "/api/articles/a1/check",
        &[
            ("Host", &host),
            ("X-Annotate-Token", &w.token),
            ("Origin", &format!("http://{host}")),
            ("Sec-Fetch-Site", "same-origin"),
        ],
        Some(body),
    );
    assert_eq!(ok.0, 200);
    // The page allows only its own inlined scripts.
    let (_, headers, page) = request(w.port, "GET", &format!("/?token={}", w.token), &[("Host", &host)], None);
    let csp = &headers.iter().find(|(k, _)| k == "content-security-policy").unwrap().1;
    assert!(
        csp.contains("script-src 'nonce-") && csp.contains("default-src 'none'"),
        "{csp}"
    );
    let page = String::from_utf8(page).unwrap();
    assert!(
        !page.contains("{{") && !page.contains("src=\"http"),
        "the page loads nothing from outside"
    );
}

#[test]
fn ids_cannot_reach_outside_the_gold_directory() {
    let gold = gold_with_article("annotate-traversal");
    let w = Workbench::start(&["--gold", gold.to_str().unwrap()]);
    let secret = gold.parent().unwrap().join("secret.json");
    std::fs::write(&secret, "{}").unwrap();
    for id in [
        "..%2Fsecret",
        "..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "%2E%2E%2Fsecret",
        ".hidden",
        "a1%00",
        "a%2Fb",
    ] {
        let (status, body) = w.api("GET", &format!("articles/{id}"), None);
        assert_eq!(status, 400, "{id}: {body}");
        assert!(body["error"].as_str().unwrap().contains("not safe"), "{id}: {body}");
        let (status, _) = w.api(
            "POST",
            &format!("articles/{id}"),
            Some(&json!({"base_hash": "", "doc": {"ignore": [], "mentions": []}})),
        );
        assert_eq!(status, 400, "{id}");
    }
    // Unencoded dots are just other paths, none of them an endpoint.
    let (status, _) = w.api("GET", "articles/../../etc/passwd", None);
    assert_eq!(status, 404);
    assert_eq!(std::fs::read_to_string(&secret).unwrap(), "{}");
    assert!(!gold.join("secret.json").exists());
}

#[test]
fn load_save_and_refuse_what_would_be_lost() {
    let gold = gold_with_article("annotate-save");
    let w = Workbench::start(&["--gold", gold.to_str().unwrap()]);
    let (status, session) = w.api("GET", "session", None);
    assert_eq!(status, 200);
    assert_eq!(session["mode"], "annotate");
    let (_, list) = w.api("GET", "articles", None);
    assert_eq!(list["articles"][0]["status"], "new");

    let (status, a) = w.api("GET", "articles/a1", None);
    assert_eq!(status, 200, "{a}");
    assert_eq!(a["text"], TEXT);
    let file = gold.join("a1.json");
    let hash = harness::digest::sha256_hex(&std::fs::read(&file).unwrap());
    assert_eq!(a["hash"], hash);

    // Offsets are code points: the NFD name after the CRLF.
    let name = "Le\u{302} Va\u{306}n A";
    let doc = json!({
        "ignore": [{"start": span(TEXT, "Ảnh: X").0, "end": span(TEXT, "Ảnh: X").1, "reason": "photo credit"}],
        "mentions": [
            mention("p1", "percentage", "7,1%", json!({"value": 7.1})),
            mention("d1", "date", "Ngày 4/6/2024", json!("2024-06-04")),
            mention("o1", "official", name, json!({"name": "Lê Văn A", "titles": ["Chủ tịch UBND huyện"]})),
        ],
    });
    let (status, saved) = w.api(
        "POST",
        "articles/a1",
        Some(&json!({"base_hash": hash, "done": true, "doc": doc})),
    );
    assert_eq!(status, 200, "{saved}");
    let written = std::fs::read_to_string(&file).unwrap();
    assert_eq!(saved["hash"], harness::digest::sha256_hex(written.as_bytes()));
    assert_eq!(saved["status"], "done");
    gold_check(&gold);
    // Canonical layout, sorted by start.
    let (article, diags) = harness::gold::load_file(&file);
    assert!(diags.is_empty(), "{diags:?}");
    let article = article.unwrap();
    assert_eq!(harness::gold::canonical(&article), written);
    let ids: Vec<&str> = article.mentions.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["d1", "p1", "o1"]);
    assert!(std::fs::read_to_string(gold.join("annotate-status.toml"))
        .unwrap()
        .contains("\"a1\" = \"done\""));
    let (_, list) = w.api("GET", "articles", None);
    assert_eq!(list["articles"][0]["status"], "done");
    assert_eq!(list["articles"][0]["counts"]["official"], 1);

    // A save against an older version of the file is refused, and says
    // what the file's hash is now.
    let (status, conflict) = w.api(
        "POST",
        "articles/a1",
        Some(&json!({"base_hash": hash, "doc": {"ignore": [], "mentions": []}})),
    );
    assert_eq!(status, 409, "{conflict}");
    assert_eq!(conflict["hash"], saved["hash"]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), written);

    // Labels that break the format are refused with each problem, its
    // mention and its guideline rule; nothing is written.
    let mut bad = doc.clone();
    bad["mentions"][0]["text"] = json!("7,1 %");
    bad["mentions"][1]["value"] = json!("2024-13-04");
    bad["mentions"].as_array_mut().unwrap().push(json!({
        "id": "f1", "field": "figure", "start": span(TEXT, "Ảnh").0, "end": span(TEXT, "Ảnh").1,
        "text": "Ảnh", "value": {"amount": 1, "unit": "x"}
    }));
    let (status, refused) = w.api(
        "POST",
        "articles/a1",
        Some(&json!({"base_hash": saved["hash"], "doc": bad})),
    );
    assert_eq!(status, 422, "{refused}");
    let problems = refused["problems"].as_array().unwrap();
    let about = |id: &str| {
        problems
            .iter()
            .find(|p| p["mention"] == id && p["severity"] == "error")
            .unwrap_or_else(|| panic!("no error about {id}: {refused}"))
    };
    assert!(about("p1")["message"].as_str().unwrap().contains("does not match"));
    assert!(about("d1")["rule"].as_str().unwrap().starts_with("date:"));
    assert!(about("f1")["message"]
        .as_str()
        .unwrap()
        .contains("inside ignore region"));
    assert!(about("f1")["rule"].as_str().unwrap().contains("ignore region"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), written);
    // A value of the wrong shape is refused too.
    bad = doc.clone();
    bad["mentions"][0]["value"] = json!({"value": "7,1"});
    let (status, refused) = w.api(
        "POST",
        "articles/a1",
        Some(&json!({"base_hash": saved["hash"], "doc": bad})),
    );
    assert_eq!(status, 422);
    assert!(
        refused["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("wrong shape"),
        "{refused}"
    );

    // A malformed body is a bad request, not a crash.
    let (status, _) = w.api("POST", "articles/a1", Some(&json!({"doc": 1})));
    assert_eq!(status, 400);
    let (status, _) = w.api("GET", "articles/nope", None);
    assert_eq!(status, 404);
    let (status, _) = w.api("PUT", "articles/a1", None);
    assert_eq!(status, 405);
}

#[test]
fn check_validate_and_guess() {
    let gold = gold_with_article("annotate-check");
    let w = Workbench::start(&["--gold", gold.to_str().unwrap()]);
    // check: every problem, nothing written.
    let before = std::fs::read(gold.join("a1.json")).unwrap();
    let (s, e) = span(TEXT, "7,1%");
    let doc = json!({"ignore": [{"start": s - 2, "end": e}], "mentions": [
        mention("p1", "percentage", "7,1%", json!({"value": 7.1})),
        mention("p2", "percentage", "khoảng", json!({"value": 1})),
    ]});
    let (status, r) = w.api("POST", "articles/a1/check", Some(&json!({ "doc": doc })));
    assert_eq!(status, 200);
    let problems = r["problems"].as_array().unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p["mention"] == "p1" && p["severity"] == "error"),
        "{r}"
    );
    assert!(problems.iter().any(|p| p["mention"] == "p2"), "{r}");
    assert_eq!(std::fs::read(gold.join("a1.json")).unwrap(), before);

    // validate: one mention, with the loader's checks, and guideline warnings.
    let validate = |m: Value| -> Vec<Value> {
        let (status, r) = w.api("POST", "articles/a1/validate", Some(&json!({ "mention": m })));
        assert_eq!(status, 200, "{r}");
        r["problems"].as_array().unwrap().clone()
    };
    assert!(validate(mention("d1", "date", "Ngày 4/6/2024", json!("2024-06-04"))).is_empty());
    let bad_date = validate(mention("d1", "date", "Ngày 4/6/2024", json!("2024-6-4")));
    assert_eq!(bad_date.len(), 1);
    assert!(bad_date[0]["rule"].as_str().unwrap().contains("TIMEX"));
    let bad_unit = validate(mention(
        "f1",
        "figure",
        "54 doanh nghiệp",
        json!({"amount": 54, "unit": "Doanh nghiệp"}),
    ));
    assert!(bad_unit[0]["message"].as_str().unwrap().contains("lower case"));
    let bad_amount = validate(mention(
        "f1",
        "figure",
        "54 doanh nghiệp",
        json!({"amount": "54", "unit": "dn"}),
    ));
    assert!(bad_amount[0]["message"].as_str().unwrap().contains("wrong shape"));
    let comma = validate(mention("p1", "percentage", "7,1%", json!({"value": 7.1})));
    assert!(comma.is_empty());
    let (s, _) = span(TEXT, "7,1%");
    let trailing = validate(json!({"id": "p1", "field": "percentage", "start": s, "end": s + 5,
        "text": "7,1% ", "value": {"value": 7.1}}));
    assert_eq!(trailing[0]["severity"], "warning", "{trailing:?}");
    let official = validate(mention(
        "o1",
        "official",
        "Le\u{302} Va\u{306}n A",
        json!({"name": "Lê Văn A", "titles": []}),
    ));
    assert!(official.is_empty(), "{official:?}");

    // guess: the value the guidelines give for a span.
    let guess = |field: &str, needle: &str| -> Value {
        let (s, e) = span(TEXT, needle);
        let (status, r) = w.api(
            "POST",
            "articles/a1/guess",
            Some(&json!({"field": field, "start": s, "end": e})),
        );
        assert_eq!(status, 200, "{r}");
        assert_eq!(r["text"], needle);
        r["value"].clone()
    };
    assert_eq!(guess("date", "Ngày 4/6/2024"), json!("2024-06-04"));
    assert_eq!(guess("date", "quý I/2024"), json!("2024-Q1"));
    assert_eq!(guess("percentage", "7,1%"), json!({"value": 7.1}));
    assert_eq!(
        guess("figure", "54 doanh nghiệp"),
        json!({"amount": 54.0, "unit": "doanh nghiệp"})
    );
    assert_eq!(
        guess("official", "Le\u{302} Va\u{306}n A"),
        json!({"name": "Lê Văn A", "titles": ["Chủ tịch UBND huyện"]})
    );
    let (status, _) = w.api(
        "POST",
        "articles/a1/guess",
        Some(&json!({"field": "date", "start": 5, "end": 99999})),
    );
    assert_eq!(status, 400);
}

/// A command plugin that proposes "7,1%" and "quý I/2024" in any article.
pub fn fixed_plugin(dir: &Path) -> String {
    let (ps, pe) = span(TEXT, "7,1%");
    let (ds, de) = span(TEXT, "quý I/2024");
    let script = dir.join("plugin.sh");
    std::fs::write(
        &script,
        format!(
            r#"echo '{{"protocol":"ie-harness-jsonl","protocol_version":1,"name":"fixed","version":"9.9","fields":["date","percentage"]}}'
while read -r line; do
  id=$(printf '%s' "$line" | sed 's/^{{"id":"\([^"]*\)".*/\1/')
  echo '{{"id":"'"$id"'","mentions":[{{"field":"percentage","start":{ps},"end":{pe},"text":"7,1%","value":{{"value":7.1}}}},{{"field":"date","start":{ds},"end":{de},"text":"quý I/2024","value":"2024-Q1"}}]}}'
done
"#
        ),
    )
    .unwrap();
    format!("cmd:sh {}", script.display())
}

#[test]
fn preannotation_marks_mentions_unreviewed_with_the_plugin_version() {
    let gold = gold_with_article("annotate-pre");
    let plugin = fixed_plugin(gold.parent().unwrap());
    let w = Workbench::start(&["--gold", gold.to_str().unwrap(), "--plugin", &plugin]);
    let (_, session) = w.api("GET", "session", None);
    assert_eq!(session["plugin"], json!({"name": "fixed", "version": "9.9"}));
    let (status, r) = w.api("POST", "articles/a1/preannotate", None);
    assert_eq!(status, 200, "{r}");
    let ms = r["mentions"].as_array().unwrap();
    assert_eq!(ms.len(), 2);
    assert_eq!(ms[0]["id"], "d1");
    assert_eq!(ms[1]["id"], "p1");
    for m in ms {
        assert_eq!(
            m["pre"],
            json!({"plugin": "fixed", "version": "9.9", "reviewed": false})
        );
    }
    // Saved as proposed, then one accepted: the file records both.
    let (_, a) = w.api("GET", "articles/a1", None);
    let mut accepted = ms.clone();
    accepted[1]["pre"]["reviewed"] = json!(true);
    let (status, saved) = w.api(
        "POST",
        "articles/a1",
        Some(&json!({"base_hash": a["hash"], "done": true, "doc": {"ignore": [], "mentions": accepted}})),
    );
    assert_eq!(status, 200, "{saved}");
    // Not done while a proposal is unreviewed, whatever the mark says.
    assert_eq!(saved["status"], "in progress");
    let written = std::fs::read_to_string(gold.join("a1.json")).unwrap();
    assert!(
        written.contains(r#""pre": {"plugin": "fixed", "version": "9.9", "reviewed": false}"#),
        "{written}"
    );
    assert!(
        written.contains(r#""pre": {"plugin": "fixed", "version": "9.9", "reviewed": true}"#),
        "{written}"
    );
    gold_check(&gold);
    let (_, list) = w.api("GET", "articles", None);
    assert_eq!(list["articles"][0]["unreviewed"], 1);
    // Only for articles without mentions.
    let (status, _) = w.api("POST", "articles/a1/preannotate", None);
    assert_eq!(status, 400);
    drop(w);
    let plain = Workbench::start(&["--gold", gold.to_str().unwrap()]);
    let (status, r) = plain.api("POST", "articles/a1/preannotate", None);
    assert_eq!(status, 400);
    assert!(r["error"].as_str().unwrap().contains("--plugin"));
}

/// Two passes over one article that disagree on one figure's span.
pub fn two_passes(name: &str) -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    let dir = temp_dir(name);
    let (a, b, out) = (dir.join("a"), dir.join("b"), dir.join("out"));
    let (ps, pe) = span(TEXT, "7,1%");
    let (fs, fe) = span(TEXT, "54 doanh nghiệp");
    let (ns, ne) = span(TEXT, "54");
    tiny_gold(
        &a,
        "a1",
        TEXT,
        &[
            ("p1", "percentage", ps, pe, json!({"value": 7.1})),
            ("f1", "figure", fs, fe, json!({"amount": 54, "unit": "doanh nghiệp"})),
        ],
    );
    tiny_gold(
        &b,
        "a1",
        TEXT,
        &[
            ("p1", "percentage", ps, pe, json!({"value": 7.1})),
            ("f1", "figure", ns, ne, json!({"amount": 54, "unit": "doanh nghiệp"})),
        ],
    );
    (a, b, out)
}

#[test]
fn adjudication_starts_from_the_agreements_and_writes_the_merged_gold() {
    let (a, b, out) = two_passes("annotate-adjudicate");
    let w = Workbench::start(&[
        "--adjudicate",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--gold",
        out.to_str().unwrap(),
    ]);
    let (_, session) = w.api("GET", "session", None);
    assert_eq!(session["mode"], "adjudicate");
    assert_eq!(session["agreement"]["disagreements"].as_array().unwrap().len(), 1);
    let (_, list) = w.api("GET", "articles", None);
    assert_eq!(list["articles"][0]["status"], "new");
    assert_eq!(list["articles"][0]["disagreements"], 1);
    let (status, art) = w.api("GET", "articles/a1", None);
    assert_eq!(status, 200, "{art}");
    assert_eq!(art["hash"], "");
    let agreed = art["doc"]["mentions"].as_array().unwrap();
    assert_eq!(agreed.len(), 1, "{art}");
    assert_eq!(agreed[0]["text"], "7,1%");
    let choices = art["adjudication"]["choices"].as_array().unwrap();
    assert_eq!(choices.len(), 1);
    assert_eq!(choices[0]["kind"], "boundary");
    assert_eq!(choices[0]["a"]["mentions"][0]["text"], "54 doanh nghiệp");
    assert_eq!(choices[0]["b"]["mentions"][0]["text"], "54");
    let per_article = &art["adjudication"]["agreement"]["fields"]["figure"]["exact_span"]["f1"];
    assert_eq!(per_article, &json!(0.0));
    // Checking before the first save reads the passes' text.
    let (status, r) = w.api("POST", "articles/a1/check", Some(&json!({"doc": art["doc"]})));
    assert_eq!(status, 200);
    assert_eq!(r["problems"], json!([]));

    // Take the left side and save: the text is copied byte for byte.
    let mut doc = art["doc"].clone();
    doc["mentions"]
        .as_array_mut()
        .unwrap()
        .push(choices[0]["a"]["mentions"][0].clone());
    let (status, saved) = w.api(
        "POST",
        "articles/a1",
        Some(&json!({"base_hash": "", "done": true, "doc": doc})),
    );
    assert_eq!(status, 200, "{saved}");
    assert_eq!(std::fs::read(out.join("articles/a1.txt")).unwrap(), TEXT.as_bytes());
    gold_check(&out);
    let (merged, _) = harness::gold::load_file(&out.join("a1.json"));
    assert_eq!(merged.unwrap().mentions[1].text, "54 doanh nghiệp");
    // Once saved, the merged file is the decision: no choices left.
    let (_, art) = w.api("GET", "articles/a1", None);
    assert_eq!(art["adjudication"]["choices"], json!([]));
    assert_eq!(art["hash"], saved["hash"]);
}

#[test]
fn bad_starts_are_clear_errors() {
    let gold = gold_with_article("annotate-bad-start");
    let run = |args: &[&str]| {
        let out = harness(&[&["annotate", "--no-open"], args].concat());
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (code, err) = run(&["--gold", gold.to_str().unwrap(), "--article", "nope"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--article \"nope\""), "{err}");
    let (code, err) = run(&["--gold", "/nonexistent/gold"]);
    assert_eq!(code, Some(4), "{err}");
    let (code, err) = run(&["--gold", gold.to_str().unwrap(), "--plugin", "/nonexistent.so"]);
    assert_eq!(code, Some(4), "{err}");
}
