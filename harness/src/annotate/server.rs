//! The HTTP shell around the API, on 127.0.0.1 only. Like Jupyter, every
//! request must carry a random token (the URL printed at start, then a
//! header the page sends); and since a token alone does not stop a page on
//! another site from making the browser send requests, the `Host` header
//! must name this server (no DNS rebinding) and a request with a foreign
//! `Origin` or `Sec-Fetch-Site` is refused. State changes are POSTs, which a
//! foreign page cannot send with the token header without a CORS preflight
//! this server never grants.

use super::api::Api;
use std::io::Read;
use std::sync::Arc;
use std::thread::JoinHandle;
use tiny_http::{Header, Request, Response, Server};

/// Requests handled at once: a slow pre-annotation must not stall the page.
const WORKERS: usize = 4;
/// The largest request body accepted (a 200 KB article's labels are far less).
const MAX_BODY: u64 = 32 << 20;

const PAGE: &str = include_str!("assets/index.html");
const CSS: &str = include_str!("assets/app.css");
const JS: &[&str] = &[
    include_str!("assets/text.js"),
    include_str!("assets/editor.js"),
    include_str!("assets/app.js"),
];

/// A running workbench.
pub struct Running {
    /// `http://127.0.0.1:PORT/?token=…`
    pub url: String,
    pub port: u16,
    server: Arc<Server>,
    workers: Vec<JoinHandle<()>>,
}

impl Running {
    /// Serves until `stop` is called (from another thread) or the process ends.
    pub fn wait(self) {
        for w in self.workers {
            let _ = w.join();
        }
    }

    /// Makes every worker return once it finishes its current request.
    pub fn stop(&self) {
        for _ in 0..self.workers.len() {
            self.server.unblock();
        }
    }
}

/// `n` random bytes as hex, from the operating system.
fn random_hex(n: usize) -> Result<String, crate::Error> {
    let mut bytes = vec![0u8; n];
    let path = std::path::Path::new("/dev/urandom");
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(crate::Error::io(path))?;
    Ok(crate::digest::hex(&bytes))
}

struct App {
    api: Api,
    token: String,
    port: u16,
}

pub fn start(api: Api, port: u16) -> Result<Running, crate::Error> {
    let server = Server::http(("127.0.0.1", port))
        .map_err(|e| crate::Error::BadInput(format!("cannot listen on 127.0.0.1:{port}: {e}")))?;
    let port = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .ok_or_else(|| crate::Error::BadInput("the server has no IP address".into()))?;
    let token = random_hex(24)?;
    let url = format!("http://127.0.0.1:{port}/?token={token}");
    let server = Arc::new(server);
    let app = Arc::new(App { api, token, port });
    let workers = (0..WORKERS)
        .map(|_| {
            let (server, app) = (server.clone(), app.clone());
            std::thread::spawn(move || {
                while let Ok(mut request) = server.recv() {
                    let response = app.respond(&mut request);
                    // The browser may have gone; nothing to do about it.
                    let _ = request.respond(response);
                }
            })
        })
        .collect();
    Ok(Running {
        url,
        port,
        server,
        workers,
    })
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("static header names and ASCII values")
}

type Reply = Response<std::io::Cursor<Vec<u8>>>;

fn common(r: Reply) -> Reply {
    r.with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
        .with_header(header("Referrer-Policy", "no-referrer"))
        .with_header(header("X-Frame-Options", "DENY"))
}

fn text(status: u16, msg: &str) -> Reply {
    common(
        Response::from_data(format!("{msg}\n").into_bytes())
            .with_status_code(status)
            .with_header(header("Content-Type", "text/plain; charset=utf-8")),
    )
}

fn json(status: u16, body: &serde_json::Value) -> Reply {
    common(
        Response::from_data(serde_json::to_vec(body).expect("JSON values serialize"))
            .with_status_code(status)
            .with_header(header("Content-Type", "application/json")),
    )
}

/// Equal strings, compared in time independent of where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl App {
    fn header<'r>(&self, request: &'r Request, name: &str) -> Option<&'r str> {
        request
            .headers()
            .iter()
            .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    }

    /// Why a request must be refused, before its token is even looked at.
    fn foreign(&self, request: &Request) -> Option<&'static str> {
        let hosts = [format!("127.0.0.1:{}", self.port), format!("localhost:{}", self.port)];
        match self.header(request, "Host") {
            Some(h) if hosts.iter().any(|x| x.eq_ignore_ascii_case(h)) => {}
            _ => return Some("the Host header does not name this server"),
        }
        if let Some(origin) = self.header(request, "Origin") {
            if !hosts
                .iter()
                .any(|x| origin.eq_ignore_ascii_case(&format!("http://{x}")))
            {
                return Some("requests from other origins are refused");
            }
        }
        match self.header(request, "Sec-Fetch-Site") {
            None | Some("same-origin" | "none") => None,
            Some(_) => Some("requests from other sites are refused"),
        }
    }

    fn respond(&self, request: &mut Request) -> Reply {
        if let Some(why) = self.foreign(request) {
            return text(403, why);
        }
        let url = request.url().to_string();
        let (path, query) = url.split_once('?').unwrap_or((&url, ""));
        let method = request.method().as_str().to_string();
        let query_token = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("token="))
            .filter(|_| method == "GET");
        let token = self.header(request, "X-Annotate-Token").or(query_token);
        if !token.is_some_and(|t| same(t, &self.token)) {
            return text(
                401,
                "missing or wrong token: open the URL that `harness annotate` printed",
            );
        }
        if request.body_length().is_some_and(|n| n as u64 > MAX_BODY) {
            return text(413, "request body too large");
        }
        let mut body = Vec::new();
        if request.as_reader().take(MAX_BODY + 1).read_to_end(&mut body).is_err() {
            return text(400, "could not read the request body");
        }
        if body.len() as u64 > MAX_BODY {
            return text(413, "request body too large");
        }
        match (method.as_str(), path) {
            ("GET", "/") => self.page(),
            (_, "/") => text(405, "GET only"),
            (_, p) if p.starts_with("/api/") => {
                let r = self.api.handle(&method, &p["/api/".len()..], &body);
                json(r.status, &r.body)
            }
            _ => text(404, "not found"),
        }
    }

    /// The page: one document with its styles and scripts inlined under a
    /// per-response nonce, so the content security policy allows nothing
    /// else (no other scripts, no requests to other hosts).
    fn page(&self) -> Reply {
        let nonce = random_hex(16).unwrap_or_default();
        let html = PAGE
            .replace("{{nonce}}", &nonce)
            .replace("{{css}}", CSS)
            .replace("{{js}}", &JS.join("\n"));
        let csp = format!(
            "default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        );
        common(
            Response::from_data(html.into_bytes())
                .with_header(header("Content-Type", "text/html; charset=utf-8"))
                .with_header(header("Content-Security-Policy", &csp)),
        )
    }
}
