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
        "challenged claim 1: game 0",
        "ran step",
        "game 0 ended: WON",
        "the wrong claim was defeated",
    ] {
        assert!(stdout.contains(needle), "missing {needle:?} in:\n{stdout}");
    }
}

#[test]
fn demo_on_a_dead_node_is_a_clear_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_opml"))
        .args(["demo", "--rpc-url", "http://127.0.0.1:1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unreachable"), "{stderr}");
}
