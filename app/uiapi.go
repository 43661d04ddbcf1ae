package app

// Small additions the desktop app needs from the vault service.

// Exists reports whether dir holds a vault (a readable header or its spare copy), so
// the desktop app can open on the unlock screen or on the create-vault screen.
func (v *Vaults) Exists(dir string) bool {
	_, _, err := v.Disk.ReadHeaders(dir)
	return err == nil
}
