//! Links the `xtask` binary as a position-dependent executable on Linux.
//!
//! As a position-independent executable (rustc's default), the dynamic loader applies about
//! 44,000 relocations to the binary's tables every time it starts, touching their pages:
//! about 1.7 ms of each run, and a short `cargo xtask infer` takes 10 ms. Linked at a fixed
//! address, the tables are ready as they are in the file. Only this binary is linked so;
//! no crate is compiled differently.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
