//! The engine worker: carries the page's [`Request`]s to a [`Session`] and its answers back.
//!
//! A GlueSQL panic aborts this wasm instance. The panic hook reports it to the page first
//! (`Response::Crashed`); the page then replaces the whole worker and brings the database
//! back (its saved copy and the statements since, replayed), so nothing is lost.

use sqlnori_engine::{Clock, Session};
use sqlnori_model::protocol::{decode, encode, Request, Response};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

thread_local! {
    static SESSION: RefCell<Option<Session>> = const { RefCell::new(None) };
}

/// The browser's clocks, read only at this edge.
struct BrowserClock;

impl Clock for BrowserClock {
    fn now_epoch_ms(&self) -> i64 {
        #[allow(clippy::cast_possible_truncation)]
        let ms = js_sys::Date::now() as i64;
        ms
    }
    fn monotonic_ms(&self) -> f64 {
        scope().performance().map_or(0.0, |p| p.now())
    }
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(msg: &Response) {
    let _ = scope().post_message(&JsValue::from_str(&encode(msg)));
}

fn main() {
    std::panic::set_hook(Box::new(|info| {
        // The learner sees the panic's message, not a path inside the registry.
        let message = sqlnori_model::protocol::panic_message(info.payload())
            .unwrap_or_else(|| info.to_string());
        post(&Response::Crashed { message });
    }));
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(|event: MessageEvent| {
        let Some(text) = event.data().as_string() else {
            return;
        };
        match decode::<Request>(&text) {
            Ok(req) => handle(req),
            Err(e) => post(&Response::Crashed {
                message: format!("unreadable request: {e}"),
            }),
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&Response::Booted);
    // The page's Init waits in the queue meanwhile (usually the page is still loading).
    Session::warm_up(&BrowserClock);
}

fn handle(req: Request) {
    if let Request::Init {
        snapshot,
        stored,
        seed,
        replay,
        rng,
    } = req
    {
        let (session, ready) = Session::start(
            snapshot.as_deref(),
            stored,
            seed,
            &replay,
            rng,
            &BrowserClock,
        );
        SESSION.with(|s| *s.borrow_mut() = session);
        post(&ready);
        return;
    }
    if let Request::Stats = req {
        post(&Response::Stats {
            memory_bytes: sqlnori_model::protocol::wasm_memory_bytes(),
        });
        return;
    }
    SESSION.with(|s| {
        if let Some(session) = s.borrow_mut().as_mut() {
            session.handle(req, &BrowserClock, &mut |r| post(&r));
        }
    });
}
