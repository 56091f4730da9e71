//! SVG to PNG in the browser: the export worker draws the SVG (the same bytes as the CLI's),
//! the page's canvas rasterises it, and the worker adds the design to the PNG. Only the canvas
//! is here; it needs the DOM.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Pixels per SVG unit: sharp on high-density screens and when zoomed.
const SCALE: f64 = 2.0;
/// Browsers refuse canvases much larger than this on a side; big designs get fewer pixels.
const MAX_SIDE: f64 = 16_384.0;

type Done = Box<dyn FnOnce(Result<String, String>)>;

/// Draws `svg` (width × height in its root) on a canvas and gives the PNG, base64, to `done`.
pub fn svg_to_png_base64(svg: &str, done: impl FnOnce(Result<String, String>) + 'static) {
    let done: Done = Box::new(done);
    match load_image(svg) {
        Ok((url, img)) => draw_when_loaded(url, img, done),
        Err(why) => done(Err(why.into())),
    }
}

/// An image element loading `svg` from a blob URL.
fn load_image(svg: &str) -> Result<(String, web_sys::HtmlImageElement), &'static str> {
    let parts = js_sys::Array::of1(&JsValue::from_str(svg));
    let props = web_sys::BlobPropertyBag::new();
    props.set_type("image/svg+xml");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &props)
        .map_err(|_| "the browser refused to hold the drawing")?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "the browser refused to hold the drawing")?;
    let img = web_sys::HtmlImageElement::new().map_err(|_| "no image element")?;
    Ok((url, img))
}

fn draw_when_loaded(url: String, img: web_sys::HtmlImageElement, done: Done) {
    let done = std::rc::Rc::new(std::cell::RefCell::new(Some(done)));
    let finish = {
        let url = url.clone();
        move |result: Result<String, String>| {
            let _ = web_sys::Url::revoke_object_url(&url);
            if let Some(done) = done.borrow_mut().take() {
                done(result);
            }
        }
    };
    let on_load = {
        let (img, finish) = (img.clone(), finish.clone());
        Closure::once(move || finish(rasterise(&img)))
    };
    let on_error = Closure::once(move || finish(Err("the browser could not draw the SVG".into())));
    img.set_onload(Some(on_load.as_ref().unchecked_ref()));
    img.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    // Each fires at most once; the other is dropped with the image.
    on_load.forget();
    on_error.forget();
    img.set_src(&url);
}

fn rasterise(img: &web_sys::HtmlImageElement) -> Result<String, String> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let (w, h) = (
        f64::from(img.natural_width()),
        f64::from(img.natural_height()),
    );
    if w < 1.0 || h < 1.0 {
        return Err("the drawing is empty".into());
    }
    let scale = SCALE.min(MAX_SIDE / w).min(MAX_SIDE / h);
    let canvas = document
        .create_element("canvas")
        .ok()
        .and_then(|c| c.dyn_into::<web_sys::HtmlCanvasElement>().ok())
        .ok_or("no canvas")?;
    canvas.set_width((w * scale).round() as u32);
    canvas.set_height((h * scale).round() as u32);
    let ctx = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        .ok_or("no 2D canvas")?;
    ctx.draw_image_with_html_image_element_and_dw_and_dh(img, 0.0, 0.0, w * scale, h * scale)
        .map_err(|_| "the browser could not draw the SVG".to_string())?;
    let url = canvas
        .to_data_url_with_type("image/png")
        .map_err(|_| "the browser could not make the PNG".to_string())?;
    url.strip_prefix("data:image/png;base64,")
        .map(str::to_string)
        .ok_or_else(|| "the browser made no PNG (the drawing may be too large)".into())
}
