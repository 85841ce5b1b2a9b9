//! The page's entry point: mounts the Leptos shell, starts the engine worker and installs
//! `window.sqlnori`.

mod api;
mod components;
mod controller;
mod host;
mod i18n;
mod session;

use controller::Controller;
use i18n::Lang;
use leptos::prelude::*;
use sqlnori_model::examples::STUDENT_EXAMPLE;

fn main() {
    console_error_panic_hook::set_once();
    let (store, boot) = session::SessionStore::open(Lang::initial().code(), STUDENT_EXAMPLE);
    let controller = Controller::new(store, boot);
    api::install(&controller);
    watch_other_tabs(&controller);
    watch_updates(&controller);
    controller.start_worker();
    leptos::mount::mount_to_body(
        move || view! { <components::App controller=controller.clone()/> },
    );
    remove_boot_splash();
}

/// Takes away index.html's boot splash once the page is mounted (in the same task, so the two
/// are never drawn together).
fn remove_boot_splash() {
    if let Some(splash) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("[data-boot-splash]").ok().flatten())
    {
        splash.remove();
    }
}

/// Another tab of the same session writing its state: the `storage` event.
fn watch_other_tabs(controller: &Controller) {
    use wasm_bindgen::prelude::*;
    let Some(window) = web_sys::window() else {
        return;
    };
    let c = controller.clone();
    let on_storage =
        Closure::<dyn Fn(web_sys::StorageEvent)>::new(move |e: web_sys::StorageEvent| {
            if let Some(key) = e.key() {
                c.on_storage_event(&key, e.new_value().as_deref());
            }
        });
    let _ = window.add_event_listener_with_callback("storage", on_storage.as_ref().unchecked_ref());
    on_storage.forget(); // lives as long as the page
                         // A share link pasted into the address bar of an open page changes only the fragment: load
                         // it the way a fresh visit would.
    let on_hash = Closure::<dyn Fn()>::new(move || {
        if let Some(w) = web_sys::window() {
            if w.location().hash().is_ok_and(|h| h.len() > 1) {
                let _ = w.location().reload();
            }
        }
    });
    let _ = window.add_event_listener_with_callback("hashchange", on_hash.as_ref().unchecked_ref());
    on_hash.forget();
}

/// The build the boot script announced (`sqlnoriBoot.build`), and a newer one waiting: the
/// `sqlnori-update` event (see scripts/finish-dist.mjs).
fn watch_updates(controller: &Controller) {
    use wasm_bindgen::prelude::*;
    let Some(window) = web_sys::window() else {
        return;
    };
    let boot = js_sys::Reflect::get(&window, &"sqlnoriBoot".into()).unwrap_or_default();
    let field = |name: &str| {
        js_sys::Reflect::get(&boot, &name.into())
            .ok()
            .and_then(|v| v.as_string())
    };
    if let Some(build) = field("build") {
        controller.note_build(&build);
    }
    if field("update").as_deref() == Some("ready") {
        controller.update_ready();
    }
    let c = controller.clone();
    let on_update = Closure::<dyn Fn()>::new(move || c.update_ready());
    let _ = window
        .add_event_listener_with_callback("sqlnori-update", on_update.as_ref().unchecked_ref());
    on_update.forget(); // lives as long as the page
}
