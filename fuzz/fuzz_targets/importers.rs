#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    infracanvas_fuzz::importers(data);
});
