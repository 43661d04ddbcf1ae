//go:build !linux

package storage

// ReleaseMappedPages does nothing on this system: the advice that hands mapped
// table pages back is Linux's (pages_linux.go). The system still drops them first
// when memory runs short.
func (s *Store) ReleaseMappedPages() {}

// MappedResident is not known on this system (ok false): a bulk load then hands
// the pages back at every turn (app, commitPath.loading).
func (s *Store) MappedResident() (bytes uint64, ok bool) { return 0, false }
