//go:build purego

package fuzz

// pureGo reports that this test binary was built with -tags purego, so
// what it builds (cmd/mdn for FuzzCLI) is built that way too.
const pureGo = true
