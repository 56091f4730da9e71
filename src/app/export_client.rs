//! Talks to the export worker (`src/bin/export_worker.rs`): started the first time an export
//! is asked for, requests queued until it says it is ready, answers matched to requests by id.
//! A worker that fails to load answers every pending request with an error, and the next
//! request starts a new one.

use std::cell::RefCell;
use std::collections::HashMap;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

use crate::export::job::{Job, Reply, Request, Response};

/// Trunk's loader for the worker bin (`data-loader-shim` in index.html).
const WORKER_URL: &str = "./infracanvas-export_loader.js";

type Done = Box<dyn FnOnce(Result<Reply, String>)>;

struct Client {
    worker: Worker,
    ready: bool,
    queue: Vec<String>,
    pending: HashMap<u32, Done>,
    next_id: u32,
}

thread_local! {
    static CLIENT: RefCell<Option<Client>> = const { RefCell::new(None) };
}

/// Sends `request` to the worker and keeps `done` for its reply (or the sentence saying why
/// there is none).
pub fn request(request: Request, done: impl FnOnce(Result<Reply, String>) + 'static) {
    let started = CLIENT.with(|c| c.borrow().is_some()) || start();
    if !started {
        done(Err(
            "The export module could not be started in this browser".into(),
        ));
        return;
    }
    CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        let Some(client) = c.as_mut() else { return };
        client.next_id = client.next_id.wrapping_add(1).max(1);
        let job = Job {
            id: client.next_id,
            request,
        };
        let text = serde_json::to_string(&job).unwrap_or_default();
        client.pending.insert(job.id, Box::new(done));
        if client.ready {
            let _ = client.worker.post_message(&JsValue::from_str(&text));
        } else {
            client.queue.push(text);
        }
    });
}

fn start() -> bool {
    let Ok(worker) = Worker::new(WORKER_URL) else {
        return false;
    };
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|msg: MessageEvent| {
        let text = msg.data().as_string().unwrap_or_default();
        if text == "ready" {
            CLIENT.with(|c| {
                if let Some(client) = c.borrow_mut().as_mut() {
                    client.ready = true;
                    for q in client.queue.drain(..) {
                        let _ = client.worker.post_message(&JsValue::from_str(&q));
                    }
                }
            });
            return;
        }
        let answer = serde_json::from_str::<Response>(&text);
        let done = CLIENT.with(|c| {
            let mut c = c.borrow_mut();
            let client = c.as_mut()?;
            match &answer {
                Ok(r) => client.pending.remove(&r.id),
                Err(_) => None,
            }
        });
        // Called outside the borrow: the callback may ask for the next export.
        if let (Some(done), Ok(r)) = (done, answer) {
            done(r.result);
        }
    });
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(|_e: web_sys::Event| {
        let pending = CLIENT.with(|c| c.borrow_mut().take().map(|cl| cl.pending));
        for (_, done) in pending.into_iter().flatten() {
            done(Err("The export module failed to load; try again".into()));
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_message.forget();
    on_error.forget();
    CLIENT.with(|c| {
        *c.borrow_mut() = Some(Client {
            worker,
            ready: false,
            queue: Vec::new(),
            pending: HashMap::new(),
            next_id: 0,
        })
    });
    true
}
