//! The page's entry point: mounts the Leptos shell, starts the engine worker and installs
//! `window.sqlnori`.

mod api;
mod components;
mod controller;
mod host;
mod i18n;

use controller::Controller;
use i18n::Lang;
use leptos::prelude::*;
use sqlnori_core::examples::STUDENT_EXAMPLE;

fn main() {
    console_error_panic_hook::set_once();
    let controller = Controller::new(STUDENT_EXAMPLE.to_owned(), Lang::load());
    api::install(&controller);
    controller.start_worker();
    leptos::mount::mount_to_body(
        move || view! { <components::App controller=controller.clone()/> },
    );
}
