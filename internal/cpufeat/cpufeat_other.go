//go:build (!amd64 && !arm64) || purego

package cpufeat

// No assembly path: the kernels run the generic Go code.
func detect() features { return features{} }
