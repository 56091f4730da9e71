//! What the page does when the program hits a bug: the panic is logged to the console, and an
//! error banner is put into the page with plain DOM calls (the reactive system may be the part
//! that broke). The design was autosaved before the failing action, so reloading brings it back.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Installs the hook; call first thing in `main`.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_banner(&info.to_string());
    }));
}

fn show_banner(detail: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else { return };
    let Ok(banner) = document.create_element("div") else {
        return;
    };
    banner.set_class_name("error-banner panic");
    let _ = banner.set_attribute("role", "alert");
    let _ = banner.set_attribute("data-testid", "error-banner");
    let _ = banner.set_attribute("data-kind", "panic");
    // Text only, never markup: the message may quote user input.
    let text = document.create_element("p").ok();
    if let Some(p) = &text {
        p.set_text_content(Some(&format!(
            "Infracanvas hit an internal error and may not respond. Your design was saved a moment ago: reload the page to continue. ({detail})"
        )));
        let _ = banner.append_child(p);
    }
    if let Ok(button) = document.create_element("button") {
        button.set_text_content(Some("Reload"));
        let _ = button.set_attribute("type", "button");
        let reload = Closure::<dyn FnMut()>::new(|| {
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        });
        let _ = button.add_event_listener_with_callback("click", reload.as_ref().unchecked_ref());
        reload.forget();
        let _ = banner.append_child(&button);
    }
    let _ = body.append_child(&banner);
}
