//! Accounts and access against a real ClickHouse, with two nodes sharing it: sessions,
//! roles on every documented route, invitations, shared links, keys, CSRF, throttles,
//! headers, the audit log and site deletion.

use std::time::{Duration, Instant};

use parcours::accounts::{invitations, members, users, Role};
use parcours::config::Config;
use parcours::store::{keys, sites};
use reqwest::Method;
use serde_json::{json, Value};

use crate::support::{self, TestServer, SITE};

const OTHER: &str = "autre-clinique.fr";
const OWNER: &str = "direction@clinique-exemple.fr";
const PASSWORD: &str = "un mot de passe assez long";

/// Short caches, so that a logout made on one node reaches the other in a test's time.
fn quick(c: &mut Config) {
    c.accounts.cache_seconds = 1;
}

/// A second node on the same database.
async fn second_node(t: &TestServer, test: &str) -> (parcours::server::Running, String) {
    let mut c = support::config(test);
    quick(&mut c);
    c.data_dir = c.data_dir.with_file_name(format!("data-{test}-b"));
    let _ = std::fs::remove_dir_all(&c.data_dir);
    let node = parcours::server::start(c, t.store.clone()).await.unwrap();
    node.refresh().await.unwrap();
    let base = format!("http://{}", node.addr);
    (node, base)
}

/// A browser's view of a session: its cookie and CSRF token.
#[derive(Clone)]
struct Browser {
    http: reqwest::Client,
    base: String,
    cookie: String,
    csrf: String,
}

impl Browser {
    fn on(&self, base: &str) -> Self {
        Self {
            base: base.to_owned(),
            ..self.clone()
        }
    }

    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut r = self
            .http
            .request(method.clone(), format!("{}{path}", self.base))
            .header("cookie", format!("parcours_session={}", self.cookie));
        if method != Method::GET {
            r = r
                .header("x-csrf-token", &self.csrf)
                .header("origin", &self.base)
                .header("sec-fetch-site", "same-origin");
        }
        if let Some(b) = body {
            r = r.json(&b);
        }
        let r = r.send().await.unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        self.call(Method::GET, path, None).await
    }

    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(Method::POST, path, Some(body)).await
    }

    async fn delete(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(Method::DELETE, path, Some(body)).await
    }

    async fn patch(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(Method::PATCH, path, Some(body)).await
    }
}

fn cookie_of(r: &reqwest::Response) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("parcours_session="))
        .map(|v| v.split(';').next().unwrap_or("").to_owned())
}

/// Signs in (or makes the first owner with `path` = setup); panics unless it works.
async fn sign_in_at(base: &str, path: &str, email: &str, password: &str) -> Browser {
    let http = reqwest::Client::new();
    let r = http
        .post(format!("{base}{path}"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let cookie = cookie_of(&r);
    let set_cookie = r
        .headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let me: Value = r.json().await.unwrap();
    assert_eq!(status, 200, "{path} {email}: {me}");
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
        "{set_cookie}"
    );
    Browser {
        http,
        base: base.to_owned(),
        cookie: cookie.expect("a session cookie"),
        csrf: me["csrf"].as_str().unwrap().to_owned(),
    }
}

async fn sign_in(base: &str, email: &str, password: &str) -> Browser {
    sign_in_at(base, "/api/auth/login", email, password).await
}

/// A server with two sites and a server owner made through the first-run endpoint.
async fn start(test: &str, tweak: impl FnOnce(&mut Config)) -> (TestServer, Browser, u32) {
    let t = TestServer::start(test, |c| {
        quick(c);
        tweak(c);
    })
    .await;
    let other = sites::add(&t.store, OTHER, "Europe/Paris").await.unwrap();
    t.running.refresh().await.unwrap();
    let owner = sign_in_at(&t.base, "/api/auth/setup", OWNER, PASSWORD).await;
    (t, owner, other.site_id)
}

async fn site_id(t: &TestServer, domain: &str) -> u32 {
    sites::find(&t.store, domain)
        .await
        .unwrap()
        .unwrap()
        .site_id
}

async fn person(t: &TestServer, email: &str, site: &str, role: Role) {
    let u = users::add(&t.store, email, PASSWORD, false).await.unwrap();
    members::set(&t.store, site_id(t, site).await, &u.user_id, role)
        .await
        .unwrap();
}

#[tokio::test]
async fn first_run_then_sessions_shared_by_nodes_and_logout_reaches_both() {
    let test = "accounts_sessions";
    let t = TestServer::start(test, quick).await;
    let http = reqwest::Client::new();
    // Before any account: the first owner may be made from loopback only.
    let a: Value = http
        .get(format!("{}/api/auth/setup", t.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(a, json!({"needed": true, "allowed": true}));
    let stranger = http
        .post(format!("{}/api/auth/setup", t.base))
        .header("x-forwarded-for", "203.0.113.9")
        .json(&json!({"email": "intrus@example.com", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(stranger.status().as_u16(), 403);
    let owner = sign_in_at(&t.base, "/api/auth/setup", OWNER, PASSWORD).await;
    let again = http
        .post(format!("{}/api/auth/setup", t.base))
        .json(&json!({"email": "second@example.com", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status().as_u16(), 409);

    let (node_b, base_b) = second_node(&t, test).await;
    let (status, me) = owner.on(&base_b).get("/api/auth/me").await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["user"]["server_owner"], true);
    assert_eq!(me["sites"][0]["role"], "owner", "{me}");
    // A session made on B works on A too.
    let on_b = sign_in(&base_b, OWNER, PASSWORD).await;
    assert_eq!(on_b.on(&t.base).get("/api/auth/me").await.0, 200);

    // Logout on A: refused on A at once, on B after the cache time.
    assert_eq!(owner.get("/api/v2/sites").await.0, 200);
    assert_eq!(owner.on(&base_b).get("/api/v2/sites").await.0, 200);
    assert_eq!(owner.post("/api/auth/logout", json!({})).await.0, 200);
    assert_eq!(owner.get("/api/v2/sites").await.0, 401);
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    assert_eq!(owner.on(&base_b).get("/api/v2/sites").await.0, 401);
    // The other session lives on; "everywhere" ends it on both nodes.
    assert_eq!(on_b.get("/api/auth/me").await.0, 200);
    assert_eq!(
        on_b.post("/api/auth/logout", json!({"everywhere": true}))
            .await
            .0,
        200
    );
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    assert_eq!(on_b.get("/api/auth/me").await.0, 401);
    assert_eq!(on_b.on(&t.base).get("/api/auth/me").await.0, 401);

    // Password change: the old password stops working, other sessions end.
    let one = sign_in(&t.base, OWNER, PASSWORD).await;
    let two = sign_in(&base_b, OWNER, PASSWORD).await;
    let (s, a) = one
        .post(
            "/api/auth/password",
            json!({"current": "wrong wrong wrong", "new": "a new long password"}),
        )
        .await;
    assert_eq!(s, 401, "{a}");
    let (s, a) = one
        .post(
            "/api/auth/password",
            json!({"current": PASSWORD, "new": "court"}),
        )
        .await;
    assert_eq!(s, 400, "{a}");
    let (s, _) = one
        .post(
            "/api/auth/password",
            json!({"current": PASSWORD, "new": "a new long password"}),
        )
        .await;
    assert_eq!(s, 200);
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    assert_eq!(one.get("/api/auth/me").await.0, 200);
    assert_eq!(two.get("/api/auth/me").await.0, 401);
    let r = http
        .post(format!("{}/api/auth/login", t.base))
        .json(&json!({"email": OWNER, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    node_b.shutdown().await;
}

/// Every `METHOD /api/v2/...` route of docs/API.md.
fn documented_routes() -> Vec<(String, String)> {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/API.md")).unwrap();
    let re = regex::Regex::new(r"\b(GET|POST|PATCH|DELETE) (/api/v2/[a-z_]+)").unwrap();
    let mut routes: Vec<(String, String)> = re
        .captures_iter(&text)
        .map(|c| (c[1].to_owned(), c[2].to_owned()))
        .collect();
    routes.sort();
    routes.dedup();
    routes
}

/// A well-formed request of a route on `site`, so that only access can refuse it.
fn request_of(method: &str, path: &str, site: &str) -> Option<(Method, String, Option<Value>)> {
    let q = format!("{path}?site_id={site}");
    let body = |extra: Value| {
        let mut b = json!({"site_id": site});
        b.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        Some(b)
    };
    let range = json!({"date_range": "7d"});
    Some(match (method, path) {
        ("GET", _) => (Method::GET, q, None),
        ("POST", "/api/v2/query") => (
            Method::POST,
            path.into(),
            body(json!({"metrics": ["visitors"], "date_range": "7d"})),
        ),
        ("POST", "/api/v2/realtime") => (Method::POST, path.into(), body(json!({}))),
        ("POST", "/api/v2/funnel") => (
            Method::POST,
            path.into(),
            body(json!({"date_range": "7d", "steps": [{"page": "/a"}, {"page": "/b"}]})),
        ),
        ("POST", "/api/v2/journeys") => (Method::POST, path.into(), body(range)),
        ("POST", "/api/v2/attribution") => (
            Method::POST,
            path.into(),
            body(json!({"date_range": "7d", "goal": "RDV"})),
        ),
        ("POST", "/api/v2/goals") => (
            Method::POST,
            path.into(),
            body(json!({"name": "RDV", "event_name": "Booking"})),
        ),
        ("POST", "/api/v2/content_groups") => (
            Method::POST,
            path.into(),
            body(json!({"name": "Symptômes", "patterns": ["/symptomes/**"]})),
        ),
        ("POST", "/api/v2/funnels") => (
            Method::POST,
            path.into(),
            body(json!({"name": "F", "definition": {"steps": [{"page": "/a"}, {"page": "/b"}]}})),
        ),
        ("DELETE", "/api/v2/goals" | "/api/v2/content_groups" | "/api/v2/funnels") => {
            (Method::DELETE, path.into(), body(json!({"name": "RDV"})))
        }
        ("POST", "/api/v2/sites") => (
            Method::POST,
            path.into(),
            Some(json!({"domain": "nouvelle-clinique.fr"})),
        ),
        ("PATCH", "/api/v2/sites") => (
            Method::PATCH,
            path.into(),
            body(json!({"min_group_size": 7})),
        ),
        ("DELETE", "/api/v2/sites") => {
            (Method::DELETE, path.into(), body(json!({"confirm": site})))
        }
        ("POST", "/api/v2/keys") => (Method::POST, path.into(), body(json!({}))),
        ("DELETE", "/api/v2/keys" | "/api/v2/invitations" | "/api/v2/shares") => (
            Method::DELETE,
            path.into(),
            body(json!({"id": "3f9a0c1b2d4e"})),
        ),
        ("PATCH", "/api/v2/members") => (
            Method::PATCH,
            path.into(),
            body(json!({"email": OWNER, "role": "viewer"})),
        ),
        ("DELETE", "/api/v2/members") => {
            (Method::DELETE, path.into(), body(json!({"email": OWNER})))
        }
        ("POST", "/api/v2/invitations") => (
            Method::POST,
            path.into(),
            body(json!({"email": "x@example.com", "role": "owner"})),
        ),
        ("POST", "/api/v2/shares") => (Method::POST, path.into(), body(json!({"name": "x"}))),
        _ => return None,
    })
}

#[tokio::test]
async fn a_viewer_of_one_site_reaches_nothing_of_another_on_any_documented_route() {
    let (t, owner, _) = start("accounts_walk", |_| {}).await;
    person(&t, "lecture@clinique-exemple.fr", SITE, Role::Viewer).await;
    person(&t, "agence@clinique-exemple.fr", SITE, Role::Editor).await;
    let viewer = sign_in(&t.base, "lecture@clinique-exemple.fr", PASSWORD).await;
    let editor = sign_in(&t.base, "agence@clinique-exemple.fr", PASSWORD).await;
    let (s, a) = viewer.get("/api/v2/sites").await;
    assert_eq!(s, 200);
    assert_eq!(a["sites"].as_array().unwrap().len(), 1, "{a}");
    assert_eq!(a["sites"][0]["role"], "viewer");

    let routes = documented_routes();
    assert!(routes.len() >= 25, "{routes:?}");
    let ro_key = keys::create_named(&t.store, site_id(&t, SITE).await, "", true)
        .await
        .unwrap()
        .0;
    for (method, path) in &routes {
        let Some((m, p, b)) = request_of(method, path, OTHER) else {
            panic!("{method} {path} is documented but not walked here: add it to request_of");
        };
        for (who, b_) in [("viewer", &viewer), ("editor", &editor)] {
            let (status, answer) = b_.call(m.clone(), &p, b.clone()).await;
            // The one route that names no site lists the credential's own.
            let listed_elsewhere = (method.as_str(), path.as_str()) == ("GET", "/api/v2/sites")
                && !answer.to_string().contains(OTHER);
            assert!(
                status == 403 || status == 404 || (status == 200 && listed_elsewhere),
                "{who} of {SITE} on {method} {path} of {OTHER}: {status} {answer}"
            );
        }
        // A read-only key of the first site, likewise.
        let mut r = t
            .http
            .request(m.clone(), format!("{}{p}", t.base))
            .bearer_auth(&ro_key);
        if let Some(b) = &b {
            r = r.json(b);
        }
        let r = r.send().await.unwrap();
        let status = r.status().as_u16();
        let answer = r.text().await.unwrap();
        let listed_elsewhere =
            (method.as_str(), path.as_str()) == ("GET", "/api/v2/sites") && !answer.contains(OTHER);
        assert!(
            status == 403 || status == 404 || (status == 200 && listed_elsewhere),
            "key on {method} {path}: {status} {answer}"
        );
    }
    // The same answer for an unknown site and a site the credential does not open.
    let (s1, a1) = viewer
        .post(
            "/api/v2/query",
            json!({"site_id": OTHER, "metrics": ["visitors"], "date_range": "7d"}),
        )
        .await;
    let (s2, a2) = viewer
        .post(
            "/api/v2/query",
            json!({"site_id": "inconnue.fr", "metrics": ["visitors"], "date_range": "7d"}),
        )
        .await;
    assert_eq!((s1, s2), (404, 404));
    assert_eq!(
        a1["error"].as_str().unwrap().replace(OTHER, "X"),
        a2["error"].as_str().unwrap().replace("inconnue.fr", "X")
    );

    // On their own site: the viewer reads and changes nothing; the editor edits
    // definitions but neither members nor keys nor settings.
    let q = json!({"site_id": SITE, "metrics": ["visitors"], "date_range": "7d"});
    assert_eq!(viewer.post("/api/v2/query", q.clone()).await.0, 200);
    let goal = json!({"site_id": SITE, "name": "RDV", "event_name": "Booking"});
    assert_eq!(viewer.post("/api/v2/goals", goal.clone()).await.0, 403);
    assert_eq!(editor.post("/api/v2/goals", goal).await.0, 200);
    for (m, p, b) in [
        (Method::GET, format!("/api/v2/members?site_id={SITE}"), None),
        (Method::GET, format!("/api/v2/keys?site_id={SITE}"), None),
        (
            Method::POST,
            "/api/v2/keys".to_owned(),
            Some(json!({"site_id": SITE})),
        ),
        (
            Method::POST,
            "/api/v2/invitations".to_owned(),
            Some(json!({"site_id": SITE, "email": "a@b.fr", "role": "owner"})),
        ),
        (
            Method::PATCH,
            "/api/v2/members".to_owned(),
            Some(json!({"site_id": SITE, "email": "agence@clinique-exemple.fr", "role": "owner"})),
        ),
        (
            Method::PATCH,
            "/api/v2/sites".to_owned(),
            Some(json!({"site_id": SITE, "min_group_size": 9})),
        ),
        (Method::GET, format!("/api/v2/audit?site_id={SITE}"), None),
    ] {
        assert_eq!(
            editor.call(m.clone(), &p, b.clone()).await.0,
            403,
            "editor {m} {p}"
        );
        assert_eq!(
            viewer.call(m.clone(), &p, b.clone()).await.0,
            403,
            "viewer {m} {p}"
        );
    }
    // The owner changes roles; the last owner cannot be removed but a server owner exists.
    let (s, a) = owner
        .patch(
            "/api/v2/members",
            json!({"site_id": SITE, "email": "agence@clinique-exemple.fr", "role": "owner"}),
        )
        .await;
    assert_eq!(s, 200, "{a}");
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    assert_eq!(
        editor
            .get(&format!("/api/v2/members?site_id={SITE}"))
            .await
            .0,
        200
    );
    let (s, a) = owner
        .patch(
            "/api/v2/members",
            json!({"site_id": SITE, "email": OWNER, "role": "viewer"}),
        )
        .await;
    assert_eq!(s, 400, "a server owner is not changed per site: {a}");
}

#[tokio::test]
async fn keys_and_invitations_are_refused_once_revoked_expired_used_or_forged() {
    let test = "accounts_invites";
    let (t, owner, _) = start(test, |_| {}).await;
    let (node_b, base_b) = second_node(&t, test).await;
    // Keys: created, listed without the key, refused on both nodes once revoked.
    let (s, k) = owner
        .post(
            "/api/v2/keys",
            json!({"site_id": SITE, "name": "Looker", "read_only": true}),
        )
        .await;
    assert_eq!(s, 200, "{k}");
    let key = k["key"].as_str().unwrap().to_owned();
    let (_, list) = owner.get(&format!("/api/v2/keys?site_id={SITE}")).await;
    let listed = list["keys"].as_array().unwrap();
    assert_eq!(listed.len(), 1, "{list}");
    assert_eq!(listed[0]["prefix"], key[..7].to_owned());
    assert_eq!(listed[0]["read_only"], true);
    assert!(
        !list.to_string().contains(&key[7..]),
        "a key is never listed"
    );
    let q = json!({"site_id": SITE, "metrics": ["visitors"], "date_range": "7d"});
    let ask_b = |key: String| {
        let http = t.http.clone();
        let base = base_b.clone();
        let q = q.clone();
        async move {
            http.post(format!("{base}/api/v2/query"))
                .bearer_auth(key)
                .json(&q)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(ask_b(key.clone()).await, 200);
    // Read-only: no settings.
    let (s, _) = support::post_api(
        &t,
        &key,
        "/api/v2/goals",
        json!({"site_id": SITE, "name": "x", "event_name": "y"}),
    )
    .await;
    assert_eq!(s, 403);
    let (s, _) = owner
        .delete("/api/v2/keys", json!({"site_id": SITE, "id": k["id"]}))
        .await;
    assert_eq!(s, 200);
    assert_eq!(support::ask(&t, &key, q.clone()).await.0, 401);
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    assert_eq!(ask_b(key.clone()).await, 401);

    // Invitations: accepted once, by a new person choosing a password.
    let (s, inv) = owner
        .post(
            "/api/v2/invitations",
            json!({"site_id": SITE, "email": "Medecin@Exemple.fr", "role": "viewer"}),
        )
        .await;
    assert_eq!(s, 200, "{inv}");
    let token = inv["path"]
        .as_str()
        .unwrap()
        .strip_prefix("/invite#")
        .unwrap()
        .to_owned();
    let (_, members_now) = owner.get(&format!("/api/v2/members?site_id={SITE}")).await;
    assert_eq!(members_now["invitations"][0]["email"], "medecin@exemple.fr");
    let anon = reqwest::Client::new();
    let offer: Value = anon
        .post(format!("{base_b}/api/auth/invitation"))
        .json(&json!({"token": token}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(offer["site"], SITE, "{offer}");
    assert_eq!(offer["role"], "viewer");
    let accept = |token: String, pw: &'static str| {
        let anon = anon.clone();
        let base = base_b.clone();
        async move {
            let r = anon
                .post(format!("{base}/api/auth/invitation/accept"))
                .json(&json!({"token": token, "password": pw}))
                .send()
                .await
                .unwrap();
            let cookie = cookie_of(&r);
            (r.status().as_u16(), cookie)
        }
    };
    let (s, cookie) = accept(token.clone(), "le mot de passe du médecin").await;
    assert_eq!(s, 200);
    assert!(cookie.is_some());
    let (s, _) = accept(token.clone(), "le mot de passe du médecin").await;
    assert_eq!(s, 400, "an invitation works once");
    let (s, _) = accept(
        format!("iv_{}", "0".repeat(64)),
        "le mot de passe du médecin",
    )
    .await;
    assert_eq!(s, 400, "a forged invitation");
    let doctor = sign_in(&t.base, "medecin@exemple.fr", "le mot de passe du médecin").await;
    let (_, a) = doctor.get("/api/v2/sites").await;
    assert_eq!(a["sites"][0]["role"], "viewer", "{a}");
    // Expired: a row whose time has passed.
    let (mut expired, token) = invitations::create(
        &t.store,
        site_id(&t, SITE).await,
        "tard@exemple.fr",
        Role::Editor,
        OWNER,
    )
    .await
    .unwrap();
    expired.expires_at = parcours::accounts::now_secs() - 1;
    expired.updated_at += 1;
    let mut ins = t
        .store
        .client()
        .insert::<invitations::Invitation>("invitations")
        .await
        .unwrap();
    ins.write(&expired).await.unwrap();
    ins.end().await.unwrap();
    let (s, _) = accept(token, "un autre mot de passe").await;
    assert_eq!(s, 400, "an expired invitation");
    // Cancelled.
    let (_, inv) = owner
        .post(
            "/api/v2/invitations",
            json!({"site_id": SITE, "email": "annule@exemple.fr", "role": "viewer"}),
        )
        .await;
    let (s, _) = owner
        .delete(
            "/api/v2/invitations",
            json!({"site_id": SITE, "id": inv["id"]}),
        )
        .await;
    assert_eq!(s, 200);
    let token = inv["path"]
        .as_str()
        .unwrap()
        .strip_prefix("/invite#")
        .unwrap()
        .to_owned();
    assert_eq!(accept(token, "un autre mot de passe").await.0, 400);
    node_b.shutdown().await;
}

#[tokio::test]
async fn changes_need_the_csrf_token_and_the_dashboard_origin() {
    let (t, owner, _) = start("accounts_csrf", |_| {}).await;
    let goal = json!({"site_id": SITE, "name": "RDV", "event_name": "Booking"});
    let send = |csrf: Option<&str>, origin: Option<&str>, fetch_site: Option<&str>| {
        let mut r = owner
            .http
            .post(format!("{}/api/v2/goals", t.base))
            .header("cookie", format!("parcours_session={}", owner.cookie))
            .json(&goal);
        if let Some(c) = csrf {
            r = r.header("x-csrf-token", c);
        }
        if let Some(o) = origin {
            r = r.header("origin", o);
        }
        if let Some(f) = fetch_site {
            r = r.header("sec-fetch-site", f);
        }
        async move { r.send().await.unwrap().status().as_u16() }
    };
    let csrf = owner.csrf.clone();
    assert_eq!(send(None, Some(&t.base), None).await, 403, "no token");
    assert_eq!(
        send(Some("0123"), Some(&t.base), None).await,
        403,
        "a wrong token"
    );
    assert_eq!(
        send(Some(&csrf), Some("https://evil.example"), None).await,
        403,
        "another origin"
    );
    assert_eq!(
        send(Some(&csrf), None, Some("cross-site")).await,
        403,
        "a cross-site fetch"
    );
    assert_eq!(
        send(Some(&csrf), Some(&t.base), Some("same-origin")).await,
        200
    );
    // Signing in from another origin's page is refused too (login CSRF).
    let r = t
        .http
        .post(format!("{}/api/auth/login", t.base))
        .header("origin", "https://evil.example")
        .json(&json!({"email": OWNER, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    // An API key is not a cookie: no token needed, any origin.
    let key = keys::create(&t.store, site_id(&t, SITE).await)
        .await
        .unwrap();
    let r = t
        .http
        .post(format!("{}/api/v2/goals", t.base))
        .bearer_auth(&key)
        .header("origin", "https://elsewhere.example")
        .json(&json!({"site_id": SITE, "name": "Appel", "event_name": "Phone Call"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    // No CORS for the API: other origins' pages cannot read answers.
    let r = t
        .http
        .request(Method::OPTIONS, format!("{}/api/v2/query", t.base))
        .header("origin", "https://evil.example")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());
    assert!(r
        .headers()
        .get("access-control-allow-credentials")
        .is_none());
}

async fn login_status(
    t: &TestServer,
    email: &str,
    password: &str,
    ip: &str,
) -> (u16, Value, Option<String>) {
    let r = t
        .http
        .post(format!("{}/api/auth/login", t.base))
        .header("x-forwarded-for", ip)
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap();
    let retry = r
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (
        r.status().as_u16(),
        r.json().await.unwrap_or(Value::Null),
        retry,
    )
}

#[tokio::test]
async fn sign_ins_are_throttled_and_unknown_accounts_look_like_wrong_passwords() {
    let (t, _, _) = start("accounts_throttle", |c| {
        c.accounts.signin_per_minute = 5;
        c.accounts.bad_credentials_per_minute = 20;
    })
    .await;
    // Per account: five failures from five addresses, then 429 even from a sixth.
    for i in 0..5 {
        let (s, a, _) = login_status(&t, OWNER, "pas le bon mot de passe", &support::ip(i)).await;
        assert_eq!(s, 401, "{a}");
        assert_eq!(a["error"], "wrong email or password");
    }
    let (s, _, retry) = login_status(&t, OWNER, PASSWORD, &support::ip(9)).await;
    assert_eq!(s, 429);
    assert!(retry.unwrap().parse::<u64>().unwrap() >= 1);
    // Per address: five accounts tried from one address.
    for i in 0..5 {
        let (s, _, _) = login_status(
            &t,
            &format!("personne{i}@exemple.fr"),
            "x".repeat(12).as_str(),
            "203.0.113.50",
        )
        .await;
        assert_eq!(s, 401);
    }
    assert_eq!(
        login_status(
            &t,
            "autre@exemple.fr",
            "y".repeat(12).as_str(),
            "203.0.113.50"
        )
        .await
        .0,
        429
    );

    // Invalid API keys per address: refused with 429 once the budget is spent.
    let mut statuses = Vec::new();
    for i in 0..25 {
        let r = t
            .http
            .post(format!("{}/api/v2/query", t.base))
            .header("x-forwarded-for", "203.0.113.60")
            .bearer_auth(format!("pk_{i:048}"))
            .json(&json!({"site_id": SITE, "metrics": ["visitors"], "date_range": "7d"}))
            .send()
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        20,
        "{statuses:?}"
    );
    assert!(statuses[20..].iter().all(|s| *s == 429), "{statuses:?}");
    assert_eq!(statuses.last(), Some(&429));
}

#[tokio::test]
async fn unknown_accounts_and_wrong_passwords_take_the_same_time() {
    let (t, _, _) = start("accounts_timing", |c| c.accounts.signin_per_minute = 10_000).await;
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for i in 0..30u32 {
        let ip = support::ip(i);
        let started = Instant::now();
        let (s1, a1, _) = login_status(&t, OWNER, "pas le bon mot de passe", &ip).await;
        known.push(started.elapsed());
        let started = Instant::now();
        let (s2, a2, _) = login_status(
            &t,
            &format!("inconnu{i}@exemple.fr"),
            "pas le bon mot de passe",
            &ip,
        )
        .await;
        unknown.push(started.elapsed());
        assert_eq!((s1, &a1), (s2, &a2), "the same answer");
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let (k, u) = (median(&mut known), median(&mut unknown));
    eprintln!(
        "sign-in timing over 30 tries each: wrong password median {:.1} ms (min {:.1}, max {:.1}), unknown account median {:.1} ms (min {:.1}, max {:.1})",
        k.as_secs_f64() * 1e3,
        known[0].as_secs_f64() * 1e3,
        known[29].as_secs_f64() * 1e3,
        u.as_secs_f64() * 1e3,
        unknown[0].as_secs_f64() * 1e3,
        unknown[29].as_secs_f64() * 1e3,
    );
}

#[tokio::test]
async fn shared_links_read_one_site_through_fixed_filters_and_nothing_else() {
    let (t, owner, _) = start("accounts_shares", |_| {}).await;
    for i in 0..12 {
        let path = if i % 2 == 0 {
            "/symptomes/migraine"
        } else {
            "/rdv"
        };
        assert_eq!(
            t.pageview(path, &support::ip(i), support::CHROME_WIN).await,
            202
        );
    }
    t.wait_rows(12).await;
    let filter = json!(["contains", "event:page", ["symptomes"]]);
    let (s, made) = owner
        .post(
            "/api/v2/shares",
            json!({"site_id": SITE, "name": "Direction", "password": "le mot de passe du lien",
            "filters": [filter], "embed_origins": ["https://intranet.clinique-exemple.fr"]}),
        )
        .await;
    assert_eq!(s, 200, "{made}");
    let token = made["path"]
        .as_str()
        .unwrap()
        .strip_prefix("/share/")
        .unwrap()
        .to_owned();
    let open = |password: Option<&str>| {
        let body = match password {
            Some(p) => json!({"token": token, "password": p}),
            None => json!({"token": token}),
        };
        let r = t
            .http
            .post(format!("{}/api/auth/share", t.base))
            .json(&body)
            .send();
        async move {
            let r = r.await.unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }
    };
    let (s, a) = open(None).await;
    assert_eq!((s, &a["password_required"]), (401, &json!(true)), "{a}");
    assert_eq!(open(Some("pas le bon")).await.0, 401);
    // The link's token alone opens nothing while it has a password.
    assert_eq!(
        support::ask(
            &t,
            &token,
            json!({"site_id": SITE, "metrics": ["visitors"], "date_range": "7d"})
        )
        .await
        .0,
        403
    );
    let (s, a) = open(Some("le mot de passe du lien")).await;
    assert_eq!(s, 200, "{a}");
    assert_eq!(a["site"], SITE);
    let grant = a["grant"].as_str().unwrap().to_owned();
    assert!(grant.starts_with("sg_"));

    // Answers through the link are narrowed by its filter.
    let q = json!({"site_id": SITE, "metrics": ["pageviews"], "date_range": "day"});
    let through_link = support::ask_ok(&t, &grant, q.clone()).await;
    let mut narrowed = q.clone();
    narrowed["filters"] = json!([filter]);
    let (_, direct) = owner.post("/api/v2/query", narrowed).await;
    let (_, whole) = owner.post("/api/v2/query", q.clone()).await;
    assert_eq!(through_link["results"], direct["results"], "{through_link}");
    assert_ne!(through_link["results"], whole["results"]);
    assert_eq!(
        support::post_api(&t, &grant, "/api/v2/realtime", json!({"site_id": SITE}))
            .await
            .0,
        403
    );

    // And reach nothing else.
    for (m, p, b) in [
        (Method::GET, format!("/api/v2/members?site_id={SITE}"), None),
        (Method::GET, format!("/api/v2/keys?site_id={SITE}"), None),
        (
            Method::GET,
            format!("/api/v2/install_check?site_id={SITE}"),
            None,
        ),
        (Method::GET, format!("/api/v2/shares?site_id={SITE}"), None),
        (
            Method::POST,
            "/api/v2/goals".to_owned(),
            Some(json!({"site_id": SITE, "name": "x", "event_name": "y"})),
        ),
        (
            Method::PATCH,
            "/api/v2/sites".to_owned(),
            Some(json!({"site_id": SITE, "min_group_size": 9})),
        ),
        (
            Method::POST,
            "/api/v2/query".to_owned(),
            Some(json!({"site_id": OTHER, "metrics": ["visitors"], "date_range": "7d"})),
        ),
    ] {
        let mut r = t
            .http
            .request(m.clone(), format!("{}{p}", t.base))
            .bearer_auth(&grant);
        if let Some(b) = &b {
            r = r.json(b);
        }
        let s = r.send().await.unwrap().status().as_u16();
        assert!(s == 403 || s == 404, "{m} {p}: {s}");
    }
    let (s, a) = support::post_api(
        &t,
        &grant,
        "/api/v2/goals",
        json!({"site_id": SITE, "name": "x", "event_name": "y"}),
    )
    .await;
    assert_eq!(s, 403, "{a}");

    // The page of the link may be framed by its origin only; other pages by nobody.
    let page = t
        .http
        .get(format!("{}/share/{token}", t.base))
        .send()
        .await
        .unwrap();
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("frame-ancestors https://intranet.clinique-exemple.fr"),
        "{csp}"
    );
    let home = t.http.get(format!("{}/", t.base)).send().await.unwrap();
    let csp = home.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("frame-ancestors 'none'")
            && !csp.contains("unsafe-inline")
            && !csp.contains("unsafe-eval"),
        "{csp}"
    );
    assert_eq!(home.headers()["referrer-policy"], "same-origin");
    assert_eq!(home.headers()["x-content-type-options"], "nosniff");

    // Revoked: the grant stops (at once on this node).
    let (_, list) = owner.get(&format!("/api/v2/shares?site_id={SITE}")).await;
    assert_eq!(list["shares"][0]["password"], true, "{list}");
    let (s, _) = owner
        .delete("/api/v2/shares", json!({"site_id": SITE, "id": made["id"]}))
        .await;
    assert_eq!(s, 200);
    assert_eq!(support::ask(&t, &grant, q.clone()).await.0, 401);
    assert_eq!(open(Some("le mot de passe du lien")).await.0, 404);

    // A link without a password is its own credential.
    let (_, open_link) = owner
        .post("/api/v2/shares", json!({"site_id": SITE, "name": "Agence"}))
        .await;
    let token = open_link["path"]
        .as_str()
        .unwrap()
        .strip_prefix("/share/")
        .unwrap()
        .to_owned();
    assert_eq!(support::ask(&t, &token, q).await.0, 200);
}

#[tokio::test]
async fn metrics_can_be_kept_for_a_token_and_the_audit_log_keeps_no_secret() {
    let (t, owner, _) = start("accounts_audit", |c| {
        c.metrics.token = Some("jeton-de-supervision-0123".into());
    })
    .await;
    let m = t
        .http
        .get(format!("{}/metrics", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(m.status().as_u16(), 401);
    let m = t
        .http
        .get(format!("{}/metrics", t.base))
        .bearer_auth("jeton-de-supervision-0123")
        .send()
        .await
        .unwrap();
    assert_eq!(m.status().as_u16(), 200);
    assert!(m.text().await.unwrap().contains("parcours_events_accepted"));

    let (_, k) = owner.post("/api/v2/keys", json!({"site_id": SITE})).await;
    let key = k["key"].as_str().unwrap().to_owned();
    owner
        .delete("/api/v2/keys", json!({"site_id": SITE, "id": k["id"]}))
        .await;
    let (_, inv) = owner
        .post(
            "/api/v2/invitations",
            json!({"site_id": SITE, "email": "agence@exemple.fr", "role": "editor"}),
        )
        .await;
    let _ = login_status(&t, OWNER, "pas le bon mot de passe", "203.0.113.70").await;
    let (s, log) = owner.get(&format!("/api/v2/audit?site_id={SITE}")).await;
    assert_eq!(s, 200, "{log}");
    let actions: Vec<&str> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for a in [
        "owner_created",
        "key_created",
        "key_revoked",
        "invited",
        "signin_failed",
    ] {
        assert!(actions.contains(&a), "{a} not in {actions:?}");
    }
    let text = log.to_string();
    let token = inv["path"]
        .as_str()
        .unwrap()
        .strip_prefix("/invite#")
        .unwrap();
    for secret in [
        key.as_str(),
        token,
        PASSWORD,
        "pas le bon mot de passe",
        &owner.cookie,
    ] {
        assert!(!text.contains(secret), "the audit log holds a secret");
    }
    let m = t
        .http
        .get(format!("{}/metrics", t.base))
        .bearer_auth("jeton-de-supervision-0123")
        .send()
        .await
        .unwrap();
    let text = m.text().await.unwrap();
    assert!(
        text.contains("parcours_signins_total{outcome=\"failed\"} 1"),
        "{text}"
    );
}

#[tokio::test]
async fn deleting_a_site_needs_its_name_and_takes_its_data() {
    let (t, owner, _) = start("accounts_delete", |_| {}).await;
    assert_eq!(
        t.pageview("/", &support::ip(1), support::CHROME_WIN).await,
        202
    );
    t.wait_rows(1).await;
    let (s, _) = owner
        .delete("/api/v2/sites", json!({"site_id": SITE, "confirm": "oui"}))
        .await;
    assert_eq!(s, 400);
    let (s, a) = owner
        .delete("/api/v2/sites", json!({"site_id": SITE, "confirm": SITE}))
        .await;
    assert_eq!(s, 200, "{a}");
    let (_, list) = owner.get("/api/v2/sites").await;
    assert!(!list.to_string().contains(SITE), "{list}");
    let mut left = 1;
    for _ in 0..100 {
        left = support::count_rows(&t.store).await;
        if left == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(left, 0, "the site's events are erased");
}

#[tokio::test]
async fn the_command_line_adds_people_resets_passwords_and_revokes_keys() {
    use parcours::cli::keys::{self as keys_cli, KeysCommand};
    use parcours::cli::users::{self as users_cli, UsersCommand};
    let (t, _, _) = start("accounts_cli", |_| {}).await;
    let password = users_cli::run(
        &t.store,
        UsersCommand::Add {
            email: "Agence@Exemple.fr".into(),
            owner: false,
            site: Some(SITE.into()),
            role: Some("editor".into()),
            password_stdin: false,
        },
    )
    .await
    .unwrap();
    let password = password.trim().to_owned();
    assert_eq!(password.len(), 20);
    let agency = sign_in(&t.base, "agence@exemple.fr", &password).await;
    let (_, a) = agency.get("/api/v2/sites").await;
    assert_eq!(a["sites"][0]["role"], "editor", "{a}");
    let list = users_cli::run(&t.store, UsersCommand::List).await.unwrap();
    assert!(
        list.contains("agence@exemple.fr") && list.contains(&format!("{SITE} editor")),
        "{list}"
    );
    assert!(list.contains("server owner"), "{list}");

    let new_password = users_cli::run(
        &t.store,
        UsersCommand::Reset {
            email: "agence@exemple.fr".into(),
            password_stdin: false,
        },
    )
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    assert_eq!(
        agency.get("/api/auth/me").await.0,
        401,
        "a reset ends sessions"
    );
    sign_in(&t.base, "agence@exemple.fr", new_password.trim()).await;

    let key = keys_cli::run(
        &t.store,
        KeysCommand::Create {
            site: SITE.into(),
            name: "Looker".into(),
            read_only: true,
        },
    )
    .await
    .unwrap();
    let key = key.trim().to_owned();
    let listed = keys_cli::run(&t.store, KeysCommand::List { site: None })
        .await
        .unwrap();
    let id = keys::id_of(&key);
    assert!(
        listed.contains(&id) && listed.contains("read-only") && listed.contains("Looker"),
        "{listed}"
    );
    assert!(!listed.contains(&key[8..]), "{listed}");
    let q = json!({"site_id": SITE, "metrics": ["visitors"], "date_range": "7d"});
    assert_eq!(support::ask(&t, &key, q.clone()).await.0, 200);
    keys_cli::run(&t.store, KeysCommand::Revoke { id: id.clone() })
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    assert_eq!(support::ask(&t, &key, q).await.0, 401);
    assert!(keys_cli::run(&t.store, KeysCommand::Revoke { id })
        .await
        .is_err());
}

#[tokio::test]
async fn sessions_end_when_idle_or_too_old_and_cookies_are_secure_behind_tls() {
    use parcours::accounts::sessions::{self, Lifetimes, SessionCache, SessionRow};
    let (t, owner, _) = start("accounts_expiry", |_| {}).await;
    let life = Lifetimes {
        idle: Duration::from_secs(3600),
        max_age: Duration::from_secs(86_400),
    };
    let cache = SessionCache::new(Duration::from_secs(0), life);
    assert!(cache
        .check(&t.store, &owner.cookie)
        .await
        .unwrap()
        .is_some());
    let hash = parcours::accounts::token_hash(&owner.cookie);
    let row: SessionRow = t
        .store
        .client()
        .query(&sessions::BY_HASH.replace("?fields", "*"))
        .bind(&hash)
        .fetch_one()
        .await
        .unwrap();
    let rewrite = |change: &dyn Fn(&mut SessionRow)| {
        let mut r = row.clone();
        change(&mut r);
        r.updated_at = parcours::accounts::version() + 10;
        let store = t.store.clone();
        async move {
            let mut ins = store
                .client()
                .insert::<SessionRow>("sessions")
                .await
                .unwrap();
            ins.write(&r).await.unwrap();
            ins.end().await.unwrap();
        }
    };
    // Unused for longer than the idle time: closed.
    rewrite(&|r| r.last_seen -= 3601).await;
    assert!(cache
        .check(&t.store, &owner.cookie)
        .await
        .unwrap()
        .is_none());
    // Used a moment ago but past its absolute end: closed.
    rewrite(&|r| r.expires_at = parcours::accounts::now_secs() - 1).await;
    assert!(cache
        .check(&t.store, &owner.cookie)
        .await
        .unwrap()
        .is_none());

    // Behind a trusted proxy that saw TLS, the cookie is Secure; without it, not.
    for (proto, secure) in [(Some("https"), true), (None, false)] {
        let mut r = t
            .http
            .post(format!("{}/api/auth/login", t.base))
            .json(&json!({"email": OWNER, "password": PASSWORD}));
        if let Some(p) = proto {
            r = r.header("x-forwarded-proto", p);
        }
        let r = r.send().await.unwrap();
        let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
        assert_eq!(cookie.contains("; Secure"), secure, "{cookie}");
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
    }
}
