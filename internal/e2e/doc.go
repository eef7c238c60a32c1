// Package e2e holds the process-level tests of sending: real `console serve`
// processes (built once per run by browsertest.Main), one Postgres database
// they share, and one Tencent Cloud sandbox in the test process that every
// console calls through CONSOLE_TENCENTCLOUD_ENDPOINT, so the test can read
// every call the consoles made and whether it bought something.
//
//   - crash_test.go: a console is SIGKILLed while purchase calls are in
//     flight; after another console takes over, every order is settled and
//     nothing was bought twice.
//   - replicas_test.go: two consoles share 200 approved orders; each is sent
//     exactly once and the shared rate limit keeps the sandbox from ever
//     throttling.
//   - chaos_test.go: the fault campaign. Two consoles send 300 orders while
//     the sandbox fails at random (before and after buying), a console is
//     SIGKILLed every few seconds and Postgres is restarted once; every
//     outcome must then agree with what the sandbox did. CHAOS_ORDERS,
//     CHAOS_DURATION, CHAOS_SETTLE and CHAOS_SEED size and replay it; make
//     chaos runs it at 1,200 orders.
//
// The tests need Postgres (TEST_DATABASE_URL; make test starts one) and no
// browser; the chaos test starts a cluster of its own with scripts/devdb.sh
// (TEST_DEVDB, TEST_DEVDB_DIR; make test sets them too). The package has no
// code outside its tests.
package e2e
