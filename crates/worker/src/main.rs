//! The engine worker: carries the page's [`Request`]s to a [`Session`] and its answers back.
//!
//! A GlueSQL panic aborts this wasm instance. The panic hook reports it to the page first
//! (`Response::Crashed`); the page then replaces the whole worker and brings the database
//! back (its saved copy and the statements since, replayed), so nothing is lost.

use sqlnori_engine::{Clock, Session, WarmUp};
use sqlnori_model::protocol::{decode, encode, Request, Response, WORKER_EARLY};
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageChannel, MessageEvent};

/// How long the worker must have had no request before it takes a warm-up step: a learner
/// reading a result or typing leaves seconds, while requests that come back to back (a run
/// right after the start, a script's runs) never wait for one.
const WARM_UP_AFTER_IDLE_MS: f64 = 300.0;

/// How often the warm-up looks whether the page's `Init` has come, when it was not among the
/// requests the loader kept.
const WARM_UP_WAIT_FOR_INIT_MS: f64 = 20.0;

thread_local! {
    static SESSION: RefCell<Option<Session>> = const { RefCell::new(None) };
    /// The warm-up (see [`WarmUp`]) and how its steps are scheduled.
    static WARM_UP: RefCell<Option<Steps>> = const { RefCell::new(None) };
    /// When the last request from the page arrived (the worker's clock, ms).
    static LAST_REQUEST: Cell<Option<f64>> = const { Cell::new(None) };
}

/// The warm-up's scheduling: a step is a task of its own, posted through a channel (tasks of
/// the same source run in order, so a request that arrives during a step runs right after
/// it), or, after a request, a timer that waits for the worker to be idle again.
struct Steps {
    warm: WarmUp,
    channel: MessageChannel,
    /// The channel's handler, kept alive as long as the steps.
    _on_step: Closure<dyn Fn(MessageEvent)>,
    on_timer: Closure<dyn Fn()>,
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
        receive(&event.data());
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // What the page sent before this wasm ran (its `Init`), kept by the loader, goes first:
    // the warm-up's steps come after it.
    for data in take_early() {
        receive(&data);
    }
    post(&Response::Booted);
    start_warm_up();
}

/// One message from the page.
fn receive(data: &JsValue) {
    let Some(text) = data.as_string() else {
        return;
    };
    match decode::<Request>(&text) {
        Ok(req) => handle(req),
        Err(e) => post(&Response::Crashed {
            message: format!("unreadable request: {e}"),
        }),
    }
}

/// The messages the loader kept (see [`WORKER_EARLY`]), taken once; none when the loader does
/// not keep them.
fn take_early() -> Vec<JsValue> {
    let global = scope();
    let early = js_sys::Reflect::get(&global, &WORKER_EARLY.into()).unwrap_or_default();
    let _ = js_sys::Reflect::delete_property(
        global.unchecked_ref::<js_sys::Object>(),
        &WORKER_EARLY.into(),
    );
    early
        .dyn_into::<js_sys::Array>()
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

/// Starts the warm-up, whose steps all wait for the page's first request (its `Init`, which
/// builds the database and so compiles that code itself): a first step taken before `Init`
/// held it back, which was seen to wait 100 ms for it. After `Init` the eager steps (see
/// [`WarmUp::eager`]) follow at once, in the 30–50 ms the page still spends mounting, and
/// the others wait for the worker to be idle. Without the first query taken early, the
/// first GROUP BY over 10,000 rows run back to back after the start took 62–79 ms; with it,
/// 47–57 ms (the side-by-side bench).
fn start_warm_up() {
    let Ok(channel) = MessageChannel::new() else {
        return;
    };
    let on_step = Closure::<dyn Fn(MessageEvent)>::new(|_: MessageEvent| warm_up_step());
    channel
        .port2()
        .set_onmessage(Some(on_step.as_ref().unchecked_ref()));
    let _ = channel.port1().post_message(&JsValue::NULL);
    let steps = Steps {
        warm: WarmUp::new(),
        channel,
        _on_step: on_step,
        on_timer: Closure::new(warm_up_step),
    };
    WARM_UP.with(|w| *w.borrow_mut() = Some(steps));
}

/// Takes one warm-up step and posts the next, waits for the worker to be idle, or ends the
/// warm-up.
fn warm_up_step() {
    WARM_UP.with(|w| {
        let mut w = w.borrow_mut();
        let Some(steps) = w.as_mut() else {
            return;
        };
        let wait = match LAST_REQUEST.with(Cell::get) {
            None => Some(WARM_UP_WAIT_FOR_INIT_MS),
            Some(_) if steps.warm.eager() => None,
            Some(at) => {
                let idle = BrowserClock.monotonic_ms() - at;
                (idle < WARM_UP_AFTER_IDLE_MS).then_some(WARM_UP_AFTER_IDLE_MS - idle)
            }
        };
        let scheduled = if let Some(wait) = wait {
            #[allow(clippy::cast_possible_truncation)]
            let wait = wait.ceil() as i32;
            scope()
                .set_timeout_with_callback_and_timeout_and_arguments_0(
                    steps.on_timer.as_ref().unchecked_ref(),
                    wait,
                )
                .is_ok()
        } else {
            steps.warm.step(&BrowserClock).is_some()
                && steps.channel.port1().post_message(&JsValue::NULL).is_ok()
        };
        if !scheduled {
            // The handlers go with the steps (wasm-bindgen keeps a closure alive until the
            // call running it returns).
            if let Some(steps) = w.take() {
                steps.channel.port2().set_onmessage(None);
            }
        }
    });
}

/// One request, and the time it ended as the worker's last activity: a warm-up step waits
/// for the worker to be idle since then (timed from the request's arrival, a run longer than
/// the wait was followed at once by warm-up steps, which the next request, sent as soon as
/// the run's answer arrived, then waited for).
fn handle(req: Request) {
    handle_request(req);
    LAST_REQUEST.with(|at| at.set(Some(BrowserClock.monotonic_ms())));
}

fn handle_request(req: Request) {
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
