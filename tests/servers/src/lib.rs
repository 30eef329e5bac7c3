//! Servers on 127.0.0.1 shared by `xtask` and the tests: [`http::Server`], which answers with
//! canned replies (well-formed or not), and [`prism::Prism`], the independent mock of a spec;
//! and [`vast_binary::vast_bin`], the workspace's `vast` to run against them.

pub mod http;
pub mod prism;
pub mod vast_binary;
