#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| parcours::fuzzing::wal_record(data));
