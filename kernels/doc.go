// Package kernels is the portable pure-Go implementation of every mdnsimd
// kernel. It has no build tags and is always compiled: it is the generic
// path that mdnsimd dispatches to when no assembly applies, and the reference
// the assembly paths are tested against.
//
// Functions take the same arguments as their mdnsimd counterparts but do not
// check lengths beyond Go's own bounds checks; call them through mdnsimd
// unless you need the generic path specifically.
package kernels
