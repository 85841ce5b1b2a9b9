//! `window.sqlnori`: the page's scripting API. `await sqlnori.ready`, then
//! `await sqlnori.run(sql)` gives the same per-statement objects as the CLI's `--json` lines,
//! run against the page's live database and shown in the page. `await sqlnori.stats()` tells
//! the memory the page's and the engine's wasm hold (`{ pageMemoryBytes, engineMemoryBytes }`).

use crate::controller::Controller;
use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

pub fn install(controller: &Controller) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let api = Object::new();
    let ready_rx = controller.when_ready();
    let ready = future_to_promise(async move {
        ready_rx
            .await
            .map(|()| JsValue::TRUE)
            .map_err(|_| JsValue::from_str("the engine did not start"))
    });
    let c = controller.clone();
    let run = Closure::<dyn Fn(JsValue) -> Promise>::new(move |sql: JsValue| {
        let c = c.clone();
        future_to_promise(async move {
            let sql = sql
                .as_string()
                .ok_or_else(|| JsValue::from_str("sqlnori.run expects a string of SQL"))?;
            let _ = c.when_ready().await;
            let results = c
                .run(&sql)
                .await
                .map_err(|_| JsValue::from_str("a run is already in progress"))?;
            let lines: Vec<serde_json::Value> = results.iter().map(|r| r.to_json_line()).collect();
            let text = serde_json::Value::Array(lines).to_string();
            js_sys::JSON::parse(&text)
        })
    });
    let c = controller.clone();
    let stats = Closure::<dyn Fn() -> Promise>::new(move || {
        let rx = c.engine_memory();
        future_to_promise(async move {
            let engine = rx
                .await
                .map_err(|_| JsValue::from_str("the engine restarted"))?;
            let out = Object::new();
            #[allow(clippy::cast_precision_loss)]
            let _ = Reflect::set(
                &out,
                &"engineMemoryBytes".into(),
                &JsValue::from_f64(engine as f64),
            );
            #[allow(clippy::cast_precision_loss)]
            let _ = Reflect::set(
                &out,
                &"pageMemoryBytes".into(),
                &JsValue::from_f64(sqlnori_model::protocol::wasm_memory_bytes() as f64),
            );
            Ok(out.into())
        })
    });
    let _ = Reflect::set(&api, &"stats".into(), stats.as_ref());
    stats.forget(); // lives as long as the page
    let _ = Reflect::set(&api, &"ready".into(), &ready);
    let _ = Reflect::set(&api, &"run".into(), run.as_ref());
    run.forget(); // lives as long as the page
    let _ = Reflect::set(&window, &"sqlnori".into(), &api);
}

/// The event the page sends once, the first time it has been idle since its engine started
/// (no run, no steps being computed, for as long as the changed tables wait before they are
/// saved). The boot script (`scripts/finish-dist.mjs`) registers the service worker then: its
/// install downloads and stores the whole build again, and during the start it made the first
/// answer a quarter slower on a two-core machine.
pub const IDLE_EVENT: &str = "sqlnori-idle";

/// Sends [`IDLE_EVENT`] on the window.
pub fn announce_idle() {
    if let (Some(window), Ok(event)) = (web_sys::window(), web_sys::Event::new(IDLE_EVENT)) {
        let _ = window.dispatch_event(&event);
    }
}
