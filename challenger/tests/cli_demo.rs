//! `opml demo` runs a full claim → challenge → resolve on the embedded chain.

use std::process::Command;

#[test]
fn demo_defeats_the_wrong_claim() {
    let out = Command::new(env!("CARGO_BIN_EXE_opml"))
        .arg("demo")
        .output()
        .expect("run opml demo");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for needle in [
        "finalized claim 0",
        "opened game 0",
        "ran step",
        "watchtower  won game 0",
        "the wrong claim was defeated",
    ] {
        assert!(stdout.contains(needle), "missing {needle:?} in:\n{stdout}");
    }
}

#[test]
fn demo_on_an_rpc_node_is_a_clear_error_for_now() {
    let out = Command::new(env!("CARGO_BIN_EXE_opml"))
        .args(["demo", "--rpc-url", "http://127.0.0.1:1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not available yet"));
}
