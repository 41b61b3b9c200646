//go:build race

package mdn

// raceOn reports a -race build, where sync.Pool drops some of the values
// it is given, so that allocation counts that rely on reuse vary.
const raceOn = true
