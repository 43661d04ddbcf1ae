package app

import "fmt"

// Marking the checkpoints that left the machine outside an export: a supervisor's
// copy written by `casenotes audit checkpoint`, and the checkpoint a backup carries.
// Exports mark theirs in AttestExport. The mark is what Settings shows as "last
// checkpoint left the machine": until one has, the log proves nothing to anyone
// outside this computer (docs/SECURITY.md).

// MarkCheckpointLeft records that the signed checkpoint left the machine (call it
// once the file holding it is safely written). signed nil marks the newest checkpoint
// the vault holds: the one a backup just made carries. A checkpoint that is not this
// vault's, signed with this user's key, is an ErrIntegrity and marks nothing.
func (s *Session) MarkCheckpointLeft(signed []byte) error {
	var size uint64
	if signed != nil {
		keys, err := s.UserKeys()
		if err != nil {
			return err
		}
		cp, err := OpenCheckpoint(signed, keys.SigningPublic(), CheckpointOrigin(s.VaultID()))
		if err != nil {
			return err
		}
		size = cp.Size
	}
	s.path.state.RLock()
	defer s.path.state.RUnlock()
	if s.path.closed {
		return ErrLocked
	}
	s.path.write.Lock()
	defer s.path.write.Unlock()
	if signed == nil {
		found := false
		err := s.path.store.View(func(t Tx) error {
			return t.ScanKeys(RecCheckpoint, ID{}, func(k Key) error {
				size, found = k.Order, true
				return nil
			})
		})
		if err != nil {
			return err
		}
		if !found {
			return fmt.Errorf("no checkpoint to mark: %w", ErrNotFound)
		}
	}
	return s.markCheckpointLeft(size)
}
