//go:build linux

package f32test

import (
	"os"
	"syscall"
	"unsafe"
)

// Fenced returns n float32 in fresh pages placed against an inaccessible
// page: right after the slice's end (atStart false) or right before its
// start. A kernel that reads or writes even one element outside the slice
// in that direction faults at once, which guard values cannot show for
// reads, nor for masked stores whose masked-off lanes reach past the end
// (a CPU may fault on those). free unmaps the pages. Where it is not
// available it returns nil, nil (callers fall back to guard values).
func Fenced(n int, atStart bool) (s []float32, free func()) {
	page := os.Getpagesize()
	size := (4*n + page - 1) / page * page
	mem, err := syscall.Mmap(-1, 0, size+page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil, nil
	}
	fence, body := mem[size:], mem[:size]
	if atStart {
		fence, body = mem[:page], mem[page:]
	}
	if err := syscall.Mprotect(fence, syscall.PROT_NONE); err != nil {
		syscall.Munmap(mem)
		return nil, nil
	}
	free = func() { syscall.Munmap(mem) }
	if n == 0 {
		return []float32{}, free
	}
	start := 0
	if !atStart {
		start = size - 4*n
	}
	return unsafe.Slice((*float32)(unsafe.Pointer(&body[start])), n), free
}
