//go:build !linux

package storage

// ReleaseMappedPages does nothing on this system: the advice that hands mapped
// table pages back is Linux's (pages_linux.go). The system still drops them first
// when memory runs short.
func (s *Store) ReleaseMappedPages() {}
