//! End-to-end specifications of the AWS adapters against moto in server mode (`MOTO_ENDPOINT`,
//! e.g. `http://127.0.0.1:5000`; the tests fail, saying how to start moto, when it is unset).
//! Each test makes its own bus and queue, so they run in parallel.

mod batching;
mod doubles;
mod publishing;
mod support;
mod tailing;
