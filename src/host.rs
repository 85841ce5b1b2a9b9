//! The worker host: starts, replaces and stops the engine worker, and turns its messages into
//! [`Response`]s. Only this module talks to `web_sys::Worker`.
//!
//! gloo-worker 0.5 cannot terminate a worker nor observe its death (gloo issue #408), and both
//! are what Stop and crash recovery are made of, so the host speaks to the worker directly with
//! the core's versioned JSON protocol.
//!
//! The first worker is started by the page's boot script (`boot-….js`, written by
//! `scripts/finish-dist.mjs`) before the page's own wasm has loaded, so the engine downloads and
//! compiles in parallel with the page; the boot keeps its messages until the host adopts it.

use sqlnori_model::protocol::{decode, encode, Request, Response};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// The worker's loader script, relative to the page so the site works from any sub-path.
pub const WORKER_URL: &str = "./sqlnori-worker_loader.js";

/// What the host tells its owner. `generation` identifies the worker a message came from, so
/// the last words of a replaced worker are ignored.
pub enum HostEvent {
    Message(Box<Response>),
    /// The worker died (a wasm trap, a load failure) without a message.
    Died(String),
}

type MessageHandler = Closure<dyn Fn(MessageEvent)>;
type ErrorHandler = Closure<dyn Fn(ErrorEvent)>;

/// One live worker and the closures that keep its handlers alive.
pub struct WorkerHost {
    worker: Option<Worker>,
    generation: u64,
    _on_message: Option<MessageHandler>,
    _on_error: Option<ErrorHandler>,
    /// Handlers of replaced workers. A replacement usually happens *inside* one of them (a
    /// crash report), and a closure must not be freed while it runs; they are a few bytes each.
    retired: Vec<(MessageHandler, ErrorHandler)>,
}

/// A worker message as a host event; `None` for the loader's start signal (for the boot
/// script, see [`sqlnori_model::protocol::WORKER_STARTED`]).
fn message_event(ev: &MessageEvent) -> Option<HostEvent> {
    let text = ev.data().as_string();
    if text.as_deref() == Some(sqlnori_model::protocol::WORKER_STARTED) {
        return None;
    }
    Some(match text.map(|t| decode::<Response>(&t)) {
        Some(Ok(resp)) => HostEvent::Message(Box::new(resp)),
        Some(Err(e)) => HostEvent::Died(format!("unreadable worker message: {e}")),
        None => HostEvent::Died("unreadable worker message".to_owned()),
    })
}

/// The worker the boot script started, with the events it kept, taken once.
fn adopt_boot_worker() -> Option<(Worker, js_sys::Array)> {
    let window: JsValue = web_sys::window()?.into();
    let boot = js_sys::Reflect::get(&window, &"sqlnoriBoot".into()).ok()?;
    if !boot.is_object() {
        return None;
    }
    let worker: Worker = js_sys::Reflect::get(&boot, &"worker".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let _ =
        js_sys::Reflect::delete_property(boot.unchecked_ref::<js_sys::Object>(), &"worker".into());
    let events = js_sys::Reflect::get(&boot, &"events".into())
        .ok()
        .and_then(|e| e.dyn_into::<js_sys::Array>().ok())
        .unwrap_or_default();
    Some((worker, events))
}

impl WorkerHost {
    pub fn new() -> Self {
        Self {
            worker: None,
            generation: 0,
            _on_message: None,
            _on_error: None,
            retired: Vec::new(),
        }
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Ends the current worker (if any) at once and starts a fresh one. Events arrive later,
    /// never during this call, so the caller may hold its own borrows.
    pub fn spawn(
        &mut self,
        on_event: impl Fn(u64, HostEvent) + Clone + 'static,
    ) -> Result<(), String> {
        self.terminate();
        self.generation += 1;
        let generation = self.generation;
        let (worker, early) = match adopt_boot_worker() {
            Some(adopted) => adopted,
            None => (
                Worker::new(WORKER_URL).map_err(|e| format!("{e:?}"))?,
                js_sys::Array::new(),
            ),
        };
        let on_msg = on_event.clone();
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
            if let Some(event) = message_event(&ev) {
                on_msg(generation, event);
            }
        });
        let on_err = on_event.clone();
        let on_error = Closure::<dyn Fn(ErrorEvent)>::new(move |ev: ErrorEvent| {
            ev.prevent_default();
            on_err(generation, HostEvent::Died(ev.message()));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        if early.length() > 0 {
            // What the boot kept, delivered after this call like any other event.
            wasm_bindgen_futures::spawn_local(async move {
                for ev in early.iter() {
                    let event = match ev.dyn_into::<ErrorEvent>() {
                        Ok(err) => Some(HostEvent::Died(err.message())),
                        Err(ev) => ev
                            .dyn_into::<MessageEvent>()
                            .ok()
                            .and_then(|msg| message_event(&msg)),
                    };
                    if let Some(event) = event {
                        on_event(generation, event);
                    }
                }
            });
        }
        self.worker = Some(worker);
        self._on_message = Some(on_message);
        self._on_error = Some(on_error);
        Ok(())
    }

    pub fn send(&self, req: &Request) {
        if let Some(w) = &self.worker {
            let _ = w.post_message(&JsValue::from_str(&encode(req)));
        }
    }

    /// Stops the worker immediately, whatever it is doing.
    pub fn terminate(&mut self) {
        if let Some(w) = self.worker.take() {
            w.set_onmessage(None);
            w.set_onerror(None);
            w.terminate();
        }
        if let (Some(m), Some(e)) = (self._on_message.take(), self._on_error.take()) {
            self.retired.push((m, e));
        }
    }
}
