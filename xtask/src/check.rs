//! The checks of what `gen` produces, which build and run it: `try-spec` (any spec, built and
//! run against a local mock and Prism, with [`try_lists`] for filters and pages), `bench`,
//! `demo` and `check-areas`; the mock answering from a spec's [`examples`] ([`spec_mock`]) and
//! the Prism launcher they share.

pub mod bench;
pub mod check_areas;
pub mod demo;
pub mod examples;
pub mod prism;
pub mod required_calls;
pub mod spec_mock;
pub mod try_lists;
pub mod try_spec;
