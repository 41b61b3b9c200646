//go:build !purego

package fuzz

const pureGo = false
