//go:build (!amd64 && !arm64) || purego

package mdnsimd

// accel is nil where there is no assembly path to switch off.
var accel *bool

func impl() string { return "generic" }
