//! Getting text out of the page: clipboard and file download (Blob + `a.download`). Failures
//! are reported to the caller, never panics.

use wasm_bindgen::JsCast;

/// Offers `bytes` as a file named `name`.
pub fn download_bytes(name: &str, bytes: &[u8], mime: &str) -> Result<(), String> {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let props = web_sys::BlobPropertyBag::new();
    props.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &props)
        .map_err(|_| "The browser refused to make the file".to_string())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "The browser refused to make the file".to_string())?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("No document")?;
    let a = document
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .ok_or("No link element")?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

pub fn download_text(name: &str, text: &str, mime: &str) -> Result<(), String> {
    download_bytes(name, text.as_bytes(), mime)
}

/// Puts `text` on the clipboard (asynchronously; the browser may ask for permission).
pub fn copy_text(text: &str) -> Result<(), String> {
    let clipboard = web_sys::window()
        .map(|w| w.navigator().clipboard())
        .ok_or("No clipboard")?;
    let promise = clipboard.write_text(text);
    // Swallow a refusal instead of leaving an unhandled rejection.
    let noop = wasm_bindgen::closure::Closure::<dyn FnMut(wasm_bindgen::JsValue)>::new(|_| {});
    let _ = promise.catch(&noop);
    noop.forget();
    Ok(())
}
