//! The page's export worker (`infracanvas-export`): Trunk builds it as a web worker next to
//! the page (see `index.html`). It answers the typed requests of [`infracanvas::export::job`]
//! (exports, pictures, templates, share links, Tidy), so the typed Kubernetes objects, the YAML
//! and HCL writers, the templates, the share codec and the layout code live in this wasm,
//! loaded when first needed, and large jobs never block the editor's thread. Messages are JSON
//! text: a `Job` in, a `Response` out, and `ready` once, when the worker can take jobs.

#[cfg(target_arch = "wasm32")]
fn main() {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |msg: MessageEvent| {
        let request = msg.data().as_string().unwrap_or_default();
        let answer = infracanvas::export::job::answer(&request);
        let _ = reply.post_message(&JsValue::from_str(&answer));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // Messages sent before the wasm was running are lost: say when it is ready.
    let _ = scope.post_message(&JsValue::from_str("ready"));
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    println!("infracanvas-export is the page's export worker, built by trunk; run `make serve`");
}
