// Package pgtest gives tests a real PostgreSQL.
//
// The server comes from, in order: ROCKSTEADY_TEST_DATABASE_URL (a superuser URL), a Docker
// daemon (dockertest), or the machine's PostgreSQL binaries (a throwaway cluster, run as an
// unprivileged OS user when the tests run as root). It starts once per test process.
// Each test gets its own database cloned from a named template that is built once, so tests
// run in parallel. When no PostgreSQL can be had the test fails and says what to install;
// it skips only under -short.
//
// Packages that use it call pgtest.Main from TestMain so the server stops with the process.
// Only test code may import this package.
package pgtest
