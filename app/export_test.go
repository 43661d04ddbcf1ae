package app

// Test-only access below the services, for package app_test: tests that tamper with
// records, count what a service read, or compare the whole store before and after.

// Store returns the store under the record service.
func (r *Records) Store() Store { return r.path.store }

// Store returns the session's store, or ErrLocked after Lock.
func (s *Session) Store() (Store, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrLocked
	}
	return s.path.store, nil
}

// SetCommitted makes fn run after each commit on the records' commit path, while the
// write lock is held: the order fn sees is the order of the commits.
func SetCommitted(r *Records, fn func()) { r.path.committed = fn }

// NewKeyring returns a keyring over a vault key, for tests that read backups with an
// unrelated key.
func NewKeyring(vaultKey []byte) *Keyring { return newKeyring(vaultKey) }
