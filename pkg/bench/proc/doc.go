// Package proc reads a process's CPU time and memory from Linux's /proc: the server under
// test is measured from outside, so the same numbers come out for rocksteady and the floor.
package proc
